// The PostgreSQL side of incremental ingest: neighbourhood reads on the raw log's primary key, the raw log
// and buckets written by COPY, stale buckets removed by one set-based DELETE, and each written series'
// version bumped, all on the writer connection inside the caller's transaction.
import type pg from 'pg';
import { type Reading, type ReadingKind, type SeriesReading, seriesKindKey } from '../domain/reading.ts';
import type { BucketWindow, KindBucket, SeriesIo, SeriesRef } from './incremental-ingest.ts';
import { copyNumber, copyRows, copyText } from './postgres-copy.ts';

const SERIES = 'site_id = $1 AND channel = $2 AND kind = $3';

function params(s: SeriesRef): unknown[] {
  return [s.siteId, s.channel, s.kind];
}

export class PostgresSeriesIo implements SeriesIo {
  /**
   * @param versions the series versions this process wrote last, updated here as it writes (seriesKindKey
   *   to version); the store validates its cached tails against them.
   */
  constructor(
    private readonly client: pg.ClientBase,
    private readonly versions: Map<string, number>,
  ) {}

  async lastBefore(s: SeriesRef, ms: number): Promise<number | null> {
    const r = await this.client.query({
      name: 'wl-last-before',
      text: `SELECT t_ms FROM readings WHERE ${SERIES} AND t_ms < $4 ORDER BY t_ms DESC LIMIT 1`,
      values: [...params(s), ms],
    });
    return r.rows.length === 0 ? null : Number(r.rows[0].t_ms);
  }

  async distinctAfter(s: SeriesRef, ms: number, limit: number): Promise<number[]> {
    const r = await this.client.query({
      name: 'wl-distinct-after',
      text: `SELECT DISTINCT t_ms FROM readings WHERE ${SERIES} AND t_ms > $4 ORDER BY t_ms LIMIT $5`,
      values: [...params(s), ms, limit],
    });
    return r.rows.map((row) => Number(row.t_ms));
  }

  async lastDistinct(s: SeriesRef, limit: number): Promise<number[]> {
    const r = await this.client.query({
      name: 'wl-last-distinct',
      text: `SELECT DISTINCT t_ms FROM readings WHERE ${SERIES} ORDER BY t_ms DESC LIMIT $4`,
      values: [...params(s), limit],
    });
    return r.rows.map((row) => Number(row.t_ms));
  }

  async readingsAround(s: SeriesRef, fromMs: number, toMs: number): Promise<SeriesReading[]> {
    const r = await this.client.query({
      name: 'wl-readings-around',
      text: `SELECT DISTINCT ON (t_ms) kind, t_ms, end_ms, value, received_ms FROM readings
             WHERE ${SERIES}
               AND t_ms >= coalesce((SELECT max(t_ms) FROM readings WHERE ${SERIES} AND t_ms < $4), $4)
               AND t_ms <= coalesce((SELECT min(t_ms) FROM readings WHERE ${SERIES} AND t_ms > $5), $5)
             ORDER BY t_ms, received_ms DESC, seq DESC`,
      values: [...params(s), fromMs, toMs],
    });
    return r.rows.map((row) => ({
      kind: row.kind as ReadingKind,
      tMs: Number(row.t_ms),
      endMs: row.end_ms === null ? null : Number(row.end_ms),
      value: row.value as number,
      receivedMs: Number(row.received_ms),
    }));
  }

  /** Appends by COPY; the database numbers the rows (seq), so `firstSeq` is not used. */
  async appendReadings(rows: readonly Reading[], _firstSeq: number): Promise<void> {
    await copyRows(
      this.client,
      'COPY readings (site_id, channel, kind, t_ms, end_ms, value, received_ms) FROM STDIN',
      rows.length,
      (i) => {
        const r = rows[i]!;
        return `${copyText(r.siteId)}\t${copyText(r.channel)}\t${r.kind}\t${r.tMs}\t${copyNumber(r.endMs)}\t${r.value}\t${r.receivedMs}`;
      },
    );
    await this.bumpVersions(rows);
  }

  /** Records that these readings' series changed: other processes drop their cached tails of them. */
  private async bumpVersions(rows: readonly Reading[]): Promise<void> {
    const seen = new Set<string>();
    const sites: string[] = [];
    const channels: string[] = [];
    const kinds: string[] = [];
    for (const r of rows) {
      const key = seriesKindKey(r);
      if (seen.has(key)) continue;
      seen.add(key);
      sites.push(r.siteId);
      channels.push(r.channel);
      kinds.push(r.kind);
    }
    const res = await this.client.query({
      name: 'wl-bump-versions',
      text: `INSERT INTO series (site_id, channel, kind, version)
             SELECT s, c, k, 1 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(s, c, k)
             ON CONFLICT (site_id, channel, kind) DO UPDATE SET version = series.version + 1
             RETURNING site_id, channel, kind, version`,
      values: [sites, channels, kinds],
    });
    for (const row of res.rows) {
      this.versions.set(
        seriesKindKey({ siteId: row.site_id, channel: row.channel, kind: row.kind }),
        Number(row.version),
      );
    }
  }

  async replaceBuckets(windows: readonly BucketWindow[], buckets: readonly KindBucket[]): Promise<void> {
    const old = windows.filter((w) => !w.isNew);
    if (old.length > 0) {
      await this.client.query({
        name: 'wl-delete-windows',
        text: `DELETE FROM buckets b
               USING unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
                 AS w(site_id, channel, kind, from_ms, to_ms)
               WHERE b.site_id = w.site_id AND b.channel = w.channel AND b.kind = w.kind
                 AND b.bucket_start_ms >= w.from_ms AND b.bucket_start_ms < w.to_ms`,
        values: [
          old.map((w) => w.siteId),
          old.map((w) => w.channel),
          old.map((w) => w.kind),
          old.map((w) => w.fromMs),
          old.map((w) => w.toMs),
        ],
      });
    }
    await copyRows(
      this.client,
      `COPY buckets (site_id, channel, bucket_start_ms, kind, kind_rank, energy_wh, positive_wh, negative_wh,
                     coverage, samples, min_power_w, max_power_w, quality) FROM STDIN`,
      buckets.length,
      (i) => {
        const b = buckets[i]!;
        return `${copyText(b.siteId)}\t${copyText(b.channel)}\t${b.bucketStartMs}\t${b.kind}\t${b.kindRank}\t${b.energyWh}\t${b.positiveWh}\t${b.negativeWh}\t${b.coverage}\t${b.samples}\t${b.minPowerW}\t${b.maxPowerW}\t${b.quality}`;
      },
    );
  }
}
