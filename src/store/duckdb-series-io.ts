// The DuckDB side of incremental ingest: neighbourhood reads, and writes buffered for the whole
// transaction so that a group of concurrent ingests costs one appender per table and one set-based
// DELETE, instead of several statements per request. Reads flush the buffer first, so they always see
// the transaction's own writes. Series are addressed by their integer id (duckdb-series-catalog.ts).
import { DOUBLE, type DuckDBConnection, type DuckDBVector, ENUM8, INTEGER, TINYINT } from '@duckdb/node-api';
import { BUCKET_QUALITIES, type Bucket, type BucketQuality } from '../domain/bucket.ts';
import type { Reading, SeriesReading } from '../domain/reading.ts';
import { appendTo as append, appendColumns, type TableAppenders } from './duckdb-append.ts';
import {
  appendReadingChunks,
  asSeriesReadings,
  distinctAfter as chunkDistinctAfter,
  lastBefore as chunkLastBefore,
  lastDistinct as chunkLastDistinct,
  readingsAround as chunkReadingsAround,
  type StoredChunk,
} from './duckdb-reading-chunks.ts';
import type { DuckDbSeriesCatalog } from './duckdb-series-catalog.ts';
import type { BucketWindow, KindBucket, SeriesIo, SeriesRef } from './incremental-ingest.ts';
import { packReadings } from './reading-chunk-codec.ts';

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
  // The column's ENUM (migration 6): written as one byte, no cast.
  ENUM8(BUCKET_QUALITIES),
];

/** Bucket columns from bucket_start_ms on, in table order (after series_id and kind_rank). */
export const BUCKET_VALUE_COLUMNS =
  'bucket_start_ms, energy_wh, positive_wh, negative_wh, coverage, samples, min_power_w, max_power_w, quality';

/** A bucket from a result row whose BUCKET_VALUE_COLUMNS start at index `at`. */
export function bucketFromRow(row: readonly unknown[], at: number): Bucket {
  return {
    bucketStartMs: Number(row[at]),
    energyWh: row[at + 1] as number,
    positiveWh: row[at + 2] as number,
    negativeWh: row[at + 3] as number,
    coverage: row[at + 4] as number,
    samples: Number(row[at + 5]),
    minPowerW: row[at + 6] as number,
    maxPowerW: row[at + 7] as number,
    quality: row[at + 8] as BucketQuality,
  };
}

export class DuckDbSeriesIo implements SeriesIo {
  private readings: { rows: readonly Reading[]; firstSeq: number }[] = [];
  /** Windows whose already-stored buckets must go. */
  private windows: BucketWindow[] = [];
  /** Buckets to insert, per series id (a window's buckets replace the pending ones it covers, so every
   * bucket start is pending at most once per series). */
  private buckets = new Map<number, KindBucket[]>();

  constructor(
    private readonly conn: DuckDBConnection,
    /** The connection's kept appenders. */
    private readonly appenders: TableAppenders,
    private readonly catalog: DuckDbSeriesCatalog,
  ) {}

  /** The id of a series after flushing (reads see the transaction's own writes); undefined: no rows. */
  private async idForRead(s: SeriesRef): Promise<number | undefined> {
    await this.flush();
    return this.catalog.idOf(s);
  }

  async lastBefore(s: SeriesRef, ms: number): Promise<number | null> {
    const id = await this.idForRead(s);
    return id === undefined ? null : chunkLastBefore(this.conn, id, ms);
  }

  async distinctAfter(s: SeriesRef, ms: number, limit: number): Promise<number[]> {
    const id = await this.idForRead(s);
    return id === undefined ? [] : chunkDistinctAfter(this.conn, id, ms, Math.floor(limit));
  }

  async lastDistinct(s: SeriesRef, limit: number): Promise<number[]> {
    const id = await this.idForRead(s);
    return id === undefined ? [] : chunkLastDistinct(this.conn, id, Math.floor(limit));
  }

  async readingsAround(s: SeriesRef, fromMs: number, toMs: number): Promise<SeriesReading[]> {
    const id = await this.idForRead(s);
    if (id === undefined) return [];
    return asSeriesReadings(s.kind, await chunkReadingsAround(this.conn, id, fromMs, toMs));
  }

  async appendReadings(rows: readonly Reading[], firstSeq: number): Promise<void> {
    this.readings.push({ rows, firstSeq });
  }

  async replaceBuckets(windows: readonly BucketWindow[], buckets: readonly KindBucket[]): Promise<void> {
    // A series written again in the same transaction loses its pending buckets inside the new windows.
    for (const w of windows) {
      const id = this.catalog.ensure(w);
      const pending = this.buckets.get(id);
      if (pending) {
        this.buckets.set(
          id,
          pending.filter((b) => b.bucketStartMs < w.fromMs || b.bucketStartMs >= w.toMs),
        );
      }
      if (!w.isNew) this.windows.push(w);
    }
    // Buckets arrive grouped by series: the id and its list are looked up once per run of one series.
    let last: KindBucket | undefined;
    let pending: KindBucket[] = [];
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
          found = [];
          this.buckets.set(key, found);
        }
        pending = found;
        last = b;
      }
      pending.push(b);
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

  private writeReadings(batches: readonly { rows: readonly Reading[]; firstSeq: number }[]): Promise<void> {
    // Ingest hands rows over grouped by series: each run of one series becomes its chunks.
    const chunks: StoredChunk[] = [];
    for (const { rows, firstSeq } of batches) {
      let start = 0;
      for (let i = 1; i <= rows.length; i++) {
        const a = rows[start]!;
        const r = rows[i];
        if (r !== undefined && r.siteId === a.siteId && r.channel === a.channel && r.kind === a.kind)
          continue;
        const seriesId = this.catalog.ensure(a);
        for (const c of packReadings(rows, start, i, firstSeq + start)) chunks.push({ ...c, seriesId });
        start = i;
      }
    }
    return appendReadingChunks(this.appenders, chunks);
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

  private writeBuckets(buckets: Map<number, KindBucket[]>): Promise<void> {
    const ids: number[] = [];
    const rows: KindBucket[] = [];
    for (const [seriesId, series] of buckets) {
      for (const b of series) {
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
