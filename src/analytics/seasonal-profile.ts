// Seasonal-profile forecast of 15-minute energy: each future slot is predicted from the same weekday and
// time of day in recent weeks, or from the same time of day in recent days when less than a week of
// history exists. Pure: the caller hands in the history (only what lies before the forecast start).

import { DAY_MS, HOUR_MS } from '../domain/time.ts';
import { localParts } from '../domain/time-zone.ts';

/** z of the central 80% of a normal distribution. */
const Z80 = 1.2815515655446004;
const WEEK_MS = 7 * DAY_MS;
/** With fewer matched values than this, percentiles are too coarse and the normal approximation is used. */
const MIN_VALUES_FOR_PERCENTILES = 5;

export type SeasonalMethod = 'seasonal-profile-weekly' | 'seasonal-profile-daily';

export interface ProfileValue {
  /** Start of the 15-minute slot (epoch ms). */
  tMs: number;
  /** Energy of the slot (any unit; the forecast is in the same unit). */
  value: number;
}

export interface SeasonalProfileInput {
  /** Values of slots before `startMs`, any order; later values are ignored. */
  history: readonly ProfileValue[];
  /** Forecast start: the model sees nothing at or after it (epoch ms). */
  startMs: number;
  /** Slot starts to forecast (epoch ms), each at or after `startMs`. */
  slotsMs: readonly number[];
  /** IANA zone in which weekdays and times of day are taken. */
  timeZone: string;
  /** First instant of the series' data, when older than `history` reaches (epoch ms). */
  firstDataMs?: number;
}

export interface SlotForecast {
  tMs: number;
  value: number;
  lower: number;
  upper: number;
  /** Matched historical values behind the slot. */
  n: number;
}

export interface SeasonalProfileForecast {
  ok: true;
  method: SeasonalMethod;
  /** Central coverage of the intervals (0.8). */
  level: number;
  slots: SlotForecast[];
  /** Sum over the slots, with the interval of the sum (slot errors assumed independent). */
  total: { value: number; lower: number; upper: number };
}

export interface InsufficientHistory {
  ok: false;
  /** History the weakest method needs before start (ms). */
  neededMs: number;
  /** History found before start (ms). */
  foundMs: number;
  detail: string;
}

/** Human duration for messages: "3 h", "2.5 days", "45 min", "none". */
export function describeDuration(ms: number): string {
  if (ms <= 0) return 'none';
  if (ms >= DAY_MS) {
    const d = Math.round((ms / DAY_MS) * 10) / 10;
    return `${d} ${d === 1 ? 'day' : 'days'}`;
  }
  if (ms >= HOUR_MS) return `${Math.round((ms / HOUR_MS) * 10) / 10} h`;
  return `${Math.round(ms / 60_000)} min`;
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample variance (n − 1); 0 for fewer than two values. */
function variance(xs: readonly number[], m: number): number {
  if (xs.length < 2) return 0;
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return s / (xs.length - 1);
}

/** Percentile by linear interpolation between order statistics (p in 0..1). */
export function percentile(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  return a + (sorted[hi]! - a) * (pos - lo);
}

interface Profile {
  key: (tMs: number) => string;
  depth: number;
  lookbackMs: number;
}

function profileFor(method: SeasonalMethod, timeZone: string): Profile {
  if (method === 'seasonal-profile-weekly') {
    return {
      key: (t) => {
        const p = localParts(t, timeZone);
        return `${p.isoWeekday}:${p.hour}:${p.minute}`;
      },
      depth: 4,
      lookbackMs: 4 * WEEK_MS,
    };
  }
  return {
    key: (t) => {
      const p = localParts(t, timeZone);
      return `${p.hour}:${p.minute}`;
    },
    depth: 7,
    lookbackMs: 7 * DAY_MS,
  };
}

/**
 * Forecasts each slot as the mean of the matched values (same weekday and time of day over the last up to
 * 4 weeks; with less than a week of history, same time of day over the last up to 7 days), with an 80%
 * interval from their 10th and 90th percentiles, or mean ± 1.2816·sd below 5 values. A slot with no match
 * (a gap in the history) falls back to the mean and spread of all values in the lookback.
 */
export function seasonalProfileForecast(
  input: SeasonalProfileInput,
): SeasonalProfileForecast | InsufficientHistory {
  const history = input.history.filter((h) => h.tMs < input.startMs && Number.isFinite(h.value));
  let firstMs = input.firstDataMs ?? Number.POSITIVE_INFINITY;
  for (const h of history) firstMs = Math.min(firstMs, h.tMs);
  const foundMs = Number.isFinite(firstMs) ? Math.max(0, input.startMs - firstMs) : 0;
  let method: SeasonalMethod;
  if (foundMs >= WEEK_MS) method = 'seasonal-profile-weekly';
  else if (foundMs >= DAY_MS) method = 'seasonal-profile-daily';
  else {
    return {
      ok: false,
      neededMs: DAY_MS,
      foundMs,
      detail: `The forecast needs at least 1 day of data before start; found ${describeDuration(foundMs)}. The weekly profile needs 1 week.`,
    };
  }

  const profile = profileFor(method, input.timeZone);
  const recent = history
    .filter((h) => h.tMs >= input.startMs - profile.lookbackMs)
    .sort((a, b) => b.tMs - a.tMs);
  if (recent.length === 0) {
    return {
      ok: false,
      neededMs: DAY_MS,
      foundMs,
      detail: `The forecast needs data in the ${describeDuration(profile.lookbackMs)} before start; the series has none there`,
    };
  }
  const byKey = new Map<string, number[]>();
  for (const h of recent) {
    const k = profile.key(h.tMs);
    const list = byKey.get(k);
    if (list === undefined) byKey.set(k, [h.value]);
    else if (list.length < profile.depth) list.push(h.value);
  }
  const fallback = recent.map((h) => h.value);

  const slots: SlotForecast[] = [];
  let totalValue = 0;
  let totalVariance = 0;
  let allNonNegative = true;
  for (const tMs of input.slotsMs) {
    const values = byKey.get(profile.key(tMs)) ?? fallback;
    const m = mean(values);
    const v = variance(values, m);
    let lower: number;
    let upper: number;
    if (values.length >= MIN_VALUES_FOR_PERCENTILES) {
      const sorted = [...values].sort((a, b) => a - b);
      lower = percentile(sorted, 0.1);
      upper = percentile(sorted, 0.9);
    } else {
      const half = Z80 * Math.sqrt(v);
      lower = m - half;
      upper = m + half;
    }
    const nonNegative = values.every((x) => x >= 0);
    allNonNegative &&= nonNegative;
    // Energy drawn by a consumer cannot be negative; the normal approximation must not say it might be.
    if (nonNegative) lower = Math.max(0, lower);
    slots.push({ tMs, value: m, lower, upper, n: values.length });
    totalValue += m;
    totalVariance += v;
  }
  const half = Z80 * Math.sqrt(totalVariance);
  const totalLower = allNonNegative ? Math.max(0, totalValue - half) : totalValue - half;
  return {
    ok: true,
    method,
    level: 0.8,
    slots,
    total: { value: totalValue, lower: totalLower, upper: totalValue + half },
  };
}
