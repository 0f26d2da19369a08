// The explore page's views of the analytics answers, one per route, drawn from their real shapes
// (src/api/schemas/analytics.ts): rollup bars and table, histogram bars, the ACF with its 95% band, and the
// forecast against actuals with the interval band and the backtest table naming the chosen model.
import { bandChart, barChart } from '../charts/analytics-charts.ts';
import { channelColour, cssVar } from '../charts/palette.ts';
import { h } from '../dom.ts';
import { formatEnergyWh, formatLocal } from '../format.ts';

/** GET …/series/{channel}/rollup. */
export interface RollupWire {
  interval: string;
  timeZone: string;
  rows: {
    period: string;
    start: string | null;
    energyWh: number;
    meanWh: number | null;
    count: number;
    expected: number;
    coverage: number;
  }[];
}

/** GET …/series/{channel}/histogram. */
export interface HistogramWire {
  rule: string;
  binWidthWh: number;
  summary: {
    count: number;
    mean: number | null;
    median: number | null;
    p10: number | null;
    p90: number | null;
    min: number | null;
    max: number | null;
  };
  bins: { lowerWh: number; upperWh: number; count: number }[];
}

/** GET …/series/{channel}/acf. */
export interface AcfWire {
  n: number;
  band: number;
  periods: { lagSlots: number; acf: number; name: 'day' | 'week' | null }[];
  lags: { lag: number; acf: number; pacf: number | null }[];
}

interface ScoreWire {
  model: string;
  mase: number | null;
  smapePct: number | null;
  coverage: number | null;
  maeWh: number | null;
  points: number;
}

/** GET …/series/{channel}/forecast. */
export interface ForecastWire {
  timeZone: string;
  model: string;
  chosenBy: 'backtest' | 'requested' | 'short-history';
  level: number;
  total: { valueWh: number; lowerWh: number; upperWh: number };
  points: { t: string; valueWh: number; lowerWh: number; upperWh: number }[];
  backtest: { origins: string[]; horizonSlots: number; chosen: string; scores: ScoreWire[] } | null;
}

type Cleanup = () => void;
const SLOT_MS = 900_000;

function table(testId: string, label: string, head: string[], rows: (string | HTMLElement)[][], cls = '') {
  return h(
    'div',
    { class: 'table-wrap tall', tabindex: 0, role: 'region', 'aria-label': label },
    h(
      'table',
      { 'data-testid': testId, class: cls },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : '' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', { class: 'num' }, c))),
          ),
        ),
      ),
    ),
  );
}

const num = (v: number | null, digits = 2) => (v === null ? '–' : v.toFixed(digits));

/** Rollup: bars of energy per period and the table behind them. */
export function rollupView(out: HTMLElement, r: RollupWire, channel: string): Cleanup {
  const box = h('div', { class: 'chart', 'data-testid': 'rollup-chart' });
  out.replaceChildren(
    box,
    table(
      'rollup-table',
      'Rollup',
      ['Period', 'Energy', 'Mean per 15 min', 'Coverage'],
      r.rows.map((row) => [
        row.period,
        formatEnergyWh(row.energyWh),
        row.meanWh === null ? '–' : formatEnergyWh(row.meanWh),
        `${(row.coverage * 100).toFixed(0)} %`,
      ]),
    ),
    h('p', { class: 'muted' }, `Local ${r.interval}s in ${r.timeZone}; energy of ${channel} per period.`),
  );
  return barChart(box, {
    // Bars by index, labelled with the route's own period names (local days, ISO weeks, weekdays).
    x: r.rows.map((_, i) => i),
    values: r.rows.map((row) => row.energyWh),
    seriesLabel: `${channel} Wh`,
    label: `Energy of ${channel} per ${r.interval}`,
    xLabel: (x) => (Number.isInteger(x) ? (r.rows[x]?.period ?? '') : ''),
    colour: channelColour(channel, 0),
  });
}

/** Histogram of 15-minute energy: bars per bin, with the distribution's summary. */
export function histogramView(out: HTMLElement, r: HistogramWire, channel: string): Cleanup | undefined {
  if (r.bins.length === 0) {
    out.replaceChildren(h('p', { class: 'notice' }, 'No 15-minute energy in this window.'));
    return undefined;
  }
  const box = h('div', { class: 'chart', 'data-testid': 'histogram-chart' });
  const s = r.summary;
  out.replaceChildren(
    box,
    h(
      'p',
      { class: 'muted', 'data-testid': 'histogram-summary' },
      `${s.count} quarter hours in ${r.bins.length} bins of ${formatEnergyWh(r.binWidthWh)} (${r.rule}); ` +
        `median ${formatEnergyWh(s.median)}, 10–90 % ${formatEnergyWh(s.p10)} – ${formatEnergyWh(s.p90)}, ` +
        `range ${formatEnergyWh(s.min)} – ${formatEnergyWh(s.max)}.`,
    ),
  );
  return barChart(box, {
    x: r.bins.map((b) => (b.lowerWh + b.upperWh) / 2),
    values: r.bins.map((b) => b.count),
    seriesLabel: 'quarter hours',
    label: `Histogram of the 15-minute energy of ${channel}`,
    colour: channelColour(channel, 0),
  });
}

/** Autocorrelation by lag (in hours) with the ±1.96/√n band. The PACF stays in the route's answer: at
 * lags of days its recursion swings to ±1 and would hide the ACF. */
