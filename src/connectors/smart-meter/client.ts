// The smart-meter puller: fetches the document (URL or file), keeps only records newer than each meter
// register's high-water mark, and reports one outcome per meter. The mark moves only when the scheduler
// acknowledges the readings as durable, so a failed write is fetched again next time.

import { setMaxListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import { WattlineError } from '../../domain/errors.ts';
import { formatInstant } from '../../domain/time.ts';
import type { Connector, PollOutcome } from '../connector.ts';
import { withDeadline } from '../deadline.ts';
import type { SmartMeterConfig } from './config.ts';
import {
  METER_INTERVAL_MS,
  type MeterRecord,
  meterReadings,
  meterSeriesKey,
  OBIS_CHANNELS,
  parseMeterDocument,
} from './map.ts';

export interface SmartMeterDeps {
  fetch?: typeof fetch;
  clock?: () => number;
  /** Start (epoch ms) of the last stored interval of a meter's channel, or null: seeds the high-water mark. */
  highWater?: (siteId: string, channel: string) => Promise<number | null>;
  /** Meters already stored (site ids), so the first fetch of a run can already ask only for what is new. */
  knownMeters?: () => Promise<string[]>;
}

/** True when `url` is fetched over HTTP rather than read from disk. */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** Builds the puller for `config.url`. */
export function createSmartMeterConnector(config: SmartMeterConfig, deps: SmartMeterDeps = {}): Connector {
  const doFetch = deps.fetch ?? fetch;
  const clock = deps.clock ?? Date.now;
  /** Start of the newest durable interval per meter register. */
  const marks = new Map<string, number | null>();
  /** Marks to apply once the outcome carrying them is acknowledged. */
  const pending = new WeakMap<PollOutcome, Map<string, number>>();
  const meters = new Set<string>();
  let etag: string | undefined;
  let etagSince: string | undefined;
  const close = new AbortController();
  // Every request in flight listens for close (a pool of them at once): not a leak.
  setMaxListeners(0, close.signal);

  const markOf = async (muid: string, channel: string): Promise<number | null> => {
    const key = meterSeriesKey(muid, channel);
    if (!marks.has(key)) marks.set(key, deps.highWater ? await deps.highWater(muid, channel) : null);
    return marks.get(key) ?? null;
  };

  let seeded = false;
  const load = async (): Promise<unknown | 'unchanged'> => {
    if (!isHttpUrl(config.url)) return JSON.parse(await readFile(config.url, 'utf8'));
    if (!seeded && deps.knownMeters) {
      for (const muid of await deps.knownMeters()) {
        meters.add(muid);
        for (const channel of Object.values(OBIS_CHANNELS)) await markOf(muid, channel);
      }
      seeded = true;
    }
    const u = new URL(config.url);
    const known = [...marks.values()].filter((m): m is number => m !== null);
    // Ask only for what is new, from the oldest mark on (records at or before a register's own mark are
    // dropped below); with no mark at all, everything.
    if (config.sinceParam && known.length > 0) {
      u.searchParams.set(config.sinceParam, formatInstant(Math.min(...known) + METER_INTERVAL_MS));
    }
    const since = u.searchParams.get(config.sinceParam ?? '') ?? '';
    const headers: Record<string, string> = { accept: 'application/json' };
    if (etag !== undefined && etagSince === since) headers['if-none-match'] = etag;
    const { res, text } = await withDeadline(config.timeoutMs, close.signal, async (signal) => {
      const res = await doFetch(u, { headers, signal });
      return { res, text: res.status === 304 ? '' : await res.text() };
    });
    if (res.status === 304) return 'unchanged';
    if (res.status !== 200)
      throw new Error(`GET ${u.pathname} answered ${res.status}: ${text.slice(0, 200)}`);
    etag = res.headers.get('etag') ?? undefined;
    etagSince = since;
    return JSON.parse(text);
  };

  const failAll = (askedMs: number, detail: string): PollOutcome[] =>
    [...meters].map((siteId) => ({ siteId, askedMs, state: 'unreachable', readings: [], detail }));

  return {
    source: 'smart-meter',
    name: config.name,
    intervalMs: config.intervalMs,
    siteDefaults: { source: 'smart-meter', timezone: config.timezone },
    async sites() {
      return []; // meters are discovered in the document
    },
    async poll(): Promise<PollOutcome[]> {
      const askedMs = clock();
      let doc: unknown;
      try {
        doc = await load();
      } catch (e) {
        const detail = (e as Error).message;
        if (meters.size === 0)
          throw new WattlineError('validation-failed', `cannot read ${config.url}: ${detail}`);
        return failAll(askedMs, detail);
      }
      if (doc === 'unchanged') {
        return [...meters].map((siteId) => ({
          siteId,
          askedMs,
          state: 'ok',
          readings: [],
          detail: 'no new data',
        }));
      }
      const parsed = parseMeterDocument(doc);
      if (!parsed.ok) {
        throw new WattlineError(
          'validation-failed',
          `${config.url}: ${parsed.problems.length} invalid record field(s); nothing was stored`,
          parsed.problems,
        );
      }
      const byMeter = new Map<string, MeterRecord[]>();
      for (const r of parsed.records) {
        const list = byMeter.get(r.muid);
        if (list) list.push(r);
        else byMeter.set(r.muid, [r]);
      }
      const outcomes: PollOutcome[] = [];
      for (const [muid, records] of byMeter) {
        meters.add(muid);
        const fresh: MeterRecord[] = [];
        const newest = new Map<string, number>();
        for (const r of records) {
          const mark = await markOf(muid, r.channel);
          if (mark !== null && r.startMs <= mark) continue;
          fresh.push(r);
          const key = meterSeriesKey(muid, r.channel);
          newest.set(key, Math.max(newest.get(key) ?? Number.NEGATIVE_INFINITY, r.startMs));
        }
        const payloadMs = records.reduce((m, r) => Math.max(m, r.startMs), Number.NEGATIVE_INFINITY);
        const qualities: Record<string, number> = {};
        for (const r of fresh) qualities[r.quality] = (qualities[r.quality] ?? 0) + 1;
        const outcome: PollOutcome = {
          siteId: muid,
          askedMs,
          state: 'ok',
          readings: meterReadings(fresh, askedMs),
          raw: {
            payloadMs,
            // The new records exactly as received: the quality tag and any other field survive here.
            payload: { records: fresh.map((r) => parsed.rows[r.row]), qualities },
          },
          ...(fresh.length === 0 ? { detail: 'no new data' } : {}),
        };
        pending.set(outcome, newest);
        outcomes.push(outcome);
      }
      for (const muid of meters) {
        if (!byMeter.has(muid))
          outcomes.push({ siteId: muid, askedMs, state: 'ok', readings: [], detail: 'no new data' });
      }
      return outcomes;
    },
    acknowledged(outcomes) {
      for (const o of outcomes) {
        for (const [key, ms] of pending.get(o) ?? []) {
          const old = marks.get(key);
          if (old === undefined || old === null || ms > old) marks.set(key, ms);
        }
      }
    },
    async close() {
      close.abort();
    },
  };
}
