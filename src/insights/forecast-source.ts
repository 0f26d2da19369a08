// Forecasts a stored series: reads enough history before the origin for the backtest and the model,
// lays it on a grid with the forecast slots after it, and runs the pure forecast.
import { type Backtest, runBacktest } from '../analytics/forecast/backtest.ts';
import { forecastSeries, type SeriesForecast } from '../analytics/forecast/forecast-series.ts';
import type { ModelName } from '../analytics/forecast/models.ts';
import { describeDuration } from '../analytics/seasonal-profile.ts';
import { toGrid } from '../analytics/series-grid.ts';
import { WattlineError } from '../domain/errors.ts';
import { BUCKET_MS, DAY_MS } from '../domain/time.ts';
import type { Store } from '../store/store.ts';

/**
 * History read before the origin: 20 weeks cover the Holt–Winters window (12 weeks) for the oldest of
 * the calibration origins (4 weeks back) of the oldest backtest fold (1 week back).
 */
export const FORECAST_HISTORY_MS = 140 * DAY_MS;

export interface StoredForecastRequest {
  siteId: string;
  channel: string;
  timeZone: string;
  /** Origin: the model sees only buckets before it (15-minute aligned). */
  fromMs: number;
  toMs: number;
  level?: number;
  model?: ModelName;
  /** Where the refusal points (the query field of the origin). */
  originPath?: string;
  originValue?: string;
}

/** Forecast of [fromMs, toMs) from the history before fromMs; 422 insufficient-history when there is none. */
export async function forecastStored(
  store: Store,
  req: StoredForecastRequest,
): Promise<SeriesForecast & { gridStartMs: number }> {
  const historyFromMs = req.fromMs - FORECAST_HISTORY_MS;
  const buckets = await store.buckets({
    siteId: req.siteId,
    channel: req.channel,
    fromMs: historyFromMs,
    toMs: req.fromMs,
  });
  const grid = toGrid(
    buckets.map((b) => ({ tMs: b.bucketStartMs, energyWh: b.energyWh, coverage: b.coverage })),
    historyFromMs,
    req.toMs,
    req.timeZone,
  );
  const originIdx = Math.round((req.fromMs - historyFromMs) / BUCKET_MS);
  const result = forecastSeries({
    grid,
    originIdx,
    horizonSlots: grid.length - originIdx,
    ...(req.level === undefined ? {} : { level: req.level }),
    ...(req.model === undefined ? {} : { model: req.model }),
  });
  if (!result.ok) {
    throw new WattlineError(
      'insufficient-history',
      `The forecast needs at least ${describeDuration(result.neededSlots * BUCKET_MS)} of data before its start; found ${describeDuration(result.foundSlots * BUCKET_MS)}.`,
      [{ path: req.originPath ?? '/from', message: 'needs more data before it', value: req.originValue }],
    );
  }
  return { ...result, gridStartMs: historyFromMs };
}

/** Backtest of a stored series with its history ending at `toMs`; 422 when it is too short for a fold. */
export async function backtestStored(
  store: Store,
  req: {
    siteId: string;
    channel: string;
    timeZone: string;
    toMs: number;
    folds: number;
    horizonSlots: number;
  },
): Promise<Backtest & { startMs: number }> {
  const fromMs = req.toMs - FORECAST_HISTORY_MS - req.folds * req.horizonSlots * BUCKET_MS;
  const buckets = await store.buckets({ siteId: req.siteId, channel: req.channel, fromMs, toMs: req.toMs });
  const grid = toGrid(
    buckets.map((b) => ({ tMs: b.bucketStartMs, energyWh: b.energyWh, coverage: b.coverage })),
    fromMs,
    req.toMs,
    req.timeZone,
  );
  const bt = runBacktest(grid, grid.length, { folds: req.folds, horizonSlots: req.horizonSlots });
  if (bt === null) {
    throw new WattlineError(
      'insufficient-history',
      'The backtest needs at least 15 days of data before its first origin plus the horizon',
      [{ path: '/to', message: 'needs more data before it' }],
    );
  }
  return { ...bt, startMs: fromMs };
}
