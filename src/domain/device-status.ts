// The wire shape of device health (GET /v1/status), shared by the API, the dashboard and the CLI.
/** What a poller knows about the device behind one site after its latest attempt. */
export type PollerState = 'ok' | 'auth-failed' | 'rate-limited' | 'stopped' | 'unreachable';

export type SolarCondition = 'ok' | 'negative' | 'zero-in-daylight' | 'missing';

export interface SolarHealth {
  condition: SolarCondition;
  /** Lowest solar power seen in the window (W), null when there were no samples. */
  minPowerW: number | null;
  /** Share (0..1) of solar samples below the night-noise threshold, null when there were no samples. */
  negativeShare: number | null;
  samples: number;
  /** True when the site's source reports solar (a fleet site, a gateway); false for meters and pushed
   * consumption, whose `missing` means "not measured here" rather than "lost". */
  expected: boolean;
}

export interface DeviceStatus {
  siteId: string;
  source: string;
  /** A reading succeeded within the up window. */
  up: boolean;
  /** ISO instant of the last successful reading, null when never. */
  lastSeen: string | null;
  consecutiveErrors: number;
  /** null for sites without a poller (pushed data). */
  pollerState: PollerState | null;
  solar: SolarHealth;
  /** Window this device's `up` was judged over (ms): the fleet's, or two poll intervals for slow pullers. */
  upWindowMs: number;
  /** Why the last poll failed, when it did. */
  detail: string | null;
  /** What the anomaly detectors found over the recent window (GET /v1/status only). */
  anomalies?: AnomalySummary;
}

/** One anomaly as the status shows it. */
export interface AnomalyBrief {
  kind: string;
  channel: string;
  severity: 'info' | 'warning' | 'critical';
  /** ISO instants of the span [start, end). */
  start: string;
  end: string;
  explanation: string;
}

/** A site's anomalies over the recent window, in brief. */
export interface AnomalySummary {
  /** Length of the window examined, ending now (ms). */
  windowMs: number;
  total: number;
  /** Count of findings per anomaly kind (kinds with none are absent). */
  byKind: Record<string, number>;
  /** The most severe findings, the most recent first within a severity. */
  recent: AnomalyBrief[];
}

export interface FleetStatus {
  generatedAt: string;
  upWindowMs: number;
  devicesUp: number;
  devicesTotal: number;
  sites: DeviceStatus[];
}
