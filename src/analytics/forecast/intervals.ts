// Prediction intervals for any point model, from the empirical quantiles of its own errors: the model
// forecasts from earlier origins in the history (one per day over the last 4 weeks) and the errors
// against what then happened are kept by horizon day and quarter of the day. Residual quantiles need no
// distributional assumption, so skewed household load gets skewed intervals.

import { SLOTS_PER_DAY } from '../local-calendar.ts';
import type { SeriesGrid } from '../series-grid.ts';
import { quantileSorted } from '../stats.ts';
import type { Forecaster } from './models.ts';

const CALIBRATION_DAYS = 28;
/** Errors are kept per horizon day up to this many days; later horizons use the last day's. */
const HORIZON_BANDS = 7;
const DAY_PARTS = 4;
/** A cell with fewer errors than this borrows the errors of its whole horizon band. */
const MIN_CELL = 40;

export interface ResidualTable {
  /** Sorted errors (actual − forecast) by [band][part of day], and pooled by band. */
  cells: Float64Array[][];
  bands: Float64Array[];
  all: Float64Array;
}

function sorted(xs: number[]): Float64Array {
  return Float64Array.from(xs).sort();
}

/**
 * Errors of `forecaster` from daily origins before `originIdx` (each needing `minHistorySlots` of data
 * after `dataStartIdx`), scored only on values before `originIdx`.
 */
export function calibrate(
  grid: SeriesGrid,
  forecaster: Forecaster,
  originIdx: number,
  horizon: number,
  minOriginIdx: number,
): ResidualTable {
  const origins: number[] = [];
  for (let k = 1; k <= CALIBRATION_DAYS; k++) {
    const c = originIdx - k * SLOTS_PER_DAY;
    if (c < minOriginIdx) break;
    origins.push(c);
  }
  const cells: number[][][] = Array.from({ length: HORIZON_BANDS }, () =>
    Array.from({ length: DAY_PARTS }, () => []),
  );
  const bands: number[][] = Array.from({ length: HORIZON_BANDS }, () => []);
  const all: number[] = [];
  if (origins.length > 0) {
    const h = Math.min(horizon, HORIZON_BANDS * SLOTS_PER_DAY, originIdx - origins[origins.length - 1]!);
    const forecasts = forecaster(origins, h);
    origins.forEach((c, j) => {
      const f = forecasts[j]!;
      for (let s = 0; s < h && c + s < originIdx; s++) {
        const y = grid.values[c + s]!;
        if (!Number.isFinite(y)) continue;
        const e = y - f[s]!;
        const band = Math.min(HORIZON_BANDS - 1, Math.floor(s / SLOTS_PER_DAY));
        const part = Math.floor((grid.slotOfDay[c + s]! * DAY_PARTS) / SLOTS_PER_DAY);
        cells[band]![part]!.push(e);
        bands[band]!.push(e);
        all.push(e);
      }
    });
  }
  return {
    cells: cells.map((b) => b.map(sorted)),
    bands: bands.map(sorted),
    all: sorted(all),
  };
}

/** Daily-naive differences of the history: the fallback error distribution when no calibration ran. */
export function naiveDifferences(grid: SeriesGrid, endIdx: number): Float64Array {
  const out: number[] = [];
  for (let i = SLOTS_PER_DAY; i < endIdx; i++) {
    const d = grid.values[i]! - grid.values[i - SLOTS_PER_DAY]!;
    if (Number.isFinite(d)) out.push(d);
  }
  return sorted(out);
}

/** The errors that apply at horizon step `h` for a slot at `slotOfDay`. */
export function errorsFor(table: ResidualTable, h: number, slotOfDay: number): Float64Array {
  let band = Math.min(HORIZON_BANDS - 1, Math.floor(h / SLOTS_PER_DAY));
  // A long horizon beyond the calibrated bands takes the latest band that has errors.
  while (band > 0 && table.bands[band]!.length === 0) band--;
  const part = Math.floor((slotOfDay * DAY_PARTS) / SLOTS_PER_DAY);
  const cell = table.cells[band]![part]!;
  if (cell.length >= MIN_CELL) return cell;
  if (table.bands[band]!.length >= MIN_CELL) return table.bands[band]!;
  return table.all;
}

export interface IntervalPoint {
  value: number;
  lower: number;
  upper: number;
}

/**
 * Central `level` interval around each point from the error quantiles; `fallback` errors when the table
 * is empty. With `nonNegative` (a consumption series) neither the point nor the lower bound goes below 0.
 */
export function withIntervals(
  points: Float64Array,
  table: ResidualTable,
  fallback: Float64Array,
  grid: SeriesGrid,
  originIdx: number,
  level: number,
  nonNegative: boolean,
): IntervalPoint[] {
  const lo = (1 - level) / 2;
  const hi = (1 + level) / 2;
  const out: IntervalPoint[] = [];
  for (let h = 0; h < points.length; h++) {
    let errors = errorsFor(table, h, grid.slotOfDay[originIdx + h]!);
    if (errors.length === 0) errors = fallback;
    const p = points[h]!;
    let lower = errors.length > 0 ? p + quantileSorted(errors, lo) : p;
    let upper = errors.length > 0 ? p + quantileSorted(errors, hi) : p;
    let value = p;
    if (nonNegative) {
      value = Math.max(0, value);
      lower = Math.max(0, lower);
      upper = Math.max(value, upper);
    }
    out.push({ value, lower: Math.min(lower, value), upper: Math.max(upper, value) });
  }
  return out;
}
