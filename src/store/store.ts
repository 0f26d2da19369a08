// The storage interface every backend implements (DESIGN §4). A new backend is one file implementing
// Store plus one line in test/store-conformance.test.ts.
import type { EnergyBucket, SeriesBucket } from '../domain/bucket.ts';
import type { Reading } from '../domain/reading.ts';
import type { Site } from '../domain/site.ts';

export interface IngestSummary {
  /** Readings in the batch. */
  accepted: number;
  /** Readings that were new or changed a stored value and went to the raw log. */
  stored: number;
  /** Series (site, channel, kind) the batch touched. */
  series: number;
  /** Buckets recomputed (written or removed). */
  bucketsTouched: number;
  firstBucketMs: number | null;
  lastBucketMs: number | null;
}

export interface BucketQuery {
  siteId: string;
  /** All channels of the site when absent. */
  channel?: string;
  /** Inclusive start of the half-open window [fromMs, toMs). */
  fromMs?: number;
  toMs?: number;
}

/** One channel of a site in [fromMs, toMs) (unbounded where absent). */
export interface EnergyQuery {
  siteId: string;
  channel: string;
  fromMs?: number;
  toMs?: number;
}

export interface TopQuery {
  count: number;
  fromMs?: number;
  toMs?: number;
  /** Only this channel when set (e.g. 'consumption'). */
  channel?: string;
}

export interface RollupQuery {
  siteId: string;
  /** All channels of the site when absent. */
  channel?: string;
  /** Bucket starts in the half-open window [fromMs, toMs). */
  fromMs?: number;
  toMs?: number;
  /** Period length (ms), a positive multiple of 15 minutes; periods are aligned to the Unix epoch (UTC). */
  periodMs: number;
}

/** The buckets of one channel whose start lies in [periodStartMs, periodStartMs + periodMs), summed. */
export interface RollupRow {
  channel: string;
  periodStartMs: number;
  energyWh: number;
  positiveWh: number;
  negativeWh: number;
  /** Buckets with data in the period. */
  buckets: number;
}

export interface SiteEnergy {
  siteId: string;
  energyWh: number;
}

export interface ReadingQuery {
  siteId: string;
  channel?: string;
  fromMs?: number;
  toMs?: number;
  limit?: number;
}

export interface TimeRange {
  firstMs: number;
  lastMs: number;
}

export interface Store {
  /** Backend name, e.g. 'duckdb'. */
  readonly backend: string;
  /** Schema version after migrations. */
  schemaVersion(): Promise<number>;
  /** Creates or updates sites (by siteId). */
  upsertSites(sites: readonly Site[]): Promise<void>;
  /** A site; treat it as read-only (a backend may hand out one frozen copy to every caller). */
  getSite(siteId: string): Promise<Site | undefined>;
  /** All sites by id; read-only like getSite's. */
  listSites(): Promise<Site[]>;
  /**
   * Appends readings to the raw log and recomputes exactly the buckets they touch, atomically: when the
   * promise resolves the data is durable; when it rejects nothing of the batch is stored. Sites that do
   * not exist yet are created from `defaultSite` (or with UTC and source 'push').
   */
  ingest(readings: readonly Reading[], defaultSite?: Partial<Site>): Promise<IngestSummary>;
  /** Buckets of a site (one channel or all) in [fromMs, toMs), sorted by channel then time. Where several
   * reading kinds cover a bucket, the one of highest precedence is returned (counter > interval > power). */
  buckets(q: BucketQuery): Promise<SeriesBucket[]>;
  /** Energy and coverage of one channel's buckets in [fromMs, toMs) with data, ascending, kind precedence
   * resolved as in `buckets`: the hot read path (GET /data), which a backend may serve from memory. */
  energy(q: EnergyQuery): Promise<EnergyBucket[]>;
  /** Buckets summed per period (after kind precedence), sorted by channel then period; empty periods are
   * absent. */
  rollup(q: RollupQuery): Promise<RollupRow[]>;
  /** Sites with the most net energy in the window, descending, ties by siteId ascending. */
  topSites(q: TopQuery): Promise<SiteEnergy[]>;
  /** Channels that have buckets for a site. */
  channels(siteId: string): Promise<string[]>;
  /** De-duplicated raw readings (the winner per instant), sorted by channel, kind and time. */
  readings(q: ReadingQuery): Promise<Reading[]>;
  /** First and last bucket start across the store, or for one site. */
  timeRange(siteId?: string): Promise<TimeRange | null>;
  /** True when the backend answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A backend whose read cache can be filled ahead of the first reads (e.g. right after a server starts). */
export interface WarmableStore {
  /** Fills the cache in the background of serving; resolves with the blocks read. */
  warmCache(): Promise<number>;
}

export function isWarmable(store: Store): store is Store & WarmableStore {
  return typeof (store as Partial<WarmableStore>).warmCache === 'function';
}
