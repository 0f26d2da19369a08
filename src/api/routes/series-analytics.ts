// /v1/sites/{siteId}/series/{channel}/rollup|profile|histogram|acf: exploration of one series in the
// site's time zone (or tz), JSON or CSV. Thin: the math is in src/analytics.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { autocorrelation } from '../../analytics/autocorrelation.ts';
import { histogram } from '../../analytics/histogram.ts';
import { dailyProfile, loadFeatures, weeklyProfile } from '../../analytics/profile.ts';
import { rollup } from '../../analytics/rollup.ts';
import { toGrid } from '../../analytics/series-grid.ts';
import { formatInstant } from '../../domain/time.ts';
import { loadSeries, type SeriesWindow } from '../../insights/series-source.ts';
import { chooseRepresentation, sendCsv } from '../representation.ts';
import type { RouteDeps } from '../route-deps.ts';
import {
  ACF_FIELDS,
  AcfQuery,
  AcfResponse,
  HISTOGRAM_FIELDS,
  HistogramQuery,
  HistogramResponse,
  MAX_PACF_LAG,
  PROFILE_FIELDS,
  ProfileQuery,
  ProfileResponse,
  ROLLUP_FIELDS,
  RollupQuery,
  RollupResponse,
  SeriesParams,
} from '../schemas/analytics.ts';
import { jsonOrCsv, problems } from '../schemas/common.ts';
import { parseWindow } from '../time-window.ts';

