// The DuckDB raw log keeps readings in chunks: one row per series and write (split by UTC day and size),
// its readings packed into one BLOB. DuckDB's cost per appended value (statistics, WAL, row groups) made
// the log's six columns per reading about a third of every ingest's database time; a chunk costs a
// handful of values whatever its size. Nothing here does I/O: the store appends and reads the rows.
//
// Layout of `data`: little-endian float64 arrays of `count` entries, in this order: t_ms, value, then
// end_ms (when LAYOUT_END is set; NaN for a reading without an end) and received_ms (when
// LAYOUT_RECEIVED is set; else every reading has the row's received_ms). Reading i has sequence
// number seq + i, so the winner at an instant is still the latest (received_ms, seq).
import type { Reading } from '../domain/reading.ts';

export const LAYOUT_END = 1;
export const LAYOUT_RECEIVED = 2;

/** Readings per chunk at most: a narrow read decodes little more than it needs. */
export const MAX_CHUNK_READINGS = 2_048;

const DAY_MS = 86_400_000;

/** One chunk row, as stored. */
export interface ReadingChunk {
  firstMs: number;
  lastMs: number;
  /** Sequence number of the first reading; reading i has seq + i. */
  seq: number;
  count: number;
  /** The latest receive time in the chunk (the receive time of every reading unless LAYOUT_RECEIVED). */
  receivedMs: number;
  layout: number;
  data: Uint8Array;
}

/** What a chunk keeps of a reading (its series is the chunk's). */
export type PackableReading = Pick<Reading, 'tMs' | 'endMs' | 'value' | 'receivedMs'>;

/** A decoded reading of a chunk (the series is the chunk's). */
export interface ChunkReading {
  tMs: number;
  endMs: number | null;
  value: number;
  receivedMs: number;
  seq: number;
}

/**
 * Packs rows [from, to) of one series, whose sequence numbers start at `firstSeq`, into chunks. A new
 * chunk starts when one is full or when a reading moves on to a later UTC day than the chunk's first,
 * so ordered data gives one chunk per series and day, and min/max pruning on first_ms/last_ms stays tight.
 */
export function packReadings(
  rows: readonly PackableReading[],
  from: number,
  to: number,
  firstSeq: number,
  maxCount = MAX_CHUNK_READINGS,
): ReadingChunk[] {
  const out: ReadingChunk[] = [];
  let start = from;
  while (start < to) {
    const day = Math.floor(rows[start]!.tMs / DAY_MS);
    let end = start + 1;
    while (end < to && end - start < maxCount && Math.floor(rows[end]!.tMs / DAY_MS) <= day) end++;
    out.push(packRun(rows, start, end, firstSeq + (start - from)));
    start = end;
  }
  return out;
}

function packRun(rows: readonly PackableReading[], from: number, to: number, seq: number): ReadingChunk {
  const n = to - from;
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  let receivedMs = Number.NEGATIVE_INFINITY;
  let hasEnd = false;
  let uniform = true;
  const received0 = rows[from]!.receivedMs;
  for (let i = from; i < to; i++) {
    const r = rows[i]!;
    if (r.tMs < firstMs) firstMs = r.tMs;
    if (r.tMs > lastMs) lastMs = r.tMs;
    if (r.receivedMs > receivedMs) receivedMs = r.receivedMs;
    if (r.endMs !== null) hasEnd = true;
    if (r.receivedMs !== received0) uniform = false;
  }
  const layout = (hasEnd ? LAYOUT_END : 0) | (uniform ? 0 : LAYOUT_RECEIVED);
  const arrays = 2 + (hasEnd ? 1 : 0) + (uniform ? 0 : 1);
  const f = new Float64Array(arrays * n);
  let at = 2 * n;
  const endAt = hasEnd ? at : -1;
  if (hasEnd) at += n;
  const receivedAt = uniform ? -1 : at;
  for (let i = 0; i < n; i++) {
    const r = rows[from + i]!;
    f[i] = r.tMs;
    f[n + i] = r.value;
    if (endAt >= 0) f[endAt + i] = r.endMs ?? Number.NaN;
    if (receivedAt >= 0) f[receivedAt + i] = r.receivedMs;
  }
  return { firstMs, lastMs, seq, count: n, receivedMs, layout, data: new Uint8Array(f.buffer) };
}

/** The float64 arrays of a chunk's data (copied when the bytes are not 8-byte aligned). */
function floats(data: Uint8Array): Float64Array {
  if (data.byteOffset % 8 === 0) return new Float64Array(data.buffer, data.byteOffset, data.byteLength / 8);
  return new Float64Array(data.slice().buffer);
}

/** Decodes a chunk into its readings, in stored order. */
export function unpackReadings(chunk: Omit<ReadingChunk, 'firstMs' | 'lastMs'>): ChunkReading[] {
  const n = chunk.count;
  const f = floats(chunk.data);
  const arrays = 2 + (chunk.layout & LAYOUT_END ? 1 : 0) + (chunk.layout & LAYOUT_RECEIVED ? 1 : 0);
  if (f.length !== arrays * n) {
    throw new Error(
      `reading chunk at seq ${chunk.seq}: ${f.length} values for ${n} readings of layout ${chunk.layout}`,
    );
  }
  const endAt = chunk.layout & LAYOUT_END ? 2 * n : -1;
  const receivedAt = chunk.layout & LAYOUT_RECEIVED ? (endAt >= 0 ? 3 * n : 2 * n) : -1;
  const out: ChunkReading[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const end = endAt >= 0 ? f[endAt + i]! : Number.NaN;
    out[i] = {
      tMs: f[i]!,
      value: f[n + i]!,
      endMs: Number.isNaN(end) ? null : end,
      receivedMs: receivedAt >= 0 ? f[receivedAt + i]! : chunk.receivedMs,
      seq: chunk.seq + i,
    };
  }
  return out;
}

/**
 * The winner at each instant (the latest receive time, then the latest sequence number), sorted by time.
 * Readings may come from any number of chunks, in any order.
 */
export function winnersByTime(readings: readonly ChunkReading[]): ChunkReading[] {
  const best = new Map<number, ChunkReading>();
  for (const r of readings) {
    const held = best.get(r.tMs);
    if (
      held === undefined ||
      r.receivedMs > held.receivedMs ||
      (r.receivedMs === held.receivedMs && r.seq > held.seq)
    )
      best.set(r.tMs, r);
  }
  return [...best.values()].sort((a, b) => a.tMs - b.tMs);
}
