// Explore: rollups by hour/day/week/weekday, histogram, autocorrelation and forecast against actuals of
// one series. The analytics routes answer where they are installed; elsewhere the page says so, and the
// rollups are computed in the browser from the 15-minute buckets.
import type { Site } from '../../domain/site.ts';
import { ApiError, findRoute, getAllPages, getJson, query } from '../api.ts';
import { lineChart } from '../charts/line-chart.ts';
import { fill, fillSection, h, notice, section } from '../dom.ts';
import { type BucketWire, type RollupInterval, rollup } from '../energy.ts';
import { formatEnergyWh } from '../format.ts';

const DAY_MS = 86_400_000;
const ANALYSES = ['rollup', 'histogram', 'acf', 'forecast'] as const;
type Analysis = (typeof ANALYSES)[number];
const TITLES: Record<Analysis, string> = {
  rollup: 'Rollup',
  histogram: 'Histogram',
  acf: 'Autocorrelation',
  forecast: 'Forecast against actuals',
};
const X_KEYS = ['lag', 't', 'bucketStart', 'datetime', 'start', 'binStart', 'from', 'key', 'period'];

function analysisPattern(a: Analysis): RegExp {
  return new RegExp(`^/v1/sites/\\{[^}]+\\}/series/\\{[^}]+\\}/${a}$`);
}

/** The first array of objects in an answer: the answer itself or one of its fields. */
function rowsOf(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body))
    return body.filter((r) => r !== null && typeof r === 'object') as Record<string, unknown>[];
  if (body !== null && typeof body === 'object') {
    for (const v of Object.values(body)) {
      if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object') return v as Record<string, unknown>[];
    }
  }
  return [];
}

/** A table and, where there is a numeric or time x column, a line chart of an analytics answer. */
function renderAnswer(out: HTMLElement, body: unknown, label: string): (() => void) | undefined {
  const rows = rowsOf(body);
  if (rows.length === 0) {
    fill(out, h('pre', { class: 'raw' }, JSON.stringify(body, null, 2).slice(0, 4000)));
    return undefined;
  }
  const columns = Object.keys(rows[0]!).filter((k) =>
    rows.some((r) => typeof r[k] !== 'object' || r[k] === null),
  );
  const numeric = columns.filter((k) => rows.every((r) => typeof r[k] === 'number' || r[k] === null));
  const xKey = X_KEYS.find((k) => columns.includes(k));
  const box = h('div', { class: 'chart' });
  const table = h(
    'div',
    { class: 'table-wrap tall', tabindex: 0, role: 'region', 'aria-label': label },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.slice(0, 500).map((r) =>
          h(
            'tr',
            {},
            columns.map((c) =>
              h(
                'td',
                { class: typeof r[c] === 'number' ? 'num' : '' },
                typeof r[c] === 'number' ? Number(r[c]).toPrecision(4) : String(r[c] ?? ''),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  fill(out, box, table);
  if (xKey === undefined) return undefined;
  const time = rows.every((r) => typeof r[xKey] === 'string' && !Number.isNaN(Date.parse(String(r[xKey]))));
  if (!time && !numeric.includes(xKey)) return undefined;
  const x = rows.map((r) => (time ? Date.parse(String(r[xKey])) / 1000 : Number(r[xKey])));
  const ys = numeric.filter((k) => k !== xKey);
  if (ys.length === 0) return undefined;
  return lineChart(box, {
    x,
    time,
    label,
    series: ys.map((k) => ({
      label: k,
      values: rows.map((r) => (typeof r[k] === 'number' ? (r[k] as number) : null)),
      dashed: /lower|upper|band/i.test(k),
    })),
  });
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
        const body = await getJson<unknown>(
          `${path}${query({ ...window, interval: a === 'rollup' ? interval : undefined, tz: site.timezone })}`,
          abort.signal,
        );
        const done = renderAnswer(out, body, `${TITLES[a]} of ${channel}`);
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
