// Ingest throughput: power readings of many sites, time-sliced into batches, through normalize + DuckDB
// (store.ingest), next to a raw DuckDB appender of the same rows into a plain table, so that the cost of
// normalization and bucket maintenance over a bare write is visible.
import { join } from 'node:path';
import { DOUBLE, type DuckDBAppender, DuckDBDataChunk, DuckDBInstance, VARCHAR } from '@duckdb/node-api';
import type { Reading } from '../src/domain/reading.ts';
import { openDuckDbStore } from '../src/store/duckdb-store.ts';
import { type Bench, envInt, MB } from './support/env.ts';
import type { BenchResult } from './support/result.ts';
import { kernelPeakRss, sampleOwnRss } from './support/rss.ts';
import { withTempDir } from './support/tmp.ts';

const START_MS = Date.UTC(2024, 0, 1);
const SPACING_MS = 5_000;

/** Batch `b`: `perSite` consecutive instants of every site, site by site within each instant (W). */
export function makeBatch(b: number, sites: number, perSite: number): Reading[] {
  const out: Reading[] = new Array(sites * perSite);
  let i = 0;
  for (let k = 0; k < perSite; k++) {
    const step = b * perSite + k;
    const tMs = START_MS + step * SPACING_MS;
    for (let s = 1; s <= sites; s++) {
      out[i++] = {
        siteId: String(s),
        channel: 'grid',
        kind: 'power',
        tMs,
        endMs: null,
        value: 200 + ((s * 7919 + step * 131) % 4000),
        receivedMs: tMs + 1_000,
      };
    }
  }
  return out;
}

const RAW_TABLE =
  'CREATE TABLE readings (site_id VARCHAR, channel VARCHAR, kind VARCHAR, t_ms BIGINT, end_ms BIGINT, value DOUBLE, received_ms BIGINT)';
/** Rows per DuckDB data chunk (its vector size). */
const CHUNK_ROWS = 2_048;
const CHUNK_TYPES = [VARCHAR, VARCHAR, VARCHAR, DOUBLE, DOUBLE, DOUBLE, DOUBLE];

/** Appends one batch value by value, as the store does. */
function appendRows(a: DuckDBAppender, batch: readonly Reading[]): void {
  for (const r of batch) {
    a.appendVarchar(r.siteId);
    a.appendVarchar(r.channel);
    a.appendVarchar(r.kind);
    a.appendDouble(r.tMs);
    a.appendNull();
    a.appendDouble(r.value);
    a.appendDouble(r.receivedMs);
    a.endRow();
  }
}

/** Appends one batch column by column in data chunks: one native call per column per 2,048 rows. */
function appendChunks(a: DuckDBAppender, batch: readonly Reading[]): void {
  for (let from = 0; from < batch.length; from += CHUNK_ROWS) {
    const rows = batch.slice(from, from + CHUNK_ROWS);
    const chunk = DuckDBDataChunk.create(CHUNK_TYPES, rows.length);
    chunk.setColumns([
      rows.map((r) => r.siteId),
      rows.map((r) => r.channel),
      rows.map((r) => r.kind),
      rows.map((r) => r.tMs),
      rows.map((r) => r.endMs),
      rows.map((r) => r.value),
      rows.map((r) => r.receivedMs),
    ]);
    a.appendDataChunk(chunk);
  }
}

/** The same rows into a plain table, one transaction per batch, no normalization (s). */
async function rawAppender(
  path: string,
  mode: 'rows' | 'chunks',
  batches: number,
  sites: number,
  perSite: number,
): Promise<number> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run(RAW_TABLE);
  let seconds = 0;
  for (let b = 0; b < batches; b++) {
    const batch = makeBatch(b, sites, perSite);
    const t0 = performance.now();
    await conn.run('BEGIN TRANSACTION');
    const a = await conn.createAppender('readings');
    if (mode === 'rows') appendRows(a, batch);
    else appendChunks(a, batch);
    a.closeSync();
    await conn.run('COMMIT');
    seconds += (performance.now() - t0) / 1000;
  }
  const t0 = performance.now();
  await conn.run('CHECKPOINT');
  seconds += (performance.now() - t0) / 1000;
  conn.closeSync();
  instance.closeSync();
  return seconds;
}

