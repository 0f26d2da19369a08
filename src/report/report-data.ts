// Gathers everything the report shows for one series from the store, using the same pure analytics as
// the API: rollups, histogram, ACF, profiles, a forecast of the last week against what happened, the
// anomalies, and the written summary.
import { autocorrelation } from '../analytics/autocorrelation.ts';
import type { SeriesForecast } from '../analytics/forecast/forecast-series.ts';
import { histogram } from '../analytics/histogram.ts';
import { dailyProfile, loadFeatures, weeklyProfile } from '../analytics/profile.ts';
import { rollup } from '../analytics/rollup.ts';
import { toGrid } from '../analytics/series-grid.ts';
import { writtenSummary } from '../analytics/summary.ts';
import { WattlineError } from '../domain/errors.ts';
import { BUCKET_MS, DAY_MS, formatInstant } from '../domain/time.ts';
import { findAnomalies } from '../insights/anomaly-source.ts';
import { forecastStored } from '../insights/forecast-source.ts';
import { loadSeries } from '../insights/series-source.ts';
import type { Store } from '../store/store.ts';
import type { ChartSpec, ReportModel } from './report-model.ts';

const COLORS = { main: '#2563eb', second: '#f97316', band: '#94a3b8', good: '#16a34a', bad: '#dc2626' };
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
/** Anomalies are looked for in at most the last 31 days of the window (the API's limit). */
const ANOMALY_DAYS = 31;

export interface ReportRequest {
  siteId: string;
  /** Default: the site's first channel among load, consumption, import, grid, or its first. */
  channel?: string;
  fromMs?: number;
  toMs?: number;
  nowMs: number;
}

const nullIfNaN = (x: number) => (Number.isFinite(x) ? x : null);
const sec = (ms: number) => ms / 1000;

async function pickChannel(store: Store, siteId: string): Promise<string> {
  const channels = await store.channels(siteId);
  const preferred = ['load', 'consumption', 'import', 'grid'].find((c) => channels.includes(c));
  const channel = preferred ?? channels[0];
  if (channel === undefined) {
    throw new WattlineError('series-not-found', `Site ${siteId} has no data`, [
      { path: '/channel', message: 'the site has no channel with data', value: siteId },
    ]);
  }
  return channel;
}

