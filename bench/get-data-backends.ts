// GET /data latency on both backends side by side: one random ship and day per request (96 buckets) over
// `sites` ships × `days` of 15-minute buckets, the same load against DuckDB and then PostgreSQL, each served
// from a child process. Both stores are bulk-populated with SQL after their own migrations made the schema.
import { join } from 'node:path';
import pg from 'pg';
import { openDuckDbStore } from '../src/store/duckdb-store.ts';
import { openPostgresStore } from '../src/store/postgres-store.ts';
import type { Store } from '../src/store/store.ts';
import { populate as populateDuckDb } from './get-data.ts';
import { type Bench, envInt, envNumber } from './support/env.ts';
import { withTempDatabase } from './support/postgres.ts';
import { randomDayLoad } from './support/random-day-load.ts';
import type { BenchResult, Metric } from './support/result.ts';
import { startServer } from './support/server.ts';
import { withTempDir } from './support/tmp.ts';

const START_MS = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;
const BUCKET_MS = 900_000;

/** The same rows as the DuckDB populate (values differ: each database has its own hash), inserted in
 * primary-key order, then analyzed. */
async function populatePostgres(url: string, sites: number, days: number, log: (m: string) => void) {
  const store = await openPostgresStore({ url });
  await store.close();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO sites SELECT r::text, 'spaceship ' || r, 'UTC', 'spaceship', '{}', ${START_MS} FROM generate_series(1, ${sites}) r`,
    );
    const ids = Array.from({ length: sites }, (_, i) => String(i + 1)).sort();
    const endMs = START_MS + days * DAY_MS;
    const step = 50;
    for (let i = 0; i < ids.length; i += step) {
      await c.query(
        `INSERT INTO buckets (site_id, channel, bucket_start_ms, kind, kind_rank, energy_wh, positive_wh, negative_wh,
                              coverage, samples, min_power_w, max_power_w, quality)
         SELECT s, 'consumption', t, 'interval-energy', 1, e, e, 0, 1, 1, e * 4, e * 4, 'measured'
         FROM unnest($1::text[]) s, generate_series(${START_MS}::bigint, ${endMs - BUCKET_MS}::bigint, ${BUCKET_MS}::bigint) t,
              LATERAL (SELECT (abs(hashtext(s || t::text)) % 2000) / 8.0 AS e) v
         ORDER BY s, t`,
        [ids.slice(i, i + step)],
      );
      log(`  populated ${Math.min(i + step, ids.length)}/${ids.length} ships`);
    }
    await c.query('VACUUM ANALYZE buckets');
  } finally {
    await c.end();
  }
}

function percentile(sorted: number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** getSite + buckets of a random ship and day, one at a time, no HTTP (ms). */
async function storeOnly(store: Store, sites: number, days: number, n: number) {
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const siteId = String(1 + Math.floor(Math.random() * sites));
      const fromMs = START_MS + Math.floor(Math.random() * days) * DAY_MS;
      const t0 = performance.now();
      await store.getSite(siteId);
      const rows = await store.buckets({ siteId, channel: 'consumption', fromMs, toMs: fromMs + DAY_MS });
      times.push(performance.now() - t0);
      if (rows.length !== 96) throw new Error(`store.buckets returned ${rows.length} rows, expected 96`);
    }
  } finally {
    await store.close();
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

export const bench: Bench = {
  name: 'get-data-backends',
  title: 'GET /data of a random ship and day on DuckDB and PostgreSQL side by side, target p99 ≤ 10 ms',
  async run({ quick, log }) {
    const started = performance.now();
    const sites = envInt('BENCH_GET_SITES', 1_000, 50, quick);
    const days = envInt('BENCH_GET_DAYS', 365, 30, quick);
    const connections = envInt('BENCH_GET_CONNECTIONS', 50, 10, quick);
    const durationS = envNumber('BENCH_GET_DURATION_S', 10, 2, quick);
    const warmupS = envNumber('BENCH_WARMUP_S', 2, 0.5, quick);
    const params = { sites, days, bucketRows: sites * days * 96, connections, durationS };
    const metrics: Metric[] = [];
    const notes: string[] = [];

    async function measure(
      backend: string,
      db: string,
      open: () => Promise<Store>,
      populateS: number,
      dir: string,
    ) {
      const serial = await storeOnly(await open(), sites, days, quick ? 50 : 500);
      const server = await startServer(db);
      try {
        const gen = randomDayLoad({ url: server.url, ships: sites, days, firstDayMs: START_MS, dir });
        const probe = await fetch(`${server.url}${gen.randomPath()}`);
        const body = (await probe.json()) as { data?: unknown[] };
        if (probe.status !== 200 || body.data?.length !== 96)
          throw new Error(`${backend}: probe answered ${probe.status} with ${body.data?.length} points`);
        log(
          `get-data-backends: ${backend} load from ${gen.generator}, warm-up ${warmupS} s, then ${connections} connections for ${durationS} s`,
        );
        await gen.run(connections, warmupS);
        const load = await gen.run(connections, durationS);
        metrics.push(
          {
            key: `${backend}_p50_ms`,
            label: `${backend} latency p50`,
            value: load.p50Ms,
            unit: 'ms',
            digits: 2,
          },
          {
            key: `${backend}_p99_ms`,
            label: `${backend} latency p99`,
            value: load.p99Ms,
            unit: 'ms',
            digits: 2,
            target: { op: '<=', value: 10 },
          },
          { key: `${backend}_req_per_s`, label: `${backend} requests/s`, value: load.reqPerS, unit: '/s' },
          {
            key: `${backend}_store_p99_ms`,
            label: `${backend} store alone p99 (serial)`,
            value: serial.p99,
            unit: 'ms',
            digits: 2,
          },
        );
        notes.push(
          `${backend}: load from ${gen.generator}; populate ${populateS.toFixed(1)} s; store alone p50 ${serial.p50.toFixed(2)} ms; ${load.requests} requests, status codes ${JSON.stringify(load.statusCounts)}, errors ${load.errors + load.timeouts}`,
        );
      } finally {
        await server.stop();
      }
    }

    await withTempDir('get-data-backends', async (dir) => {
      const path = join(dir, 'wattline.duckdb');
      log(
        `get-data-backends: DuckDB, populating ${sites} ships × ${days} days = ${params.bucketRows} bucket rows`,
      );
      const p0 = performance.now();
      await populateDuckDb(path, sites, days, log);
      await measure('duckdb', path, () => openDuckDbStore({ path }), (performance.now() - p0) / 1000, dir);
    });
    await withTempDatabase('getdata', async (url) => {
      log(
        `get-data-backends: PostgreSQL, populating ${sites} ships × ${days} days = ${params.bucketRows} bucket rows`,
      );
      const p0 = performance.now();
      await populatePostgres(url, sites, days, log);
      const populateS = (performance.now() - p0) / 1000;
      await withTempDir('get-data-backends-pg', (dir) =>
        measure('postgres', url, () => openPostgresStore({ url }), populateS, dir),
      );
    });
    const result: BenchResult = {
      bench: 'get-data-backends',
      quick,
      params,
      metrics,
      notes,
      seconds: (performance.now() - started) / 1000,
    };
    return result;
  },
};
