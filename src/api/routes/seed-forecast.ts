// GET /forecast: expected consumption of a spaceship, by the model a rolling-origin backtest on its own
// history chooses (src/analytics/forecast); with under 15 days of history, by its seasonal profile.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { seasonalProfileForecast } from '../../analytics/seasonal-profile.ts';
import { WattlineError } from '../../domain/errors.ts';
import { BUCKET_MS, bucketCeil, bucketFloor, DAY_MS, formatInstant } from '../../domain/time.ts';
import { forecastStored } from '../../insights/forecast-source.ts';
import type { RouteDeps } from '../route-deps.ts';
import { FORECAST_HEADERS } from '../schemas/analytics.ts';
import { json, problems } from '../schemas/common.ts';
import { ForecastQuery, ForecastResponse, MAX_FORECAST_DAYS } from '../schemas/seed-forecast.ts';
import { requireShip, SHIP_CHANNEL, shipSiteId } from '../spaceship.ts';
import { parseWindow } from '../time-window.ts';
import { totalOf } from './series-forecast.ts';

/** History the profile fallback looks at: 4 weeks, plus a day so that a DST change cannot cut off a week. */
const LOOKBACK_MS = 29 * DAY_MS;

export const seedForecastRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store }) => {
  app.get(
    '/forecast',
    {
      schema: {
        tags: ['seed'],
        summary: 'Expected consumption of a spaceship over a window',
        description:
          'The model with the lowest MASE in a rolling-origin backtest on the ship’s own history before start (seasonal naive daily or weekly, the weekly seasonal profile, double-seasonal Holt–Winters, the robust day-type median; see GET /v1/sites/{siteId}/series/consumption/backtest), named in `method` and the x-forecast-model header, with 80% intervals from the quantiles of its own past errors. With under 15 days of history: the seasonal profile, the mean of the same weekday and time of day over the last up to 4 weeks (at least 1 week of history), else of the same time of day over the last up to 7 days (at least 1 day), with 80% intervals from the 10th and 90th percentiles, or mean ± 1.2816·sd below 5 values.',
        querystring: ForecastQuery,
        response: {
          200: { ...json(ForecastResponse, 'Forecast'), headers: FORECAST_HEADERS },
          ...problems(400, 404, 422, 500),
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const window = parseWindow({
        names: ['start', 'end'],
        values: [q.start, q.end],
        maxSpanMs: MAX_FORECAST_DAYS * DAY_MS,
      });
      const startMs = window.fromMs!;
      const endMs = window.toMs!;
      const slotsMs: number[] = [];
      for (let t = bucketCeil(startMs); t < endMs; t += BUCKET_MS) slotsMs.push(t);
      if (slotsMs.length === 0) {
        throw new WattlineError('invalid-range', 'The window holds no whole 15-minute interval start', [
          {
            path: '/end',
            message: 'must leave at least one 15-minute boundary in [start, end)',
            value: q.end,
          },
        ]);
      }
      const site = await requireShip(store, q.spaceship_id);
      const siteId = shipSiteId(q.spaceship_id);
      // The bucket holding start (when start is not on a boundary) already holds data from after start.
      const seenToMs = bucketFloor(startMs);
      const chosen = await forecastStored(store, {
        siteId,
        channel: SHIP_CHANNEL,
        timeZone: site.timezone,
        fromMs: seenToMs,
        toMs: slotsMs[slotsMs.length - 1]! + BUCKET_MS,
      }).catch((e: unknown) => {
        // Too little history for the backtest's models is what the profile fallback is for.
        if (e instanceof WattlineError && e.code === 'insufficient-history') return null;
        throw e;
      });
      if (chosen !== null && chosen.chosenBy === 'backtest') {
        const slots = chosen.points.filter((p) => p.tMs >= slotsMs[0]!);
        const total = totalOf(slots);
        reply.header('x-forecast-model', chosen.model);
        return {
          datetime: formatInstant(startMs),
          expected_consumption: total.value / 1000,
          method: chosen.model,
          units: 'kWh' as const,
          interval: { level: chosen.level, lower: total.lower / 1000, upper: total.upper / 1000 },
          data: slots.map((s) => ({
            datetime: formatInstant(s.tMs),
            value: s.value / 1000,
            lower: s.lower / 1000,
            upper: s.upper / 1000,
          })),
        };
      }
      const [buckets, range] = await Promise.all([
        store.buckets({ siteId, channel: SHIP_CHANNEL, fromMs: seenToMs - LOOKBACK_MS, toMs: seenToMs }),
        store.timeRange(siteId),
      ]);
      const history = buckets
        .filter((b) => b.coverage > 0)
        .map((b) => ({ tMs: b.bucketStartMs, value: b.energyWh / b.coverage / 1000 }));
      const result = seasonalProfileForecast({
        history,
        startMs: seenToMs,
        slotsMs,
        timeZone: site.timezone,
        ...(range !== null && range.firstMs < seenToMs ? { firstDataMs: range.firstMs } : {}),
      });
      if (!result.ok) {
        throw new WattlineError('insufficient-history', result.detail, [
          { path: '/start', message: `needs more data before start`, value: q.start },
        ]);
      }
      reply.header('x-forecast-model', result.method);
      return {
        datetime: formatInstant(startMs),
        expected_consumption: result.total.value,
        method: result.method,
        units: 'kWh' as const,
        interval: { level: result.level, lower: result.total.lower, upper: result.total.upper },
        data: result.slots.map((s) => ({
          datetime: formatInstant(s.tMs),
          value: s.value,
          lower: s.lower,
          upper: s.upper,
        })),
      };
    },
  );
};
