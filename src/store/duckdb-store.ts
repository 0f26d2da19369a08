// The embedded default backend: one DuckDB file (or :memory:), nothing to install.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBListVector } from '@duckdb/node-api';
import { type EnergyBucket, energyOf, type SeriesBucket } from '../domain/bucket.ts';
import { KIND_PRECEDENCE, type Reading, seriesKindKey } from '../domain/reading.ts';
import { frozenSite, type Site } from '../domain/site.ts';
import type { NormalizeOptions } from '../normalize/options.ts';
import { appendTo, TableAppenders } from './duckdb-append.ts';
import { insertGauges, selectGauges, selectLatestGauges } from './duckdb-gauge-log.ts';
import { DUCKDB_MIGRATIONS } from './duckdb-migrations.ts';
import { insertPolls, selectPolls } from './duckdb-poll-log.ts';
import { chunksBySeries, decodeAll, selectChunks } from './duckdb-reading-chunks.ts';
import { DuckDbSeriesCatalog, seriesIn } from './duckdb-series-catalog.ts';
import { DuckDbSeriesIo } from './duckdb-series-io.ts';
import { warmTails } from './duckdb-tail-warmup.ts';
import { BLOCK_MS, EnergyCache } from './energy-cache.ts';
import type { GaugeEntry, GaugeLog, GaugeQuery } from './gauge-log.ts';
import { GroupCommit } from './group-commit.ts';
import {
  type BucketWindow,
  IncrementalIngest,
  type KindBucket,
  type SeriesIo,
  type SeriesRef,
} from './incremental-ingest.ts';
import type { PollLog, PollLogEntry, PollLogQuery } from './poll-log.ts';
import { unpackReadings, winnersByTime } from './reading-chunk-codec.ts';
import type { ChannelSample, RecentActivity } from './recent-activity.ts';
import { checkedPeriodMs } from './rollup-period.ts';
import { tapBucketWrites } from './series-io-tap.ts';
import type {
  BucketQuery,
  EnergyQuery,
  IngestSummary,
  ReadingQuery,
  RollupQuery,
  RollupRow,
  SiteEnergy,
  Store,
  TimeRange,
  TopQuery,
} from './store.ts';

export interface DuckDbStoreOptions {
  /** Database file, or ':memory:'. */
  path: string;
  /** Normalization options for every site (e.g. maxGapMs). */
  normalize?: Partial<NormalizeOptions>;
  /** Clock for created timestamps (epoch ms). */
  clock?: () => number;
  /** Caps DuckDB's buffer pool (it evicts to the file and spills to disk beyond it). */
  memoryLimitMb?: number;
  /** WAL size that triggers a checkpoint (default 256 MB). */
  checkpointMb?: number;
  /** Memory for the energy read path's cache of bucket blocks (GET /data); default 512 MB, 0 disables it. */
  cacheMb?: number;
  /** An instance already open on `path`, to share with the roof store; the store closes it when it closes. */
  instance?: DuckDBInstance;
  /** Series whose ingest tails are read at open (the most recently written first); default 20,000, 0: none. */
  warmTails?: number;
}

/** Settings for a DuckDB instance opened for a store (also used when the instance is shared). */
export function duckDbInstanceOptions(opts: {
  memoryLimitMb?: number;
  checkpointMb?: number;
}): Record<string, string> {
  const settings: Record<string, string> = {
    // DuckDB checkpoints when its WAL passes this size, inside the commit that crossed it: at its default
    // (16 MB) a stream of small group commits stalls every second or so (POST /data p99 389 ms; 84 ms at
    // 256 MB, and 15% more requests/s). The price is a longer WAL replay after a crash.
    checkpoint_threshold: `${Math.floor(opts.checkpointMb ?? DEFAULT_CHECKPOINT_MB)}MB`,
  };
  if (opts.memoryLimitMb !== undefined) settings['memory_limit'] = `${Math.floor(opts.memoryLimitMb)}MB`;
  return settings;
}

const DEFAULT_CHECKPOINT_MB = 256;

