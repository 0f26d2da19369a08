// Small descriptive statistics shared by the analytics modules. Pure; NaN inputs are the caller's to drop.

/** Arithmetic mean; NaN for an empty list. */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Sample standard deviation (n − 1); 0 for fewer than two values. */
export function standardDeviation(xs: ArrayLike<number>, m = mean(xs)): number {
  if (xs.length < 2) return 0;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Quantile of an ascending list by linear interpolation between order statistics (p in 0..1). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  return a + (sorted[hi]! - a) * (pos - lo);
}

/** Ascending copy of the finite values. */
export function sortedFinite(xs: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]!)) out.push(xs[i]!);
  return Float64Array.from(out).sort();
}

/** Quantile of unsorted values (finite ones only). */
export function quantile(xs: ArrayLike<number>, p: number): number {
  return quantileSorted(sortedFinite(xs), p);
}

export interface Summary {
  count: number;
  mean: number;
  standardDeviation: number;
  min: number;
  p10: number;
  p25: number;
  median: number;
  p75: number;
  p90: number;
  max: number;
  /** Fisher–Pearson skewness; 0 for constant data. */
  skewness: number;
}

/** Summary statistics of the finite values (NaN fields when there are none). */
export function summarize(xs: ArrayLike<number>): Summary {
  const s = sortedFinite(xs);
  const m = mean(s);
  const sd = standardDeviation(s, m);
  let m3 = 0;
  for (const x of s) m3 += (x - m) ** 3;
  const popSd = s.length > 0 ? Math.sqrt((sd * sd * (s.length - 1)) / s.length) : 0;
  return {
    count: s.length,
    mean: m,
    standardDeviation: sd,
    min: s.length > 0 ? s[0]! : Number.NaN,
    p10: quantileSorted(s, 0.1),
    p25: quantileSorted(s, 0.25),
    median: quantileSorted(s, 0.5),
    p75: quantileSorted(s, 0.75),
    p90: quantileSorted(s, 0.9),
    max: s.length > 0 ? s[s.length - 1]! : Number.NaN,
    skewness: popSd > 0 ? m3 / s.length / popSd ** 3 : 0,
  };
}
