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
import { DuckDbQueries } from './duckdb-queries.ts';
import { DuckDbSeriesCatalog } from './duckdb-series-catalog.ts';
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
} from './incremental-ingest.ts';
import type { PollLog, PollLogEntry, PollLogQuery } from './poll-log.ts';
import type { ChannelSample, RecentActivity } from './recent-activity.ts';
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
  /** The read-only queries, on the reader connections. */
  private readonly queries = new DuckDbQueries(() => this.reader(), this.catalog);
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
    await this.commits.run(() => this.writeSites(sites));
  }

  /** Writes sites in one statement and mirrors them in memory. */
  private async writeSites(given: readonly Site[]): Promise<void> {
    // Sites an ingest of this transaction created go first, so that the upsert sees (and updates) them.
    await this.flushNewSites();
    // One row per id (the last given wins): an upsert may not touch the same row twice.
    const sites = [...new Map(given.map((s) => [s.siteId, s])).values()];
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
    await this.writer.run(
      `INSERT INTO sites VALUES ${rows} ON CONFLICT (site_id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone, source = excluded.source, metadata = excluded.metadata`,
      values,
    );
    for (const s of sites) this.sites.set(s.siteId, frozenSite(s));
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

  buckets(q: BucketQuery): Promise<SeriesBucket[]> {
    return this.queries.buckets(q);
  }

  rollup(q: RollupQuery): Promise<RollupRow[]> {
    return this.queries.rollup(q);
  }

  topSites(q: TopQuery): Promise<SiteEnergy[]> {
    return this.queries.topSites(q);
  }

  channels(siteId: string): Promise<string[]> {
    return this.queries.channels(siteId);
  }

  readings(q: ReadingQuery): Promise<Reading[]> {
    return this.queries.readings(q);
  }

  timeRange(siteId?: string): Promise<TimeRange | null> {
    return this.queries.timeRange(siteId);
  }

  lastReceived(sinceMs: number): Promise<Map<string, number>> {
    return this.queries.lastReceived(sinceMs);
  }

  powerSamples(channel: string, fromMs: number, toMs: number): Promise<Map<string, ChannelSample[]>> {
    return this.queries.powerSamples(channel, fromMs, toMs);
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
