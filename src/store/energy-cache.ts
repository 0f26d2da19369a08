// The serving tier of the energy read path (GET /data): bucket energy and coverage of each series, held
// in memory in blocks of 32 days as typed arrays, loaded from the database on first read and written
// through after every commit. A point read then costs a few array lookups instead of a database query,
// which alone costs more than the whole HTTP request budget (a DuckDB query is 0.3 ms for `SELECT 1`).
//
// Consistency: a block is only cached from a load that no commit overlapped. Every commit bumps the
// version of the series it wrote; a load that sees the version move while it ran is retried, so a block
// loaded from an older snapshot never lands after the write-through that should have updated it.
// Memory is bounded: blocks are evicted least recently used first beyond `budgetBytes`.
import type { EnergyBucket } from '../domain/bucket.ts';
import { BUCKET_MS } from '../domain/time.ts';

/** Buckets per block: 32 days. */
export const BLOCK_BUCKETS = 3072;
export const BLOCK_MS = BLOCK_BUCKETS * BUCKET_MS;
/** Block indices are offset so that keys stay non-negative before 1970 (down to year -3000 or so). */
const BLOCK_OFFSET = 2 ** 20;
const BLOCKS_PER_SERIES = 2 ** 21;

/** The stored buckets of one series in [fromMs, toMs), any order. */
export type BlockLoader = (seriesId: number, fromMs: number, toMs: number) => Promise<EnergyBucket[]>;

interface Block {
  seriesId: number;
  index: number;
  /** NaN where the series has no bucket. */
  energyWh: Float64Array;
  /** Allocated only when some bucket of the block is not fully covered (most blocks never are). */
  coverage: Float64Array | null;
}

/** A series and its kind's precedence rank (lower wins where several kinds cover a bucket). */
export interface RankedSeries {
  seriesId: number;
  rank: number;
}

export interface EnergyCacheOptions {
  budgetBytes: number;
  load: BlockLoader;
}

const ENERGY_BYTES = BLOCK_BUCKETS * 8;
/** Map entry and object headers, roughly. */
const BLOCK_OVERHEAD_BYTES = 200;
/** Loads retried this often when commits keep overlapping them; the last result is served uncached. */
const LOAD_ATTEMPTS = 4;

function keyOf(seriesId: number, index: number): number {
  return seriesId * BLOCKS_PER_SERIES + index + BLOCK_OFFSET;
}

function blockBytes(b: Block): number {
  return BLOCK_OVERHEAD_BYTES + ENERGY_BYTES + (b.coverage === null ? 0 : ENERGY_BYTES);
}

/** The buckets of one block as a bulk load holds them (columns of a database result). */
export interface BlockRows {
  count: number;
  startMs(i: number): number;
  energyWh(i: number): number;
  coverage(i: number): number;
}

function emptyBlock(seriesId: number, index: number): Block {
  return { seriesId, index, energyWh: new Float64Array(BLOCK_BUCKETS).fill(Number.NaN), coverage: null };
}

/** Sets one bucket of a block; true when that allocated the block's coverage array. */
function put(block: Block, i: number, b: EnergyBucket): boolean {
  block.energyWh[i] = b.energyWh;
  if (b.coverage === 1 && block.coverage === null) return false;
  const allocated = block.coverage === null;
  block.coverage ??= new Float64Array(BLOCK_BUCKETS).fill(1);
  block.coverage[i] = b.coverage;
  return allocated;
}

export class EnergyCache {
  /** Blocks by key, least recently used first (a Map keeps insertion order; a hit re-inserts). */
  private readonly blocks = new Map<number, Block>();
  /** Cached block indices of each series, so that an open-ended write-through finds them. */
  private readonly bySeries = new Map<number, Set<number>>();
  private readonly loading = new Map<number, Promise<Block>>();
  private readonly versions = new Map<number, number>();
  private bytes = 0;
  private hitCount = 0;
  private missCount = 0;

  constructor(private readonly opts: EnergyCacheOptions) {}

  /** Cached bytes, hits and misses (block lookups), for diagnostics and benchmarks. */
  stats(): { bytes: number; blocks: number; hits: number; misses: number } {
    return { bytes: this.bytes, blocks: this.blocks.size, hits: this.hitCount, misses: this.missCount };
  }

  /**
   * Buckets of a channel in [fromMs, toMs) with data, ascending; where several series (kinds) of the
   * channel cover a bucket, the lowest rank wins.
   */
  async read(series: readonly RankedSeries[], fromMs: number, toMs: number): Promise<EnergyBucket[]> {
    const out: EnergyBucket[] = [];
    if (series.length === 0 || !(toMs > fromMs)) return out;
    const ordered = series.length === 1 ? series : [...series].sort((a, b) => a.rank - b.rank);
    const firstBucket = Math.ceil(fromMs / BUCKET_MS);
    const endBucket = Math.ceil(toMs / BUCKET_MS);
    const firstBlock = Math.floor(firstBucket / BLOCK_BUCKETS);
    const lastBlock = Math.floor((endBucket - 1) / BLOCK_BUCKETS);
    for (let index = firstBlock; index <= lastBlock; index++) {
      // Cached blocks are used as they are: a promise per block would cost more than the read itself.
      const found = ordered.map((s) => this.hit(s.seriesId, index) ?? this.block(s.seriesId, index));
      const blocks = found.every((b) => !(b instanceof Promise))
        ? (found as Block[])
        : await Promise.all(found);
      const base = index * BLOCK_BUCKETS;
      const from = Math.max(firstBucket, base) - base;
      const to = Math.min(endBucket, base + BLOCK_BUCKETS) - base;
      for (let i = from; i < to; i++) {
        for (const b of blocks) {
          const energyWh = b.energyWh[i]!;
          if (Number.isNaN(energyWh)) continue;
          out.push({ bucketStartMs: (base + i) * BUCKET_MS, energyWh, coverage: b.coverage?.[i] ?? 1 });
          break;
        }
      }
    }
    return out;
  }

