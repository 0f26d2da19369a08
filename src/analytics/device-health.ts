// Device health of one site (issue 4 §5) from what its poller knows and what the store holds: up when a
// reading succeeded within the window, last seen, consecutive errors, poller state and solar condition.
// Pure: the caller gathers the observations.
import type { DeviceStatus, FleetStatus, PollerState } from '../domain/device-status.ts';
import { formatInstant } from '../domain/time.ts';
import { type SolarConditionOptions, type SolarSample, solarCondition } from './solar-condition.ts';
import { locationOf, sunElevationDeg } from './sun-position.ts';

/** The poller's view of one site after its latest attempts. */
export interface PollerView {
  state: PollerState;
  /** When the last successful (and durably stored) poll asked (epoch ms), null when never. */
  lastOkMs: number | null;
  consecutiveErrors: number;
  /** How often the poller asks (ms): a slow puller is judged over two of its intervals. */
  intervalMs: number;
  detail: string | null;
}

export interface SiteObservation {
  siteId: string;
  source: string;
  metadata: Record<string, unknown>;
  /** Absent for sites without a poller (pushed data). */
  poller?: PollerView;
  /** Latest receive time of the site's stored readings in the recent window (epoch ms), null when none. */
  lastReceivedMs: number | null;
  /** Solar power samples in the solar window. */
  solarSamples: readonly SolarSample[];
}

/** Sources whose sites report a solar channel. */
export const SOLAR_SOURCES: ReadonlySet<string> = new Set(['site-signal', 'powerwall']);

/** The sun counts as up for the solar check from this elevation (degrees): production is clear by then. */
export const DAYLIGHT_ELEVATION_DEG = 15;

/** Health of one site at `nowMs`. */
export function deviceStatus(
  obs: SiteObservation,
  nowMs: number,
  opts: { upWindowMs: number; solar?: SolarConditionOptions },
): DeviceStatus {
  const upWindowMs = obs.poller ? Math.max(opts.upWindowMs, 2 * obs.poller.intervalMs) : opts.upWindowMs;
  // A polled device is up only on its poller's durable success; data written by others (a backfill, an
  // import) says nothing about whether the device answers now. Pushed sites are up on received data.
  const upSinceMs = obs.poller ? obs.poller.lastOkMs : obs.lastReceivedMs;
  const lastSeenMs = obs.poller?.lastOkMs ?? obs.lastReceivedMs;
  const location = locationOf(obs.metadata);
  const isDaylight = location
    ? (tMs: number) => sunElevationDeg(tMs, location) >= DAYLIGHT_ELEVATION_DEG
    : undefined;
  const solar = solarCondition(obs.solarSamples, { ...opts.solar, ...(isDaylight ? { isDaylight } : {}) });
  return {
    siteId: obs.siteId,
    source: obs.source,
    up: upSinceMs !== null && nowMs - upSinceMs <= upWindowMs,
    lastSeen: lastSeenMs === null ? null : formatInstant(lastSeenMs),
    consecutiveErrors: obs.poller?.consecutiveErrors ?? 0,
    pollerState: obs.poller?.state ?? null,
    solar: { ...solar, expected: SOLAR_SOURCES.has(obs.source) || obs.solarSamples.length > 0 },
    upWindowMs,
    detail: obs.poller?.detail ?? null,
  };
}

/** The fleet view: every device and how many are up. */
export function fleetStatus(
  devices: readonly DeviceStatus[],
  nowMs: number,
  upWindowMs: number,
): FleetStatus {
  return {
    generatedAt: formatInstant(nowMs),
    upWindowMs,
    devicesUp: devices.filter((d) => d.up).length,
    devicesTotal: devices.length,
    sites: [...devices],
  };
}
