// The PostgreSQL side of incremental ingest: neighbourhood reads over the chunked raw log, readings and
// buckets written by binary COPY, stale buckets removed by one set-based DELETE, and each written series'
// version bumped, all on the writer connection inside the caller's transaction. One instance serves one
// ingest job: writes are gathered (the raw log streamed into an open COPY) and sent in stages while the
// engine normalizes (see `stage`), all of them in one pipeline (postgres-pipeline.ts) until a read or the
// end of the job; `flush` sends the last stage and waits for all of them.
import type pg from 'pg';
import { type Reading, type SeriesReading, seriesKindKey } from '../domain/reading.ts';
import { DAY_MS } from '../domain/time.ts';
import type { BucketWindow, KindBucket, SeriesIo, SeriesRef } from './incremental-ingest.ts';
import { int8Array, textArray } from './postgres-binary-arrays.ts';
import { Pipeline, type PipelinedCopy } from './postgres-pipeline.ts';

const RAW_LOG_COPY =
  'COPY reading_chunks (site_id, channel, kind, first_ms, last_ms, t_ms, end_ms, value, received_ms) FROM STDIN (FORMAT binary)';
const BUCKETS_COPY = `COPY buckets (site_id, channel, bucket_start_ms, kind, kind_rank, energy_wh, positive_wh, negative_wh,
                     coverage, samples, min_power_w, max_power_w, quality) FROM STDIN (FORMAT binary)`;

const SERIES = 'site_id = $1 AND channel = $2 AND kind = $3';
/** Chunks that may hold an instant in [$4, $5]: a chunk spans less than a day (see the migration). */
const CHUNKS_IN = `${SERIES} AND last_ms >= $4 AND last_ms <= $5::bigint + ${DAY_MS} AND first_ms <= $5`;

function params(s: SeriesRef): unknown[] {
  return [s.siteId, s.channel, s.kind];
}

/** Another process wrote a series since this one last did: the batch must run again, versions read first. */
export class StaleSeriesError extends Error {
  constructor() {
    super('a series was written by another process since this one cached it');
    this.name = 'StaleSeriesError';
  }
}

interface WrittenSeries extends SeriesRef {
  receivedMs: number;
}

/**
 * Readings appended between two stages. A stage's bucket statements run on the server while the engine
 * normalizes the next slices, so only the last stage is left when the batch ends: the smaller a stage, the
 * shorter that wait, but each stage costs a few statements and a COPY restart.
 */
const STAGE_READINGS = 8_192;

export class PostgresSeriesIo implements SeriesIo {
  /** The writes sent since the last read, while they run (between the first write and a read or flush). */
  private pipeline: Pipeline | undefined;
  /** The raw log's COPY while it is open in the pipeline (between appendReadings and the next stage). */
  private append: PipelinedCopy | undefined;
  private windows: BucketWindow[] = [];
  private buckets: KindBucket[] = [];
  /** Series written since the last stage (seriesKindKey to the series and its latest receive time). */
  private series = new Map<string, WrittenSeries>();
  /** Readings appended since the last stage. */
  private unstaged = 0;
  /** The last statement queued on the connection, settled (never rejecting) when it is over. */
  private last: Promise<unknown>;
  /** Set when a write failed: the transaction is aborted (or stale) and the batch fails with `failure`. */
  private failed = false;
  private failure: unknown;

  /**
   * @param versions the series versions this process wrote last, updated here as it writes (seriesKindKey
   *   to version); the store validates its cached tails against them.
   * @param after settles when the statements sent before this job's are over (its transaction's locks)
   */
  constructor(
    private readonly client: pg.ClientBase,
    private readonly versions: Map<string, number>,
    after: Promise<unknown> = Promise.resolve(),
  ) {
    this.last = after.catch(() => undefined);
  }

