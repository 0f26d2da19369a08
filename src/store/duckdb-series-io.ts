// The DuckDB side of incremental ingest: neighbourhood reads, and writes buffered for the whole
// transaction so that a group of concurrent ingests costs one appender per table and one set-based
// DELETE, instead of several statements per request. Reads flush the buffer first, so they always see
// the transaction's own writes. Series are addressed by their integer id (duckdb-series-catalog.ts).
import {
  DOUBLE,
  type DuckDBConnection,
  type DuckDBVector,
  INTEGER,
  SQLNULL,
  TINYINT,
  VARCHAR,
} from '@duckdb/node-api';
import type { Reading, SeriesReading } from '../domain/reading.ts';
import { appendTo as append, appendColumns, type TableAppenders } from './duckdb-append.ts';
import type { DuckDbSeriesCatalog } from './duckdb-series-catalog.ts';
import type { BucketWindow, KindBucket, SeriesIo, SeriesRef } from './incremental-ingest.ts';

/** The winner at each instant: latest received, then latest sequence. */
export const WINNERS =
  'QUALIFY row_number() OVER (PARTITION BY series_id, t_ms ORDER BY received_ms DESC, seq DESC) = 1';

/** Chunk columns of the readings table: series_id, then t_ms, end_ms, value, received_ms and seq as
 * doubles (cast to the BIGINT columns by the appender, as appendDouble was). */
const READING_CHUNK_TYPES = [INTEGER, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE];
/** The same when no row of the chunk has an end: end_ms is all NULL without a per-row validity bit
 * (the library's setItem(null) costs BigInt arithmetic and garbage for every row). */
const READING_CHUNK_TYPES_NO_END = [INTEGER, DOUBLE, SQLNULL, DOUBLE, DOUBLE, DOUBLE];
/** series_id, kind_rank, bucket_start_ms, energy_wh, positive_wh, negative_wh, coverage, samples,
 * min_power_w, max_power_w, quality. */
const BUCKET_CHUNK_TYPES = [
  INTEGER,
  TINYINT,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  INTEGER,
  DOUBLE,
  DOUBLE,
  VARCHAR,
];

export class DuckDbSeriesIo implements SeriesIo {
  private readings: { rows: readonly Reading[]; firstSeq: number }[] = [];
  /** Windows whose already-stored buckets must go. */
  private windows: BucketWindow[] = [];
  /** Buckets to insert, per series id, by bucket start. */
  private buckets = new Map<number, Map<number, KindBucket>>();

  constructor(
    private readonly conn: DuckDBConnection,
    /** The connection's kept appenders. */
    private readonly appenders: TableAppenders,
    private readonly catalog: DuckDbSeriesCatalog,
  ) {}

  /** Runs a query on one series after flushing; a series without an id has no rows. */
  private async query(s: SeriesRef, sql: string, params: Record<string, number> = {}): Promise<unknown[][]> {
    await this.flush();
    const id = this.catalog.idOf(s);
    if (id === undefined) return [];
    const r = await this.conn.runAndReadAll(sql, { ...params, id });
    return r.getRowsJS();
  }

  async lastBefore(s: SeriesRef, ms: number): Promise<number | null> {
    const rows = await this.query(s, 'SELECT max(t_ms) FROM readings WHERE series_id = $id AND t_ms < $ms', {
      ms,
    });
    const v = rows[0]?.[0];
    return v === null || v === undefined ? null : Number(v);
  }

  async distinctAfter(s: SeriesRef, ms: number, limit: number): Promise<number[]> {
    const rows = await this.query(
      s,
      `SELECT DISTINCT t_ms FROM readings WHERE series_id = $id AND t_ms > $ms ORDER BY t_ms LIMIT ${Math.floor(limit)}`,
      { ms },
    );
    return rows.map((row) => Number(row[0]));
  }

  async lastDistinct(s: SeriesRef, limit: number): Promise<number[]> {
    const rows = await this.query(
      s,
      `SELECT DISTINCT t_ms FROM readings WHERE series_id = $id ORDER BY t_ms DESC LIMIT ${Math.floor(limit)}`,
    );
    return rows.map((row) => Number(row[0]));
  }

  async readingsAround(s: SeriesRef, fromMs: number, toMs: number): Promise<SeriesReading[]> {
    const rows = await this.query(
      s,
      `SELECT t_ms, end_ms, value, received_ms FROM readings
       WHERE series_id = $id
         AND t_ms >= coalesce((SELECT max(t_ms) FROM readings WHERE series_id = $id AND t_ms < $from), $from)
         AND t_ms <= coalesce((SELECT min(t_ms) FROM readings WHERE series_id = $id AND t_ms > $to), $to)
       ${WINNERS}
       ORDER BY t_ms`,
      { from: fromMs, to: toMs },
    );
    return rows.map((row) => ({
      kind: s.kind,
      tMs: Number(row[0]),
      endMs: row[1] === null ? null : Number(row[1]),
      value: row[2] as number,
      receivedMs: Number(row[3]),
    }));
  }

  async appendReadings(rows: readonly Reading[], firstSeq: number): Promise<void> {
    this.readings.push({ rows, firstSeq });
  }

