// The PostgreSQL backend, for teams that already run PostgreSQL or run several wattline processes against
// one database. Writes go through one writer connection per process (group commit, COPY); reads through a
// small pool. Several processes may write the same series: each transaction takes striped advisory locks
// on its series (all at once, sorted), checks every series' version against the one it last wrote, and
// drops a cached tail that another process has made stale. The buckets' primary key backs this up: a
// doubled bucket is an error, never a silent double count.
import { setImmediate } from 'node:timers/promises';
import pg from 'pg';
import { type EnergyBucket, energyOf, type SeriesBucket } from '../domain/bucket.ts';
import { type Reading, type ReadingKind, seriesKindKey } from '../domain/reading.ts';
import type { Site } from '../domain/site.ts';
import { DAY_MS } from '../domain/time.ts';
import type { NormalizeOptions } from '../normalize/options.ts';
import { GroupCommit } from './group-commit.ts';
import { IncrementalIngest, type SeriesRef } from './incremental-ingest.ts';
import { LockStripes, lockAll, newSiteLock, seriesLock, siteLock, siteOfLock } from './postgres-locks.ts';
import { migratePostgres, schemaVersionOf } from './postgres-migrations.ts';
import { BUCKET_COLUMNS, type BucketRow, type SiteRow, toBucket, toSite } from './postgres-rows.ts';
import { PostgresSeriesIo, StaleSeriesError } from './postgres-series-io.ts';
import type { ChannelSample, RecentActivity } from './recent-activity.ts';
import { checkedPeriodMs } from './rollup-period.ts';
import { groupBySeriesKind } from './series-groups.ts';
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

export interface PostgresStoreOptions {
  /** Connection URL, e.g. postgres://user@127.0.0.1:5432/wattline. */
  url: string;
  /** Normalization options for every site (e.g. maxGapMs). */
  normalize?: Partial<NormalizeOptions>;
  /** Clock for created timestamps (epoch ms). */
  clock?: () => number;
  /** Reader connections (default 4). */
  readers?: number;
}

/** True for a `db` setting that names a PostgreSQL database. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//.test(db);
}

/** bigint (epoch ms, counts) as JavaScript numbers: every value wattline stores is a safe integer. */
function numberTypes(): pg.TypeOverrides {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, Number);
  return types;
}

/** The writer connection (named, so that an operator can tell it apart in pg_stat_activity). */
function newWriter(url: string): pg.Client {
  const client = new pg.Client({
    connectionString: url,
    types: numberTypes(),
    application_name: 'wattline-writer',
  });
  // A dropped connection is reported on the next query; without a listener it would crash the process.
  client.on('error', () => undefined);
  return client;
}

/** Opens a PostgreSQL store, applying pending migrations first. */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<PostgresStore> {
  const writer = newWriter(opts.url);
  const pool = new pg.Pool({ connectionString: opts.url, types: numberTypes(), max: opts.readers ?? 4 });
  // A dropped idle connection leaves the pool; without a listener it would crash the process.
  pool.on('error', () => undefined);
  try {
    await writer.connect();
    await migratePostgres(writer, opts.clock ?? Date.now);
  } catch (e) {
    await writer.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw e;
  }
  return new PostgresStore(writer, pool, opts);
}

/**
 * Readings per slice of a large batch (see writeSlices): about a quarter of a millisecond of normalization.
 * The event loop runs between slices: the socket then sends what the kernel did not take at once (when the
 * server lags) and the server's answers are read. Chosen when the writer connection moved on to the next
 * statement of the batch only between slices (256 left 9 ms of statements at the end of a 50,000-reading
 * batch where 1,024 left 15 ms); since the batch's writes are one pipeline (postgres-pipeline.ts), 256 and
 * 1,024 measured alike on the ingest bench, within its noise.
 */
const SLICE_READINGS = 256;

const EMPTY_SUMMARY: IngestSummary = {
  accepted: 0,
  stored: 0,
  series: 0,
  bucketsTouched: 0,
  firstBucketMs: null,
  lastBucketMs: null,
};

function minOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function maxOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

/** The summary of two series-disjoint parts of one batch. */
function addSummaries(a: IngestSummary, b: IngestSummary): IngestSummary {
  return {
    accepted: a.accepted + b.accepted,
    stored: a.stored + b.stored,
    series: a.series + b.series,
    bucketsTouched: a.bucketsTouched + b.bucketsTouched,
    firstBucketMs: minOf(a.firstBucketMs, b.firstBucketMs),
    lastBucketMs: maxOf(a.lastBucketMs, b.lastBucketMs),
  };
}

/** Whole series (groups of groupBySeriesKind) packed into slices of at least `size` readings. */
function* slices(groups: ReadonlyMap<string, Reading[]>, size: number): Generator<Map<string, Reading[]>> {
  let slice = new Map<string, Reading[]>();
  let readings = 0;
  for (const [key, group] of groups) {
    slice.set(key, group);
    readings += group.length;
    if (readings >= size) {
      yield slice;
      slice = new Map();
      readings = 0;
    }
  }
  if (slice.size > 0) yield slice;
}

/** True when `map` has every key of `keys`. */
function everyKey(keys: ReadonlyMap<string, unknown>, map: ReadonlyMap<string, unknown>): boolean {
  for (const k of keys.keys()) if (!map.has(k)) return false;
  return true;
}

/** PostgreSQL text cannot hold NUL, so no stored id contains one: a lookup by such an id (a path
 * parameter with %00, say) finds nothing, rather than failing in the database. */
function unstorable(...ids: (string | undefined)[]): boolean {
  return ids.some((id) => id?.includes('\u0000'));
}

function rangeClause(fromMs?: number, toMs?: number): string {
  const parts: string[] = [];
  if (fromMs !== undefined) parts.push(`bucket_start_ms >= ${Math.floor(fromMs)}`);
  if (toMs !== undefined) parts.push(`bucket_start_ms < ${Math.ceil(toMs)}`);
  return parts.length === 0 ? '' : ` AND ${parts.join(' AND ')}`;
}

export class PostgresStore implements Store, RecentActivity {
  readonly backend = 'postgres';
  private readonly engine: IncrementalIngest;
  /** Version of each series as this process last wrote or validated it (see PostgresSeriesIo). */
  private readonly versions = new Map<string, number>();
  /** Sites known to exist (sites are never deleted), so that ingest neither inserts nor locks them. */
  private readonly knownSites = new Set<string>();
  private readonly lockStripes = new LockStripes();
  private readonly commits: GroupCommit;
  private closed = false;

  /** Set when the writer connection reported an error or ended: the next transaction reconnects. */
  private writerLost = false;

  /**
   * The current transaction's advisory locks while the server takes them (see the transactor's `lock`):
   * its statements go out after this settles; rejects when the locks could not be taken.
   */
  private locked: Promise<void> = Promise.resolve();

  constructor(
    private writer: pg.Client,
    private readonly pool: pg.Pool,
    private readonly opts: PostgresStoreOptions,
  ) {
    this.watchWriter(writer);
    const normalize = opts.normalize ?? {};
    // No series is trusted at start: each is checked against the database on first write.
    this.engine = new IncrementalIngest({ optionsFor: () => normalize, knownSeries: [], lastSeq: 0 });
    this.commits = new GroupCommit({
      begin: () => this.begin(),
      // Not waited for: the transaction's statements go out on this connection after it (see afterLocks),
      // so the server takes the locks first, while this process groups and normalizes the batch. Waiting
      // idled this process for a round trip and the server's lock work (2-3 ms of a 50,000-reading batch).
      lock: async (names) => {
        this.locked = lockAll(
          this.writer,
          names.filter((n) => {
            const site = siteOfLock(n);
            return site === undefined || !site.onlyIfNew || !this.knownSites.has(site.siteId);
          }),
          this.lockStripes,
        );
        // Observed by the job (afterLocks); until then a failure must not count as unhandled.
        this.locked.catch(() => undefined);
      },
      commit: () => this.writer.query('COMMIT').then(() => undefined),
      rollback: () => this.writer.query('ROLLBACK').then(() => undefined),
      onRollback: () => {
        // Tails, versions and sites may hold what was just rolled back: forget them all.
        this.engine.reset([], 0);
        this.versions.clear();
        this.knownSites.clear();
      },
    });
  }