  /**
   * Applies a committed write: the series' buckets in [fromMs, toMs) are now exactly `buckets`. Blocks not
   * cached are left to load from the database.
   */
  apply(seriesId: number, fromMs: number, toMs: number, buckets: readonly EnergyBucket[]): void {
    this.versions.set(seriesId, (this.versions.get(seriesId) ?? 0) + 1);
    const cached = this.bySeries.get(seriesId);
    if (cached === undefined) return;
    const firstBucket = Math.ceil(fromMs / BUCKET_MS);
    const endBucket = Number.isFinite(toMs) ? Math.ceil(toMs / BUCKET_MS) : Number.POSITIVE_INFINITY;
    for (const index of cached) {
      const block = this.blocks.get(keyOf(seriesId, index))!;
      const base = index * BLOCK_BUCKETS;
      const from = Math.max(firstBucket, base) - base;
      const to = Math.min(endBucket, base + BLOCK_BUCKETS) - base;
      if (from < to) {
        block.energyWh.fill(Number.NaN, from, to);
        block.coverage?.fill(1, from, to);
      }
    }
    for (const b of buckets) {
      const bucket = Math.round(b.bucketStartMs / BUCKET_MS);
      const index = Math.floor(bucket / BLOCK_BUCKETS);
      if (!cached.has(index)) continue;
      if (put(this.blocks.get(keyOf(seriesId, index))!, bucket - index * BLOCK_BUCKETS, b))
        this.bytes += ENERGY_BYTES;
    }
  }

  /**
   * Starts a bulk fill (warming at startup): blocks given to the returned `add` are cached unless a commit
   * touched their series since this call, or they are cached already. `add` answers false once the budget
   * is full, so a warm-up never evicts.
   */
  beginFill(): (seriesId: number, index: number, rows: BlockRows) => boolean {
    const versions = new Map(this.versions);
    return (seriesId, index, rows) => {
      if (this.bytes + BLOCK_OVERHEAD_BYTES + ENERGY_BYTES > this.opts.budgetBytes) return false;
      if ((this.versions.get(seriesId) ?? 0) !== (versions.get(seriesId) ?? 0)) return true;
      if (this.blocks.has(keyOf(seriesId, index))) return true;
      const block = emptyBlock(seriesId, index);
      const base = index * BLOCK_BUCKETS;
      for (let i = 0; i < rows.count; i++) {
        const slot = Math.round(rows.startMs(i) / BUCKET_MS) - base;
        block.energyWh[slot] = rows.energyWh(i);
        const coverage = rows.coverage(i);
        if (coverage === 1 && block.coverage === null) continue;
        block.coverage ??= new Float64Array(BLOCK_BUCKETS).fill(1);
        block.coverage[slot] = coverage;
      }
      this.insert(block);
      return true;
    };
  }

  /** True when nothing is cached or loading: a commit then needs no write-through. */
  idle(): boolean {
    return this.blocks.size === 0 && this.loading.size === 0;
  }

  /** Forgets everything (after a rollback, whose ids the catalog may hand out again). */
  clear(): void {
    this.blocks.clear();
    this.bySeries.clear();
    this.bytes = 0;
    for (const id of this.versions.keys()) this.versions.set(id, (this.versions.get(id) ?? 0) + 1);
  }

  /** A cached block, now the most recently used, or undefined. */
  private hit(seriesId: number, index: number): Block | undefined {
    const key = keyOf(seriesId, index);
    const hit = this.blocks.get(key);
    if (hit === undefined) return undefined;
    this.hitCount++;
    // Most recently used goes last.
    this.blocks.delete(key);
    this.blocks.set(key, hit);
    return hit;
  }

  /** A block that is not cached: loaded, or joined to the load already running. */
  private block(seriesId: number, index: number): Promise<Block> {
    const key = keyOf(seriesId, index);
    this.missCount++;
    let pending = this.loading.get(key);
    if (pending === undefined) {
      pending = this.loadBlock(seriesId, index).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async loadBlock(seriesId: number, index: number): Promise<Block> {
    for (let attempt = 1; ; attempt++) {
      const version = this.versions.get(seriesId) ?? 0;
      const rows = await this.opts.load(seriesId, index * BLOCK_MS, (index + 1) * BLOCK_MS);
      const block = emptyBlock(seriesId, index);
      const base = index * BLOCK_BUCKETS;
      for (const r of rows) put(block, Math.round(r.bucketStartMs / BUCKET_MS) - base, r);
      if ((this.versions.get(seriesId) ?? 0) === version) {
        this.insert(block);
        return block;
      }
      // A commit landed while loading: this snapshot may miss it, so it is served but not cached.
      if (attempt >= LOAD_ATTEMPTS) return block;
    }
  }

  private insert(block: Block): void {
    const key = keyOf(block.seriesId, block.index);
    if (this.blocks.has(key)) return;
    this.blocks.set(key, block);
    let indices = this.bySeries.get(block.seriesId);
    if (indices === undefined) {
      indices = new Set();
      this.bySeries.set(block.seriesId, indices);
    }
    indices.add(block.index);
    this.bytes += blockBytes(block);
    for (const [k, victim] of this.blocks) {
      if (this.bytes <= this.opts.budgetBytes || victim === block) break;
      this.blocks.delete(k);
      this.bySeries.get(victim.seriesId)?.delete(victim.index);
      if (this.bySeries.get(victim.seriesId)?.size === 0) this.bySeries.delete(victim.seriesId);
      this.bytes -= blockBytes(victim);
    }
  }
}
