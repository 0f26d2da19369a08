// The DuckDB store's queries that only read committed data, on the reader connections: buckets, rollups,
// top sites, channels, raw readings, time ranges and device activity. Split from duckdb-store.ts, which
// keeps the write path, the energy cache and the lifecycle.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SeriesBucket } from '../domain/bucket.ts';
import type { Reading } from '../domain/reading.ts';
import { chunksBySeries, decodeAll, selectChunks } from './duckdb-reading-chunks.ts';
import { type DuckDbSeriesCatalog, seriesIn } from './duckdb-series-catalog.ts';
import { BUCKET_VALUE_COLUMNS, bucketFromRow } from './duckdb-series-io.ts';
import type { SeriesRef } from './incremental-ingest.ts';
import { unpackReadings, winnersByTime } from './reading-chunk-codec.ts';
import type { ChannelSample } from './recent-activity.ts';
import { checkedPeriodMs } from './rollup-period.ts';
import type {
  BucketQuery,
  ReadingQuery,
  RollupQuery,
  RollupRow,
  SiteEnergy,
  TimeRange,
  TopQuery,
} from './store.ts';

const BUCKET_COLUMNS = `series_id, kind_rank, ${BUCKET_VALUE_COLUMNS}`;

function rangeClause(fromMs?: number, toMs?: number): string {
  const parts: string[] = [];
  if (fromMs !== undefined) parts.push(`bucket_start_ms >= ${Math.floor(fromMs)}`);
  if (toMs !== undefined) parts.push(`bucket_start_ms < ${Math.ceil(toMs)}`);
  return parts.length === 0 ? '' : ` AND ${parts.join(' AND ')}`;
}

