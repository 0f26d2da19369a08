// Fleet: devices up now (count and list with last seen and poller state), solar condition of every site
// over the past hour, latest anomalies. Refreshes every 10 s.
import type { DeviceStatus, FleetStatus, SolarCondition } from '../../domain/device-status.ts';
import type { Site } from '../../domain/site.ts';
import { getAllPages, getJson, hasRoute, query } from '../api.ts';
import { fill, fillSection, h, notice, section } from '../dom.ts';
import { formatAgo, formatLocal, formatPowerW } from '../format.ts';

const REFRESH_MS = 10_000;

const CONDITION_TEXT: Record<SolarCondition, string> = {
  ok: 'OK',
  negative: 'Negative',
  'zero-in-daylight': 'Zero in daylight',
  missing: 'Missing',
};

function siteLink(siteId: string, name?: string): HTMLElement {
  return h('a', { href: `#/site/${encodeURIComponent(siteId)}` }, name ?? siteId);
}

function devicesTable(status: FleetStatus, names: Map<string, string>, nowMs: number): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Devices' },
    h(
      'table',
      { class: 'devices' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Site', 'Source', 'State', 'Last seen', 'Poller', 'Errors'].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        status.sites.map((d: DeviceStatus) =>
          h(
            'tr',
            { 'data-site': d.siteId },
            h('th', { scope: 'row' }, siteLink(d.siteId, names.get(d.siteId))),
            h('td', {}, d.source),
            h(
              'td',
              {},
              h('span', { class: `badge ${d.up ? 'badge-up' : 'badge-down'}` }, d.up ? 'up' : 'down'),
            ),
            h(
              'td',
              { title: d.lastSeen ?? 'never' },
              d.lastSeen === null ? 'never' : formatAgo(Date.parse(d.lastSeen), nowMs),
            ),
            h('td', {}, d.pollerState ?? 'push'),
            h('td', { class: 'num' }, d.consecutiveErrors),
          ),
        ),
      ),
    ),
  );
}

function solarGrid(status: FleetStatus, names: Map<string, string>): HTMLElement {
  return h(
    'ul',
    { class: 'solar-grid', 'aria-label': 'Solar condition by site' },
    status.sites.map((d) => {
      const s = d.solar;
      const evidenceId = `solar-evidence-${d.siteId}`;
      const evidence = [
        `minimum ${formatPowerW(s.minPowerW)}`,
        `negative share ${s.negativeShare === null ? '–' : `${(s.negativeShare * 100).toFixed(1)} %`}`,
        `${s.samples} samples`,
      ].join(', ');
      return h(
        'li',
        {
          class: `solar-tile cond-${s.condition}`,
          tabindex: 0,
          'data-condition': s.condition,
          'aria-describedby': evidenceId,
          title: evidence,
        },
        h('span', { class: 'tile-site' }, names.get(d.siteId) ?? d.siteId),
        h('span', { class: 'tile-cond' }, CONDITION_TEXT[s.condition]),
        h('span', { class: 'tile-evidence', id: evidenceId, role: 'tooltip' }, evidence),
      );
    }),
  );
}

interface AnomalyLike {
  siteId?: string;
  kind?: string;
  severity?: string;
  start?: string;
  at?: string;
  t?: string;
  explanation?: string;
  message?: string;
}

function anomaliesList(items: AnomalyLike[]): HTMLElement {
  if (items.length === 0) return notice('No anomalies in the past day.');
  return h(
    'ul',
    { class: 'anomalies' },
    items
      .slice(0, 20)
      .map((a) =>
        h(
          'li',
          {},
          h('span', { class: `badge sev-${a.severity ?? 'info'}` }, a.severity ?? 'info'),
          ' ',
          h('strong', {}, a.kind ?? 'anomaly'),
          a.siteId === undefined ? '' : [' at ', siteLink(a.siteId)],
          ' ',
          h('span', { class: 'muted' }, a.start ?? a.at ?? a.t ?? ''),
          h('div', {}, a.explanation ?? a.message ?? ''),
        ),
      ),
  );
}

/** Renders the fleet page into `root`; returns its cleanup. */
export function renderFleet(root: HTMLElement): () => void {
  const summary = section('fleet-devices', 'Devices', notice('Loading…'));
  const solar = section('fleet-solar', 'Solar, past hour', notice('Loading…'));
  const anomalies = section('fleet-anomalies', 'Latest anomalies', notice('Loading…'));
  const sites = section('fleet-sites', 'Sites', notice('Loading…'));
  fill(root, h('h1', {}, 'Fleet'), h('div', { class: 'grid-2' }, summary, solar), anomalies, sites);
  const abort = new AbortController();

  const load = async () => {
    const nowMs = Date.now();
    const siteList = await getAllPages<Site>('/v1/sites?limit=1000', abort.signal);
    const names = new Map(siteList.map((s) => [s.siteId, s.name]));
    fillSection(
      sites,
      siteList.length === 0
        ? notice('No sites yet: push readings or start a connector.')
        : h(
            'ul',
            { class: 'site-list' },
            siteList.map((s) =>
              h(
                'li',
                {},
                siteLink(s.siteId, s.name),
                h('span', { class: 'muted' }, ` ${s.source}, ${s.timezone}`),
              ),
            ),
          ),
    );
    if (await hasRoute('/v1/status')) {
      const status = await getJson<FleetStatus>('/v1/status', abort.signal);
      fillSection(
        summary,
        h(
          'p',
          { class: 'big-number' },
          h('span', { 'data-testid': 'devices-up' }, status.devicesUp),
          h('span', { class: 'muted' }, ` of ${status.devicesTotal} up`),
        ),
        h(
          'p',
          { class: 'muted' },
          `up = a reading within ${Math.round(status.upWindowMs / 1000)} s; as of ${formatLocal(Date.parse(status.generatedAt), undefined, true)}`,
        ),
        devicesTable(status, names, nowMs),
      );
      fillSection(solar, status.sites.length === 0 ? notice('No devices.') : solarGrid(status, names));
    } else {
      const na = 'Device status is not available on this server.';
      fillSection(summary, notice(na));
      fillSection(solar, notice(na));
    }
    await loadAnomalies(nowMs);
  };

  // Anomalies are the analytics' business: a failure there leaves the rest of the page standing.
  const loadAnomalies = async (nowMs: number) => {
    if (!(await hasRoute('/v1/anomalies'))) {
      fillSection(anomalies, notice('Anomaly detection is not available on this server.'));
      return;
    }
    try {
      const from = new Date(nowMs - 86_400_000).toISOString();
      const body = await getJson<AnomalyLike[] | { anomalies?: AnomalyLike[]; data?: AnomalyLike[] }>(
        `/v1/anomalies${query({ from })}`,
        abort.signal,
      );
      const items = Array.isArray(body) ? body : (body.anomalies ?? body.data ?? []);
      fillSection(anomalies, anomaliesList(items));
    } catch (e) {
      if (!abort.signal.aborted)
        fillSection(
          anomalies,
          notice(`Could not load anomalies: ${e instanceof Error ? e.message : String(e)}`, 'error'),
        );
    }
  };

  const run = () =>
    load().catch((e: unknown) => {
      if (abort.signal.aborted) return;
      fillSection(summary, notice(`Could not load: ${e instanceof Error ? e.message : String(e)}`, 'error'));
    });
  run();
  const timer = setInterval(run, REFRESH_MS);
  return () => {
    clearInterval(timer);
    abort.abort();
  };
}