/** Builds the report of one series. */
export async function buildReport(store: Store, req: ReportRequest): Promise<ReportModel> {
  const channel = req.channel ?? (await pickChannel(store, req.siteId));
  const w = await loadSeries(store, {
    siteId: req.siteId,
    channel,
    ...(req.fromMs === undefined ? {} : { fromMs: req.fromMs }),
    ...(req.toMs === undefined ? {} : { toMs: req.toMs }),
  });
  const tz = w.timeZone;
  const grid = toGrid(w.points, w.fromMs, w.toMs, tz);
  const charts: ChartSpec[] = [];
  const notes: string[] = [];
  const times: number[] = [];
  const powerW: (number | null)[] = [];
  for (let i = 0; i < grid.length; i++) {
    times.push(sec(w.fromMs + i * BUCKET_MS));
    powerW.push(nullIfNaN(grid.values[i]! * 4));
  }
  charts.push({
    id: 'series',
    title: 'Time series',
    caption: `Mean power of each 15-minute slot (W); gaps are left empty. Times in ${tz}.`,
    xKind: 'time',
    x: times,
    yLabel: 'W',
    series: [{ label: channel, values: powerW, color: COLORS.main }],
  });

  const hours = rollup(w.points, 'hour', tz, w.fromMs, w.toMs);
  charts.push({
    id: 'rollup-hour',
    title: 'Energy by hour',
    caption: 'Energy of each local hour (Wh).',
    xKind: 'time',
    x: hours.map((r) => sec(r.startMs!)),
    yLabel: 'Wh',
    series: [
      {
        label: 'Wh per hour',
        values: hours.map((r) => (r.count > 0 ? r.energyWh : null)),
        color: COLORS.main,
      },
    ],
  });
  for (const [interval, title] of [
    ['day', 'Energy by day'],
    ['week', 'Energy by ISO week'],
  ] as const) {
    const rows = rollup(w.points, interval, tz, w.fromMs, w.toMs);
    charts.push({
      id: `rollup-${interval}`,
      title,
      caption: `Energy per local ${interval} (kWh); coverage below 100% means part of the ${interval} has no data.`,
      xKind: 'category',
      x: rows.map((_, i) => i),
      labels: rows.map((r) => r.period),
      yLabel: 'kWh',
      series: [
        { label: 'kWh', values: rows.map((r) => r.energyWh / 1000), color: COLORS.main, bars: true },
        {
          label: 'coverage %',
          values: rows.map((r) => Math.round(r.coverage * 100)),
          color: COLORS.band,
          dash: [4, 4],
          scale: 'pct',
        },
      ],
    });
  }
  const weekdays = rollup(w.points, 'weekday', tz, w.fromMs, w.toMs);
  charts.push({
    id: 'rollup-weekday',
    title: 'Average day by weekday',
    caption: 'Mean energy of a day on each weekday (kWh), from the mean quarter hour × 96.',
    xKind: 'category',
    x: weekdays.map((_, i) => i),
    labels: weekdays.map((r) => r.period),
    yLabel: 'kWh',
    series: [
      {
        label: 'kWh per day',
        values: weekdays.map((r) => nullIfNaN((r.meanWh * 96) / 1000)),
        color: COLORS.main,
        bars: true,
      },
    ],
  });

  const values = w.points.filter((p) => p.coverage > 0).map((p) => p.energyWh);
  const h = histogram(values);
  charts.push({
    id: 'histogram',
    title: 'Distribution of 15-minute energy',
    caption: `Histogram (${h.rule}, bin width ${h.binWidth.toFixed(1)} Wh): median ${h.summary.median.toFixed(1)} Wh, 90th percentile ${h.summary.p90.toFixed(1)} Wh, skewness ${h.summary.skewness.toFixed(2)}.`,
    xKind: 'number',
    x: h.bins.map((b) => b.lower),
    yLabel: 'slots',
    series: [{ label: 'slots', values: h.bins.map((b) => b.count), color: COLORS.main, bars: true }],
  });

  const maxLag = Math.min(2 * 672, Math.max(8, Math.floor(grid.length / 2)));
  const a = autocorrelation(grid.values, maxLag, Math.min(maxLag, 200));
  charts.push({
    id: 'acf',
    title: 'Autocorrelation',
    caption: `ACF by lag in 15-minute slots (96 = a day, 672 = a week) with the 95% band ±${a.band.toFixed(3)}. Periods found: ${a.periods.map((p) => p.lagSlots).join(', ') || 'none'}.`,
    xKind: 'number',
    x: a.acf.map((_, k) => k),
    yLabel: 'ACF',
    series: [
      { label: 'ACF', values: a.acf, color: COLORS.main, bars: true },
      { label: '+95%', values: a.acf.map(() => a.band), color: COLORS.bad, dash: [4, 4] },
      { label: '−95%', values: a.acf.map(() => -a.band), color: COLORS.bad, dash: [4, 4] },
    ],
    bands: [[2, 3]],
  });

  const daily = dailyProfile(grid);
  charts.push({
    id: 'profile-daily',
    title: 'Daily profile',
    caption: 'Per local time of day: mean, and the 10th–90th percentile range, of 15-minute energy (Wh).',
    xKind: 'category',
    x: daily.map((s) => s.slot),
    labels: daily.map((s) => s.time),
    yLabel: 'Wh',
    series: [
      { label: 'mean', values: daily.map((s) => nullIfNaN(s.meanWh)), color: COLORS.main },
      { label: 'p90', values: daily.map((s) => nullIfNaN(s.p90Wh)), color: COLORS.band },
      { label: 'p10', values: daily.map((s) => nullIfNaN(s.p10Wh)), color: COLORS.band },
    ],
    bands: [[2, 3]],
  });
  const weekly = weeklyProfile(grid);
  charts.push({
    id: 'profile-weekly',
    title: 'Weekly profile',
    caption: 'Mean 15-minute energy per local weekday and time of day (Wh), Monday first.',
    xKind: 'category',
    x: weekly.map((s) => s.slot),
    labels: weekly.map((s) => `${WEEKDAYS[(s.isoWeekday ?? 1) - 1]} ${s.time}`),
    yLabel: 'Wh',
    series: [{ label: 'mean', values: weekly.map((s) => nullIfNaN(s.meanWh)), color: COLORS.main }],
  });

  // Forecast of the window's last week (or quarter, when shorter) from what came before, against actuals.
  const holdoutMs = Math.min(7 * DAY_MS, Math.floor((w.toMs - w.fromMs) / 4 / BUCKET_MS) * BUCKET_MS);
  let forecast: SeriesForecast | null = null;
  if (holdoutMs >= BUCKET_MS) {
    const originMs = w.toMs - holdoutMs;
    try {
      forecast = await forecastStored(store, {
        siteId: req.siteId,
        channel,
        timeZone: tz,
        fromMs: originMs,
        toMs: w.toMs,
      });
    } catch (e) {
      if (!(e instanceof WattlineError && e.code === 'insufficient-history')) throw e;
      notes.push(`No forecast chart: ${e.message}`);
    }
  }
  if (forecast !== null) {
    const actual = new Map(
      w.points.filter((p) => p.coverage >= 0.5).map((p) => [p.tMs, p.energyWh / p.coverage]),
    );
    charts.push({
      id: 'forecast',
      title: 'Forecast against actuals',
      caption: `The last ${holdoutMs / DAY_MS} days forecast from the data before them by ${forecast.model} (chosen by ${forecast.chosenBy}), with its 80% interval (Wh per 15 minutes).`,
      xKind: 'time',
      x: forecast.points.map((p) => sec(p.tMs)),
      yLabel: 'Wh',
      series: [
        {
          label: 'actual',
          values: forecast.points.map((p) => actual.get(p.tMs) ?? null),
          color: COLORS.main,
        },
        { label: 'forecast', values: forecast.points.map((p) => p.value), color: COLORS.second },
        { label: 'upper 80%', values: forecast.points.map((p) => p.upper), color: COLORS.band, dash: [3, 3] },
        { label: 'lower 80%', values: forecast.points.map((p) => p.lower), color: COLORS.band, dash: [3, 3] },
      ],
      bands: [[3, 4]],
    });
  }

  const site = w.site;
  const anomalyFromMs = Math.max(w.fromMs, w.toMs - ANOMALY_DAYS * DAY_MS);
  const anomalies = await findAnomalies(store, site, {
    fromMs: anomalyFromMs,
    toMs: w.toMs,
    nowMs: req.nowMs,
  });
  const features = loadFeatures(grid, daily);
  const bt = forecast?.backtest ?? null;
  const score = (m: string) => bt?.scores.find((s) => s.model === m);
  const covered = w.points.reduce((acc, p) => acc + Math.min(1, Math.max(0, p.coverage)), 0);
  const summary = writtenSummary({
    channel,
    features,
    periods: a.periods,
    days: new Set(w.points.filter((p) => p.coverage > 0).map((p) => Math.floor(p.tMs / DAY_MS))).size,
    coverage: grid.length > 0 ? covered / grid.length : 0,
    ...(forecast !== null && bt !== null
      ? {
          forecast: {
            model: forecast.model,
            mase: nullIfNaN(score(forecast.model)?.mase ?? Number.NaN),
            naiveMase: nullIfNaN(score('seasonal-naive-weekly')?.mase ?? Number.NaN),
            coverage: nullIfNaN(score(forecast.model)?.coverage ?? Number.NaN),
          },
        }
      : {}),
    anomalies: anomalies.length,
  });
  return {
    title: `${site.name} · ${channel}`,
    siteId: site.siteId,
    siteName: site.name,
    channel,
    timeZone: tz,
    from: formatInstant(w.fromMs),
    to: formatInstant(w.toMs),
    generatedAt: formatInstant(Math.floor(req.nowMs / 1000) * 1000),
    summary,
    charts,
    notes,
    scores: (bt?.scores ?? []).map((s) => ({
      model: s.model,
      mase: nullIfNaN(s.mase),
      smapePct: nullIfNaN(s.smapePct),
      coverage: nullIfNaN(s.coverage),
    })),
    chosenModel: forecast?.model ?? null,
    anomalies: anomalies.map((x) => ({
      kind: x.kind,
      channel: x.channel,
      start: formatInstant(x.startMs),
      end: formatInstant(x.endMs),
      severity: x.severity,
      explanation: x.explanation,
    })),
  };
}
