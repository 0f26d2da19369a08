// GET /data latency: one random ship and day per request (96 buckets each) over a store of `sites` ships ×
// `days` of 15-minute buckets, under `connections` concurrent connections. The store is bulk-populated
// with DuckDB SQL (the schema comes from openDuckDbStore's migrations), then served from a child process.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDbStore } from '../src/store/duckdb-store.ts';
import { type Bench, envInt, envNumber, MB } from './support/env.ts';
import { randomDayLoad } from './support/random-day-load.ts';
import type { BenchResult } from './support/result.ts';
import { startServer } from './support/server.ts';
import { withTempDir } from './support/tmp.ts';

const START_MS = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;
const BUCKET_MS = 900_000;
/** Ships inserted per statement: each statement sorts its rows by (site_id, time). */
const SITES_PER_STATEMENT = 100;

/** Creates the schema through the store, then inserts buckets ordered by site_id (as stored) and time. */
export async function populate(
  path: string,
  sites: number,
  days: number,
  log: (m: string) => void,
): Promise<void> {
  const store = await openDuckDbStore({ path });
  await store.close();
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run(
    `INSERT INTO sites SELECT r::VARCHAR, 'spaceship ' || r, 'UTC', 'spaceship', '{}', ${START_MS} FROM range(1, ${sites + 1}) t(r)`,
  );
  // One series per ship (id = ship number), buckets written ship by ship as a long-running store would
  // hold them after compaction.
  await conn.run(
    `INSERT INTO series SELECT r::INTEGER, r::VARCHAR, 'consumption', 'interval-energy' FROM range(1, ${sites + 1}) t(r)`,
  );
  const endMs = START_MS + days * DAY_MS;
  for (let first = 1; first <= sites; first += SITES_PER_STATEMENT) {
    const last = Math.min(sites, first + SITES_PER_STATEMENT - 1);
    await conn.run(
      `INSERT INTO buckets
       SELECT series_id, 1, t, e, e, 0, 1, 1, e * 4, e * 4, 'measured'
       FROM (SELECT s.range::INTEGER AS series_id, r.range AS t, (hash(s.range, r.range) % 2000) / 8.0 AS e
             FROM range(${first}, ${last + 1}) s, range(${START_MS}, ${endMs}, ${BUCKET_MS}) r)
       ORDER BY series_id, t`,
    );
    log(`  populated ${last}/${sites} ships`);
  }
  await conn.run('CHECKPOINT');
  conn.closeSync();
  instance.closeSync();
}

