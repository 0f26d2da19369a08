// The DuckDB raw log: reading chunks (reading-chunk-codec.ts) appended per series and write, and the
// reads ingest and the API make of it. Every read selects chunks by series and by first_ms/last_ms
// (which DuckDB prunes by row-group min/max) and decodes only those.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReadingKind, SeriesReading } from '../domain/reading.ts';
import { type AppendTarget, appendTo } from './duckdb-append.ts';
import {
  type ChunkReading,
  type ReadingChunk,
  unpackReadings,
  winnersByTime,
} from './reading-chunk-codec.ts';

// `data` is stored uncompressed: every chunk is unique, so dictionary compression never pays, and its
// analysis at each checkpoint held a row group's blobs (about 100 MB) in memory: a 1 GB import peaked at
// 601 MB instead of 373 MB.
export const READING_CHUNKS_DDL = `CREATE TABLE reading_chunks (
  series_id INTEGER NOT NULL,
  first_ms BIGINT NOT NULL,
  last_ms BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  count INTEGER NOT NULL,
  received_ms BIGINT NOT NULL,
  layout UTINYINT NOT NULL,
  data BLOB USING COMPRESSION uncompressed NOT NULL
)`;

/** Byte k (1-based) of the little-endian float64 at index i of a chunk's data, as hex. */
const hexByte = (k: number) => `substring(h, i * 16 + ${(k - 1) * 2 + 1}, 2)`;

/**
 * The raw log as SQL sees it: a `readings` view with one row per reading (site, channel, kind, t_ms,
 * end_ms, value, received_ms, seq), for people who query the file with DuckDB itself. DuckDB has no
 * cast from bytes to a double, so macros rebuild each one from its bits, exactly (sign, exponent,
 * mantissa; NaN, the "no end" mark, becomes NULL). Slower than the store's own reads, which decode in JS.
 */
export const READINGS_VIEW = [
  `CREATE OR REPLACE MACRO wattline_f64_bits(h, i) AS
     ('0x' || ${[8, 7, 6, 5, 4, 3, 2, 1].map(hexByte).join(' || ')})::UBIGINT`,
  `CREATE OR REPLACE MACRO wattline_f64_of(u) AS (CASE
     WHEN ((u >> 52) & 2047) = 2047 THEN NULL
     WHEN ((u >> 52) & 2047) = 0 THEN (u & 4503599627370495)::DOUBLE * pow(2.0, -1074)
     ELSE (1.0 + (u & 4503599627370495)::DOUBLE / 4503599627370496.0) * pow(2.0, ((u >> 52) & 2047)::INTEGER - 1023)
   END * CASE WHEN (u >> 63) = 1 THEN -1.0 ELSE 1.0 END)`,
  'CREATE OR REPLACE MACRO wattline_f64(h, i) AS wattline_f64_of(wattline_f64_bits(h, i))',
  `CREATE OR REPLACE VIEW readings AS
   SELECT s.site_id, s.channel, s.kind, c.series_id,
          wattline_f64(c.h, c.k)::BIGINT AS t_ms,
          CASE WHEN c.layout & 1 = 1 THEN wattline_f64(c.h, 2 * c.count + c.k)::BIGINT END AS end_ms,
          wattline_f64(c.h, c.count + c.k) AS value,
          CASE WHEN c.layout & 2 = 2 THEN wattline_f64(c.h, (2 + (c.layout & 1)) * c.count + c.k)::BIGINT
               ELSE c.received_ms END AS received_ms,
          c.seq + c.k AS seq
   FROM (SELECT series_id, count, layout, received_ms, seq, hex(data) AS h, unnest(range(count)) AS k
         FROM reading_chunks) c
   JOIN series s USING (series_id)`,
];

const COLUMNS = 'series_id, first_ms, last_ms, seq, count, received_ms, layout, data';

/** A stored chunk with its series. */
export interface StoredChunk extends ReadingChunk {
  seriesId: number;
}

/**
 * Appends chunks, inside the connection's current transaction. Row by row: a write makes a few dozen
 * chunks, too few to repay building a data chunk's vectors (as the buckets' appends do).
 */
export function appendReadingChunks(target: AppendTarget, chunks: readonly StoredChunk[]): Promise<void> {
  if (chunks.length === 0) return Promise.resolve();
  return appendTo(target, 'reading_chunks', (a) => {
    for (const c of chunks) {
      a.appendInteger(c.seriesId);
      a.appendDouble(c.firstMs);
      a.appendDouble(c.lastMs);
      a.appendDouble(c.seq);
      a.appendInteger(c.count);
      a.appendDouble(c.receivedMs);
      a.appendUTinyInt(c.layout);
      a.appendBlob(c.data);
      a.endRow();
    }
  });
}

/** Chunks matching `where` (SQL over the chunk columns, with $-parameters), in `order` when given. */
export async function selectChunks(
  conn: DuckDBConnection,
  where: string,
  params: Record<string, number> = {},
  order = '',
): Promise<StoredChunk[]> {
  const r = await conn.runAndReadAll(`SELECT ${COLUMNS} FROM reading_chunks WHERE ${where} ${order}`, params);
  return r.getRowsJS().map((row) => ({
    seriesId: Number(row[0]),
    firstMs: Number(row[1]),
    lastMs: Number(row[2]),
    seq: Number(row[3]),
    count: Number(row[4]),
    receivedMs: Number(row[5]),
    layout: Number(row[6]),
    data: row[7] as Uint8Array,
  }));
}

