// The DuckDB side of incremental ingest: neighbourhood reads, and writes buffered for the whole
// transaction so that a group of concurrent ingests costs one appender per table and one set-based
// DELETE, instead of several statements per request. Reads flush the buffer first, so they always see
// the transaction's own writes.
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { Reading, ReadingKind, SeriesReading } from '../domain/reading.ts';
import type { BucketWindow, KindBucket, SeriesIo, SeriesRef } from './incremental-ingest.ts';

const SERIES = 'site_id = $site AND channel = $channel AND kind = $kind';
/** The winner at each instant: latest received, then latest sequence. */
export const WINNERS =
  'QUALIFY row_number() OVER (PARTITION BY site_id, channel, kind, t_ms ORDER BY received_ms DESC, seq DESC) = 1';

function params(s: SeriesRef): Record<string, string> {
  return { site: s.siteId, channel: s.channel, kind: s.kind };
}

function seriesKey(s: SeriesRef): string {
  return `${s.siteId}\u0000${s.channel}\u0000${s.kind}`;
}

async function append(
  conn: DuckDBConnection,
  table: string,
  fill: (a: DuckDBAppender) => void,
): Promise<void> {
  const a = await conn.createAppender(table);
  try {
    fill(a);
  } finally {
    a.closeSync();
  }
}

export class DuckDbSeriesIo implements SeriesIo {
  private readings: { rows: readonly Reading[]; firstSeq: number }[] = [];
  /** Windows whose already-stored buckets must go. */
  private windows: BucketWindow[] = [];
  /** Buckets to insert, per series and kind, by bucket start. */
  private buckets = new Map<string, Map<number, KindBucket>>();

  constructor(private readonly conn: DuckDBConnection) {}

  async lastBefore(s: SeriesRef, ms: number): Promise<number | null> {
    await this.flush();
    const r = await this.conn.runAndReadAll(`SELECT max(t_ms) FROM readings WHERE ${SERIES} AND t_ms < $ms`, {
      ...params(s),
      ms,
    });
    const v = r.getRowsJS()[0]?.[0];
    return v === null || v === undefined ? null : Number(v);
  }

  async distinctAfter(s: SeriesRef, ms: number, limit: number): Promise<number[]> {
    await this.flush();
    const r = await this.conn.runAndReadAll(
      `SELECT DISTINCT t_ms FROM readings WHERE ${SERIES} AND t_ms > $ms ORDER BY t_ms LIMIT ${Math.floor(limit)}`,
      { ...params(s), ms },
    );
    return r.getRowsJS().map((row) => Number(row[0]));
  }

  async lastDistinct(s: SeriesRef, limit: number): Promise<number[]> {
    await this.flush();
    const r = await this.conn.runAndReadAll(
      `SELECT DISTINCT t_ms FROM readings WHERE ${SERIES} ORDER BY t_ms DESC LIMIT ${Math.floor(limit)}`,
      params(s),
    );
    return r.getRowsJS().map((row) => Number(row[0]));
  }

  async readingsAround(s: SeriesRef, fromMs: number, toMs: number): Promise<SeriesReading[]> {
    await this.flush();
    const r = await this.conn.runAndReadAll(
      `SELECT kind, t_ms, end_ms, value, received_ms FROM readings
       WHERE ${SERIES}
         AND t_ms >= coalesce((SELECT max(t_ms) FROM readings WHERE ${SERIES} AND t_ms < $from), $from)
         AND t_ms <= coalesce((SELECT min(t_ms) FROM readings WHERE ${SERIES} AND t_ms > $to), $to)
       ${WINNERS}
       ORDER BY t_ms`,
      { ...params(s), from: fromMs, to: toMs },
    );
    return r.getRowsJS().map((row) => ({
      kind: row[0] as ReadingKind,
      tMs: Number(row[1]),
      endMs: row[2] === null ? null : Number(row[2]),
      value: row[3] as number,
      receivedMs: Number(row[4]),
    }));
  }

  async appendReadings(rows: readonly Reading[], firstSeq: number): Promise<void> {
    this.readings.push({ rows, firstSeq });
  }

  async replaceBuckets(windows: readonly BucketWindow[], buckets: readonly KindBucket[]): Promise<void> {
    for (const w of windows) {
      const pending = this.buckets.get(seriesKey(w));
      if (pending)
        for (const start of pending.keys()) if (start >= w.fromMs && start < w.toMs) pending.delete(start);
      if (!w.isNew) this.windows.push(w);
    }
    for (const b of buckets) {
      const key = seriesKey(b);
      let pending = this.buckets.get(key);
      if (!pending) {
        pending = new Map();
        this.buckets.set(key, pending);
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
    if (readings.length > 0) await this.writeReadings(readings);
    if (windows.length > 0) await this.deleteWindows(windows);
    if (buckets.size > 0) await this.writeBuckets(buckets);
  }

  private writeReadings(chunks: readonly { rows: readonly Reading[]; firstSeq: number }[]): Promise<void> {
    return append(this.conn, 'readings', (a) => {
      for (const { rows, firstSeq } of chunks) {
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i]!;
          a.appendVarchar(r.siteId);
          a.appendVarchar(r.channel);
          a.appendVarchar(r.kind);
          a.appendDouble(r.tMs);
          if (r.endMs === null) a.appendNull();
          else a.appendDouble(r.endMs);
          a.appendDouble(r.value);
          a.appendDouble(r.receivedMs);
          a.appendDouble(firstSeq + i);
          a.endRow();
        }
      }
    });
  }

  private async deleteWindows(windows: readonly BucketWindow[]): Promise<void> {
    await this.conn.run('DELETE FROM recompute_windows');
    await append(this.conn, 'recompute_windows', (a) => {
      for (const w of windows) {
        a.appendVarchar(w.siteId);
        a.appendVarchar(w.channel);
        a.appendVarchar(w.kind);
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
         AND b.site_id = w.site_id AND b.channel = w.channel AND b.kind = w.kind
         AND b.bucket_start_ms >= w.from_ms AND b.bucket_start_ms < w.to_ms`,
    );
  }

  private writeBuckets(buckets: Map<string, Map<number, KindBucket>>): Promise<void> {
    return append(this.conn, 'buckets', (a) => {
      for (const series of buckets.values()) {
        for (const b of series.values()) {
          a.appendVarchar(b.siteId);
          a.appendVarchar(b.channel);
          a.appendVarchar(b.kind);
          a.appendTinyInt(b.kindRank);
          a.appendDouble(b.bucketStartMs);
          a.appendDouble(b.energyWh);
          a.appendDouble(b.positiveWh);
          a.appendDouble(b.negativeWh);
          a.appendDouble(b.coverage);
          a.appendInteger(b.samples);
          a.appendDouble(b.minPowerW);
          a.appendDouble(b.maxPowerW);
          a.appendVarchar(b.quality);
          a.endRow();
        }
      }
    });
  }
}
