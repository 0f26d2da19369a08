// Site: live power flow (grid, solar, battery, home, state of charge, grid status), the last 24 h of power
// updating live from the server-sent events, daily energy bars in the site's time zone, and the 15-minute
// energy table with CSV download for any date range.
import type { FleetStatus } from '../../domain/device-status.ts';
import type { Site } from '../../domain/site.ts';
import { localParts } from '../../domain/time-zone.ts';
import { ApiError, findRoute, getAllPages, getJson, hasRoute, query } from '../api.ts';
import { PowerChart, type PowerSample } from '../charts/power-chart.ts';
import { fill, fillSection, h, notice, section } from '../dom.ts';
import { type BucketWire, dailyEnergy, energyTable, localMidnightMs } from '../energy.ts';
import { formatEnergyWh, formatLocal } from '../format.ts';
import { type GaugesWire, type LiveWire, PowerFlow } from '../widgets/power-flow.ts';

const DAY_MS = 86_400_000;
/** Rows the on-page 15-minute table shows; the CSV has them all. */
const MAX_TABLE_ROWS = 96 * 7;
/** Largest page of the buckets route: the CSV link asks for one page. */
const CSV_MAX_ROWS = 50_000;

interface ReadingsWire {
  series: { channel: string; tMs: number[]; values: number[] }[];
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function energyBars(days: ReturnType<typeof dailyEnergy>, channels: Set<string>): HTMLElement {
  // Only what the site measures: a meter without solar gets no solar column of zeros.
  const keys = (
    [
      ['importWh', 'Import'],
      ['exportWh', 'Export'],
      ['solarWh', 'Solar'],
      ['homeWh', 'Home'],
    ] as const
  ).filter(([k]) =>
    k === 'importWh' || k === 'exportWh'
      ? channels.has('grid')
      : k === 'solarWh'
        ? channels.has('solar')
        : channels.has('load') || channels.has('consumption'),
  );
  const maxWh = Math.max(1, ...days.flatMap((d) => keys.map(([k]) => d[k])));
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Daily energy' },
    h(
      'table',
      { class: 'bars' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Day'),
          keys.map(([, l]) => h('th', { scope: 'col' }, l)),
        ),
      ),
      h(
        'tbody',
        {},
        days.map((d) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, d.date),
            keys.map(([k]) =>
              h(
                'td',
                {},
                h('span', { class: `bar bar-${k}`, style: `width:${((d[k] / maxWh) * 100).toFixed(1)}%` }),
                h('span', { class: 'bar-value' }, formatEnergyWh(d[k])),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** Renders the site page; returns its cleanup. */
export function renderSite(root: HTMLElement, siteId: string): () => void {
  const abort = new AbortController();
  let chart: PowerChart | undefined;
  let events: EventSource | undefined;
  const base = `/v1/sites/${encodeURIComponent(siteId)}`;
  const title = h('h1', {}, `Site ${siteId}`);
  const meta = h('p', { class: 'muted' });
  const flowSec = section('site-flow', 'Power now', notice('Loading…'));
  const chartSec = section('site-chart', 'Power, last 24 h', notice('Loading…'));
  const daysSec = section('site-days', 'Daily energy', notice('Loading…'));
  const tableSec = section('site-table', '15-minute energy', notice('Loading…'));
  fill(root, title, meta, h('div', { class: 'grid-2' }, flowSec, daysSec), chartSec, tableSec);

  const load = async () => {
    const site = await getJson<Site>(base, abort.signal);
    const tz = site.timezone;
    title.textContent = site.name || `Site ${siteId}`;
    fill(
      meta,
      `${site.siteId} · ${site.source} · ${tz} · `,
      h('a', { href: `#/explore/${encodeURIComponent(siteId)}` }, 'Explore'),
    );

    let deviceNote: string | null = null;
    if (await hasRoute('/v1/status')) {
      const status = await getJson<FleetStatus>('/v1/status', abort.signal);
      const d = status.sites.find((s) => s.siteId === siteId);
      if (d?.pollerState === 'stopped')
        deviceNote = 'Grid: system stopped (the gateway reports it is not running)';
      else if (d !== undefined && !d.up)
        deviceNote = `Grid: unknown, device down (${d.pollerState ?? 'no data'})`;
    }

    const nowMs = Date.now();
    const readings = await getJson<ReadingsWire>(
      `${base}/readings${query({ from: new Date(nowMs - DAY_MS).toISOString() })}`,
      abort.signal,
    );
    const powerChannels = readings.series.map((s) => s.channel);
    // Gauges (state of charge, grid status) where the server stores them; "—" where it does not.
    const gaugesPath = await findRoute(/^\/v1\/sites\/\{[^}]+\}\/gauges\/latest$/, [siteId]);
    const flow = new PowerFlow(powerChannels, gaugesPath !== undefined, deviceNote);
    fillSection(flowSec, flow.el);
    if (gaugesPath !== undefined) flow.setGauges(await getJson<GaugesWire>(gaugesPath, abort.signal));

    const samples: PowerSample[] = [];
    for (const s of readings.series) {
      for (let i = 0; i < s.tMs.length; i++)
        samples.push({ channel: s.channel, tMs: s.tMs[i]!, value: s.values[i]! });
    }
    const chartBox = h('div', { class: 'chart', 'data-testid': 'power-chart' });
    const caption = h('p', { class: 'muted', 'data-testid': 'chart-latest' });
    fillSection(
      chartSec,
      powerChannels.length === 0 ? notice('No power readings in the past 24 hours.') : '',
      chartBox,
      caption,
    );
    chart = new PowerChart(chartBox, samples, {
      channels: powerChannels,
      windowMs: DAY_MS,
      timeZone: tz,
      label: `Power of ${powerChannels.join(', ')} over the last 24 hours, in ${tz}`,
    });
    const showLatest = () => {
      const last = chart?.lastMs() ?? null;
      caption.textContent =
        last === null
          ? 'no samples yet'
          : `latest sample ${formatLocal(last, tz, true)} (${tz}), + = into the home`;
    };
    showLatest();

    events = new EventSource(`${base}/live`);
    events.addEventListener('power', (e) => {
      const u = JSON.parse((e as MessageEvent<string>).data) as LiveWire;
      flow.update(u, tz);
      if (u.points.length > 0 && chart !== undefined) {
        chart.append(
          u.points
            .filter((p) => powerChannels.includes(p.channel))
            .map((p) => ({ channel: p.channel, tMs: p.tMs, value: p.powerW })),
        );
        showLatest();
      }
    });

    await loadDays(tz);
    renderTableForm(tz);
  };

  const loadDays = async (tz: string) => {
    const today = localParts(Date.now(), tz).date;
    const fromMs = localMidnightMs(shiftDate(today, -6), tz);
    const buckets = await getAllPages<BucketWire>(
      `${base}/buckets${query({ from: new Date(fromMs).toISOString(), limit: CSV_MAX_ROWS })}`,
      abort.signal,
    );
    const days = dailyEnergy(buckets, tz);
    fillSection(
      daysSec,
      days.length === 0
        ? notice('No energy in the past 7 days.')
        : energyBars(days, new Set(buckets.map((b) => b.channel))),
      h(
        'p',
        { class: 'muted' },
        `Local days in ${tz}. Import and export from the grid channel, solar production, home consumption.`,
      ),
    );
  };

  const renderTableForm = (tz: string) => {
    const today = localParts(Date.now(), tz).date;
    const fromInput = h('input', { type: 'date', id: 'table-from', value: today, required: true });
    const toInput = h('input', { type: 'date', id: 'table-to', value: today, required: true });
    const download = h('a', { class: 'button', 'data-testid': 'csv-download' }, 'Download CSV');
    const out = h('div', { 'aria-live': 'polite' });
    const show = async () => {
      const from = fromInput.value;
      const to = toInput.value;
      if (from === '' || to === '' || to < from) {
        fill(out, notice('Choose a start day on or before the end day.', 'error'));
        return;
      }
      const fromIso = new Date(localMidnightMs(from, tz)).toISOString();
      const toIso = new Date(localMidnightMs(shiftDate(to, 1), tz)).toISOString();
      download.setAttribute(
        'href',
        `${base}/buckets${query({ from: fromIso, to: toIso, format: 'csv', limit: CSV_MAX_ROWS })}`,
      );
      download.setAttribute('download', `wattline-${siteId}-${from}-${to}.csv`);
      fill(out, notice('Loading…'));
      const buckets = await getAllPages<BucketWire>(
        `${base}/buckets${query({ from: fromIso, to: toIso, limit: CSV_MAX_ROWS })}`,
        abort.signal,
      );
      const { channels, rows } = energyTable(buckets);
      const shown = rows.slice(0, MAX_TABLE_ROWS);
      fill(
        out,
        rows.length === 0
          ? notice('No buckets in this range.')
          : h(
              'div',
              { class: 'table-wrap tall', tabindex: 0, role: 'region', 'aria-label': '15-minute energy' },
              h(
                'table',
                { class: 'energy', 'data-testid': 'energy-table' },
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'col' }, `Start (${tz})`),
                    channels.map((c) => h('th', { scope: 'col', class: 'num' }, `${c} Wh`)),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  shown.map((r) =>
                    h(
                      'tr',
                      {},
                      h('th', { scope: 'row' }, formatLocal(r.bucketStartMs, tz)),
                      channels.map((c) =>
                        h(
                          'td',
                          { class: 'num' },
                          r.energyWh[c] === undefined ? '–' : r.energyWh[c].toFixed(1),
                        ),
                      ),
                    ),
                  ),
                ),
              ),
            ),
        rows.length > shown.length
          ? notice(`Showing the first ${shown.length} of ${rows.length} quarter hours; the CSV has them all.`)
          : '',
        buckets.length > CSV_MAX_ROWS
          ? notice(`The CSV holds the first ${CSV_MAX_ROWS} rows; choose a shorter range for the rest.`)
          : '',
      );
    };
    const form = h(
      'form',
      { class: 'range' },
      h('label', { for: 'table-from' }, 'From'),
      fromInput,
      h('label', { for: 'table-to' }, 'To'),
      toInput,
      h('button', { type: 'submit' }, 'Show'),
      download,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      show().catch(fail(out));
    });
    fillSection(tableSec, form, out);
    show().catch(fail(out));
  };

  const fail = (where: HTMLElement) => (e: unknown) => {
    if (abort.signal.aborted) return;
    const text =
      e instanceof ApiError && e.code === 'site-not-found'
        ? `There is no site ${siteId}.`
        : `Could not load: ${e instanceof Error ? e.message : String(e)}`;
    fill(where, notice(text, 'error'));
  };
  load().catch(fail(flowSec));

  return () => {
    abort.abort();
    events?.close();
    chart?.destroy();
  };
}
