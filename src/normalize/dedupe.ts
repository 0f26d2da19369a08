import type { SeriesReading } from '../domain/reading.ts';

/**
 * Sorts readings by time and keeps one per instant: the later-received wins, and among equal receive
 * times the one that came later in the input (DESIGN §3.1).
 */
export function dedupeReadings<R extends SeriesReading>(readings: readonly R[]): R[] {
  // Fast path: readings usually arrive in strictly increasing time (a tail then newer readings), which is
  // already the answer; checking costs one pass and spares the indexed copy and the sort.
  let sorted = true;
  for (let i = 1; i < readings.length; i++) {
    if (!(readings[i]!.tMs > readings[i - 1]!.tMs)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return readings.slice();
  return sortAndDedupe(readings);
}

/** `readings` themselves when they are already sorted and de-duplicated (strictly increasing time), else as
 * dedupeReadings returns them: for readers, which need no copy of their own (ingest calls this for every
 * series of every batch). */
export function sortedUnique<R extends SeriesReading>(readings: readonly R[]): readonly R[] {
  for (let i = 1; i < readings.length; i++) {
    if (!(readings[i]!.tMs > readings[i - 1]!.tMs)) return sortAndDedupe(readings);
  }
  return readings;
}

function sortAndDedupe<R extends SeriesReading>(readings: readonly R[]): R[] {
  const indexed = readings.map((r, i) => ({ r, i }));
  indexed.sort((a, b) => a.r.tMs - b.r.tMs || a.r.receivedMs - b.r.receivedMs || a.i - b.i);
  const out: R[] = [];
  for (const { r } of indexed) {
    const last = out[out.length - 1];
    if (last !== undefined && last.tMs === r.tMs) out[out.length - 1] = r;
    else out.push(r);
  }
  return out;
}

/**
 * Typical spacing of a sorted, de-duplicated series: the median of its most recent `window` intervals,
 * or `fallbackMs` when it has a single reading. Only the tail is used so that the value, and the buckets
 * that depend on it, can be recomputed from the end of the series alone.
 */
export function typicalSpacingMs(
  sorted: readonly SeriesReading[],
  window: number,
  fallbackMs: number,
): number {
  // The intervals are kept in ascending order as they come (insertion into a list of at most `window`),
  // rather than collected, copied and sorted: this runs for every series of every batch.
  const s: number[] = [];
  for (let i = sorted.length - 1; i > 0 && s.length < window; i--) {
    const v = sorted[i]!.tMs - sorted[i - 1]!.tMs;
    let j = s.length;
    s.push(v);
    while (j > 0 && s[j - 1]! > v) {
      s[j] = s[j - 1]!;
      j--;
    }
    s[j] = v;
  }
  if (s.length === 0) return fallbackMs;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