  /**
   * A read on the writer connection. It runs after the writes sent before it (their pipeline ends here);
   * when one of those failed, the transaction is aborted and so is this read: its error names that failure,
   * not the abort.
   */
  private async read(q: pg.QueryConfig): Promise<pg.QueryResult> {
    await this.endPipeline();
    if (this.failed) throw this.failure;
    try {
      return await this.run(() => this.client.query(q));
    } catch (e) {
      throw this.failed ? this.failure : e;
    }
  }

  /**
   * Runs `job` on the connection once the statements queued before it are over. node-postgres would queue
   * them too, but that is deprecated (and gone in pg 9): each statement goes out when the previous is done.
   */
  private run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.last.then(job);
    this.last = result.catch(() => undefined);
    return result;
  }

  /** The open pipeline, or a new one, submitted once the statements before it are over. */
  private writes(): Pipeline {
    if (this.pipeline === undefined) {
      const p = new Pipeline((e) => {
        if (this.failed) return;
        this.failed = true;
        this.failure = e;
      });
      this.last.then(() => this.client.query(p)).catch((e: unknown) => p.handleError(e));
      this.last = p.settled;
      this.pipeline = p;
    }
    return this.pipeline;
  }

  /** Ends the open pipeline, if any (the raw log's COPY with it), and waits for the server to have run it. */
  private async endPipeline(): Promise<void> {
    const p = this.pipeline;
    if (p === undefined) return;
    this.append?.end();
    this.append = undefined;
    this.pipeline = undefined;
    await p.end().catch(() => undefined);
  }

  /** Distinct instants of the series in [fromMs, toMs], ascending. */
  private async instantsIn(s: SeriesRef, fromMs: number, toMs: number): Promise<number[]> {
    const r = await this.read({
      name: 'wl-instants-in',
      text: `SELECT DISTINCT u FROM reading_chunks, unnest(t_ms) u
             WHERE ${CHUNKS_IN} AND u >= $4 AND u <= $5 ORDER BY u`,
      values: [...params(s), fromMs, toMs],
    });
    return r.rows.map((row) => Number(row.u));
  }

  /** First and last instant the series may have (bounds, from the chunk keys), or null when it is empty. */
  private async bounds(s: SeriesRef): Promise<{ minMs: number; maxMs: number } | null> {
    // A read waits for the writes sent before it: the connection runs one statement at a time.
    const r = await this.read({
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
    const r = await this.read({
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

  /**
   * Appends by COPY, one chunk per run of one series and UTC day (the engine hands readings series by
   * series, in time order, so a run is nearly always the whole series-day); the database numbers the chunks
   * (seq), so `firstSeq` is not used. The rows go into a COPY that stays open across calls, each buffer to
   * the connection as soon as it is full: the server stores them while the engine normalizes the next
   * slices. The next stage (or a read) ends the COPY; `flush` reports its outcome.
   */
  async appendReadings(rows: readonly Reading[], _firstSeq: number): Promise<void> {
    if (rows.length === 0) return;
    // The transaction is aborted already: no use normalizing the rest of the batch.
    if (this.failed) throw this.failure;
    this.unstaged += rows.length;
    const copy = this.openAppend();
    let from = 0;
    while (from < rows.length) {
      const r = rows[from]!;
      const day = Math.floor(r.tMs / DAY_MS);
      let to = from + 1;
      let firstMs = r.tMs;
      let lastMs = r.tMs;
      let receivedMs = r.receivedMs;
      for (; to < rows.length; to++) {
        const x = rows[to]!;
        if (x.siteId !== r.siteId || x.channel !== r.channel || x.kind !== r.kind) break;
        if (Math.floor(x.tMs / DAY_MS) !== day) break;
        if (x.tMs < firstMs) firstMs = x.tMs;
        if (x.tMs > lastMs) lastMs = x.tMs;
        if (x.receivedMs > receivedMs) receivedMs = x.receivedMs;
      }
      const w = copy.writer;
      w.row(9);
      w.text(r.siteId);
      w.text(r.channel);
      w.text(r.kind);
      w.int8(firstMs);
      w.int8(lastMs);
      let a = w.int8ArrayStart(to - from);
      for (let i = from; i < to; i++) w.int8Element(rows[i]!.tMs);
      w.arrayEnd(a, false);
      a = w.int8ArrayStart(to - from);
      let nulls = false;
      for (let i = from; i < to; i++) {
        const endMs = rows[i]!.endMs;
        if (endMs === null) {
          w.nullElement();
          nulls = true;
        } else w.int8Element(endMs);
      }
      w.arrayEnd(a, nulls);
      a = w.float8ArrayStart(to - from);
      for (let i = from; i < to; i++) w.float8Element(rows[i]!.value);
      w.arrayEnd(a, false);
      a = w.int8ArrayStart(to - from);
      for (let i = from; i < to; i++) w.int8Element(rows[i]!.receivedMs);
      w.arrayEnd(a, false);
      this.touched(r, receivedMs);
      from = to;
    }
    copy.send();
  }

  /** Starts the raw log's COPY now if none is open, so that the server is ready when rows come. */
  openAppend(): PipelinedCopy {
    if (this.append === undefined) this.append = this.writes().copy(RAW_LOG_COPY);
    return this.append;
  }

  /** Abandons what was not flushed: the open COPY fails, so the connection can roll back. */
  async abort(): Promise<void> {
    const p = this.pipeline;
    this.pipeline = undefined;
    this.append = undefined;
    this.windows = [];
    this.buckets = [];
    this.series.clear();
    if (p !== undefined) await p.cancel();
    await this.last;
  }

  /** Writes what appendReadings and replaceBuckets gathered and waits for every stage; the caller then
   * commits. */
  async flush(): Promise<void> {
    this.stage();
    await this.endPipeline();
    if (this.failed) throw this.failure;
  }

  /**
   * Sends what was gathered since the last stage: ends the raw log's COPY, then the DELETE of the windows'
   * stored buckets with the version bump, and the COPY of the new buckets, without waiting for them. The
   * server runs them in order while the engine normalizes the next slices (the next appendReadings opens a
   * new COPY behind them), all in the caller's transaction. A stage holds whole series (the engine hands
   * them so), so its DELETE never removes another stage's buckets.
   */
  private stage(): void {
    const copy = this.append;
    const old = this.windows.filter((w) => !w.isNew);
    const buckets = this.buckets;
    const written = this.series;
    this.append = undefined;
    this.windows = [];
    this.buckets = [];
    this.series = new Map();
    this.unstaged = 0;
    copy?.end();
    // The transaction is aborted already (or a series was stale): nothing more is worth sending.
    if (this.failed) return;
    if (old.length > 0 || written.size > 0) this.deleteAndBump(old, written);
    if (buckets.length > 0) this.copyBuckets(buckets);
  }

  /** Notes a series written by this batch and its latest receive time, for bumpVersions. */
  private touched(r: Reading, receivedMs: number): void {
    const key = seriesKindKey(r);
    const seen = this.series.get(key);
    if (seen === undefined)
      this.series.set(key, { siteId: r.siteId, channel: r.channel, kind: r.kind, receivedMs });
    else if (receivedMs > seen.receivedMs) seen.receivedMs = receivedMs;
  }

  /**
   * Removes the windows' stored buckets and bumps the versions of the written series (other processes then
   * drop their cached tails of them). Data-modifying CTEs run to completion whatever the main query reads.
   * Only the series whose version did not move by exactly this write come back (none, as a rule): for the
   * others the new version is the one this process last wrote plus one.
   */
  private deleteAndBump(old: readonly BucketWindow[], written: ReadonlyMap<string, WrittenSeries>): void {
    const keys = [...written.keys()];
    const series = [...written.values()];
    // -1: no version known here, so the series always comes back.
    const before = keys.map((k) => this.versions.get(k) ?? -1);
    // The stale buckets are found window by window through the primary key (LATERAL with OFFSET 0, which
    // the planner cannot flatten into a join) and deleted by row address. As a plain join the planner chose
    // a sort of the whole table for up to a thousand windows (10 ms at 9,000 buckets, growing with the
    // table); the index costs a few microseconds per window. Unnamed, so planned for its arrays each time:
    // the generic plan of a prepared statement measured several times slower.
    const text = `WITH gone AS (
               DELETE FROM buckets WHERE ctid = ANY (ARRAY(
                 SELECT x.ctid FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
                   AS w(site_id, channel, kind, from_ms, to_ms),
                 LATERAL (SELECT b.ctid FROM buckets b
                          WHERE b.site_id = w.site_id AND b.channel = w.channel AND b.kind = w.kind
                            AND b.bucket_start_ms >= w.from_ms AND b.bucket_start_ms < w.to_ms OFFSET 0) x))),
             bumped AS (
               INSERT INTO series (site_id, channel, kind, version, last_received_ms)
               SELECT s, c, k, 1, r FROM unnest($6::text[], $7::text[], $8::text[], $9::bigint[]) AS u(s, c, k, r)
               ON CONFLICT (site_id, channel, kind) DO UPDATE SET version = series.version + 1,
                 last_received_ms = greatest(series.last_received_ms, excluded.last_received_ms)
               RETURNING site_id, channel, kind, version)
             SELECT u.i, b.version FROM bumped b
             JOIN unnest($6::text[], $7::text[], $8::text[], $10::bigint[]) WITH ORDINALITY AS u(s, c, k, before, i)
               ON b.site_id = u.s AND b.channel = u.c AND b.kind = u.k
             WHERE b.version <> u.before + 1`;
    const values = [
      textArray(old.map((w) => w.siteId)),
      textArray(old.map((w) => w.channel)),
      textArray(old.map((w) => w.kind)),
      int8Array(old.map((w) => w.fromMs)),
      int8Array(old.map((w) => w.toMs)),
      textArray(series.map((w) => w.siteId)),
      textArray(series.map((w) => w.channel)),
      textArray(series.map((w) => w.kind)),
      int8Array(series.map((w) => w.receivedMs)),
      int8Array(before),
    ];
    this.writes().query(text, values, (rows) => {
      for (let i = 0; i < keys.length; i++) this.versions.set(keys[i]!, before[i]! + 1);
      // Under the series' locks the versions cannot move: one that moved by more than this write moved
      // before the transaction, so the cached tail it was normalized with may be stale.
      let stale = false;
      for (const [n, version] of rows) {
        const i = Number(n) - 1;
        if (before[i] !== -1) stale = true;
        this.versions.set(keys[i]!, Number(version));
      }
      if (stale) throw new StaleSeriesError();
    });
  }

  /** Gathers the windows and buckets to write with the next stage (after the raw log's COPY has ended). */
  async replaceBuckets(windows: readonly BucketWindow[], buckets: readonly KindBucket[]): Promise<void> {
    for (const w of windows) this.windows.push(w);
    for (const b of buckets) this.buckets.push(b);
    if (this.unstaged >= STAGE_READINGS) this.stage();
  }

  private copyBuckets(buckets: readonly KindBucket[]): void {
    const copy = this.writes().copy(BUCKETS_COPY);
    const w = copy.writer;
    for (const b of buckets) {
      w.row(13);
      w.text(b.siteId);
      w.text(b.channel);
      w.int8(b.bucketStartMs);
      w.text(b.kind);
      w.int2(b.kindRank);
      w.float8(b.energyWh);
      w.float8(b.positiveWh);
      w.float8(b.negativeWh);
      w.float8(b.coverage);
      w.int4(b.samples);
      w.float8(b.minPowerW);
      w.float8(b.maxPowerW);
      w.text(b.quality);
    }
    copy.end();
  }
}
