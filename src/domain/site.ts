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