export const bench: Bench = {
  name: 'ingest',
  title: 'power readings through normalize + DuckDB (store.ingest), target ≥ 500k readings/s',
  async run({ quick, log }) {
    const started = performance.now();
    const total = envInt('BENCH_INGEST_READINGS', 5_000_000, 200_000, quick);
    const sites = envInt('BENCH_INGEST_SITES', 1_000, 200, quick);
    const batchSize = envInt('BENCH_INGEST_BATCH', 50_000, 20_000, quick);
    const perSite = Math.max(1, Math.floor(batchSize / sites));
    const batches = Math.max(1, Math.round(total / (sites * perSite)));
    const readings = batches * sites * perSite;
    const params = { readings, sites, perSite: readings / sites, batch: sites * perSite, batches };
    log(`ingest: ${readings} readings, ${sites} sites, ${batches} batches of ${sites * perSite}`);

    return withTempDir('ingest', async (dir) => {
      const rss = sampleOwnRss(100);
      const store = await openDuckDbStore({ path: join(dir, 'wattline.duckdb') });
      let ingestS = 0;
      let generateS = 0;
      let buckets = 0;
      let stored = 0;
      for (let b = 0; b < batches; b++) {
        const g0 = performance.now();
        const batch = makeBatch(b, sites, perSite);
        const t0 = performance.now();
        const summary = await store.ingest(batch);
        const t1 = performance.now();
        generateS += (t0 - g0) / 1000;
        ingestS += (t1 - t0) / 1000;
        buckets += summary.bucketsTouched;
        stored += summary.stored;
        if (b % 10 === 9 || b === batches - 1) {
          log(
            `  batch ${b + 1}/${batches}: ${Math.round(((b + 1) * batch.length) / ingestS)} readings/s, rss ${(rss.peak() / MB).toFixed(0)} MB`,
          );
        }
      }
      const c0 = performance.now();
      await store.close();
      const closeS = (performance.now() - c0) / 1000;
      const peak = rss.stop();
      const totalS = ingestS + closeS;
      const notes = [
        `kernel peak RSS (ru_maxrss) ${(kernelPeakRss() / MB).toFixed(0)} MB; reading generation (${generateS.toFixed(1)} s) is not timed`,
        `${stored} readings stored, ${buckets} bucket rows written (recomputed windows included)`,
      ];
      if (stored !== readings) notes.push(`WARNING: ${readings - stored} readings were not stored`);

      log('ingest: raw appender peers (row by row, then data chunks)');
      const rawS = await rawAppender(join(dir, 'raw-rows.duckdb'), 'rows', batches, sites, perSite);
      const chunkS = await rawAppender(join(dir, 'raw-chunks.duckdb'), 'chunks', batches, sites, perSite);
      const rate = readings / totalS;
      const rawRate = readings / rawS;
      notes.push(
        `store.ingest takes ${(totalS / rawS).toFixed(1)}× the time of a bare row appender of the same rows (${totalS.toFixed(1)} s vs ${rawS.toFixed(1)} s)`,
        'peers: plain 7-column table, one transaction per batch, same batches; the chunk peer appends DuckDB data chunks built from column arrays',
      );
      const result: BenchResult = {
        bench: 'ingest',
        quick,
        params,
        metrics: [
          {
            key: 'readings_per_s',
            label: 'store.ingest readings/s (incl. close)',
            value: rate,
            unit: '/s',
            target: { op: '>=', value: 500_000 },
          },
          { key: 'total_s', label: 'store.ingest total time', value: totalS, unit: 's', digits: 1 },
          { key: 'close_s', label: 'of which close (checkpoint)', value: closeS, unit: 's', digits: 2 },
          { key: 'peak_rss_mb', label: 'peak RSS (sampled 100 ms)', value: peak / MB, unit: 'MB' },
          {
            key: 'raw_appender_per_s',
            label: 'peer: raw row appender readings/s',
            value: rawRate,
            unit: '/s',
          },
          {
            key: 'raw_appender_s',
            label: 'peer: raw row appender total time',
            value: rawS,
            unit: 's',
            digits: 1,
          },
          {
            key: 'overhead_x',
            label: 'store.ingest / raw row appender time',
            value: totalS / rawS,
            unit: '×',
            digits: 1,
          },
          {
            key: 'chunk_appender_per_s',
            label: 'peer: raw chunk appender readings/s',
            value: readings / chunkS,
            unit: '/s',
          },
        ],
        notes,
        seconds: (performance.now() - started) / 1000,
      };
      return result;
    });
  },
};
