// Explore: rollups by hour/day/week/weekday, histogram, autocorrelation and forecast against actuals of
// one series, from the analytics routes (views in explore-views.ts). Where a server lacks a route the page
// says so, and the rollups are computed in the browser from the 15-minute buckets.
import type { Site } from '../../domain/site.ts';
import { ApiError, findRoute, getAllPages, getJson, query } from '../api.ts';
import { fill, fillSection, h, notice, section } from '../dom.ts';
import { type BucketWire, type RollupInterval, rollup } from '../energy.ts';
import { formatEnergyWh } from '../format.ts';
import {
  type AcfWire,
  acfView,
  type ForecastWire,
  forecastView,
  type HistogramWire,
  histogramView,
  type RollupWire,
  rollupView,
} from './explore-views.ts';

const DAY_MS = 86_400_000;
const ANALYSES = ['rollup', 'histogram', 'acf', 'forecast'] as const;
type Analysis = (typeof ANALYSES)[number];
const TITLES: Record<Analysis, string> = {
  rollup: 'Rollup',
  histogram: 'Histogram',
  acf: 'Autocorrelation',
  forecast: 'Forecast against actuals',
};
/** Largest ACF lag asked for (slots): a week and a bit, as the route's default, or half the window. */
const MAX_ACF_LAG = 700;
const SLOT_MS = 900_000;

function analysisPattern(a: Analysis): RegExp {
  return new RegExp(`^/v1/sites/\\{[^}]+\\}/series/\\{[^}]+\\}/${a}$`);
}

function rollupBars(rows: ReturnType<typeof rollup>): HTMLElement {
  const maxWh = Math.max(1, ...rows.map((r) => Math.abs(r.energyWh)));
  return h(
    'div',
    { class: 'table-wrap tall', tabindex: 0, role: 'region', 'aria-label': 'Rollup' },
    h(
      'table',
      { class: 'bars', 'data-testid': 'rollup-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Period', 'Energy', 'Coverage'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, r.key),
            h(
              'td',
              {},
              h('span', {
                class: 'bar bar-homeWh',
                style: `width:${((Math.abs(r.energyWh) / maxWh) * 100).toFixed(1)}%`,
              }),
              h('span', { class: 'bar-value' }, formatEnergyWh(r.energyWh)),
            ),
            h('td', { class: 'num' }, `${(r.coverage * 100).toFixed(0)} %`),
          ),
        ),
      ),
    ),
  );
}

