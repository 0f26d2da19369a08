// Options and helpers several commands share.
import type { Command } from 'commander';
import { type Config, configFromEnv, readConfigFile, resolveConfig } from '../config.ts';
import { parseInstant } from '../domain/time.ts';

export interface StoreFlags {
  db?: string;
  config?: string;
}

/** Adds --db and --config to a command. */
export function withStoreOptions(cmd: Command): Command {
  return cmd
    .option(
      '--db <path|url>',
      'database: DuckDB file, :memory: or postgres://user@host:5432/db (default ./data/wattline.duckdb)',
    )
    .option('--config <file>', 'JSON configuration file');
}

/** Resolves configuration from defaults, --config file, environment and flags. */
export function configFrom(flags: StoreFlags & { port?: number; host?: string }): Config {
  const file = flags.config ? readConfigFile(flags.config) : {};
  return resolveConfig(file, configFromEnv(process.env), {
    db: flags.db,
    server: { port: flags.port, host: flags.host },
  });
}

/** Commander argument parser for an instant. */
export function instantArg(value: string): number {
  const ms = parseInstant(value);
  if (ms === undefined) throw new Error(`not a date-time: ${value} (use ISO 8601 with Z or an offset)`);
  return ms;
}

/** Commander argument parser for a TCP port. */
export function portArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`not a port: ${value}`);
  return n;
}
