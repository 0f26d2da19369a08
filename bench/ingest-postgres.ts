// Ingest throughput of the PostgreSQL store: the ingest bench's power readings through normalize +
// PostgreSQL (store.ingest), against a plain COPY of the same rows into a bare 7-column table, batch by
// batch in the same run (each batch goes to both, alternately, so that both see the same machine load).
// A second peer copies into a table with a per-reading primary key (series, time, seq), to show what such an
// index alone costs: the reason the store keeps its raw log in chunks with one index entry each.
import pg from 'pg';
import type { Reading } from '../src/domain/reading.ts';
import { BinaryCopyWriter } from '../src/store/postgres-binary-copy.ts';
import { copyBinary, copyNumber, copyRows, copyText } from '../src/store/postgres-copy.ts';
import { openPostgresStore } from '../src/store/postgres-store.ts';
import { makeBatch } from './ingest.ts';
import { type Bench, envInt } from './support/env.ts';
import { withTempDatabase } from './support/postgres.ts';
import type { BenchResult } from './support/result.ts';

const COLUMNS =
  'site_id text, channel text, kind text, t_ms bigint, end_ms bigint, value double precision, received_ms bigint';

/** One batch by COPY in its own transaction (s). */
async function copyBatch(client: pg.Client, table: string, batch: readonly Reading[]): Promise<number> {
  const t0 = performance.now();
  await client.query('BEGIN');
  await copyRows(client, `COPY ${table} FROM STDIN`, batch.length, (i) => {
    const r = batch[i]!;
    return `${copyText(r.siteId)}\t${copyText(r.channel)}\t${r.kind}\t${r.tMs}\t${copyNumber(r.endMs)}\t${r.value}\t${r.receivedMs}`;
  });
  await client.query('COMMIT');
  return (performance.now() - t0) / 1000;
}

/** One batch by binary COPY (the format the store writes) in its own transaction (s). */
async function copyBinaryBatch(client: pg.Client, table: string, batch: readonly Reading[]): Promise<number> {
  const t0 = performance.now();
  await client.query('BEGIN');
  const rows = new BinaryCopyWriter();
  for (const r of batch) {
    rows.row(7);
    rows.text(r.siteId);
    rows.text(r.channel);
    rows.text(r.kind);
    rows.int8(r.tMs);
    if (r.endMs === null) rows.nullField();
    else rows.int8(r.endMs);
    rows.float8(r.value);
    rows.int8(r.receivedMs);
  }
  await copyBinary(client, `COPY ${table} FROM STDIN (FORMAT binary)`, rows);
  await client.query('COMMIT');
  return (performance.now() - t0) / 1000;
}

export const bench: Bench = {
  name: 'ingest-postgres',
  title: 'power readings through normalize + PostgreSQL (store.ingest) vs plain COPY, target ≥ 70% of COPY',
  async run({ quick, log }) {
    const started = performance.now();
    const total = envInt('BENCH_INGEST_READINGS', 5_000_000, 200_000, quick);
    const sites = envInt('BENCH_INGEST_SITES', 1_000, 200, quick);
    const batchSize = envInt('BENCH_INGEST_BATCH', 50_000, 20_000, quick);
    const perSite = Math.max(1, Math.floor(batchSize / sites));
    const batches = Math.max(1, Math.round(total / (sites * perSite)));
    const readings = batches * sites * perSite;
    const params = { readings, sites, perSite: readings / sites, batch: sites * perSite, batches };
    log(`ingest-postgres: ${readings} readings, ${sites} sites, ${batches} batches of ${sites * perSite}`);

    return withTempDatabase('ingest', async (url) => {
      const peer = new pg.Client({ connectionString: url });
      await peer.connect();
      await peer.query(`CREATE TABLE plain_copy (${COLUMNS})`);
      await peer.query(`CREATE TABLE plain_binary_copy (${COLUMNS})`);
      await peer.query(`CREATE TABLE keyed_copy (${COLUMNS}, seq bigint GENERATED ALWAYS AS IDENTITY,
                        PRIMARY KEY (site_id, channel, kind, t_ms, seq))`);
      const store = await openPostgresStore({ url });
      let storeS = 0;
      let plainS = 0;
      let binaryS = 0;
      let keyedS = 0;
      let stored = 0;
      let buckets = 0;
      try {
        for (let b = 0; b < batches; b++) {
          const batch = makeBatch(b, sites, perSite);
          plainS += await copyBatch(
            peer,
            'plain_copy (site_id, channel, kind, t_ms, end_ms, value, received_ms)',
            batch,
          );
          binaryS += await copyBinaryBatch(
            peer,
            'plain_binary_copy (site_id, channel, kind, t_ms, end_ms, value, received_ms)',
            batch,
          );
          const t0 = performance.now();
          const summary = await store.ingest(batch);
          storeS += (performance.now() - t0) / 1000;
          keyedS += await copyBatch(
            peer,
            'keyed_copy (site_id, channel, kind, t_ms, end_ms, value, received_ms)',
            batch,
          );
          stored += summary.stored;
          buckets += summary.bucketsTouched;
          if (b % 10 === 9 || b === batches - 1) {
            const n = (b + 1) * batch.length;
            log(
              `  batch ${b + 1}/${batches}: store ${Math.round(n / storeS)}/s, plain COPY ${Math.round(n / plainS)}/s (binary ${Math.round(n / binaryS)}/s), keyed COPY ${Math.round(n / keyedS)}/s`,
            );
          }
        }
      } finally {
        await store.close();
        await peer.end();
      }
      // The store is measured against the faster of the two plain COPY formats.
      const copyS = Math.min(plainS, binaryS);
      const notes = [
        `${stored} readings stored, ${buckets} bucket rows written; one transaction per batch on every side`,
        'peers: COPY into a bare 7-column table in text and in binary format (the store writes binary), and a text COPY into a table with a per-reading primary key (site, channel, kind, t, seq)',
        `store.ingest reaches ${((copyS / storeS) * 100).toFixed(0)}% of the faster plain COPY (text ${((plainS / storeS) * 100).toFixed(0)}%, binary ${((binaryS / storeS) * 100).toFixed(0)}%) and ${((keyedS / storeS) * 100).toFixed(0)}% of keyed COPY`,
      ];
      if (stored !== readings) notes.push(`WARNING: ${readings - stored} readings were not stored`);
      const result: BenchResult = {
        bench: 'ingest-postgres',
        quick,
        params,
        metrics: [
          { key: 'readings_per_s', label: 'store.ingest readings/s', value: readings / storeS, unit: '/s' },
          {
            key: 'copy_per_s',
            label: 'peer: plain text COPY readings/s',
            value: readings / plainS,
            unit: '/s',
          },
          {
            key: 'binary_copy_per_s',
            label: 'peer: plain binary COPY readings/s',
            value: readings / binaryS,
            unit: '/s',
          },
          {
            key: 'keyed_copy_per_s',
            label: 'peer: COPY with per-reading key readings/s',
            value: readings / keyedS,
            unit: '/s',
          },
          {
            key: 'share_of_copy_pct',
            label: 'store.ingest speed as % of the faster plain COPY',
            value: (copyS / storeS) * 100,
            unit: '%',
            target: { op: '>=', value: 70 },
          },
          { key: 'store_s', label: 'store.ingest total time', value: storeS, unit: 's', digits: 1 },
          { key: 'copy_s', label: 'faster plain COPY total time', value: copyS, unit: 's', digits: 1 },
        ],
        notes,
        seconds: (performance.now() - started) / 1000,
      };
      return result;
    });
  },
};
