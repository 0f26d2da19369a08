// The PostgreSQL side of incremental ingest: neighbourhood reads over the chunked raw log, readings and
// buckets written by COPY, stale buckets removed by one set-based DELETE, and each written series' version
// bumped, all on the writer connection inside the caller's transaction.
import type pg from 'pg';
import { type Reading, type ReadingKind, type SeriesReading, seriesKindKey } from '../domain/reading.ts';
import { DAY_MS } from '../domain/time.ts';
import type { BucketWindow, KindBucket, SeriesIo, SeriesRef } from './incremental-ingest.ts';
import { copyRows, copyText } from './postgres-copy.ts';

const SERIES = 'site_id = $1 AND channel = $2 AND kind = $3';
/** Chunks that may hold an instant in [$4, $5]: a chunk spans less than a day (see the migration). */
const CHUNKS_IN = `${SERIES} AND last_ms >= $4 AND last_ms <= $5::bigint + ${DAY_MS} AND first_ms <= $5`;

function params(s: SeriesRef): unknown[] {
  return [s.siteId, s.channel, s.kind];
}

/** A bigint[] or double precision[] literal for COPY's text format. */
function arrayText(values: readonly (number | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;
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

  /** Distinct instants of the series in [fromMs, toMs], ascending. */
  private async instantsIn(s: SeriesRef, fromMs: number, toMs: number): Promise<number[]> {
    const r = await this.client.query({
      name: 'wl-instants-in',
      text: `SELECT DISTINCT u FROM reading_chunks, unnest(t_ms) u
             WHERE ${CHUNKS_IN} AND u >= $4 AND u <= $5 ORDER BY u`,
      values: [...params(s), fromMs, toMs],
    });
    return r.rows.map((row) => Number(row.u));
  }

  /** First and last instant the series may have (bounds, from the chunk keys), or null when it is empty. */
  private async bounds(s: SeriesRef): Promise<{ minMs: number; maxMs: number } | null> {
    const r = await this.client.query({
      name: 'wl-series-bounds',
      text: `SELECT (SELECT last_ms FROM reading_chunks WHERE ${SERIES} ORDER BY last_ms LIMIT 1) AS lo,
                    (SELECT last_ms FROM reading_chunks WHERE ${SERIES} ORDER BY last_ms DESC LIMIT 1) AS hi`,
      values: params(s),
    });
    const row = r.rows[0];
    if (row?.hi === null || row?.hi === undefined) return null;
    return { minMs: Number(row.lo) - DAY_MS, maxMs: Number(row.hi) };
  }

  /**
   * Instants found by widening a window from `startMs` (backwards when `dir` is -1) until `enough` says so
   * or the window covers the series: nearly always one query, since readings are rarely days apart.
   */
  private async search(
    s: SeriesRef,
    startMs: number,
    dir: 1 | -1,
    enough: (found: number[]) => boolean,
  ): Promise<number[]> {
    const b = await this.bounds(s);
    if (b === null) return [];
    let widthMs = DAY_MS;
    for (;;) {
      const found =
        dir === 1
          ? await this.instantsIn(s, startMs, startMs + widthMs)
          : await this.instantsIn(s, startMs - widthMs, startMs);
      const covered = dir === 1 ? startMs + widthMs >= b.maxMs : startMs - widthMs <= b.minMs;
      if (covered || enough(found)) return found;
      widthMs *= 4;
    }
  }

  async lastBefore(s: SeriesRef, ms: number): Promise<number | null> {
    const found = await this.search(s, ms - 1, -1, (f) => f.length > 0);
    return found.length === 0 ? null : found[found.length - 1]!;
  }

  async distinctAfter(s: SeriesRef, ms: number, limit: number): Promise<number[]> {
    const found = await this.search(s, ms + 1, 1, (f) => f.length >= limit);
    return found.slice(0, limit);
  }

  async lastDistinct(s: SeriesRef, limit: number): Promise<number[]> {
    const b = await this.bounds(s);
    if (b === null) return [];
    const found = await this.search(s, b.maxMs, -1, (f) => f.length >= limit);
    return found.reverse().slice(0, limit);
  }

  async readingsAround(s: SeriesRef, fromMs: number, toMs: number): Promise<SeriesReading[]> {
    const lo = (await this.lastBefore(s, fromMs)) ?? fromMs;
    const hi = (await this.distinctAfter(s, toMs, 1))[0] ?? toMs;
    const r = await this.client.query({
      name: 'wl-readings-around',
      text: `SELECT DISTINCT ON (u.t) u.t, u.e, u.v, u.r FROM reading_chunks c,
               unnest(c.t_ms, c.end_ms, c.value, c.received_ms) AS u(t, e, v, r)
             WHERE ${CHUNKS_IN} AND u.t >= $4 AND u.t <= $5
             ORDER BY u.t, u.r DESC, c.seq DESC`,
      values: [...params(s), lo, hi],
    });
    return r.rows.map((row) => ({
      kind: s.kind,
      tMs: Number(row.t),
      endMs: row.e === null ? null : Number(row.e),
      value: row.v as number,
      receivedMs: Number(row.r),
    }));
  }

  /** Appends by COPY, one chunk per series and UTC day; the database numbers the chunks (seq), so
   * `firstSeq` is not used. */
  async appendReadings(rows: readonly Reading[], _firstSeq: number): Promise<void> {
    const chunks = new Map<string, Reading[]>();
    for (const r of rows) {
      const key = `${seriesKindKey(r)}\u0000${Math.floor(r.tMs / DAY_MS)}`;
      const chunk = chunks.get(key);
      if (chunk) chunk.push(r);
      else chunks.set(key, [r]);
    }
    const list = [...chunks.values()];
    await copyRows(
      this.client,
      'COPY reading_chunks (site_id, channel, kind, first_ms, last_ms, t_ms, end_ms, value, received_ms) FROM STDIN',
      list.length,
      (i) => {
        const c = list[i]!;
        const r = c[0]!;
        let firstMs = r.tMs;
        let lastMs = r.tMs;
        for (const x of c) {
          if (x.tMs < firstMs) firstMs = x.tMs;
          if (x.tMs > lastMs) lastMs = x.tMs;
        }
        return `${copyText(r.siteId)}\t${copyText(r.channel)}\t${r.kind}\t${firstMs}\t${lastMs}\t${arrayText(c.map((x) => x.tMs))}\t${arrayText(c.map((x) => x.endMs))}\t${arrayText(c.map((x) => x.value))}\t${arrayText(c.map((x) => x.receivedMs))}`;
      },
    );
    await this.bumpVersions(rows);
  }

  /** Records that these readings' series changed: other processes drop their cached tails of them. */
  private async bumpVersions(rows: readonly Reading[]): Promise<void> {
    const sites: string[] = [];
    const channels: string[] = [];
    const kinds: ReadingKind[] = [];
    const received: number[] = [];
    const at = new Map<string, number>();
    for (const r of rows) {
      const key = seriesKindKey(r);
      const i = at.get(key);
      if (i !== undefined) {
        if (r.receivedMs > received[i]!) received[i] = r.receivedMs;
        continue;
      }
      at.set(key, sites.length);
      sites.push(r.siteId);
      channels.push(r.channel);
      kinds.push(r.kind);
      received.push(r.receivedMs);
    }
    const res = await this.client.query({
      name: 'wl-bump-versions',
      text: `INSERT INTO series (site_id, channel, kind, version, last_received_ms)
             SELECT s, c, k, 1, r FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS u(s, c, k, r)
             ON CONFLICT (site_id, channel, kind) DO UPDATE SET version = series.version + 1,
               last_received_ms = greatest(series.last_received_ms, excluded.last_received_ms)
             RETURNING site_id, channel, kind, version`,
      values: [sites, channels, kinds, received],
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