/** Opens (creating and migrating when needed) a DuckDB store. */
export async function openDuckDbStore(opts: DuckDbStoreOptions): Promise<DuckDbStore> {
  if (opts.path !== ':memory:' && opts.instance === undefined)
    mkdirSync(dirname(opts.path), { recursive: true });
  const instance = opts.instance ?? (await DuckDBInstance.create(opts.path, duckDbInstanceOptions(opts)));
  const writer = await instance.connect();
  // A few reader connections let concurrent queries run in parallel (one query per connection at a time).
  const readers = await Promise.all(Array.from({ length: READER_CONNECTIONS }, () => instance.connect()));
  const store = new DuckDbStore(instance, writer, readers, opts);
  await store.migrate();
  await store.loadState();
  await store.warmTails(opts.warmTails ?? DEFAULT_WARM_TAILS);
  return store;
}

const READER_CONNECTIONS = 4;
const DEFAULT_WARM_TAILS = 20_000;
const DEFAULT_CACHE_MB = 512;
/** Windows longer than this (about 13 months) read from the database instead of filling the cache. */
const MAX_CACHED_SPAN_MS = 12 * BLOCK_MS;

const BUCKET_COLUMNS =
  'series_id, kind_rank, bucket_start_ms, energy_wh, positive_wh, negative_wh, coverage, samples, min_power_w, max_power_w, quality';

function rangeClause(fromMs?: number, toMs?: number): string {
  const parts: string[] = [];
  if (fromMs !== undefined) parts.push(`bucket_start_ms >= ${Math.floor(fromMs)}`);
  if (toMs !== undefined) parts.push(`bucket_start_ms < ${Math.ceil(toMs)}`);
  return parts.length === 0 ? '' : ` AND ${parts.join(' AND ')}`;
}

function toBucket(row: unknown[], ref: SeriesRef): SeriesBucket {
  return {
    siteId: ref.siteId,
    channel: ref.channel,
    bucketStartMs: Number(row[2]),
    energyWh: row[3] as number,
    positiveWh: row[4] as number,
    negativeWh: row[5] as number,
    coverage: row[6] as number,
    samples: Number(row[7]),
    minPowerW: row[8] as number,
    maxPowerW: row[9] as number,
    quality: row[10] as SeriesBucket['quality'],
  };
}

