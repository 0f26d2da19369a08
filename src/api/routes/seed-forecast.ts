// GET /forecast: expected consumption of a spaceship from its seasonal profile (src/analytics).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { seasonalProfileForecast } from '../../analytics/seasonal-profile.ts';
import { WattlineError } from '../../domain/errors.ts';
import { BUCKET_MS, bucketCeil, bucketFloor, DAY_MS, formatInstant } from '../../domain/time.ts';
import type { RouteDeps } from '../route-deps.ts';
import { json, problems } from '../schemas/common.ts';
import { ForecastQuery, ForecastResponse, MAX_FORECAST_DAYS } from '../schemas/seed-forecast.ts';
import { requireShip, SHIP_CHANNEL, shipSiteId } from '../spaceship.ts';
import { parseWindow } from '../time-window.ts';

/** History the model may look at: 4 weeks, plus a day so that a DST change cannot cut off a week. */
const LOOKBACK_MS = 29 * DAY_MS;

export const seedForecastRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store }) => {
  app.get(
    '/forecast',
    {
      schema: {
        tags: ['seed'],
        summary: 'Expected consumption of a spaceship over a window',
        description:
          'Seasonal profile of the 15-minute consumption before start: for each interval of [start, end), the mean of the same weekday and time of day over the last up to 4 weeks (at least 1 week of history), else of the same time of day over the last up to 7 days (at least 1 day). 80% intervals from the 10th and 90th percentiles, or mean ± 1.2816·sd below 5 values.',
        querystring: ForecastQuery,
        response: { 200: json(ForecastResponse, 'Forecast'), ...problems(400, 404, 422, 500) },
      },
    },
    async (req) => {
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
