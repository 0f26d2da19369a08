// Histogram of slot energy with the Freedman–Diaconis bin width (2·IQR·n^−1/3): robust to the long right
// tail of household load, where Sturges' rule would lump the evening peaks into one bin. Falls back to
// Sturges when the IQR is 0 (a mostly constant series).
import { quantileSorted, type Summary, sortedFinite, summarize } from './stats.ts';

export interface HistogramBin {
  /** Inclusive lower edge. */
  lower: number;
  /** Exclusive upper edge (inclusive for the last bin). */
  upper: number;
  count: number;
}

export interface Histogram {
  rule: 'freedman-diaconis' | 'sturges' | 'single-value' | 'empty';
  binWidth: number;
  bins: HistogramBin[];
  summary: Summary;
}

/** Most bins returned: beyond this the chart is unreadable and bins are widened. */
export const MAX_BINS = 200;

/** Histogram of the finite values, optionally with a given bin count. */
export function histogram(values: ArrayLike<number>, binsWanted?: number): Histogram {
  const sorted = sortedFinite(values);
  const summary = summarize(sorted);
  const n = sorted.length;
  if (n === 0) return { rule: 'empty', binWidth: 0, bins: [], summary };
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  if (max === min) {
    return { rule: 'single-value', binWidth: 0, bins: [{ lower: min, upper: max, count: n }], summary };
  }
  const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
  let rule: Histogram['rule'] = 'freedman-diaconis';
  let count: number;
  if (binsWanted !== undefined) count = binsWanted;
  else if (iqr > 0) count = Math.ceil((max - min) / (2 * iqr * n ** (-1 / 3)));
  else {
    rule = 'sturges';
    count = Math.ceil(Math.log2(n)) + 1;
  }
  count = Math.max(1, Math.min(MAX_BINS, count));
  const width = (max - min) / count;
  const bins: HistogramBin[] = Array.from({ length: count }, (_, i) => ({
    lower: min + i * width,
    upper: i === count - 1 ? max : min + (i + 1) * width,
    count: 0,
  }));
  for (const x of sorted) bins[Math.min(count - 1, Math.floor((x - min) / width))]!.count++;
  return { rule, binWidth: width, bins, summary };
}
