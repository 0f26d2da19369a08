// /v1/sites/{siteId}/series/{channel}/forecast and /backtest: the model chosen by a rolling-origin
// backtest on the series' own history, with prediction intervals, and the backtest table behind it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Backtest } from '../../analytics/forecast/backtest.ts';
import { WattlineError } from '../../domain/errors.ts';
import { BUCKET_MS, DAY_MS, formatInstant } from '../../domain/time.ts';
import { backtestStored, forecastStored } from '../../insights/forecast-source.ts';
import { requireChannel, requireSite, resolveTimeZone } from '../../insights/series-source.ts';
import { chooseRepresentation, sendCsv } from '../representation.ts';
import type { RouteDeps } from '../route-deps.ts';
import {
  BACKTEST_FIELDS,
  BacktestQuery,
  BacktestResponse,
  FORECAST_FIELDS,
  FORECAST_HEADERS,
  SeriesForecastQuery,
  SeriesForecastResponse,
  SeriesParams,
} from '../schemas/analytics.ts';
import { jsonOrCsv, problems } from '../schemas/common.ts';
import { MAX_FORECAST_DAYS } from '../schemas/seed-forecast.ts';
import { parseWindow } from '../time-window.ts';
import { num } from './series-analytics.ts';

/** Sum of slot forecasts with the interval of the sum: the slots' half-widths added in quadrature (errors
 * treated as independent, as the seed route always did). */
export function totalOf(points: readonly { value: number; lower: number; upper: number }[]) {
  let value = 0;
  let lowerSq = 0;
  let upperSq = 0;
  for (const p of points) {
    value += p.value;
    lowerSq += (p.value - p.lower) ** 2;
    upperSq += (p.upper - p.value) ** 2;
  }
  return { value, lower: value - Math.sqrt(lowerSq), upper: value + Math.sqrt(upperSq) };
}

export function backtestOut(bt: Backtest, startMs: number) {
  return {
    origins: bt.originIdx.map((i) => formatInstant(startMs + i * BUCKET_MS)),
    horizonSlots: bt.horizonSlots,
    level: bt.level,
    chosen: bt.chosen,
    scores: bt.scores.map((s) => ({
      model: s.model,
      mase: num(s.mase),
      smapePct: num(s.smapePct),
      coverage: num(s.coverage),
      maeWh: num(s.maeWh),
      points: s.points,
    })),
  };
}

const PROBLEMS = problems(400, 404, 406, 422, 500);