/** Chunks grouped by series, each series' in the order given. */
export function chunksBySeries(chunks: readonly StoredChunk[]): Map<number, StoredChunk[]> {
  const out = new Map<number, StoredChunk[]>();
  for (const c of chunks) {
    const list = out.get(c.seriesId);
    if (list) list.push(c);
    else out.set(c.seriesId, [c]);
  }
  return out;
}

/** Decoded readings of one series as the ingest engine takes them. */
export function asSeriesReadings(kind: ReadingKind, rows: readonly ChunkReading[]): SeriesReading[] {
  return rows.map((r) => ({ kind, tMs: r.tMs, endMs: r.endMs, value: r.value, receivedMs: r.receivedMs }));
}

/** Decodes every reading of the chunks. */
export function decodeAll(chunks: readonly StoredChunk[]): ChunkReading[] {
  const out: ChunkReading[] = [];
  for (const c of chunks) for (const r of unpackReadings(c)) out.push(r);
  return out;
}

/** The latest instant of a series strictly before `ms`, or null. */
export async function lastBefore(
  conn: DuckDBConnection,
  seriesId: number,
  ms: number,
): Promise<number | null> {
  // The chunk that ends last before `ms` gives a lower bound; only chunks ending at or after it (and
  // starting before `ms`) can hold the answer.
  const chunks = await selectChunks(
    conn,
    `series_id = $id AND first_ms < $ms AND last_ms >= coalesce(
       (SELECT max(last_ms) FROM reading_chunks WHERE series_id = $id AND last_ms < $ms), $ms)`,
    { id: seriesId, ms },
  );
  let best: number | null = null;
  for (const r of decodeAll(chunks)) if (r.tMs < ms && (best === null || r.tMs > best)) best = r.tMs;
  return best;
}

/** Pages of chunks in `order`: the distinct-instant reads stop as soon as they have enough. */
async function* pagesOf(
  conn: DuckDBConnection,
  where: string,
  params: Record<string, number>,
  order: string,
): AsyncGenerator<StoredChunk> {
  const page = 16;
  for (let offset = 0; ; offset += page) {
    const chunks = await selectChunks(
      conn,
      where,
      params,
      `ORDER BY ${order} LIMIT ${page} OFFSET ${offset}`,
    );
    yield* chunks;
    if (chunks.length < page) return;
  }
}

/**
 * The first `limit` distinct instants, in `direction` (1: ascending, -1: descending), of the chunks
 * `where` selects, among those `keep` accepts. Chunks come ordered by the bound of their instants on that
 * side (first_ms ascending, or last_ms descending): once `limit` instants lie at or before the next
 * chunk's bound, no later chunk can add an earlier one.
 */
async function firstDistinct(
  conn: DuckDBConnection,
  where: string,
  params: Record<string, number>,
  direction: 1 | -1,
  keep: (tMs: number) => boolean,
  limit: number,
): Promise<number[]> {
  const seen = new Set<number>();
  let sorted: number[] = [];
  const order = direction === 1 ? 'first_ms, seq' : 'last_ms DESC, seq DESC';
  for await (const c of pagesOf(conn, where, params, order)) {
    const bound = direction === 1 ? c.firstMs : c.lastMs;
    if (sorted.length >= limit && direction * (sorted[limit - 1]! - bound) <= 0) break;
    for (const r of unpackReadings(c)) if (keep(r.tMs)) seen.add(r.tMs);
    sorted = [...seen].sort((a, b) => direction * (a - b));
  }
  return sorted.slice(0, limit);
}

/** Up to `limit` distinct instants strictly after `ms`, ascending. */
export function distinctAfter(
  conn: DuckDBConnection,
  seriesId: number,
  ms: number,
  limit: number,
): Promise<number[]> {
  const where = 'series_id = $id AND last_ms > $ms';
  return firstDistinct(conn, where, { id: seriesId, ms }, 1, (tMs) => tMs > ms, limit);
}

/** The `limit` latest distinct instants, descending. */
export function lastDistinct(conn: DuckDBConnection, seriesId: number, limit: number): Promise<number[]> {
  return firstDistinct(conn, 'series_id = $id', { id: seriesId }, -1, () => true, limit);
}

/**
 * Winning readings with t in [fromMs, toMs], plus those at the last instant before fromMs and the first
 * after toMs (the neighbours a recomputation needs), sorted by time.
 */
export async function readingsAround(
  conn: DuckDBConnection,
  seriesId: number,
  fromMs: number,
  toMs: number,
): Promise<ChunkReading[]> {
  // A superset of the chunks holding the neighbours: the chunk ending last before fromMs bounds the
  // earlier side, the chunk starting first after toMs the later one (a straddling chunk is kept anyway).
  const chunks = await selectChunks(
    conn,
    `series_id = $id
     AND last_ms >= coalesce((SELECT max(last_ms) FROM reading_chunks WHERE series_id = $id AND last_ms < $from), $from)
     AND first_ms <= coalesce((SELECT min(first_ms) FROM reading_chunks WHERE series_id = $id AND first_ms > $to), $to)`,
    { id: seriesId, from: fromMs, to: toMs },
  );
  const all = decodeAll(chunks);
  let before = Number.NEGATIVE_INFINITY;
  let after = Number.POSITIVE_INFINITY;
  for (const r of all) {
    if (r.tMs < fromMs && r.tMs > before) before = r.tMs;
    if (r.tMs > toMs && r.tMs < after) after = r.tMs;
  }
  const lo = before === Number.NEGATIVE_INFINITY ? fromMs : before;
  const hi = after === Number.POSITIVE_INFINITY ? toMs : after;
  return winnersByTime(all.filter((r) => r.tMs >= lo && r.tMs <= hi));
}