/** JSON has no NaN or Infinity: a missing figure is null. */
export function num(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function windowOut(w: SeriesWindow) {
  return {
    siteId: w.site.siteId,
    channel: w.channel,
    timeZone: w.timeZone,
    from: formatInstant(w.fromMs),
    to: formatInstant(w.toMs),
  };
}

const PROBLEMS = problems(400, 404, 406, 500);

export const seriesAnalyticsRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store }) => {
  const load = async (
    params: { siteId: string; channel: string },
    q: { from?: string | undefined; to?: string | undefined; tz?: string | undefined },
  ) => {
    const w = parseWindow({ names: ['from', 'to'], values: [q.from, q.to] });
    return loadSeries(store, {
      siteId: params.siteId,
      channel: params.channel,
      ...(w.fromMs === undefined ? {} : { fromMs: w.fromMs }),
      ...(w.toMs === undefined ? {} : { toMs: w.toMs }),
      ...(q.tz === undefined ? {} : { timeZone: q.tz }),
    });
  };

  app.get(
    '/sites/:siteId/series/:channel/rollup',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Energy of a series by 15 min, hour, day, ISO week, month, weekday or hour of day',
        description:
          'Calendar periods are local to the site (or tz) and DST-correct: a local day holds 92, 96 or 100 quarter hours. Coverage is the share of the period backed by data: a gap lowers coverage, never energy.',
        params: SeriesParams,
        querystring: RollupQuery,
        response: {
          200: jsonOrCsv(
            RollupResponse,
            'Rollup rows in time order',
            `${ROLLUP_FIELDS.join(',')}\n2024-03-31,2024-03-30T23:00:00Z,9200,100,80,140,92,92,1\n`,
          ),
          ...PROBLEMS,
        },
      },
    },
    async (req, reply) => {
      const representation = chooseRepresentation(req.query.format, req.headers.accept);
      const w = await load(req.params, req.query);
      const interval = req.query.interval ?? 'day';
      const rows = rollup(w.points, interval, w.timeZone, w.fromMs, w.toMs).map((r) => ({
        period: r.period,
        start: r.startMs === null ? null : formatInstant(r.startMs),
        energyWh: r.energyWh,
        meanWh: num(r.meanWh),
        minWh: num(r.minWh),
        maxWh: num(r.maxWh),
        count: r.count,
        expected: r.expected,
        coverage: r.coverage,
      }));
      if (representation === 'csv') {
        return sendCsv(
          reply,
          ROLLUP_FIELDS,
          rows.map((r) => ROLLUP_FIELDS.map((f) => r[f] ?? '')),
        );
      }
      return { ...windowOut(w), interval, rows };
    },
  );

  app.get(
    '/sites/:siteId/series/:channel/profile',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Daily or weekly profile of a series, with its baseline, peak hours and weekend ratio',
        description:
          'Mean and 10th/50th/90th percentiles of slot energy per local time of day (daily) or per weekday and time of day (weekly). Baseline: 10th percentile of night-time (00:00–05:00) slot energy.',
        params: SeriesParams,
        querystring: ProfileQuery,
        response: {
          200: jsonOrCsv(
            ProfileResponse,
            'The profile',
            `${PROFILE_FIELDS.join(',')}\n0,,00:00,52.1,40.2,50.8,66.3,28\n`,
          ),
          ...PROBLEMS,
        },
      },
    },
    async (req, reply) => {
      const representation = chooseRepresentation(req.query.format, req.headers.accept);
      const w = await load(req.params, req.query);
      const grid = toGrid(w.points, w.fromMs, w.toMs, w.timeZone);
      const kind = req.query.kind ?? 'daily';
      const daily = dailyProfile(grid);
      const slots = (kind === 'daily' ? daily : weeklyProfile(grid)).map((s) => ({
        slot: s.slot,
        isoWeekday: s.isoWeekday,
        time: s.time,
        meanWh: num(s.meanWh),
        p10Wh: num(s.p10Wh),
        medianWh: num(s.medianWh),
        p90Wh: num(s.p90Wh),
        count: s.count,
      }));
      if (representation === 'csv') {
        return sendCsv(
          reply,
          PROFILE_FIELDS,
          slots.map((s) => PROFILE_FIELDS.map((f) => s[f] ?? '')),
        );
      }
      const f = loadFeatures(grid, daily);
      return {
        ...windowOut(w),
        kind,
        features: {
          baselineWh: num(f.baselineWh),
          baselinePowerW: num(f.baselinePowerW),
          meanDailyWh: num(f.meanDailyWh),
          peakHours: f.peakHours,
          peakWh: num(f.peakWh),
          peakAt: f.peakAtMs === null ? null : formatInstant(f.peakAtMs),
          weekendWeekdayRatio: f.weekendWeekdayRatio === null ? null : num(f.weekendWeekdayRatio),
          peakToMeanRatio: num(f.peakToMeanRatio),
          negativeShare: f.negativeShare,
        },
        slots,
      };
    },
  );

  app.get(
    '/sites/:siteId/series/:channel/histogram',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Histogram and summary statistics of slot energy',
        description:
          'Bin width by the Freedman–Diaconis rule (2·IQR·n^−1/3, robust to the long right tail of load), Sturges when the IQR is 0, or `bins` equal bins.',
        params: SeriesParams,
        querystring: HistogramQuery,
        response: {
          200: jsonOrCsv(HistogramResponse, 'The histogram', `${HISTOGRAM_FIELDS.join(',')}\n0,12.5,310\n`),
          ...PROBLEMS,
        },
      },
    },
    async (req, reply) => {
      const representation = chooseRepresentation(req.query.format, req.headers.accept);
      const w = await load(req.params, req.query);
      const values = w.points.filter((p) => p.coverage > 0).map((p) => p.energyWh);
      const h = histogram(values, req.query.bins);
      const bins = h.bins.map((b) => ({ lowerWh: b.lower, upperWh: b.upper, count: b.count }));
      if (representation === 'csv') {
        return sendCsv(
          reply,
          HISTOGRAM_FIELDS,
          bins.map((b) => HISTOGRAM_FIELDS.map((f) => b[f])),
        );
      }
      const s = h.summary;
      return {
        ...windowOut(w),
        rule: req.query.bins === undefined ? h.rule : ('fixed' as const),
        binWidthWh: h.binWidth,
        summary: {
          count: s.count,
          mean: num(s.mean),
          standardDeviation: num(s.standardDeviation),
          min: num(s.min),
          p10: num(s.p10),
          p25: num(s.p25),
          median: num(s.median),
          p75: num(s.p75),
          p90: num(s.p90),
          max: num(s.max),
          skewness: num(s.skewness),
        },
        bins,
      };
    },
  );

  app.get(
    '/sites/:siteId/series/:channel/acf',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Autocorrelation and partial autocorrelation with 95% bands and the seasonal periods found',
        description: `ACF up to \`lag\` slots (PACF up to ${MAX_PACF_LAG}); missing slots are skipped pairwise. Periods are ACF peaks above the band; for 15-minute data a daily cycle shows at lag 96 and a weekly one at 672.`,
        params: SeriesParams,
        querystring: AcfQuery,
        response: {
          200: jsonOrCsv(AcfResponse, 'ACF and PACF by lag', `${ACF_FIELDS.join(',')}\n0,1,1\n1,0.93,0.93\n`),
          ...PROBLEMS,
        },
      },
    },
    async (req, reply) => {
      const representation = chooseRepresentation(req.query.format, req.headers.accept);
      const w = await load(req.params, req.query);
      const grid = toGrid(w.points, w.fromMs, w.toMs, w.timeZone);
      const maxLag = req.query.lag ?? 700;
      const a = autocorrelation(grid.values, maxLag, Math.min(maxLag, MAX_PACF_LAG));
      const lags = a.acf.map((r, lag) => ({ lag, acf: r, pacf: a.pacf[lag] ?? null }));
      if (representation === 'csv') {
        return sendCsv(
          reply,
          ACF_FIELDS,
          lags.map((l) => ACF_FIELDS.map((f) => l[f] ?? '')),
        );
      }
      return { ...windowOut(w), n: a.n, band: a.band, periods: a.periods, lags };
    },
  );
};