export const seriesForecastRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store }) => {
  app.get(
    '/sites/:siteId/series/:channel/forecast',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Forecast of a series with prediction intervals, by the model its own backtest chose',
        description:
          'Models: seasonal naive (daily, weekly), the weekly seasonal profile, double-seasonal Holt–Winters, and the robust day-type median (median of the same working-day or weekend time of day ±15 min over 3 weeks). A rolling-origin backtest on the history before `from` picks the lowest MASE (with under 15 days of history: the profile). Intervals come from the quantiles of the model’s own errors from earlier origins.',
        params: SeriesParams,
        querystring: SeriesForecastQuery,
        response: {
          200: {
            ...jsonOrCsv(
              SeriesForecastResponse,
              'The forecast',
              `${FORECAST_FIELDS.join(',')}\n2024-03-01T00:00:00Z,52.1,40.2,66.3\n`,
            ),
            headers: FORECAST_HEADERS,
          },
          ...PROBLEMS,
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const representation = chooseRepresentation(q.format, req.headers.accept);
      const w = parseWindow({
        names: ['from', 'to'],
        values: [q.from, q.to],
        maxSpanMs: MAX_FORECAST_DAYS * DAY_MS,
      });
      const site = await requireSite(store, req.params.siteId);
      const timeZone = resolveTimeZone(site, q.tz);
      await requireChannel(store, site, req.params.channel);
      const range = await store.timeRange(site.siteId);
      const fromMs = Math.ceil((w.fromMs ?? (range ? range.lastMs + BUCKET_MS : 0)) / BUCKET_MS) * BUCKET_MS;
      const toMs = Math.ceil((w.toMs ?? fromMs + DAY_MS) / BUCKET_MS) * BUCKET_MS;
      if (toMs <= fromMs) {
        throw new WattlineError('invalid-range', 'The window holds no whole 15-minute slot', [
          { path: '/to', message: 'must leave at least one 15-minute slot after from', value: q.to },
        ]);
      }
      if (toMs - fromMs > MAX_FORECAST_DAYS * DAY_MS) {
        throw new WattlineError('invalid-range', `The window may span at most ${MAX_FORECAST_DAYS} days`, [
          { path: '/to', message: `must be at most ${MAX_FORECAST_DAYS} days after from`, value: q.to },
        ]);
      }
      const f = await forecastStored(store, {
        siteId: site.siteId,
        channel: req.params.channel,
        timeZone,
        fromMs,
        toMs,
        ...(q.level === undefined ? {} : { level: q.level }),
        ...(q.model === undefined ? {} : { model: q.model }),
        originPath: '/from',
        ...(q.from === undefined ? {} : { originValue: q.from }),
      });
      reply.header('x-forecast-model', f.model);
      const points = f.points.map((p) => ({
        t: formatInstant(p.tMs),
        valueWh: p.value,
        lowerWh: p.lower,
        upperWh: p.upper,
      }));
      if (representation === 'csv') {
        return sendCsv(
          reply,
          FORECAST_FIELDS,
          points.map((p) => FORECAST_FIELDS.map((k) => p[k])),
        );
      }
      const total = totalOf(f.points);
      return {
        siteId: site.siteId,
        channel: req.params.channel,
        timeZone,
        from: formatInstant(fromMs),
        to: formatInstant(toMs),
        model: f.model,
        chosenBy: f.chosenBy,
        level: f.level,
        total: { valueWh: total.value, lowerWh: total.lower, upperWh: total.upper },
        points,
        backtest: f.backtest === null ? null : backtestOut(f.backtest, f.gridStartMs),
      };
    },
  );

  app.get(
    '/sites/:siteId/series/:channel/backtest',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Rolling-origin backtest of the forecast models on a series',
        description:
          'Each model forecasts `horizon` slots from `folds` origins one horizon apart, ending at `to`, seeing only the data before each origin. MASE is scaled by the in-sample error of the weekly seasonal naive forecast; coverage is the share of actuals inside the 80% interval. The lowest MASE is chosen.',
        params: SeriesParams,
        querystring: BacktestQuery,
        response: {
          200: jsonOrCsv(
            BacktestResponse,
            'The backtest table',
            `${BACKTEST_FIELDS.join(',')}\nseasonal-naive-weekly,1.02,31.5,0.79,41.2,672\n`,
          ),
          ...PROBLEMS,
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const representation = chooseRepresentation(q.format, req.headers.accept);
      const w = parseWindow({ names: ['to', 'to'], values: [q.to, undefined] });
      const site = await requireSite(store, req.params.siteId);
      const timeZone = resolveTimeZone(site, q.tz);
      await requireChannel(store, site, req.params.channel);
      const range = await store.timeRange(site.siteId);
      const toMs = Math.floor((w.fromMs ?? (range ? range.lastMs + BUCKET_MS : 0)) / BUCKET_MS) * BUCKET_MS;
      const bt = await backtestStored(store, {
        siteId: site.siteId,
        channel: req.params.channel,
        timeZone,
        toMs,
        folds: q.folds ?? 7,
        horizonSlots: q.horizon ?? 96,
      });
      const out = backtestOut(bt, bt.startMs);
      if (representation === 'csv') {
        return sendCsv(
          reply,
          BACKTEST_FIELDS,
          out.scores.map((s) => BACKTEST_FIELDS.map((k) => s[k] ?? '')),
        );
      }
      return { siteId: site.siteId, channel: req.params.channel, timeZone, to: formatInstant(toMs), ...out };
    },
  );
};
