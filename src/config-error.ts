// The configuration error, in its own module so that connector configs (imported by the registry, which
// src/config.ts imports) can throw it without an import cycle.

/** A configuration error naming every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}
