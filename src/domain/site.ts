/** A place that produces telemetry (a home, a meter, a spaceship). */
export interface Site {
  siteId: string;
  name: string;
  /** IANA time zone used for local days, weeks and weekdays. */
  timezone: string;
  /** Source kind: 'push', 'powerwall', 'site-signal', 'smart-meter', ... */
  source: string;
  metadata: Record<string, unknown>;
}

/**
 * A deep-frozen copy of a site, so that one copy can be handed to every reader without a clone per call
 * (a site lookup is on the path of every request) and no reader can change it for the others.
 */
export function frozenSite(site: Site): Readonly<Site> {
  return deepFreeze(structuredClone({ ...site, metadata: site.metadata ?? {} }));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