function percentile(sorted: number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** The store's share of a request, without HTTP or concurrency: getSite + energy (the GET /data path),
 * one at a time; the same requests twice, first with a cold serving cache, then with a warm one. */
async function storeOnly(
  path: string,
  sites: number,
  days: number,
  n: number,
): Promise<{ cold: { p50: number; p99: number }; warm: { p50: number; p99: number } }> {
  const store = await openDuckDbStore({ path });
  const picks = Array.from({ length: n }, () => ({
    siteId: String(1 + Math.floor(Math.random() * sites)),
    fromMs: START_MS + Math.floor(Math.random() * days) * DAY_MS,
  }));
  const pass = async () => {
    const times: number[] = [];
    for (const { siteId, fromMs } of picks) {
      const t0 = performance.now();
      await store.getSite(siteId);
      const rows = await store.energy({ siteId, channel: 'consumption', fromMs, toMs: fromMs + DAY_MS });
      times.push(performance.now() - t0);
      if (rows.length !== DAY_MS / BUCKET_MS)
        throw new Error(`store.energy returned ${rows.length} rows, expected 96`);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  };
  try {
    return { cold: await pass(), warm: await pass() };
  } finally {
    await store.close();
  }
}

export const bench: Bench = {
  name: 'get-data',
  title: 'GET /data of a random ship and day, target p99 ≤ 10 ms',
  async run({ quick, log }) {
    const started = performance.now();
    const sites = envInt('BENCH_GET_SITES', 1_000, 50, quick);
    const days = envInt('BENCH_GET_DAYS', 365, 30, quick);
    const connections = envInt('BENCH_GET_CONNECTIONS', 50, 10, quick);
    const durationS = envNumber('BENCH_GET_DURATION_S', 10, 2, quick);
    const warmupS = envNumber('BENCH_WARMUP_S', 2, 0.5, quick);
    const params = { sites, days, bucketRows: sites * days * 96, connections, durationS };

    return withTempDir('get-data', async (dir) => {
      const path = join(dir, 'wattline.duckdb');
      log(`get-data: populating ${sites} ships × ${days} days = ${params.bucketRows} bucket rows`);
      const p0 = performance.now();
      await populate(path, sites, days, log);
      const populateS = (performance.now() - p0) / 1000;
      const db = await storeOnly(path, sites, days, quick ? 50 : 500);
      log(
        `get-data: store only (serial) cold p50 ${db.cold.p50.toFixed(2)} ms p99 ${db.cold.p99.toFixed(2)} ms, warm p50 ${db.warm.p50.toFixed(3)} ms`,
      );

      const server = await startServer(path);
      try {
        const load = randomDayLoad({ url: server.url, ships: sites, days, firstDayMs: START_MS, dir });
        const probe = await fetch(`${server.url}${load.randomPath()}`);
        const body = (await probe.json()) as { data?: unknown[] };
        if (probe.status !== 200 || body.data?.length !== 96) {
          throw new Error(
            `probe GET /data answered ${probe.status} with ${body.data?.length} points, expected 200 and 96`,
          );
        }
        log(
          `get-data: load from ${load.generator}; 1 connection for ${Math.max(1, warmupS)} s (service time without queueing)`,
        );
        const single = await load.run(1, Math.max(1, warmupS));
        log(`get-data: warm-up ${warmupS} s, then ${connections} connections for ${durationS} s`);
        await load.run(connections, warmupS);
        const measured = await load.run(connections, durationS);
        // The same load from autocannon, which runs in this process: on 2 cores it competes with the server.
        const peer = load.usesWrk ? await load.runAutocannon(connections, durationS) : undefined;
        await server.stop();
        const notes = [
          `load generator: ${load.generator}${peer === undefined ? '' : `; the same load from autocannon: ${peer.reqPerS.toFixed(0)} req/s, p50 ${peer.p50Ms.toFixed(2)} ms, p99 ${peer.p99Ms.toFixed(2)} ms`}`,
          `one connection: ${single.reqPerS.toFixed(0)} req/s, p50 ${single.p50Ms.toFixed(2)} ms, p99 ${single.p99Ms.toFixed(2)} ms`,
          `store alone (getSite + energy, serial, no HTTP): cold cache p50 ${db.cold.p50.toFixed(2)} ms, p99 ${db.cold.p99.toFixed(2)} ms; warm p50 ${db.warm.p50.toFixed(3)} ms, p99 ${db.warm.p99.toFixed(3)} ms`,
          `closed loop: ${connections} connections at ${measured.reqPerS.toFixed(0)} req/s means a mean latency of ${((connections / measured.reqPerS) * 1000).toFixed(1)} ms (Little's law)`,
          `server read-cache warm-up before serving: ${server.warmS.toFixed(1)} s (${server.warmBlocks} blocks of 32 days)`,
          `populate ${populateS.toFixed(1)} s; server VmHWM ${(server.rss.hwm() / MB).toFixed(0)} MB; status codes ${JSON.stringify(measured.statusCounts)}`,
        ];
        const result: BenchResult = {
          bench: 'get-data',
          quick,
          params,
          metrics: [
            { key: 'p50_ms', label: 'latency p50', value: measured.p50Ms, unit: 'ms', digits: 2 },
            { key: 'p97_5_ms', label: 'latency p97.5', value: measured.p975Ms, unit: 'ms', digits: 2 },
            {
              key: 'p99_ms',
              label: 'latency p99',
              value: measured.p99Ms,
              unit: 'ms',
              digits: 2,
              target: { op: '<=', value: 10 },
            },
            { key: 'max_ms', label: 'latency max', value: measured.maxMs, unit: 'ms', digits: 1 },
            { key: 'req_per_s', label: 'requests/s', value: measured.reqPerS, unit: '/s' },
            { key: 'requests', label: 'requests', value: measured.requests, unit: '' },
            {
              key: 'errors',
              label: 'errors + timeouts',
              value: measured.errors + measured.timeouts,
              unit: '',
            },
            { key: 'non_2xx', label: 'non-2xx responses', value: measured.non2xx, unit: '' },
            {
              key: 'server_peak_rss_mb',
              label: 'server peak RSS (sampled 200 ms)',
              value: server.rss.peak() / MB,
              unit: 'MB',
            },
            { key: 'single_p50_ms', label: '1 connection p50', value: single.p50Ms, unit: 'ms', digits: 2 },
            {
              key: 'store_p50_ms',
              label: 'store alone p50, cold cache (serial)',
              value: db.cold.p50,
              unit: 'ms',
              digits: 2,
            },
            {
              key: 'store_warm_p50_ms',
              label: 'store alone p50, warm cache (serial)',
              value: db.warm.p50,
              unit: 'ms',
              digits: 3,
            },
          ],
          notes,
          seconds: (performance.now() - started) / 1000,
        };
        return result;
      } catch (e) {
        await server.stop().catch(() => undefined);
        throw e;
      }
    });
  },
};
