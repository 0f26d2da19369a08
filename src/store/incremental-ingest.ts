// Backend-neutral ingest: groups a batch by series, finds the window of buckets each series' new readings
// touch, fetches just the readings that window depends on (or uses the in-memory tail when the new data
// only extends the series), recomputes with the pure normalizer and hands rows to the backend to write.
import type { Bucket, SeriesBucket } from '../domain/bucket.ts';
import {
  KIND_PRECEDENCE,
  type Reading,
  type ReadingKind,
  type SeriesReading,
  seriesKindKey,
} from '../domain/reading.ts';
import { bucketCeil, bucketFloor } from '../domain/time.ts';
import { dedupeReadings, sortedUnique } from '../normalize/dedupe.ts';
import { type NormalizeOptions, resolveOptions } from '../normalize/options.ts';
import {
  EMPTY_TAIL,
  extensionOf,
  normalizeWindow,
  OPEN_END_MS,
  type SeriesTail,
  tailWithBuckets,
  withoutUnchanged,
} from '../normalize/series-window.ts';
import { groupBySeriesKind } from './series-groups.ts';
import type { IngestSummary } from './store.ts';

export interface SeriesRef {
  siteId: string;
  channel: string;
  kind: ReadingKind;
}

/** A recomputed window of one series and kind; its stored buckets are replaced by `buckets`. */
export interface BucketWindow extends SeriesRef {
  fromMs: number;
  toMs: number;
  /**
   * The window holds no stored buckets, so there is nothing to delete: the series had no readings before
   * this batch, or the batch extends it past its stored buckets and left those unchanged.
   */
  isNew: boolean;
}

export interface KindBucket extends SeriesBucket {
  kind: ReadingKind;
  kindRank: number;
}

/** The reads and writes a backend provides; all run inside the caller's transaction. */
export interface SeriesIo {
  /** Latest instant of the series strictly before `ms`, or null. */
  lastBefore(s: SeriesRef, ms: number): Promise<number | null>;
  /** Up to `limit` distinct instants strictly after `ms`, ascending. */
  distinctAfter(s: SeriesRef, ms: number, limit: number): Promise<number[]>;
  /** The `limit` latest distinct instants, descending. */
  lastDistinct(s: SeriesRef, limit: number): Promise<number[]>;
  /** Winning readings with t in [fromMs, toMs] plus the last before fromMs and the first after toMs. */
  readingsAround(s: SeriesRef, fromMs: number, toMs: number): Promise<SeriesReading[]>;
  /** Appends readings to the raw log; row i gets sequence number firstSeq + i. */
  appendReadings(rows: readonly Reading[], firstSeq: number): Promise<void>;
  replaceBuckets(windows: readonly BucketWindow[], buckets: readonly KindBucket[]): Promise<void>;
}

export interface IncrementalIngestOptions {
  /** Normalization options for a site (per-source maxGapMs and the like). */
  optionsFor: (siteId: string) => Partial<NormalizeOptions>;
  /** Series that already have readings, as seriesKindKey strings. */
  knownSeries: Iterable<string>;
  /** Highest sequence number already used in the raw log. */
  lastSeq: number;
}

export class IncrementalIngest {
  private readonly tails = new Map<string, SeriesTail>();
  private readonly known: Set<string>;
  private seq: number;

  constructor(private readonly opts: IncrementalIngestOptions) {
    this.known = new Set(opts.knownSeries);
    this.seq = opts.lastSeq;
  }

  /** Forgets cached tails; called after a rollback, when they may hold uncommitted readings. */
  reset(knownSeries: Iterable<string>, lastSeq: number): void {
    this.tails.clear();
    this.known.clear();
    for (const k of knownSeries) this.known.add(k);
    this.seq = Math.max(this.seq, lastSeq);
  }

  /**
   * Tells the engine what the database says about a series it may have cached: whether it has readings.
   * Called under the series' lock when another process may have written it since (its cached tail is
   * dropped, so the next batch reads the neighbourhood from the database).
   */
  forget(key: string, exists: boolean): void {
    this.tails.delete(key);
    if (exists) this.known.add(key);
    else this.known.delete(key);
  }

  /** The number of latest distinct instants a series' tail keeps before its start (the site's spacing window). */
  spacingWindowOf(siteId: string): number {
    return this.optionsOf(siteId).spacingWindow;
  }

  /**
   * Caches the tail of a known series read from the store (after a start, so that its first batch takes
   * the fast path like every later one). The caller vouches that `tail` is what ingest would have kept:
   * tailOf over the series' sorted winners, with the stored buckets from its start. A series that already
   * has a tail keeps it.
   */
  adoptTail(ref: SeriesRef, tail: SeriesTail): void {
    const key = seriesKindKey(ref);
    if (this.known.has(key) && !this.tails.has(key)) this.tails.set(key, tail);
  }

  /** Ingests one batch through `io`; the caller owns the transaction. */
  async ingest(io: SeriesIo, batch: readonly Reading[]): Promise<IngestSummary> {
    return this.ingestGroups(io, groupBySeriesKind(batch));
  }

