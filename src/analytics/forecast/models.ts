// The point-forecast models compared by the backtest. Each is prepared on the history before `fitEndIdx`
// and then forecasts from any origin at or before it, seeing only values before that origin.
import { SLOTS_PER_DAY, SLOTS_PER_WEEK } from '../local-calendar.ts';
import type { SeriesGrid } from '../series-grid.ts';
import { prepareHoltWinters } from './holt-winters.ts';

export const MODEL_NAMES = [
  'seasonal-naive-daily',
  'seasonal-naive-weekly',
  'seasonal-profile-weekly',
  'double-seasonal-holt-winters',
  'robust-day-type-median',
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** Point forecasts for [origin, origin + horizon), one array per origin (finite numbers). */
export type Forecaster = (origins: readonly number[], horizon: number) => Float64Array[];

export interface PointModel {
  name: ModelName;
  /** One line for people: what the model does. */
  description: string;
  /** Slots of history the model needs before an origin. */
  minHistorySlots: number;
  prepare(grid: SeriesGrid, fitEndIdx: number): Forecaster;
}

/** Mean of the finite values in [from, to), 0 when there are none: the last-resort forecast. */
function finiteMean(values: Float64Array, from: number, to: number): number {
  let s = 0;
  let n = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n > 0 ? s / n : 0;
}

/**
 * Forecasts each slot from the values of the same local slot (of the day or the week) in the
 * `depth` most recent periods before the origin: depth 1 is seasonal naive, 4 the weekly profile.
 */
function slotMeanModel(name: ModelName, description: string, periodSlots: number, depth: number): PointModel {
  return {
    name,
    description,
    minHistorySlots: periodSlots,
    prepare: (grid) => (origins, horizon) =>
      origins.map((origin) => {
        const key = periodSlots === SLOTS_PER_WEEK ? grid.slotOfWeek : grid.slotOfDay;
        const sums = new Float64Array(periodSlots);
        const counts = new Int32Array(periodSlots);
        // A DST day holds 92 or 100 slots, so look one extra day back before giving up on a slot.
        const lookback = depth * periodSlots + SLOTS_PER_DAY;
        for (let i = origin - 1; i >= Math.max(0, origin - lookback); i--) {
          const v = grid.values[i]!;
          const k = key[i]!;
          if (Number.isFinite(v) && counts[k]! < depth) {
            sums[k]! += v;
            counts[k]!++;
          }
        }
        const fallback = finiteMean(grid.values, origin - lookback, origin);
        const out = new Float64Array(horizon);
        for (let h = 0; h < horizon; h++) {
          const k = key[origin + h]!;
          out[h] = counts[k]! > 0 ? sums[k]! / counts[k]! : fallback;
        }
        return out;
      }),
  };
}

export const seasonalNaiveDaily = slotMeanModel(
  'seasonal-naive-daily',
  'the same time of day on the last day before the forecast start',
  SLOTS_PER_DAY,
  1,
);

export const seasonalNaiveWeekly = slotMeanModel(
  'seasonal-naive-weekly',
  'the same weekday and time of day one week before',
  SLOTS_PER_WEEK,
  1,
);

export const seasonalProfileWeekly = slotMeanModel(
  'seasonal-profile-weekly',
  'the mean of the same weekday and time of day over the last up to 4 weeks',
  SLOTS_PER_WEEK,
  4,
);

export const doubleSeasonalHoltWinters: PointModel = {
  name: 'double-seasonal-holt-winters',
  description:
    'additive exponential smoothing with a level, a daily and a weekly seasonal cycle and AR(1) error correction (Taylor 2003), smoothing weights fitted to the day-ahead error',
  minHistorySlots: 2 * SLOTS_PER_WEEK,
  prepare: prepareHoltWinters,
};

/** Days of history the robust median model pools. */
const MEDIAN_DAYS = 21;

/** Saturday and Sunday form one day type, Monday–Friday the other. */
function isWeekend(slotOfWeek: number): boolean {
  return slotOfWeek >= 5 * SLOTS_PER_DAY;
}

/**
 * Median of the same day type (working day or weekend) at the same local time of day ±15 minutes over the
 * last 3 weeks. MASE scores absolute error, whose best constant is the median, not the mean; household
 * load is spiky and right-skewed, so the median of ~45 neighbouring values beats both a single last-week
 * value (noisy) and a mean (pulled up by the spikes).
 */
export const robustDayTypeMedian: PointModel = {
  name: 'robust-day-type-median',
  description:
    'the median of the same day type (working day or weekend) at the same time of day ±15 min over the last 3 weeks',
  minHistorySlots: SLOTS_PER_WEEK,
  prepare: (grid) => (origins, horizon) =>
    origins.map((origin) => {
      const pools: number[][][] = [0, 1].map(() => Array.from({ length: SLOTS_PER_DAY }, () => []));
      for (let i = Math.max(0, origin - MEDIAN_DAYS * SLOTS_PER_DAY); i < origin; i++) {
        const v = grid.values[i]!;
        if (!Number.isFinite(v)) continue;
        const type = isWeekend(grid.slotOfWeek[i]!) ? 1 : 0;
        const d = grid.slotOfDay[i]!;
        for (const k of [d - 1, d, d + 1]) pools[type]![(k + SLOTS_PER_DAY) % SLOTS_PER_DAY]!.push(v);
      }
      const medians = pools.map((byType) =>
        byType.map((xs) => {
          if (xs.length === 0) return Number.NaN;
          const sorted = Float64Array.from(xs).sort();
          const m = (sorted.length - 1) / 2;
          return (sorted[Math.floor(m)]! + sorted[Math.ceil(m)]!) / 2;
        }),
      );
      const fallback = finiteMean(grid.values, origin - SLOTS_PER_WEEK, origin);
      const out = new Float64Array(horizon);
      for (let h = 0; h < horizon; h++) {
        const type = isWeekend(grid.slotOfWeek[origin + h]!) ? 1 : 0;
        const d = grid.slotOfDay[origin + h]!;
        const v = medians[type]![d]!;
        out[h] = Number.isFinite(v) ? v : (medians[1 - type]![d]! ?? fallback);
        if (!Number.isFinite(out[h]!)) out[h] = fallback;
      }
      return out;
    }),
};

/** The models, in the order of the backtest table. An explicit list, not a registration side effect. */
export const MODELS: readonly PointModel[] = [
  seasonalNaiveDaily,
  seasonalNaiveWeekly,
  seasonalProfileWeekly,
  doubleSeasonalHoltWinters,
  robustDayTypeMedian,
];

export function modelByName(name: ModelName): PointModel {
  return MODELS.find((m) => m.name === name)!;
}