  /** Notes the loss of `client` (a server restart, pg_terminate_backend, a network cut) when it is the writer. */
  private watchWriter(client: pg.Client): void {
    const lost = () => {
      if (this.writer === client) this.writerLost = true;
    };
    client.on('error', lost);
    client.on('end', lost);
  }

  /**
   * Starts a write transaction, on a new writer connection when the old one was lost. A loss while idle may
   * show only now, as a failed BEGIN: nothing of the transaction has been sent, so reconnecting and beginning
   * again is safe. A loss inside a transaction fails that transaction (rolled back by the server); the
   * next one reconnects here.
   */
  private async begin(): Promise<void> {
    this.locked = Promise.resolve();
    if (this.writerLost) await this.reconnect();
    try {
      await this.writer.query('BEGIN');
    } catch {
      await this.reconnect();
      await this.writer.query('BEGIN');
    }
  }

  private async reconnect(): Promise<void> {
    const old = this.writer;
    // Not awaited: ending a client whose socket is gone only destroys it.
    old.end().catch(() => undefined);
    const client = newWriter(this.opts.url);
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => undefined);
      this.writerLost = true;
      throw e;
    }
    this.writer = client;
    this.writerLost = false;
    this.watchWriter(client);
  }

  private now(): number {
    return (this.opts.clock ?? Date.now)();
  }

  async schemaVersion(): Promise<number> {
    return schemaVersionOf(this.pool);
  }

  async upsertSites(sites: readonly Site[]): Promise<void> {
    if (sites.length === 0) return;
    await this.commits.run(
      () => this.afterLocks(() => this.writeSites(sites, true)),
      sites.map((s) => siteLock(s.siteId)),
    );
  }

  /**
   * Runs a transaction's job, whose statements go out once the locks are taken (they wait for
   * `this.locked`): when the locks could not be taken, that is the job's failure, rather than the aborted
   * transaction it left.
   */
  private async afterLocks<T>(job: (locked: Promise<void>) => Promise<T>): Promise<T> {
    const locked = this.locked;
    try {
      const result = await job(locked);
      await locked;
      return result;
    } catch (e) {
      await locked;
      throw e;
    }
  }

  /** Writes sites in one statement; the caller holds their locks. */
  private async writeSites(given: readonly Site[], overwrite: boolean): Promise<void> {
    await this.locked;
    // One row per id (the last given wins): an upsert may not touch the same row twice.
    const sites = [...new Map(given.map((s) => [s.siteId, s])).values()];
    const conflict = overwrite
      ? 'DO UPDATE SET name = excluded.name, timezone = excluded.timezone, source = excluded.source, metadata = excluded.metadata'
      : 'DO NOTHING';
    const rows = sites.map((s) => ({
      site_id: s.siteId,
      name: s.name,
      timezone: s.timezone,
      source: s.source,
      metadata: s.metadata ?? {},
    }));
    await this.writer.query(
      `INSERT INTO sites (site_id, name, timezone, source, metadata, created_ms)
       SELECT site_id, name, timezone, source, metadata, $2 FROM jsonb_to_recordset($1::jsonb)
         AS x(site_id text, name text, timezone text, source text, metadata jsonb)
       ORDER BY site_id
       ON CONFLICT (site_id) ${conflict}`,
      [JSON.stringify(rows), this.now()],
    );
    for (const s of sites) this.knownSites.add(s.siteId);
  }

  async getSite(siteId: string): Promise<Site | undefined> {
    if (unstorable(siteId)) return undefined;
    const r = await this.pool.query<SiteRow>({
      name: 'wl-get-site',
      text: 'SELECT site_id, name, timezone, source, metadata FROM sites WHERE site_id = $1',
      values: [siteId],
    });
    return r.rows.length === 0 ? undefined : toSite(r.rows[0]!);
  }

  async listSites(): Promise<Site[]> {
    const r = await this.pool.query<SiteRow>(
      'SELECT site_id, name, timezone, source, metadata FROM sites ORDER BY site_id',
    );
    return r.rows.map(toSite);
  }

  async ingest(readings: readonly Reading[], defaultSite: Partial<Site> = {}): Promise<IngestSummary> {
    if (this.closed) throw new Error('store is closed');
    const groups = groupBySeriesKind(readings);
    const series = [...groups.values()].map((g) => g[0]!);
    const siteIds = [...new Set(series.map((r) => r.siteId))];
    const locks = [...siteIds.map(newSiteLock), ...series.map(seriesLock)];
    const attempt = (validate: boolean) =>
      this.commits.run(
        () =>
          this.afterLocks(async (locked) => {
            const missing = siteIds.filter((id) => !this.knownSites.has(id));
            if (missing.length > 0) {
              await this.writeSites(
                missing.map((siteId) => ({
                  siteId,
                  name: defaultSite.name ?? siteId,
                  timezone: defaultSite.timezone ?? 'UTC',
                  source: defaultSite.source ?? 'push',
                  metadata: defaultSite.metadata ?? {},
                })),
                false,
              );
            }
            // When this process has written every series of the batch before, its cached tails are checked
            // by the version bump at the end instead of a query here (see PostgresSeriesIo.deleteAndBump): a
            // mismatch aborts the transaction, and the batch runs again with the versions read first.
            if (validate || !everyKey(groups, this.versions)) await this.validateTails(series);
            return this.writeSlices(groups, locked);
          }),
        locks,
      );
    try {
      return await attempt(false);
    } catch (e) {
      if (!(e instanceof StaleSeriesError)) throw e;
      return attempt(true);
    }
  }

  /**
   * Normalizes and writes a batch in series-disjoint slices, so that JavaScript and the server work at the
   * same time: the raw log streams into an open COPY while the engine normalizes slice after slice, and the
   * buckets and versions of the slices done so far follow in stages (PostgresSeriesIo.stage). Between
   * slices the event loop runs, so the connection gets to send them; `flush` sends the last stage and waits
   * for all, everything in the caller's transaction.
   */
  private async writeSlices(
    groups: ReadonlyMap<string, Reading[]>,
    locked: Promise<void>,
  ): Promise<IngestSummary> {
    const io = new PostgresSeriesIo(this.writer, this.versions, locked);
    // Opened before the first slice is normalized, so that the server is ready when its rows come.
    io.openAppend();
    let total: IngestSummary = EMPTY_SUMMARY;
    try {
      for (const slice of slices(groups, SLICE_READINGS)) {
        total = addSummaries(total, await this.engine.ingestGroups(io, slice));
        await setImmediate();
      }
      await io.flush();
    } catch (e) {
      await io.abort();
      throw e;
    }
    return total;
  }

  /**
   * Under the series' locks: drops the cached tail of every series another process wrote since this one
   * last did (its version moved), and tells the engine which series exist.
   */
  private async validateTails(series: readonly SeriesRef[]): Promise<void> {
    await this.locked;
    const r = await this.writer.query<{ site_id: string; channel: string; kind: string; version: number }>({
      name: 'wl-series-versions',
      text: `SELECT s.site_id, s.channel, s.kind, s.version FROM series s
             JOIN unnest($1::text[], $2::text[], $3::text[]) AS u(site_id, channel, kind)
               ON s.site_id = u.site_id AND s.channel = u.channel AND s.kind = u.kind`,
      values: [series.map((s) => s.siteId), series.map((s) => s.channel), series.map((s) => s.kind)],
    });
    const current = new Map<string, number>();
    for (const row of r.rows) {
      current.set(
        seriesKindKey({ siteId: row.site_id, channel: row.channel, kind: row.kind as ReadingKind }),
        row.version,
      );
    }
    for (const s of series) {
      const key = seriesKindKey(s);
      const version = current.get(key);
      if (version === this.versions.get(key)) continue;
      this.engine.forget(key, version !== undefined);
      if (version === undefined) this.versions.delete(key);
      else this.versions.set(key, version);
    }
  }

  async energy(q: EnergyQuery): Promise<EnergyBucket[]> {
    return energyOf(await this.buckets(q));
  }

  async buckets(q: BucketQuery): Promise<SeriesBucket[]> {
    if (unstorable(q.siteId, q.channel)) return [];
    const values: unknown[] = [q.siteId];
    if (q.channel !== undefined) values.push(q.channel);
    const channel = q.channel === undefined ? '' : ' AND channel = $2';
    // Precedence between kinds is resolved while reading the rows, as in the DuckDB backend.
    const r = await this.pool.query<BucketRow>({
      text: `SELECT ${BUCKET_COLUMNS} FROM buckets WHERE site_id = $1${channel}${rangeClause(q.fromMs, q.toMs)}
             ORDER BY channel, bucket_start_ms, kind_rank`,
      values,
    });
    const out: SeriesBucket[] = [];
    for (const row of r.rows) {
      const prev = out[out.length - 1];
      if (prev !== undefined && prev.channel === row.channel && prev.bucketStartMs === row.bucket_start_ms)
        continue;
      out.push(toBucket(row));
    }
    return out;
  }

  async rollup(q: RollupQuery): Promise<RollupRow[]> {
    const period = checkedPeriodMs(q.periodMs);
    if (unstorable(q.siteId, q.channel)) return [];
    const values: unknown[] = [q.siteId];
    if (q.channel !== undefined) values.push(q.channel);
    const channel = q.channel === undefined ? '' : ' AND channel = $2';
    const r = await this.pool.query({
      text: `WITH best AS (
               SELECT DISTINCT ON (channel, bucket_start_ms) channel, bucket_start_ms AS t,
                      energy_wh, positive_wh, negative_wh
               FROM buckets WHERE site_id = $1${channel}${rangeClause(q.fromMs, q.toMs)}
               ORDER BY channel, bucket_start_ms, kind_rank)
             SELECT channel, t - ((t % ${period}) + ${period}) % ${period} AS period_ms, sum(energy_wh) AS e,
                    sum(positive_wh) AS p, sum(negative_wh) AS n, count(*) AS c
             FROM best GROUP BY channel, period_ms ORDER BY channel, period_ms`,
      values,
    });
    return r.rows.map((row) => ({
      channel: row.channel,
      periodStartMs: Number(row.period_ms),
      energyWh: row.e,
      positiveWh: row.p,
      negativeWh: row.n,
      buckets: Number(row.c),
    }));
  }

  async topSites(q: TopQuery): Promise<SiteEnergy[]> {
    if (unstorable(q.channel)) return [];
    const values: unknown[] = [];
    if (q.channel !== undefined) values.push(q.channel);
    const channel = q.channel === undefined ? '' : ' AND channel = $1';
    const r = await this.pool.query<{ site_id: string; e: number }>({
      text: `WITH best AS (
               SELECT DISTINCT ON (site_id, channel, bucket_start_ms) site_id, energy_wh FROM buckets
               WHERE true${channel}${rangeClause(q.fromMs, q.toMs)}
               ORDER BY site_id, channel, bucket_start_ms, kind_rank)
             SELECT site_id, sum(energy_wh) AS e FROM best GROUP BY site_id
             ORDER BY e DESC, CASE WHEN site_id ~ '^[+-]?[0-9]{1,18}$' THEN site_id::bigint END NULLS LAST, site_id
             LIMIT ${Math.max(0, Math.floor(q.count))}`,
      values,
    });
    return r.rows.map((row) => ({ siteId: row.site_id, energyWh: row.e }));
  }

  async channels(siteId: string): Promise<string[]> {
    if (unstorable(siteId)) return [];
    const r = await this.pool.query<{ channel: string }>(
      'SELECT DISTINCT channel FROM buckets WHERE site_id = $1 ORDER BY channel',
      [siteId],
    );
    return r.rows.map((row) => row.channel);
  }

  async readings(q: ReadingQuery): Promise<Reading[]> {
    if (unstorable(q.siteId, q.channel)) return [];
    const values: unknown[] = [q.siteId];
    const chunks = ['c.site_id = $1'];
    const instants: string[] = [];
    if (q.channel !== undefined) {
      values.push(q.channel);
      chunks.push('c.channel = $2');
    }
    // A chunk spans less than a day: those holding instants in [from, to) end in [from, to + 1 day).
    if (q.fromMs !== undefined) {
      chunks.push(`c.last_ms >= ${Math.floor(q.fromMs)}`);
      instants.push(`u.t >= ${Math.floor(q.fromMs)}`);
    }
    if (q.toMs !== undefined) {
      chunks.push(`c.first_ms < ${Math.ceil(q.toMs)}`, `c.last_ms < ${Math.ceil(q.toMs) + DAY_MS}`);
      instants.push(`u.t < ${Math.ceil(q.toMs)}`);
    }
    const limit = q.limit === undefined ? '' : ` LIMIT ${Math.floor(q.limit)}`;
    const r = await this.pool.query({
      text: `SELECT DISTINCT ON (c.channel, c.kind, u.t) c.channel, c.kind, u.t, u.e, u.v, u.r
             FROM reading_chunks c, unnest(c.t_ms, c.end_ms, c.value, c.received_ms) AS u(t, e, v, r)
             WHERE ${[...chunks, ...instants].join(' AND ')}
             ORDER BY c.channel, c.kind, u.t, u.r DESC, c.seq DESC${limit}`,
      values,
    });
    return r.rows.map((row) => ({
      siteId: q.siteId,
      channel: row.channel,
      kind: row.kind as ReadingKind,
      tMs: Number(row.t),
      endMs: row.e === null ? null : Number(row.e),
      value: row.v,
      receivedMs: Number(row.r),
    }));
  }

  async timeRange(siteId?: string): Promise<TimeRange | null> {
    if (unstorable(siteId)) return null;
    const r = await this.pool.query<{ first: number | null; last: number | null }>(
      `SELECT min(bucket_start_ms) AS first, max(bucket_start_ms) AS last FROM buckets${siteId === undefined ? '' : ' WHERE site_id = $1'}`,
      siteId === undefined ? [] : [siteId],
    );
    const row = r.rows[0];
    if (!row || row.first === null || row.last === null) return null;
    return { firstMs: row.first, lastMs: row.last };
  }

  async lastReceived(sinceMs: number): Promise<Map<string, number>> {
    const r = await this.pool.query<{ site_id: string; r: number }>(
      'SELECT site_id, max(last_received_ms) AS r FROM series WHERE last_received_ms >= $1 GROUP BY site_id',
      [Math.floor(sinceMs)],
    );
    return new Map(r.rows.map((row) => [row.site_id, Number(row.r)]));
  }

  async powerSamples(channel: string, fromMs: number, toMs: number): Promise<Map<string, ChannelSample[]>> {
    const r = await this.pool.query<{ site_id: string; t: number; v: number }>(
      `SELECT c.site_id, u.t, u.v FROM reading_chunks c, unnest(c.t_ms, c.value) AS u(t, v)
       WHERE c.channel = $1 AND c.kind = 'power' AND c.last_ms >= $2 AND c.first_ms <= $3
         AND u.t >= $2 AND u.t <= $3
       ORDER BY c.site_id, u.t`,
      [channel, Math.floor(fromMs), Math.ceil(toMs)],
    );
    const out = new Map<string, ChannelSample[]>();
    for (const row of r.rows) {
      const sample = { tMs: Number(row.t), value: row.v };
      const list = out.get(row.site_id);
      if (list) list.push(sample);
      else out.set(row.site_id, [sample]);
    }
    return out;
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Waits for queued writes and closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commits.idle();
    await this.writer.end().catch(() => undefined);
    await this.pool.end();
  }
}
