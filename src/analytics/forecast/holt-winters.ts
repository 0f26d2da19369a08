// Double-seasonal Holt–Winters (Taylor 2003, additive): y = level + daily[slot of day] + weekly[slot of
// week] + e, with an AR(1) correction of the last error. Seasonal indices are keyed by the local slot, so
// DST days need no special case. The three smoothing weights are chosen on a small grid by the error of
// day-ahead forecasts over the training window: one-step error would reward chasing noise, and what the
// model is used for is hours to weeks ahead.
import { SLOTS_PER_DAY, SLOTS_PER_WEEK } from '../local-calendar.ts';
import type { SeriesGrid } from '../series-grid.ts';
import type { Forecaster } from './models.ts';

/** Most recent history used to fit and run the model: 12 weeks bound the cost on long series. */
const TRAIN_SLOTS = 12 * SLOTS_PER_WEEK;
const ALPHAS = [0, 0.002, 0.01, 0.04];
const DELTAS = [0, 0.03, 0.1, 0.25];
const OMEGAS = [0, 0.05, 0.15, 0.3];

interface Params {
  alpha: number;
  delta: number;
  omega: number;
}

interface State {
  level: number;
  daily: Float64Array;
  weekly: Float64Array;
  /** Last one-step error (0 when the last value was missing). */
  lastError: number;
}

/** Initial state from the first week of [from, to): its mean, then mean deviations by slot. */
function initialState(grid: SeriesGrid, from: number): State {
  const to = Math.min(grid.length, from + SLOTS_PER_WEEK);
  let sum = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    const v = grid.values[i]!;
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  const level = n > 0 ? sum / n : 0;
  const daily = new Float64Array(SLOTS_PER_DAY);
  const dailyN = new Int32Array(SLOTS_PER_DAY);
  for (let i = from; i < to; i++) {
    const v = grid.values[i]!;
    if (!Number.isFinite(v)) continue;
    daily[grid.slotOfDay[i]!]! += v - level;
    dailyN[grid.slotOfDay[i]!]!++;
  }
  for (let k = 0; k < SLOTS_PER_DAY; k++) daily[k] = dailyN[k]! > 0 ? daily[k]! / dailyN[k]! : 0;
  const weekly = new Float64Array(SLOTS_PER_WEEK);
  for (let i = from; i < to; i++) {
    const v = grid.values[i]!;
    if (Number.isFinite(v)) weekly[grid.slotOfWeek[i]!] = v - level - daily[grid.slotOfDay[i]!]!;
  }
  return { level, daily, weekly, lastError: 0 };
}

/**
 * Runs the filter over [from, to), calling `atIndex` before each index listed in `stops` (ascending)
 * with the state as it is then. Returns the sum of squared day-ahead errors after the first week, and
 * the one-step errors' lag-1 products for the AR(1) weight.
 */
function run(
  grid: SeriesGrid,
  from: number,
  to: number,
  p: Params,
  stops: readonly number[] = [],
  atIndex?: (i: number, s: State) => void,
): { sse: number; n: number; arNum: number; arDen: number } {
  const s = initialState(grid, from);
  const levels = new Float64Array(SLOTS_PER_DAY).fill(s.level);
  let sse = 0;
  let n = 0;
  let arNum = 0;
  let arDen = 0;
  let prevError = Number.NaN;
  let stop = 0;
  const scoreFrom = from + SLOTS_PER_WEEK;
  for (let i = from; i < to; i++) {
    while (stop < stops.length && stops[stop]! <= i) {
      if (stops[stop] === i) atIndex?.(i, s);
      stop++;
    }
    const y = grid.values[i]!;
    const d = grid.slotOfDay[i]!;
    const w = grid.slotOfWeek[i]!;
    const seasonal = s.daily[d]! + s.weekly[w]!;
    const ring = i % SLOTS_PER_DAY;
    const levelDayAgo = levels[ring]!;
    levels[ring] = s.level;
    if (!Number.isFinite(y)) {
      s.lastError = 0;
      prevError = Number.NaN;
      continue;
    }
    const e = y - (s.level + seasonal);
    if (i >= scoreFrom) {
      const dayAhead = y - (levelDayAgo + seasonal);
      sse += dayAhead * dayAhead;
      n++;
      if (Number.isFinite(prevError)) {
        arNum += e * prevError;
        arDen += prevError * prevError;
      }
    }
    s.level += p.alpha * e;
    s.daily[d]! += p.delta * e;
    s.weekly[w]! += p.omega * e;
    s.lastError = e;
    prevError = e;
  }
  while (stop < stops.length) {
    if (stops[stop] === to) atIndex?.(to, s);
    stop++;
  }
  return { sse, n, arNum, arDen };
}

/** Fits the smoothing weights on the history before `fitEndIdx` and returns a forecaster. */
export function prepareHoltWinters(grid: SeriesGrid, fitEndIdx: number): Forecaster {
  let best: Params = { alpha: 0.002, delta: 0.03, omega: 0.05 };
  let bestSse = Number.POSITIVE_INFINITY;
  let phi = 0;
  const fitFrom = Math.max(0, fitEndIdx - TRAIN_SLOTS);
  for (const alpha of ALPHAS) {
    for (const delta of DELTAS) {
      for (const omega of OMEGAS) {
        const r = run(grid, fitFrom, fitEndIdx, { alpha, delta, omega });
        const mse = r.n > 0 ? r.sse / r.n : Number.POSITIVE_INFINITY;
        if (mse < bestSse) {
          bestSse = mse;
          best = { alpha, delta, omega };
          phi = r.arDen > 0 ? Math.min(0.98, Math.max(0, r.arNum / r.arDen)) : 0;
        }
      }
    }
  }
  return (origins, horizon) => {
    const out = new Map<number, Float64Array>();
    const sorted = [...new Set(origins)].sort((a, b) => a - b);
    // Each origin runs from its own window start so that no origin sees more than 12 weeks back,
    // matching what the weights were fitted on; origins sharing a start share one pass.
    const byStart = new Map<number, number[]>();
    for (const o of sorted) {
      const start = Math.max(0, o - TRAIN_SLOTS);
      const list = byStart.get(start) ?? [];
      list.push(o);
      byStart.set(start, list);
    }
    for (const [start, stops] of byStart) {
      run(grid, start, stops[stops.length - 1]!, best, stops, (o, s) => {
        const f = new Float64Array(horizon);
        let ar = s.lastError;
        for (let h = 0; h < horizon; h++) {
          ar *= phi;
          f[h] = s.level + s.daily[grid.slotOfDay[o + h]!]! + s.weekly[grid.slotOfWeek[o + h]!]! + ar;
        }
        out.set(o, f);
      });
    }
    return origins.map((o) => out.get(o)!);
  };
}