  async replaceBuckets(windows: readonly BucketWindow[], buckets: readonly KindBucket[]): Promise<void> {
    for (const w of windows) {
      const pending = this.buckets.get(this.catalog.ensure(w));
      if (pending)
        for (const start of pending.keys()) if (start >= w.fromMs && start < w.toMs) pending.delete(start);
      if (!w.isNew) this.windows.push(w);
    }
    // Buckets arrive grouped by series: the id and its map are looked up once per run of one series.
    let last: KindBucket | undefined;
    let pending = new Map<number, KindBucket>();
    for (const b of buckets) {
      if (
        last === undefined ||
        b.siteId !== last.siteId ||
        b.channel !== last.channel ||
        b.kind !== last.kind
      ) {
        const key = this.catalog.ensure(b);
        let found = this.buckets.get(key);
        if (!found) {
          found = new Map();
          this.buckets.set(key, found);
        }
        pending = found;
        last = b;
      }
      pending.set(b.bucketStartMs, b);
    }
  }

  /** Forgets buffered writes (after a rollback). */
  discard(): void {
    this.readings = [];
    this.windows = [];
    this.buckets = new Map();
  }

  /** Writes everything buffered, inside the caller's transaction. */
  async flush(): Promise<void> {
    const readings = this.readings;
    const windows = this.windows;
    const buckets = this.buckets;
    this.discard();
    await this.catalog.flush(this.appenders);
    if (readings.length > 0) await this.writeReadings(readings);
    if (windows.length > 0) await this.deleteWindows(windows);
    if (buckets.size > 0) await this.writeBuckets(buckets);
  }

  private writeReadings(chunks: readonly { rows: readonly Reading[]; firstSeq: number }[]): Promise<void> {
    // Flattened first so that chunks of 2,048 rows may span the buffered batches (one batch: as is).
    const rows: readonly Reading[] = chunks.length === 1 ? chunks[0]!.rows : chunks.flatMap((c) => c.rows);
    const seqs: number[] = [];
    for (const c of chunks) for (let i = 0; i < c.rows.length; i++) seqs.push(c.firstSeq + i);
    // Ingest hands rows over grouped by series, so the id is looked up once per run of one series.
    let lastRow: Reading | undefined;
    let lastId = 0;
    const typesOf = (from: number, count: number) => {
      for (let i = from; i < from + count; i++) if (rows[i]!.endMs !== null) return READING_CHUNK_TYPES;
      return READING_CHUNK_TYPES_NO_END;
    };
    return appendColumns(this.appenders, 'readings', typesOf, rows.length, (v, from, count) => {
      const [seriesId, tMs, endMs, value, receivedMs, seq] = v as (DuckDBVector<number> | undefined)[];
      for (let i = 0; i < count; i++) {
        const r = rows[from + i]!;
        if (
          lastRow === undefined ||
          r.siteId !== lastRow.siteId ||
          r.channel !== lastRow.channel ||
          r.kind !== lastRow.kind
        ) {
          lastId = this.catalog.ensure(r);
          lastRow = r;
        }
        seriesId!.setItem(i, lastId);
        tMs!.setItem(i, r.tMs);
        endMs?.setItem(i, r.endMs);
        value!.setItem(i, r.value);
        receivedMs!.setItem(i, r.receivedMs);
        seq!.setItem(i, seqs[from + i]!);
      }
    });
  }

  private async deleteWindows(windows: readonly BucketWindow[]): Promise<void> {
    await this.conn.run('DELETE FROM recompute_windows');
    await append(this.appenders, 'recompute_windows', (a) => {
      for (const w of windows) {
        a.appendInteger(this.catalog.ensure(w));
        a.appendDouble(w.fromMs);
        a.appendDouble(w.toMs);
        a.endRow();
      }
    });
    // The literal lower bound lets DuckDB skip row groups by their min/max before joining.
    const minFromMs = windows.reduce((m, w) => Math.min(m, w.fromMs), Number.POSITIVE_INFINITY);
    await this.conn.run(
      `DELETE FROM buckets b USING recompute_windows w
       WHERE b.bucket_start_ms >= ${Math.floor(minFromMs)}
         AND b.series_id = w.series_id
         AND b.bucket_start_ms >= w.from_ms AND b.bucket_start_ms < w.to_ms`,
    );
  }

  private writeBuckets(buckets: Map<number, Map<number, KindBucket>>): Promise<void> {
    const ids: number[] = [];
    const rows: KindBucket[] = [];
    for (const [seriesId, series] of buckets) {
      for (const b of series.values()) {
        ids.push(seriesId);
        rows.push(b);
      }
    }
    return appendColumns(
      this.appenders,
      'buckets',
      () => BUCKET_CHUNK_TYPES,
      rows.length,
      (v, from, count) => {
        const [seriesId, kindRank, startMs, energyWh, positiveWh, negativeWh, coverage, samples, minW, maxW] =
          v as DuckDBVector<number>[];
        const quality = v[10] as DuckDBVector<string>;
        for (let i = 0; i < count; i++) {
          const b = rows[from + i]!;
          seriesId!.setItem(i, ids[from + i]!);
          kindRank!.setItem(i, b.kindRank);
          startMs!.setItem(i, b.bucketStartMs);
          energyWh!.setItem(i, b.energyWh);
          positiveWh!.setItem(i, b.positiveWh);
          negativeWh!.setItem(i, b.negativeWh);
          coverage!.setItem(i, b.coverage);
          samples!.setItem(i, b.samples);
          minW!.setItem(i, b.minPowerW);
          maxW!.setItem(i, b.maxPowerW);
          quality.setItem(i, b.quality);
        }
      },
    );
  }
}
