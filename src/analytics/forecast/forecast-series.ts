// The forecast entry point: choose a model by backtest (or take the one asked for), forecast from the
// origin with prediction intervals calibrated on the model's own past errors.
import { SLOTS_PER_DAY, SLOTS_PER_WEEK } from '../local-calendar.ts';
import { firstFinite, type SeriesGrid, slotTime } from '../series-grid.ts';
import { type Backtest, type BacktestOptions, isNonNegative, runBacktest } from './backtest.ts';
import { calibrate, naiveDifferences, withIntervals } from './intervals.ts';
import { type ModelName, modelByName } from './models.ts';

export interface ForecastRequest {
  /** History before `originIdx`, and at least `horizonSlots` slots of calendar from it. */
  grid: SeriesGrid;
  originIdx: number;
  horizonSlots: number;
  /** Central coverage of the intervals (default 0.8). */
  level?: number;
  /** A model to use instead of the backtest's choice. */
  model?: ModelName;
  backtest?: BacktestOptions;
}

export interface ForecastPoint {
  tMs: number;
  /** Wh in the slot. */
  value: number;
  lower: number;
  upper: number;
}

export interface SeriesForecast {
  ok: true;
  model: ModelName;
  /** How the model was picked. */
  chosenBy: 'backtest' | 'requested' | 'short-history';
  level: number;
  points: ForecastPoint[];
  /** The backtest behind the choice, when the history allowed one. */
  backtest: Backtest | null;
}

export interface ForecastRefusal {
  ok: false;
  neededSlots: number;
  foundSlots: number;
}

/** Forecasts [originIdx, originIdx + horizonSlots) of the grid. */
export function forecastSeries(req: ForecastRequest): SeriesForecast | ForecastRefusal {
  const { grid, originIdx, horizonSlots } = req;
  const level = req.level ?? 0.8;
  const dataStart = firstFinite(grid.values, 0, originIdx);
  const foundSlots = dataStart < 0 ? 0 : originIdx - dataStart;
  if (foundSlots < SLOTS_PER_DAY) return { ok: false, neededSlots: SLOTS_PER_DAY, foundSlots };
  const backtest = runBacktest(grid, originIdx, { level, ...req.backtest });
  let name: ModelName;
  let chosenBy: SeriesForecast['chosenBy'];
  if (req.model !== undefined) {
    name = req.model;
    chosenBy = 'requested';
  } else if (backtest !== null) {
    name = backtest.chosen;
    chosenBy = 'backtest';
  } else {
    name = foundSlots >= SLOTS_PER_WEEK ? 'seasonal-profile-weekly' : 'seasonal-naive-daily';
    chosenBy = 'short-history';
  }
  const model = modelByName(name);
  if (foundSlots < model.minHistorySlots) {
    return { ok: false, neededSlots: model.minHistorySlots, foundSlots };
  }
  const forecaster = model.prepare(grid, originIdx);
  const points = forecaster([originIdx], horizonSlots)[0]!;
  const table = calibrate(grid, forecaster, originIdx, horizonSlots, dataStart + model.minHistorySlots);
  const fallback = naiveDifferences(grid, originIdx);
  // Without a single past error to learn from, an interval would be a point: refuse rather than mislead.
  if (table.all.length === 0 && fallback.length === 0) {
    return { ok: false, neededSlots: 2 * SLOTS_PER_DAY, foundSlots };
  }
  const intervals = withIntervals(
    points,
    table,
    fallback,
    grid,
    originIdx,
    level,
    isNonNegative(grid, originIdx),
  );
  return {
    ok: true,
    model: name,
    chosenBy,
    level,
    backtest,
    points: intervals.map((p, h) => ({ tMs: slotTime(grid, originIdx + h), ...p })),
  };
}