/** Byte-order text comparison, as SQL's ORDER BY on VARCHAR. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRefs(a: SeriesRef, b: SeriesRef): number {
  return compareText(a.channel, b.channel) || compareText(a.kind, b.kind);
}

export class DuckDbQueries {
  constructor(
    /** A reader connection for the next query (round robin). */
    private readonly reader: () => DuckDBConnection,
    private readonly catalog: DuckDbSeriesCatalog,
  ) {}

  async buckets(q: BucketQuery): Promise<SeriesBucket[]> {
    const ids = this.catalog.idsOfSite(q.siteId, q.channel);
    if (ids.length === 0) return [];
    // Precedence between kinds is resolved here rather than with a window function, which would stop
    // DuckDB from pushing the series and time filters into the scan.
    const r = await this.reader().runAndReadAll(
      `SELECT ${BUCKET_COLUMNS} FROM buckets WHERE ${seriesIn(ids)}${rangeClause(q.fromMs, q.toMs)}`,
    );
    const rows = r.getRowsJS().map((row) => ({ ref: this.catalog.refOf(Number(row[0])), row }));
    rows.sort(
      (x, y) =>
        compareText(x.ref.channel, y.ref.channel) ||
        Number(x.row[2]) - Number(y.row[2]) ||
        Number(x.row[1]) - Number(y.row[1]),
    );
    const out: SeriesBucket[] = [];
    for (const { ref, row } of rows) {
      const prev = out[out.length - 1];
      if (prev !== undefined && prev.channel === ref.channel && prev.bucketStartMs === Number(row[2]))
        continue;
      out.push({ siteId: ref.siteId, channel: ref.channel, ...bucketFromRow(row, 2) });
    }
    return out;
  }

  async rollup(q: RollupQuery): Promise<RollupRow[]> {
    const period = checkedPeriodMs(q.periodMs);
    const ids = this.catalog.idsOfSite(q.siteId, q.channel);
    if (ids.length === 0) return [];
    const r = await this.reader().runAndReadAll(
      `WITH best AS (
         SELECT s.channel, b.bucket_start_ms AS t, arg_min(b.energy_wh, b.kind_rank) AS e,
                arg_min(b.positive_wh, b.kind_rank) AS p, arg_min(b.negative_wh, b.kind_rank) AS n
         FROM buckets b JOIN series s USING (series_id)
         WHERE b.${seriesIn(ids)}${rangeClause(q.fromMs, q.toMs)}
         GROUP BY s.channel, b.bucket_start_ms)
       SELECT channel, t - ((t % ${period}) + ${period}) % ${period} AS period_ms, sum(e), sum(p), sum(n), count(*)
       FROM best GROUP BY channel, period_ms ORDER BY channel, period_ms`,
    );
    return r.getRowsJS().map((row) => ({
      channel: row[0] as string,
      periodStartMs: Number(row[1]),
      energyWh: row[2] as number,
      positiveWh: row[3] as number,
      negativeWh: row[4] as number,
      buckets: Number(row[5]),
    }));
  }

  async topSites(q: TopQuery): Promise<SiteEnergy[]> {
    const channel = q.channel === undefined ? '' : ' AND s.channel = $channel';
    const r = await this.reader().runAndReadAll(
      `WITH best AS (
         SELECT s.site_id, arg_min(b.energy_wh, b.kind_rank) AS energy_wh
         FROM buckets b JOIN series s USING (series_id)
         WHERE true${channel}${rangeClause(q.fromMs, q.toMs)} GROUP BY s.site_id, s.channel, b.bucket_start_ms)
       SELECT site_id, sum(energy_wh) AS e FROM best GROUP BY site_id
       ORDER BY e DESC, TRY_CAST(site_id AS BIGINT) NULLS LAST, site_id LIMIT ${Math.max(0, Math.floor(q.count))}`,
      q.channel === undefined ? {} : { channel: q.channel },
    );
    return r.getRowsJS().map((row) => ({ siteId: row[0] as string, energyWh: row[1] as number }));
  }

  async channels(siteId: string): Promise<string[]> {
    const ids = this.catalog.idsOfSite(siteId);
    if (ids.length === 0) return [];
    const r = await this.reader().runAndReadAll(
      `SELECT DISTINCT series_id FROM buckets WHERE ${seriesIn(ids)}`,
    );
    const channels = new Set(r.getRowsJS().map((row) => this.catalog.refOf(Number(row[0])).channel));
    return [...channels].sort(compareText);
  }

  async readings(q: ReadingQuery): Promise<Reading[]> {
    const ids = this.catalog.idsOfSite(q.siteId, q.channel);
    if (ids.length === 0) return [];
    const fromMs = q.fromMs ?? Number.NEGATIVE_INFINITY;
    const toMs = q.toMs ?? Number.POSITIVE_INFINITY;
    const where = [seriesIn(ids)];
    if (q.fromMs !== undefined) where.push(`last_ms >= ${Math.floor(q.fromMs)}`);
    if (q.toMs !== undefined) where.push(`first_ms < ${Math.ceil(q.toMs)}`);
    const bySeries = chunksBySeries(await selectChunks(this.reader(), where.join(' AND ')));
    // Sorted by channel, kind and time, as the API pages them.
    const order = [...bySeries.keys()].sort((a, b) =>
      compareRefs(this.catalog.refOf(a), this.catalog.refOf(b)),
    );
    const out: Reading[] = [];
    for (const id of order) {
      const ref = this.catalog.refOf(id);
      const inRange = decodeAll(bySeries.get(id)!).filter((r) => r.tMs >= fromMs && r.tMs < toMs);
      for (const r of winnersByTime(inRange)) {
        if (q.limit !== undefined && out.length >= q.limit) return out;
        out.push({
          siteId: ref.siteId,
          channel: ref.channel,
          kind: ref.kind,
          tMs: r.tMs,
          endMs: r.endMs,
          value: r.value,
          receivedMs: r.receivedMs,
        });
      }
    }
    return out;
  }

  async timeRange(siteId?: string): Promise<TimeRange | null> {
    const where = siteId === undefined ? '' : ` WHERE ${seriesIn(this.catalog.idsOfSite(siteId))}`;
    const r = await this.reader().runAndReadAll(
      `SELECT min(bucket_start_ms), max(bucket_start_ms) FROM buckets${where}`,
    );
    const row = r.getRowsJS()[0];
    if (!row || row[0] === null) return null;
    return { firstMs: Number(row[0]), lastMs: Number(row[1]) };
  }

  async lastReceived(sinceMs: number): Promise<Map<string, number>> {
    // A chunk's received_ms is its latest: when that is recent enough, it is the site's answer from it.
    const r = await this.reader().runAndReadAll(
      `SELECT s.site_id, max(c.received_ms) FROM reading_chunks c JOIN series s USING (series_id)
       WHERE c.received_ms >= ${Math.floor(sinceMs)} GROUP BY s.site_id`,
    );
    return new Map(r.getRowsJS().map((row) => [row[0] as string, Number(row[1])]));
  }

  async powerSamples(channel: string, fromMs: number, toMs: number): Promise<Map<string, ChannelSample[]>> {
    const ids = this.catalog.idsWhere((ref) => ref.channel === channel && ref.kind === 'power');
    if (ids.length === 0) return new Map();
    const chunks = await selectChunks(
      this.reader(),
      `${seriesIn(ids)} AND last_ms >= ${Math.floor(fromMs)} AND first_ms <= ${Math.ceil(toMs)}`,
    );
    const bySite = new Map<string, { tMs: number; value: number; seq: number }[]>();
    for (const c of chunks) {
      const site = this.catalog.refOf(c.seriesId).siteId;
      let list = bySite.get(site);
      if (!list) {
        list = [];
        bySite.set(site, list);
      }
      for (const r of unpackReadings(c)) if (r.tMs >= fromMs && r.tMs <= toMs) list.push(r);
    }
    const out = new Map<string, ChannelSample[]>();
    for (const site of [...bySite.keys()].sort(compareText)) {
      const list = bySite.get(site)!.sort((a, b) => a.tMs - b.tMs || a.seq - b.seq);
      out.set(
        site,
        list.map((r) => ({ tMs: r.tMs, value: r.value })),
      );
    }
    return out;
  }
}