export function acfView(out: HTMLElement, r: AcfWire, channel: string): Cleanup | undefined {
  if (r.lags.length === 0) {
    out.replaceChildren(h('p', { class: 'notice' }, 'Too few slots for an autocorrelation.'));
    return undefined;
  }
  const box = h('div', { class: 'chart', 'data-testid': 'acf-chart' });
  const periods = r.periods
    .map(
      (p) => `${p.name ?? `${(p.lagSlots / 4).toFixed(1)} h`} (lag ${p.lagSlots}, ACF ${p.acf.toFixed(2)})`,
    )
    .join(', ');
  out.replaceChildren(
    box,
    h(
      'p',
      { class: 'muted', 'data-testid': 'acf-band' },
      `Lags in hours (15-minute slots / 4). Shaded: the 95 % band ±${r.band.toFixed(3)} (n = ${r.n}); ` +
        `bars outside it are correlations unlikely by chance. ${periods === '' ? 'No clear period.' : `Periods: ${periods}.`}`,
    ),
  );
  return bandChart(box, {
    x: r.lags.map((l) => l.lag / 4),
    time: false,
    lines: [
      { label: 'ACF', values: r.lags.map((l) => l.acf), colour: channelColour(channel, 0), bars: true },
    ],
    band: {
      label: '95 % band',
      upper: r.lags.map(() => r.band),
      lower: r.lags.map(() => -r.band),
      colour: cssVar('--muted', '#545b66'),
    },
    label: `Autocorrelation of ${channel} by lag in hours, with the 95 % band`,
  });
}

/** Forecast against the actual 15-minute energy, the interval band, and the backtest behind the model. */
export function forecastView(
  out: HTMLElement,
  r: ForecastWire,
  actualWh: Map<number, number>,
  channel: string,
): Cleanup | undefined {
  if (r.points.length === 0) {
    out.replaceChildren(h('p', { class: 'notice' }, 'The forecast has no slots in this window.'));
    return undefined;
  }
  const box = h('div', { class: 'chart', 'data-testid': 'forecast-chart' });
  const xs = r.points.map((p) => Date.parse(p.t));
  const actual = xs.map((t) => actualWh.get(t) ?? null);
  const withActual = actual.filter((v) => v !== null).length;
  const inside = r.points.filter((p, i) => {
    const a = actual[i];
    return a !== null && a !== undefined && a >= p.lowerWh && a <= p.upperWh;
  }).length;
  const chosenBy =
    r.chosenBy === 'backtest'
      ? 'chosen by the backtest below'
      : r.chosenBy === 'requested'
        ? 'as requested'
        : 'too little history for a backtest';
  const bt = r.backtest;
  out.replaceChildren(
    box,
    h(
      'p',
      { class: 'muted' },
      'Model ',
      h('strong', { 'data-testid': 'forecast-model' }, r.model),
      ` (${chosenBy}). ${formatLocal(xs[0]!, r.timeZone)} – ${formatLocal(xs[xs.length - 1]! + SLOT_MS, r.timeZone)} ` +
        `(${r.timeZone}): forecast ${formatEnergyWh(r.total.valueWh)}, ${Math.round(r.level * 100)} % interval ` +
        `${formatEnergyWh(r.total.lowerWh)} – ${formatEnergyWh(r.total.upperWh)}; ` +
        (withActual === 0
          ? 'no actuals yet.'
          : `${inside} of ${withActual} actual quarter hours inside the interval.`),
    ),
    bt === null
      ? h('p', { class: 'notice' }, 'No backtest: the series is shorter than two weeks and a day.')
      : h(
          'div',
          {},
          h(
            'h3',
            {},
            `Backtest: ${bt.origins.length} origins, ${bt.horizonSlots / 4} h ahead each; chosen `,
            h('strong', {}, bt.chosen),
          ),
          table(
            'backtest-table',
            'Backtest of the forecast models',
            ['Model', 'MASE', 'sMAPE %', `Coverage (${Math.round(r.level * 100)} %)`, 'MAE', 'Points'],
            [...bt.scores]
              .sort((a, b) => (a.mase ?? Infinity) - (b.mase ?? Infinity))
              .map((s) => [
                s.model === bt.chosen ? `${s.model} (chosen)` : s.model,
                num(s.mase),
                num(s.smapePct, 1),
                s.coverage === null ? '–' : `${(s.coverage * 100).toFixed(0)} %`,
                s.maeWh === null ? '–' : formatEnergyWh(s.maeWh),
                String(s.points),
              ]),
          ),
          h('p', { class: 'muted' }, 'MASE below 1 beats last week’s same quarter hour; lower is better.'),
        ),
  );
  return bandChart(box, {
    x: xs.map((t) => t / 1000),
    time: true,
    lines: [
      { label: 'actual Wh', values: actual, colour: channelColour(channel, 0) },
      {
        label: 'forecast Wh',
        values: r.points.map((p) => p.valueWh),
        colour: channelColour('grid', 1),
        dashed: true,
      },
    ],
    band: {
      label: `${Math.round(r.level * 100)} % interval`,
      lower: r.points.map((p) => p.lowerWh),
      upper: r.points.map((p) => p.upperWh),
      colour: channelColour('grid', 1),
    },
    label: `Forecast of ${channel} against actuals, with the ${Math.round(r.level * 100)} % interval`,
    timeZone: r.timeZone,
  });
}