/** Renders the explore page; returns its cleanup. */
export function renderExplore(
  root: HTMLElement,
  siteParam: string | undefined,
  params: URLSearchParams,
): () => void {
  const abort = new AbortController();
  const cleanups: (() => void)[] = [];
  const form = h('form', { class: 'range' });
  const sections = Object.fromEntries(
    ANALYSES.map((a) => [a, section(`explore-${a}`, TITLES[a], notice('Choose a series.'))]),
  ) as Record<Analysis, HTMLElement>;
  fill(
    root,
    h('h1', {}, 'Explore'),
    form,
    ANALYSES.map((a) => sections[a]),
  );

  const load = async () => {
    const sites = await getAllPages<Site>('/v1/sites?limit=1000', abort.signal);
    if (sites.length === 0) {
      fill(form, notice('No sites yet.'));
      return;
    }
    const site = sites.find((s) => s.siteId === siteParam) ?? sites[0]!;
    const days = Number(params.get('days') ?? 28);
    const interval = (params.get('interval') ?? 'day') as RollupInterval;
    const toMs = Date.now();
    const fromMs = toMs - days * DAY_MS;
    const window = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
    const base = `/v1/sites/${encodeURIComponent(site.siteId)}`;
    const buckets = await getAllPages<BucketWire>(
      `${base}/buckets${query({ ...window, limit: 50_000 })}`,
      abort.signal,
    );
    const channels = [...new Set(buckets.map((b) => b.channel))].sort();
    const channel = channels.includes(params.get('channel') ?? '')
      ? params.get('channel')!
      : channels.includes('load')
        ? 'load'
        : channels[0];

    const select = (id: string, label: string, value: string, options: [string, string][]) => [
      h('label', { for: id }, label),
      h(
        'select',
        { id, name: id },
        options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
      ),
    ];
    fill(
      form,
      select(
        'explore-site',
        'Site',
        site.siteId,
        sites.map((s) => [s.siteId, s.name || s.siteId]),
      ),
      select(
        'explore-channel',
        'Channel',
        channel ?? '',
        channels.map((c) => [c, c]),
      ),
      select('explore-days', 'Window', String(days), [
        ['7', '7 days'],
        ['28', '28 days'],
        ['90', '90 days'],
      ]),
      select('explore-interval', 'Rollup by', interval, [
        ['hour', 'hour'],
        ['day', 'day'],
        ['week', 'week'],
        ['weekday', 'weekday'],
      ]),
      h('button', { type: 'submit' }, 'Show'),
    );
    form.onsubmit = (e) => {
      e.preventDefault();
      const v = (id: string) => (form.querySelector(`#${id}`) as HTMLSelectElement).value;
      const q = new URLSearchParams({
        channel: v('explore-channel'),
        days: v('explore-days'),
        interval: v('explore-interval'),
      });
      location.hash = `#/explore/${encodeURIComponent(v('explore-site'))}?${q}`;
    };
    if (channel === undefined) {
      for (const a of ANALYSES) fillSection(sections[a], notice('No data in this window.'));
      return;
    }

    for (const a of ANALYSES) {
      const out = h('div', { 'aria-live': 'polite' });
      fillSection(sections[a], out);
      const path = await findRoute(analysisPattern(a), [site.siteId, channel]);
      const local =
        a === 'rollup'
          ? () => {
              const rows = rollup(
                buckets.filter((b) => b.channel === channel),
                site.timezone,
                interval,
              );
              fill(
                out,
                rollupBars(rows),
                notice(
                  `Computed in the browser from 15-minute buckets, local ${interval}s in ${site.timezone}.`,
                ),
              );
            }
          : undefined;
      if (path === undefined) {
        if (local) local();
        else
          fill(
            out,
            notice(`${TITLES[a]} is not available on this server (the analytics routes are not installed).`),
          );
        continue;
      }
      try {
        const common = { ...window, tz: site.timezone };
        let done: (() => void) | undefined;
        if (a === 'rollup') {
          const body = await getJson<RollupWire>(`${path}${query({ ...common, interval })}`, abort.signal);
          done = rollupView(out, body, channel);
        } else if (a === 'histogram') {
          done = histogramView(
            out,
            await getJson<HistogramWire>(`${path}${query(common)}`, abort.signal),
            channel,
          );
        } else if (a === 'acf') {
          const lag = Math.max(1, Math.min(MAX_ACF_LAG, Math.floor((days * DAY_MS) / SLOT_MS / 2)));
          done = acfView(
            out,
            await getJson<AcfWire>(`${path}${query({ ...common, lag })}`, abort.signal),
            channel,
          );
        } else {
          // The last whole day: the model sees only what came before, and the actuals are drawn against it.
          const endMs = Math.floor(toMs / SLOT_MS) * SLOT_MS;
          const startMs = endMs - DAY_MS;
          const body = await getJson<ForecastWire>(
            `${path}${query({ from: new Date(startMs).toISOString(), to: new Date(endMs).toISOString(), tz: site.timezone })}`,
            abort.signal,
          );
          const actual = new Map(
            buckets
              .filter((b) => b.channel === channel)
              .map((b) => [Date.parse(b.bucketStart), b.energyWh] as const),
          );
          done = forecastView(out, body, actual, channel);
        }
        if (done) cleanups.push(done);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404 && e.code === 'route-not-found') {
          if (local) local();
          else fill(out, notice(`${TITLES[a]} is not available on this server.`));
        } else fill(out, notice(`${TITLES[a]}: ${e instanceof Error ? e.message : String(e)}`, 'error'));
      }
    }
  };
  load().catch((e: unknown) => {
    if (!abort.signal.aborted)
      fill(form, notice(`Could not load: ${e instanceof Error ? e.message : String(e)}`, 'error'));
  });
  return () => {
    abort.abort();
    for (const c of cleanups) c();
  };
}