export class DuckDbStore implements Store, PollLog, GaugeLog, RecentActivity {
  readonly backend = 'duckdb';
  private ingestEngine: IncrementalIngest | undefined;
  /** All sites, kept in memory: DuckDB locks its file to one process, so this copy is authoritative and
   * site lookups on every request cost no query. Frozen, so they are handed out as they are (no copy per
   * lookup). Reloaded from the table after a rollback. */
  private readonly sites = new Map<string, Readonly<Site>>();
  private readonly commits: GroupCommit;
  /** The writer's appenders, kept open across transactions. */
  private readonly appenders: TableAppenders;
  private readonly io: DuckDbSeriesIo;
  private readonly catalog = new DuckDbSeriesCatalog();
  private readonly cache: EnergyCache;
  /** Bucket writes of the running transaction, applied to the cache once it commits. */
  private uncommitted: { windows: readonly BucketWindow[]; buckets: readonly KindBucket[] }[] = [];
  /** The writer's series I/O, reporting bucket writes for the cache. */
  private readonly ingestIo: SeriesIo;
  /** Sites first seen by this transaction's ingests, written with one appender at commit. */
  private newSites: { site: Readonly<Site>; createdMs: number }[] = [];
  private closed = false;
  /** Whether the writer is inside a transaction that no group has used yet (begun by the last commit). */
  private begun = false;
  private warming: Promise<number> | undefined;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly readers: DuckDBConnection[],
    private readonly opts: DuckDbStoreOptions,
  ) {
    this.appenders = new TableAppenders(writer);
    this.io = new DuckDbSeriesIo(writer, this.appenders, this.catalog);
    this.ingestIo = tapBucketWrites(this.io, (windows, buckets) =>
      this.uncommitted.push({ windows, buckets }),
    );
    this.cache = new EnergyCache({
      budgetBytes: (opts.cacheMb ?? DEFAULT_CACHE_MB) * 1024 * 1024,
      load: (seriesId, fromMs, toMs) => this.loadEnergy(seriesId, fromMs, toMs),
    });
    this.commits = new GroupCommit({
      begin: async () => {
        this.uncommitted = [];
        this.newSites = [];
        if (this.begun) return;
        await this.writer.run('BEGIN TRANSACTION');
        this.begun = true;
      },
      commit: async () => {
        await this.flushNewSites();
        await this.io.flush();
        // The next transaction begins in the same call: on a busy server every call waits for the event
        // loop, and a BEGIN of its own was one wait per group. An idle BEGIN holds nothing: DuckDB takes
        // a transaction's snapshot at its first statement, so the next group still sees this commit.
        this.begun = false;
        await this.writer.run('COMMIT; BEGIN TRANSACTION');
        this.begun = true;
        try {
          this.writeThrough();
        } catch {
          // The data is committed; a cache that missed the write must not serve the old values.
          this.cache.clear();
        }
      },
      rollback: () => {
        this.begun = false;
        return this.writer.run('ROLLBACK').then(() => undefined);
      },
      onRollback: () => {
        this.uncommitted = [];
        this.newSites = [];
        this.cache.clear();
        this.io.discard();
        return this.loadState();
      },
    });
  }

  /** Applies pending migrations, each in its own transaction. */
  async migrate(): Promise<void> {
    await this.writer.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_ms BIGINT NOT NULL)',
    );
    const current = await this.versionOn(this.writer);
    for (const m of DUCKDB_MIGRATIONS) {
      if (m.version <= current) continue;
      await this.writer.run('BEGIN TRANSACTION');
      try {
        for (const sql of m.statements) await this.writer.run(sql);
        await m.migrateData?.(this.writer);
        await this.writer.run('INSERT INTO schema_migrations VALUES ($v, $n, $t)', {
          v: m.version,
          n: m.name,
          t: this.now(),
        });
        await this.writer.run('COMMIT');
      } catch (e) {
        await this.writer.run('ROLLBACK');
        throw e;
      }
    }
    await this.writer.run(
      'CREATE TEMP TABLE IF NOT EXISTS recompute_windows (series_id INTEGER, from_ms BIGINT, to_ms BIGINT)',
    );
  }

  /** Loads what ingest keeps in memory: known series and sites, and the last sequence number. */
  async loadState(): Promise<void> {
    await this.catalog.load(this.writer);
    const keys = this.catalog.keys();
    const seq = await this.writer.runAndReadAll(
      'SELECT coalesce(max(seq + count - 1), 0) FROM reading_chunks',
    );
    const lastSeq = Number(seq.getRowsJS()[0]?.[0] ?? 0);
    const siteRows = await this.writer.runAndReadAll(
      'SELECT site_id, name, timezone, source, metadata FROM sites',
    );
    this.sites.clear();
    for (const r of siteRows.getRowsJS()) this.sites.set(r[0] as string, frozenSite(toSite(r)));
    if (this.ingestEngine) this.ingestEngine.reset(keys, lastSeq);
    else {
      const normalize = this.opts.normalize ?? {};
      this.ingestEngine = new IncrementalIngest({ optionsFor: () => normalize, knownSeries: keys, lastSeq });
    }
  }

  /** Reads the ingest tails of up to `maxSeries` series (duckdb-tail-warmup.ts); resolves with the count. */
  warmTails(maxSeries: number): Promise<number> {
    return warmTails(this.writer, this.catalog, this.ingestEngine!, maxSeries);
  }

  private nextReader = 0;

  /** The next reader connection, round robin. */
  private reader(): DuckDBConnection {
    this.nextReader = (this.nextReader + 1) % this.readers.length;
    return this.readers[this.nextReader]!;
  }

  private now(): number {
    return (this.opts.clock ?? Date.now)();
  }

  /** Read on a reader: the writer may be inside a transaction begun for the next group. */
  schemaVersion(): Promise<number> {
    return this.versionOn(this.reader());
  }

  private async versionOn(conn: DuckDBConnection): Promise<number> {
    const r = await conn.runAndReadAll('SELECT coalesce(max(version), 0) FROM schema_migrations');
    return Number(r.getRowsJS()[0]?.[0] ?? 0);
  }

  async upsertSites(sites: readonly Site[]): Promise<void> {
    if (sites.length === 0) return;
    await this.commits.run(() => this.writeSites(sites, true));
  }

  /** Writes sites in one statement and mirrors them in memory. */
  private async writeSites(given: readonly Site[], overwrite: boolean): Promise<void> {
    // Sites an ingest of this transaction created go first, so that the upsert sees (and updates) them.
    await this.flushNewSites();
    // One row per id (the last given wins): an upsert may not touch the same row twice.
    const sites = [...new Map(given.map((s) => [s.siteId, s])).values()];
    const conflict = overwrite
      ? 'DO UPDATE SET name = excluded.name, timezone = excluded.timezone, source = excluded.source, metadata = excluded.metadata'
      : 'DO NOTHING';
    const createdMs = this.now();
    const rows = sites.map(() => '(?, ?, ?, ?, ?, ?)').join(', ');
    const values = sites.flatMap((s) => [
      s.siteId,
      s.name,
      s.timezone,
      s.source,
      JSON.stringify(s.metadata ?? {}),
      createdMs,
    ]);
    await this.writer.run(`INSERT INTO sites VALUES ${rows} ON CONFLICT (site_id) ${conflict}`, values);
    for (const s of sites) {
      if (overwrite || !this.sites.has(s.siteId)) this.sites.set(s.siteId, frozenSite(s));
    }
  }

  private async flushNewSites(): Promise<void> {
    const added = this.newSites;
    this.newSites = [];
    if (added.length === 0) return;
    await appendTo(this.appenders, 'sites', (a) => {
      for (const { site, createdMs } of added) {
        a.appendVarchar(site.siteId);
        a.appendVarchar(site.name);
        a.appendVarchar(site.timezone);
        a.appendVarchar(site.source);
        a.appendVarchar(JSON.stringify(site.metadata ?? {}));
        a.appendBigInt(BigInt(createdMs));
        a.endRow();
      }
    });
  }

  async getSite(siteId: string): Promise<Site | undefined> {
    return this.sites.get(siteId);
  }

  async listSites(): Promise<Site[]> {
    return [...this.sites.values()].sort((a, b) => (a.siteId < b.siteId ? -1 : a.siteId > b.siteId ? 1 : 0));
  }

  async ingest(readings: readonly Reading[], defaultSite: Partial<Site> = {}): Promise<IngestSummary> {
    if (this.closed) throw new Error('store is closed');
    return this.commits.run(async () => {
      // The in-memory site list is authoritative (one process owns the file), so a new site is known to
      // be new: it is appended at commit, not upserted by a statement per request.
      for (const siteId of new Set(readings.map((r) => r.siteId))) {
        if (this.sites.has(siteId)) continue;
        const site = frozenSite({
          siteId,
          name: defaultSite.name ?? siteId,
          timezone: defaultSite.timezone ?? 'UTC',
          source: defaultSite.source ?? 'push',
          metadata: defaultSite.metadata ?? {},
        });
        this.sites.set(siteId, site);
        this.newSites.push({ site, createdMs: this.now() });
      }
      return this.ingestEngine!.ingest(this.ingestIo, readings);
    });
  }

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
      out.push(toBucket(row, ref));
    }
    return out;
  }

  async energy(q: EnergyQuery): Promise<EnergyBucket[]> {
    const ids = this.catalog.idsOfSite(q.siteId, q.channel);
    if (ids.length === 0) return [];
    const { fromMs, toMs } = q;
    const cached = this.opts.cacheMb !== 0 && fromMs !== undefined && toMs !== undefined;
    if (!cached || toMs - fromMs > MAX_CACHED_SPAN_MS) {
      return energyOf(await this.buckets(q));
    }
    const series = ids.map((seriesId) => ({
      seriesId,
      rank: KIND_PRECEDENCE[this.catalog.refOf(seriesId).kind],
    }));
    return this.cache.read(series, fromMs, toMs);
  }

  /**
   * Fills the energy cache from the newest stored block backwards until its budget is full, so that the
   * first reads after a start do not each pay a database query. Safe while serving: a block a commit
   * touched meanwhile is left to load on demand. Resolves with the blocks cached.
   */
  warmCache(): Promise<number> {
    this.warming ??= this.fillCache();
    return this.warming;
  }

  private async fillCache(): Promise<number> {
    const range = await this.timeRange();
    if (range === null) return 0;
    const add = this.cache.beginFill();
    let blocks = 0;
    const first = Math.floor(range.firstMs / BLOCK_MS);
    for (let index = Math.floor(range.lastMs / BLOCK_MS); index >= first && !this.closed; index--) {
      // One row per series with its block as lists: a few large chunks instead of 3,072 rows per series.
      const result = await this.reader().run(
        `SELECT series_id, list(bucket_start_ms::DOUBLE), list(energy_wh), list(coverage) FROM buckets
         WHERE bucket_start_ms >= ${index * BLOCK_MS} AND bucket_start_ms < ${(index + 1) * BLOCK_MS}
         GROUP BY series_id`,
      );
      for (
        let chunk = await result.fetchChunk();
        chunk && chunk.rowCount > 0;
        chunk = await result.fetchChunk()
      ) {
        const ids = chunk.getColumnVector(0);
        const [starts, energies, coverages] = [1, 2, 3].map(
          (c) => chunk.getColumnVector(c) as DuckDBListVector,
        );
        for (let row = 0; row < chunk.rowCount; row++) {
          const at = starts!.getEntryOffset(row);
          const rows = {
            count: starts!.getEntryLength(row),
            startMs: (i: number) => starts!.childVector.getItem(at + i) as number,
            energyWh: (i: number) =>
              energies!.childVector.getItem(energies!.getEntryOffset(row) + i) as number,
            coverage: (i: number) =>
              coverages!.childVector.getItem(coverages!.getEntryOffset(row) + i) as number,
          };
          if (!add(ids.getItem(row) as number, index, rows)) return blocks;
          blocks++;
        }
      }
    }
    return blocks;
  }

  /** One series' stored buckets in [fromMs, toMs), for the cache. */
  private async loadEnergy(seriesId: number, fromMs: number, toMs: number): Promise<EnergyBucket[]> {
    const r = await this.reader().runAndReadAll(
      `SELECT bucket_start_ms, energy_wh, coverage FROM buckets
       WHERE series_id = ${seriesId} AND bucket_start_ms >= ${fromMs} AND bucket_start_ms < ${toMs}`,
    );
    const [starts = [], energies = [], coverages = []] = r.getColumnsJS();
    return starts.map((start, i) => ({
      bucketStartMs: Number(start),
      energyWh: energies[i] as number,
      coverage: coverages[i] as number,
    }));
  }

  /** Applies the committed transaction's bucket writes to the cache. */
  private writeThrough(): void {
    const writes = this.uncommitted;
    this.uncommitted = [];
    // Nothing cached and no load in flight: every later load sees the commit.
    if (this.cache.idle()) return;
    for (const { windows, buckets } of writes) {
      const bySeries = new Map<string, EnergyBucket[]>();
      for (const b of buckets) {
        const key = seriesKindKey(b);
        const list = bySeries.get(key);
        if (list) list.push(b);
        else bySeries.set(key, [b]);
      }
      for (const w of windows) {
        const id = this.catalog.idOf(w);
        if (id !== undefined) this.cache.apply(id, w.fromMs, w.toMs, bySeries.get(seriesKindKey(w)) ?? []);
      }
    }
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

  async appendPolls(entries: readonly PollLogEntry[]): Promise<void> {
    if (this.closed) throw new Error('store is closed');
    if (entries.length === 0) return;
    await this.commits.run(() => insertPolls(this.writer, entries));
  }

  polls(q: PollLogQuery): Promise<PollLogEntry[]> {
    return selectPolls(this.reader(), q);
  }

  async appendGauges(entries: readonly GaugeEntry[]): Promise<void> {
    if (this.closed) throw new Error('store is closed');
    if (entries.length > 0) await this.commits.run(() => insertGauges(this.writer, entries));
  }

  latestGauges(siteId: string): Promise<GaugeEntry[]> {
    return selectLatestGauges(this.reader(), siteId);
  }

  gauges(q: GaugeQuery): Promise<GaugeEntry[]> {
    return selectGauges(this.reader(), q);
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

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      await this.reader().run('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Waits for queued writes, checkpoints and closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.warming?.catch(() => undefined);
    await this.commits.idle();
    this.appenders.close();
    if (this.begun) await this.writer.run('COMMIT');
    this.begun = false;
    if (this.opts.path !== ':memory:') await this.writer.run('CHECKPOINT');
    for (const r of this.readers) r.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}

/** Byte-order text comparison, as SQL's ORDER BY on VARCHAR. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRefs(a: SeriesRef, b: SeriesRef): number {
  return compareText(a.channel, b.channel) || compareText(a.kind, b.kind);
}

function toSite(row: unknown[]): Site {
  const meta = row[4];
  return {
    siteId: row[0] as string,
    name: row[1] as string,
    timezone: row[2] as string,
    source: row[3] as string,
    metadata:
      typeof meta === 'string'
        ? (JSON.parse(meta) as Record<string, unknown>)
        : ((meta ?? {}) as Record<string, unknown>),
  };
}
