// Rolling-origin backtest: every model forecasts from the same origins near the end of the history,
// seeing only what came before each, and is scored on what followed. MASE is scaled by the in-sample
// error of the weekly seasonal naive forecast before each origin, so 1.0 means "as good as repeating last
// week" and lower is better; the model with the lowest MASE is chosen.
import { SLOTS_PER_DAY, SLOTS_PER_WEEK } from '../local-calendar.ts';
import { firstFinite, type SeriesGrid } from '../series-grid.ts';
import { calibrate, naiveDifferences, withIntervals } from './intervals.ts';
import { MODELS, type ModelName, type PointModel } from './models.ts';

export interface BacktestOptions {
  /** Number of origins (default 7). */
  folds?: number;
  /** Slots forecast from each origin (default 96: a day). */
  horizonSlots?: number;
  /** Slots between origins (default 96). */
  stepSlots?: number;
  /** Central coverage of the intervals scored (default 0.8). */
  level?: number;
  models?: readonly PointModel[];
}

export interface ModelScore {
  model: ModelName;
  /** Mean over folds of MAE / in-sample weekly seasonal-naive MAE. */
  mase: number;
  /** Symmetric MAPE in percent (0..200), over points where actual or forecast is non-zero. */
  smapePct: number;
  /** Share of actuals inside the interval (0..1). */
  coverage: number;
  /** Mean absolute error in Wh per slot. */
  maeWh: number;
  points: number;
}

export interface Backtest {
  /** Origins as slot indices of the grid, oldest first. */
  originIdx: number[];
  horizonSlots: number;
  level: number;
  scores: ModelScore[];
  chosen: ModelName;
}

/** History a fold needs before its origin: the longest model history plus a day of calibration. */
export const BACKTEST_MIN_HISTORY_SLOTS = 2 * SLOTS_PER_WEEK + SLOTS_PER_DAY;

/** Mean |y − y one week earlier at the same local slot| over [from, to): the MASE scale. */
export function weeklyNaiveScale(grid: SeriesGrid, from: number, to: number): number {
  const lastIdx = new Int32Array(SLOTS_PER_WEEK).fill(-1);
  let sum = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    const y = grid.values[i]!;
    if (!Number.isFinite(y)) continue;
    const k = grid.slotOfWeek[i]!;
    const j = lastIdx[k]!;
    // Within a week plus a DST hour: anything older is a gap, not last week.
    if (j >= 0 && i - j <= SLOTS_PER_WEEK + 4) {
      sum += Math.abs(y - grid.values[j]!);
      n++;
    }
    lastIdx[k] = i;
  }
  return n > 0 ? sum / n : Number.NaN;
}

/** Runs the backtest over the history before `endIdx`; null when the history is too short for one fold. */
export function runBacktest(
  grid: SeriesGrid,
  endIdx: number,
  options: BacktestOptions = {},
): Backtest | null {
  const horizon = options.horizonSlots ?? SLOTS_PER_DAY;
  const step = options.stepSlots ?? SLOTS_PER_DAY;
  const level = options.level ?? 0.8;
  const models = options.models ?? MODELS;
  const dataStart = firstFinite(grid.values, 0, endIdx);
  if (dataStart < 0) return null;
  const origins: number[] = [];
  for (let k = 0; k < (options.folds ?? 7); k++) {
    const o = endIdx - horizon - k * step;
    if (o - dataStart < BACKTEST_MIN_HISTORY_SLOTS) break;
    origins.unshift(o);
  }
  if (origins.length === 0) return null;
  const nonNegative = isNonNegative(grid, endIdx);
  const scores = models.map((model): ModelScore => {
    let maseSum = 0;
    let maseFolds = 0;
    let absSum = 0;
    let smapeSum = 0;
    let smapeN = 0;
    let inside = 0;
    let n = 0;
    for (const origin of origins) {
      const forecaster = model.prepare(grid, origin);
      const table = calibrate(grid, forecaster, origin, horizon, dataStart + model.minHistorySlots);
      const points = forecaster([origin], horizon)[0]!;
      const fallback = naiveDifferences(grid, origin);
      const intervals = withIntervals(points, table, fallback, grid, origin, level, nonNegative);
      let foldAbs = 0;
      let foldN = 0;
      for (let h = 0; h < horizon; h++) {
        const y = grid.values[origin + h]!;
        if (!Number.isFinite(y)) continue;
        const p = intervals[h]!;
        const err = Math.abs(y - p.value);
        foldAbs += err;
        foldN++;
        if (Math.abs(y) + Math.abs(p.value) > 0) {
          smapeSum += (200 * err) / (Math.abs(y) + Math.abs(p.value));
          smapeN++;
        }
        if (y >= p.lower && y <= p.upper) inside++;
      }
      const scale = weeklyNaiveScale(grid, dataStart, origin);
      if (foldN > 0 && scale > 0) {
        maseSum += foldAbs / foldN / scale;
        maseFolds++;
      }
      absSum += foldAbs;
      n += foldN;
    }
    return {
      model: model.name,
      mase: maseFolds > 0 ? maseSum / maseFolds : Number.NaN,
      smapePct: smapeN > 0 ? smapeSum / smapeN : Number.NaN,
      coverage: n > 0 ? inside / n : Number.NaN,
      maeWh: n > 0 ? absSum / n : Number.NaN,
      points: n,
    };
  });
  return { originIdx: origins, horizonSlots: horizon, level, scores, chosen: choose(scores) };
}

/** Lowest MASE wins; without a finite MASE (a constant history) the lowest MAE; ties keep list order. */
function choose(scores: readonly ModelScore[]): ModelName {
  const key = (s: ModelScore) => (Number.isFinite(s.mase) ? s.mase : Number.POSITIVE_INFINITY);
  let best = scores[0]!;
  for (const s of scores) {
    if (key(s) < key(best) || (key(s) === key(best) && s.maeWh < best.maeWh)) best = s;
  }
  return best.model;
}

/** True when no value before `endIdx` is negative: a consumption series, whose forecasts stay ≥ 0. */
export function isNonNegative(grid: SeriesGrid, endIdx: number): boolean {
  for (let i = 0; i < endIdx; i++) if (grid.values[i]! < 0) return false;
  return true;
}
