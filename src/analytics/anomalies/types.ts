// What the anomaly detectors read and report. Pure data: the store-reading adapter fills it in.
import type { BucketQuality } from '../../domain/bucket.ts';

export const ANOMALY_KINDS = [
  'negative-solar',
  'solar-missing-in-daylight',
  'device-down',
  'flatline',
  'energy-balance',
  'counter-drift',
  'forecast-outlier',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export type Severity = 'info' | 'warning' | 'critical';

export interface Anomaly {
  kind: AnomalyKind;
  siteId: string;
  /** The channel at fault, or the channels involved joined by '+' (energy balance). */
  channel: string;
  /** Half-open [startMs, endMs) the anomaly spans (epoch ms). */
  startMs: number;
  endMs: number;
  severity: Severity;
  /** One or two sentences for a person: what was seen and why it matters. */
  explanation: string;
  /** The figures behind the explanation, in the units their names say. */
  measured: Record<string, number>;
}

/** One 15-minute bucket as the detectors read it. */
export interface AnomalyBucket {
  tMs: number;
  energyWh: number;
  coverage: number;
  /** NaN when unknown (interval or counter data). */
  minPowerW: number;
  maxPowerW: number;
  /** 'estimated' buckets (a counter delta spread over an outage) are flat by construction. */
  quality?: BucketQuality;
}

export interface PowerSample {
  tMs: number;
  powerW: number;
}

export interface CounterSample {
  tMs: number;
  /** Lifetime energy (Wh). */
  energyWh: number;
}

export interface ForecastBand {
  tMs: number;
  value: number;
  lower: number;
  upper: number;
}

export interface AnomalyInput {
  siteId: string;
  timeZone: string;
  /** Site location, for the sun's position; without it daylight is learned from the solar profile. */
  location?: { latitudeDeg: number; longitudeDeg: number };
  /** Window examined, [fromMs, toMs), 15-minute aligned. */
  fromMs: number;
  toMs: number;
  /** Current time: a gap that reaches it is an ongoing outage. */
  nowMs: number;
  /** Buckets per channel within the window, ascending. A channel absent here is not examined. */
  buckets: Readonly<Record<string, readonly AnomalyBucket[]>>;
  /** Raw power samples per channel (for counter drift), ascending. */
  power?: Readonly<Record<string, readonly PowerSample[]>>;
  /** Raw lifetime counter values per channel, ascending. */
  counters?: Readonly<Record<string, readonly CounterSample[]>>;
  /** Forecast bands per channel over the window (in Wh per slot). */
  forecasts?: Readonly<Record<string, readonly ForecastBand[]>>;
}

export interface AnomalyOptions {
  /** Kinds to run (default all). */
  kinds?: readonly AnomalyKind[];
  /** Solar power below −this is more than night-time inverter draw (W, default 50). */
  solarNightNoiseW?: number;
  /** Sun elevation above which a solar system must produce (degrees, default 15). */
  daylightElevationDeg?: number;
  /** Shortest outage reported (ms, default 1 h). */
  minGapMs?: number;
  /** Shortest run of identical values reported (ms, default 2 h). */
  minFlatMs?: number;
  /** Energy balance tolerance: the larger of this per slot (Wh, default 25) and the relative one. */
  balanceToleranceWh?: number;
  balanceToleranceShare?: number;
  /** Counter drift beyond this share of the energy (default 0.05) and this much energy (Wh, default 50). */
  driftShare?: number;
  driftMinWh?: number;
  /** Counter drift is compared over windows of this length (ms, default 6 h). */
  driftWindowMs?: number;
  /** Consecutive slots outside the forecast band needed (default 2). */
  outlierMinSlots?: number;
}

export const DEFAULT_ANOMALY_OPTIONS: Required<Omit<AnomalyOptions, 'kinds'>> = {
  solarNightNoiseW: 50,
  daylightElevationDeg: 15,
  minGapMs: 3_600_000,
  minFlatMs: 2 * 3_600_000,
  balanceToleranceWh: 25,
  balanceToleranceShare: 0.1,
  driftShare: 0.05,
  driftMinWh: 50,
  driftWindowMs: 6 * 3_600_000,
  outlierMinSlots: 2,
};

export type ResolvedOptions = typeof DEFAULT_ANOMALY_OPTIONS;
