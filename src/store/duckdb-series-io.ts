// The DuckDB side of incremental ingest: neighbourhood reads and bulk writes through the appender.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Reading, ReadingKind, SeriesReading } from '../domain/reading.ts';
import type { BucketWindow, KindBucket, SeriesIo, SeriesRef } from './incremental-ingest.ts';

const SERIES = 'site_id = $site AND channel = $channel AND kind = $kind';
/** The winner at each instant: latest received, then latest sequence. */
export const WINNERS =
  'QUALIFY row_number() OVER (PARTITION BY site_id, channel, kind, t_ms ORDER BY received_ms DESC, seq DESC) = 1';

function params(s: SeriesRef): Record<string, string> {
  return { site: s.siteId, channel: s.channel, kind: s.kind };
}

export class DuckDbSeriesIo implements SeriesIo {
  constructor(private readonly conn: DuckDBConnection) {}

  async lastBefore(s: SeriesRef, ms: number): Promise<number | null> {
    const r = await this.conn.runAndReadAll(`SELECT max(t_ms) FROM readings WHERE ${SERIES} AND t_ms < $ms`, {
      ...params(s),
      ms,
    });
    const v = r.getRowsJS()[0]?.[0];
    return v === null || v === undefined ? null : Number(v);
  }

  async distinctAfter(s: SeriesRef, ms: number, limit: number): Promise<number[]> {
    const r = await this.conn.runAndReadAll(
      `SELECT DISTINCT t_ms FROM readings WHERE ${SERIES} AND t_ms > $ms ORDER BY t_ms LIMIT ${Math.floor(limit)}`,
      { ...params(s), ms },
    );
    return r.getRowsJS().map((row) => Number(row[0]));
  }

  async lastDistinct(s: SeriesRef, limit: number): Promise<number[]> {
    const r = await this.conn.runAndReadAll(
      `SELECT DISTINCT t_ms FROM readings WHERE ${SERIES} ORDER BY t_ms DESC LIMIT ${Math.floor(limit)}`,
      params(s),
    );
    return r.getRowsJS().map((row) => Number(row[0]));
  }

  async readingsAround(s: SeriesRef, fromMs: number, toMs: number): Promise<SeriesReading[]> {
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

  async appendReadings(rows: readonly (Reading & { seq: number })[]): Promise<void> {
    const a = await this.conn.createAppender('readings');
    try {
      for (const r of rows) {
        a.appendVarchar(r.siteId);
        a.appendVarchar(r.channel);
        a.appendVarchar(r.kind);
        a.appendDouble(r.tMs);
        if (r.endMs === null) a.appendNull();
        else a.appendDouble(r.endMs);
        a.appendDouble(r.value);
        a.appendDouble(r.receivedMs);
        a.appendDouble(r.seq);
        a.endRow();
      }
    } finally {
      a.closeSync();
    }
  }

  async replaceBuckets(windows: readonly BucketWindow[], buckets: readonly KindBucket[]): Promise<void> {
    if (windows.length === 0) return;
    await this.conn.run('DELETE FROM recompute_windows');
    const w = await this.conn.createAppender('recompute_windows');
    try {
      for (const x of windows) {
        w.appendVarchar(x.siteId);
        w.appendVarchar(x.channel);
        w.appendVarchar(x.kind);
        w.appendDouble(x.fromMs);
        w.appendDouble(x.toMs);
        w.endRow();
      }
    } finally {
      w.closeSync();
    }
    await this.conn.run(
      `DELETE FROM buckets b USING recompute_windows w
       WHERE b.site_id = w.site_id AND b.channel = w.channel AND b.kind = w.kind
         AND b.bucket_start_ms >= w.from_ms AND b.bucket_start_ms < w.to_ms`,
    );
    const a = await this.conn.createAppender('buckets');
    try {
      for (const b of buckets) {
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
    } finally {
      a.closeSync();
    }
  }
}