  /**
   * Ingests readings already grouped as groupBySeriesKind does (seriesKindKey to the series' readings in
   * input order), so that a store that slices a large batch by series groups it only once.
   */
  async ingestGroups(io: SeriesIo, groups: ReadonlyMap<string, readonly Reading[]>): Promise<IngestSummary> {
    let accepted = 0;
    const toAppend: Reading[] = [];
    const windows: BucketWindow[] = [];
    const buckets: KindBucket[] = [];
    for (const [key, group] of groups) {
      accepted += group.length;
      const first = group[0]!;
      const ref: SeriesRef = { siteId: first.siteId, channel: first.channel, kind: first.kind };
      const options = this.optionsOf(ref.siteId);
      const incoming = sortedUnique(group);
      const plan = await this.plan(io, key, ref, incoming, options);
      // Both lists are sorted and de-duplicated: when every new reading comes after the stored ones (a
      // series that grows, the usual case), none can equal a stored one and the concatenation is merged.
      const lastExisting = plan.existing[plan.existing.length - 1];
      const grows = lastExisting === undefined || incoming[0]!.tMs > lastExisting.tMs;
      const fresh = grows ? incoming : withoutUnchanged(incoming, plan.existing);
      if (fresh.length === 0) continue;
      const merged = grows ? plan.existing.concat(incoming) : dedupeReadings([...plan.existing, ...fresh]);
      const result = normalizeWindow(ref.kind, merged, plan.fromMs, plan.toMs, options);
      // An extension that leaves the stored buckets of the window unchanged (the usual append) writes only
      // the buckets after them, and deletes nothing.
      const extension =
        plan.stored === undefined ? undefined : extensionOf(plan.fromMs, plan.stored, result.buckets);
      const isNew = !this.known.has(key) || extension !== undefined;
      windows.push({ ...ref, fromMs: extension?.fromMs ?? plan.fromMs, toMs: plan.toMs, isNew });
      const kindRank = KIND_PRECEDENCE[ref.kind];
      for (const b of extension?.buckets ?? result.buckets) {
        buckets.push({
          bucketStartMs: b.bucketStartMs,
          energyWh: b.energyWh,
          positiveWh: b.positiveWh,
          negativeWh: b.negativeWh,
          coverage: b.coverage,
          samples: b.samples,
          minPowerW: b.minPowerW,
          maxPowerW: b.maxPowerW,
          quality: b.quality,
          siteId: ref.siteId,
          channel: ref.channel,
          kind: ref.kind,
          kindRank,
        });
      }
      for (let i = 0; i < fresh.length; i++) toAppend.push(fresh[i]!);
      if (plan.toMs === OPEN_END_MS) {
        // The window ran to the end: its recomputed buckets are now what is stored from plan.fromMs on.
        this.tails.set(key, tailWithBuckets(merged, options.spacingWindow, plan.fromMs, result.buckets));
      } else this.tails.delete(key);
      this.known.add(key);
    }
    if (toAppend.length > 0) {
      await io.appendReadings(toAppend, this.seq + 1);
      this.seq += toAppend.length;
      await io.replaceBuckets(windows, buckets);
    }
    let firstBucketMs: number | null = null;
    let lastBucketMs: number | null = null;
    for (const b of buckets) {
      if (firstBucketMs === null || b.bucketStartMs < firstBucketMs) firstBucketMs = b.bucketStartMs;
      if (lastBucketMs === null || b.bucketStartMs > lastBucketMs) lastBucketMs = b.bucketStartMs;
    }
    return {
      accepted,
      stored: toAppend.length,
      series: groups.size,
      bucketsTouched: buckets.length,
      firstBucketMs,
      lastBucketMs,
    };
  }

  private lastPartial: Partial<NormalizeOptions> | undefined;
  private lastResolved: NormalizeOptions | undefined;

  /** A site's resolved options; resolved again only when optionsFor hands out a different object. */
  private optionsOf(siteId: string): NormalizeOptions {
    const partial = this.opts.optionsFor(siteId);
    if (partial !== this.lastPartial || this.lastResolved === undefined) {
      this.lastPartial = partial;
      this.lastResolved = resolveOptions(partial);
    }
    return this.lastResolved;
  }

  /** The window new readings touch and the stored readings needed to recompute it. */
  private async plan(
    io: SeriesIo,
    key: string,
    ref: SeriesRef,
    incoming: readonly SeriesReading[],
    options: NormalizeOptions,
  ): Promise<{ fromMs: number; toMs: number; existing: SeriesReading[]; stored?: readonly Bucket[] }> {
    const minMs = incoming[0]!.tMs;
    const maxMs = incoming[incoming.length - 1]!.tMs;
    const tail = this.known.has(key) ? this.tails.get(key) : EMPTY_TAIL;
    const lastMs = tail?.readings[tail.readings.length - 1]?.tMs;
    // Fast path: the batch extends the series, or reaches back no further than the cached tail (a retried
    // request, a late reading among the last few); the tail holds every reading from its start on, so it
    // is all the context needed.
    if (tail !== undefined && (lastMs === undefined || minMs > lastMs || minMs >= tail.fromMs)) {
      const fromMs = Math.min(tail.fromMs, bucketFloor(minMs));
      return {
        fromMs,
        toMs: OPEN_END_MS,
        existing: tail.readings,
        // The stored buckets of the window, when the tail knows all of them.
        stored: fromMs === tail.fromMs ? tail.buckets : undefined,
      };
    }
    const k = options.spacingWindow;
    const maxEndMs = incoming.reduce((m, r) => Math.max(m, r.endMs ?? maxMs), maxMs);
    const before = await io.lastBefore(ref, minMs);
    const after = await io.distinctAfter(ref, maxMs, k + 1);
    let fromMs = bucketFloor(before ?? minMs);
    let toMs = OPEN_END_MS;
    if (after.length > k) toMs = bucketCeil(Math.max(after[0]! + 1, maxEndMs));
    else {
      // The window reaches the end of the series: include enough of it to measure the typical spacing.
      const last = await io.lastDistinct(ref, k + 1);
      const anchor = last[last.length - 1];
      if (anchor !== undefined) fromMs = Math.min(fromMs, bucketFloor(anchor));
    }
    const existing = await io.readingsAround(ref, fromMs, toMs);
    return { fromMs, toMs, existing };
  }
}
