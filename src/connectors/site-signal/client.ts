// The site-signal connector: asks the fleet API for every site once per interval, concurrently within a
// bound, and turns each answer (or its absence) into readings and a poll outcome with the raw payload.

import { setMaxListeners } from 'node:events';
import type { Site } from '../../domain/site.ts';
import { mapBounded } from '../bounded-pool.ts';
import type { Connector, PollOutcome } from '../connector.ts';
import { withDeadline } from '../deadline.ts';
import type { SiteSignalConfig } from './config.ts';
import { mapSiteSignal } from './map.ts';

export interface SiteSignalDeps {
  fetch?: typeof fetch;
  clock?: () => number;
}

function describe(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'no answer within the timeout';
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

/** Builds a connector polling the fleet API `config.baseUrl`. */
export function createSiteSignalConnector(config: SiteSignalConfig, deps: SiteSignalDeps = {}): Connector {
  const doFetch = deps.fetch ?? fetch;
  const clock = deps.clock ?? Date.now;
  const base = config.baseUrl.replace(/\/+$/, '');
  const url = (path: string, params: Record<string, string>) => {
    const q = new URLSearchParams(config.token === undefined ? params : { token: config.token, ...params });
    return `${base}${path}?${q}`;
  };
  let known: { ids: string[]; atMs: number } | undefined;
  const close = new AbortController();
  // Every request in flight listens for close (a pool of them at once): not a leak.
  setMaxListeners(0, close.signal);

  const getJson = async (u: string): Promise<{ status: number; body: unknown; text: string }> => {
    const { res, text } = await withDeadline(config.timeoutMs, close.signal, async (signal) => {
      const res = await doFetch(u, { signal, headers: { accept: 'application/json' } });
      return { res, text: await res.text() };
    });
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (an HTML error page): kept as text for the raw log.
    }
    return { status: res.status, body, text };
  };

  const siteIds = async (nowMs: number): Promise<string[]> => {
    if (config.sites) return config.sites;
    if (known && nowMs - known.atMs < config.sitesRefreshMs) return known.ids;
    const r = await getJson(url('/api/sites', {}));
    const sites = (r.body as { sites?: unknown })?.sites;
    if (r.status !== 200 || !Array.isArray(sites) || !sites.every((s) => typeof s === 'string')) {
      if (known) return known.ids; // keep polling the sites we know while the list is unavailable
      throw new Error(`GET /api/sites answered ${r.status}: ${r.text.slice(0, 200)}`);
    }
    known = { ids: sites as string[], atMs: nowMs };
    return known.ids;
  };

  const pollSite = async (siteId: string): Promise<PollOutcome> => {
    const askedMs = clock();
    const outcome = (state: PollOutcome['state'], detail: string, raw?: PollOutcome['raw']): PollOutcome => ({
      siteId,
      askedMs,
      state,
      readings: [],
      detail,
      ...(raw === undefined ? {} : { raw }),
    });
    let r: Awaited<ReturnType<typeof getJson>>;
    try {
      r = await getJson(url('/api/signals', { site: siteId }));
    } catch (e) {
      return outcome('unreachable', close.signal.aborted ? 'cancelled: the poller is stopping' : describe(e));
    }
    if (r.status === 401 || r.status === 403)
      return outcome('auth-failed', `HTTP ${r.status}`, { payloadMs: null, payload: r.body });
    if (r.status === 429) return outcome('rate-limited', 'HTTP 429', { payloadMs: null, payload: r.body });
    if (r.status !== 200)
      return outcome('unreachable', `HTTP ${r.status}`, { payloadMs: null, payload: r.body });
    const mapped = mapSiteSignal(r.body, askedMs);
    if (!mapped.ok)
      return outcome('unreachable', `bad answer: ${mapped.error}`, { payloadMs: null, payload: r.body });
    const raw = { payloadMs: mapped.payload.payloadMs, payload: r.body };
    const ageMs = askedMs - mapped.payload.payloadMs;
    // A stale payload is real data at its own instant (kept; the raw log de-duplicates repeats), but the
    // device has not reported since: not a success for health.
    const state = ageMs > config.staleAfterMs ? 'unreachable' : 'ok';
    return {
      siteId,
      askedMs,
      state,
      readings: mapped.readings,
      raw,
      ...(state === 'ok' ? {} : { detail: `stale: the payload is ${Math.round(ageMs / 1000)} s old` }),
    };
  };

  return {
    source: 'site-signal',
    name: config.name,
    intervalMs: config.intervalMs,
    siteDefaults: { source: 'site-signal', timezone: config.timezone },
    async sites(): Promise<Site[]> {
      const ids = await siteIds(clock());
      return ids.map((siteId) => ({
        siteId,
        name: `site ${siteId}`,
        timezone: config.timezone,
        source: 'site-signal',
        metadata: config.location
          ? { ...config.location, connector: config.name }
          : { connector: config.name },
      }));
    },
    async poll(nowMs: number): Promise<PollOutcome[]> {
      const ids = await siteIds(nowMs);
      return mapBounded(ids, config.concurrency, pollSite);
    },
    async close() {
      close.abort();
    },
  };
}
