// After a start the ingest engine knows every series but holds none of their tails, so the first batch of
// each series read its neighbourhood from the database: four queries, about 20 ms, against 4 ms for the
// next batch. A fleet that posts every minute paid that for every site after each restart. Here, at open,
// the tails are read in bulk (the latest chunks of every series and the stored buckets from each tail's
// start: three queries in all) and handed to the engine, exactly as ingest would have kept them.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Bucket } from '../domain/bucket.ts';
import { tailOf } from '../normalize/series-window.ts';
import { appendTo } from './duckdb-append.ts';
import { asSeriesReadings, chunksBySeries, decodeAll, selectChunks } from './duckdb-reading-chunks.ts';
import type { DuckDbSeriesCatalog } from './duckdb-series-catalog.ts';
import { BUCKET_VALUE_COLUMNS, bucketFromRow } from './duckdb-series-io.ts';
import type { IncrementalIngest } from './incremental-ingest.ts';
import { winnersByTime } from './reading-chunk-codec.ts';

/** Latest chunks read per series: a tail needs a few dozen readings, which one or two chunks hold. */
const CHUNKS_PER_SERIES = 3;

/**
 * Reads and adopts the tails of the `maxSeries` most recently written series. Runs before the store
 * serves (no write can interleave). Resolves with the number of tails adopted; a series whose latest
 * chunks cannot vouch for its tail (too few readings in them) is left to the first batch's queries.
 */
export async function warmTails(
  conn: DuckDBConnection,
  catalog: DuckDbSeriesCatalog,
  engine: IncrementalIngest,
  maxSeries: number,
): Promise<number> {
  if (maxSeries <= 0) return 0;
  const latest = await conn.runAndReadAll(
    `SELECT series_id, seq, last_ms, n FROM (
       SELECT series_id, seq, last_ms,
              row_number() OVER (PARTITION BY series_id ORDER BY last_ms DESC, seq DESC) AS rank,
              count(*) OVER (PARTITION BY series_id) AS n,
              max(received_ms) OVER (PARTITION BY series_id) AS recent
       FROM reading_chunks)
     WHERE rank <= ${CHUNKS_PER_SERIES} ORDER BY recent DESC, series_id, rank`,
  );
  const wanted = new Map<number, { chunks: number; lowestLastMs: number }>();
  const seqs: number[] = [];
  for (const row of latest.getRowsJS()) {
    const id = Number(row[0]);
    let w = wanted.get(id);
    if (w === undefined) {
      if (wanted.size >= maxSeries) break;
      w = { chunks: Number(row[3]), lowestLastMs: Number.POSITIVE_INFINITY };
      wanted.set(id, w);
    }
    w.lowestLastMs = Math.min(w.lowestLastMs, Number(row[2]));
    seqs.push(Number(row[1]));
  }
  if (seqs.length === 0) return 0;

  await conn.run('CREATE OR REPLACE TEMP TABLE warm_chunks (seq BIGINT)');
  await appendTo(conn, 'warm_chunks', (a) => {
    for (const seq of seqs) {
      a.appendBigInt(BigInt(seq));
      a.endRow();
    }
  });
  const bySeries = chunksBySeries(await selectChunks(conn, 'seq IN (SELECT seq FROM warm_chunks)'));

  const tails = new Map<number, ReturnType<typeof tailOf>>();
  for (const [id, w] of wanted) {
    const ref = catalog.refOf(id);
    const sorted = asSeriesReadings(ref.kind, winnersByTime(decodeAll(bySeries.get(id) ?? [])));
    const tail = tailOf(sorted, engine.spacingWindowOf(ref.siteId));
    const first = tail.readings[0];
    // The tail is exact when the chunks read are the whole series, or when it keeps a reading before its
    // start that every unread chunk ends before (so none holds an instant of the tail, or a repeat of one).
    const whole = w.chunks <= CHUNKS_PER_SERIES;
    const vouched = first !== undefined && first.tMs < tail.fromMs && w.lowestLastMs < first.tMs;
    if (tail.readings.length > 0 && (whole || vouched)) tails.set(id, tail);
  }
  await conn.run('DROP TABLE warm_chunks');
  if (tails.size === 0) return 0;

  await conn.run('CREATE OR REPLACE TEMP TABLE warm_tails (series_id INTEGER, from_ms BIGINT)');
  await appendTo(conn, 'warm_tails', (a) => {
    for (const [id, tail] of tails) {
      a.appendInteger(id);
      a.appendBigInt(BigInt(tail.fromMs));
      a.endRow();
    }
  });
  let minFromMs = Number.POSITIVE_INFINITY;
  for (const t of tails.values()) minFromMs = Math.min(minFromMs, t.fromMs);
  const stored = await conn.runAndReadAll(
    `SELECT b.series_id, ${BUCKET_VALUE_COLUMNS}
     FROM buckets b JOIN warm_tails w USING (series_id)
     WHERE b.bucket_start_ms >= ${Math.floor(minFromMs)} AND b.bucket_start_ms >= w.from_ms
     ORDER BY b.series_id, b.bucket_start_ms`,
  );
  await conn.run('DROP TABLE warm_tails');
  const buckets = new Map<number, Bucket[]>();
  for (const row of stored.getRowsJS()) {
    const id = Number(row[0]);
    const b = bucketFromRow(row, 1);
    const list = buckets.get(id);
    if (list) list.push(b);
    else buckets.set(id, [b]);
  }
  for (const [id, tail] of tails)
    engine.adoptTail(catalog.refOf(id), { ...tail, buckets: buckets.get(id) ?? [] });
  return tails.size;
}
