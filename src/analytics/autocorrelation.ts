// Autocorrelation and partial autocorrelation of a 15-minute series with missing values, their 95% bands,
// and the seasonal periods they reveal (96 slots = a day, 672 = a week).
import { SLOTS_PER_DAY, SLOTS_PER_WEEK } from './local-calendar.ts';

export interface Autocorrelation {
  /** acf[k] for lags 0..maxLag (acf[0] = 1). */
  acf: number[];
  /** pacf[k] for lags 0..maxLag (pacf[0] = 1), by Durbin–Levinson on the ACF. */
  pacf: number[];
  /** ±1.96/√n: values beyond it differ from white noise at the 5% level. */
  band: number;
  /** Finite values used. */
  n: number;
  periods: SeasonalPeriod[];
}

export interface SeasonalPeriod {
  lagSlots: number;
  acf: number;
  /** 'day' or 'week' when the lag is one (within a slot or two), else null. */
  name: 'day' | 'week' | null;
}

/** How far a multiple of a period must stand out of its neighbours to count as a period of its own. */
const MARGIN = 0.03;

/** ACF with missing values: each lag averages over the pairs where both values exist. */
export function acf(values: ArrayLike<number>, maxLag: number): { acf: number[]; n: number } {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i]!)) {
      sum += values[i]!;
      n++;
    }
  }
  if (n < 2) return { acf: [1], n };
  const m = sum / n;
  const x = new Float64Array(values.length);
  const ok = new Uint8Array(values.length);
  let c0 = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i]!)) {
      x[i] = values[i]! - m;
      ok[i] = 1;
      c0 += x[i]! * x[i]!;
    }
  }
  c0 /= n;
  const out = [1];
  const top = Math.min(maxLag, values.length - 1);
  for (let k = 1; k <= top; k++) {
    let s = 0;
    let pairs = 0;
    for (let i = 0; i + k < values.length; i++) {
      if (ok[i] && ok[i + k]) {
        s += x[i]! * x[i + k]!;
        pairs++;
      }
    }
    out.push(pairs > 0 && c0 > 0 ? s / pairs / c0 : 0);
  }
  return { acf: out, n };
}

/** PACF from the ACF by the Durbin–Levinson recursion. */
export function pacfFromAcf(r: readonly number[]): number[] {
  const out = [1];
  let phi: number[] = [];
  for (let k = 1; k < r.length; k++) {
    let num = r[k]!;
    let den = 1;
    for (let j = 1; j < k; j++) {
      num -= phi[j - 1]! * r[k - j]!;
      den -= phi[j - 1]! * r[j]!;
    }
    const pkk = den !== 0 ? num / den : 0;
    const next = phi.map((p, j) => p - pkk * phi[k - 2 - j]!);
    next.push(pkk);
    phi = next;
    out.push(Math.max(-1, Math.min(1, pkk)));
  }
  return out;
}

/**
 * Seasonal periods: ACF peaks (highest within ±k/4 lags) above the band and 0.1, from lag 8 on. A multiple
 * of a shorter period found counts only when it stands out from its neighbours one (longest) shorter period away
 * (by 0.03: 672 stands out of 576 and 768 when weeks differ; 192 does not when only days repeat).
 */
export function seasonalPeriods(r: readonly number[], band: number): SeasonalPeriod[] {
  const peaks: number[] = [];
  for (let k = 8; k < r.length; k++) {
    const v = r[k]!;
    if (v < Math.max(band, 0.1)) continue;
    let isPeak = true;
    // The neighbourhood grows with the lag: a period must dominate a quarter of itself on each side.
    const reach = Math.max(4, Math.floor(k / 4));
    for (let j = Math.max(1, k - reach); j <= Math.min(r.length - 1, k + reach); j++) {
      if (j !== k && r[j]! > v) isPeak = false;
    }
    if (isPeak) peaks.push(k);
  }
  const found: number[] = [];
  for (const k of peaks) {
    // A sub-harmonic (the 12 h of a morning and an evening peak) is not a period when twice its lag
    // correlates better: the day is.
    const double = r[2 * k];
    if (double !== undefined && double > r[k]!) continue;
    const base = found.filter((q) => Math.abs(k - Math.round(k / q) * q) <= 2).pop();
    if (base === undefined) {
      found.push(k);
      continue;
    }
    const below = r[k - base];
    const above = r[k + base];
    if (below !== undefined && r[k]! > below + MARGIN && (above === undefined || r[k]! > above + MARGIN)) {
      found.push(k);
    }
  }
  return found.slice(0, 4).map((k) => ({
    lagSlots: k,
    acf: r[k]!,
    name: Math.abs(k - SLOTS_PER_DAY) <= 2 ? 'day' : Math.abs(k - SLOTS_PER_WEEK) <= 4 ? 'week' : null,
  }));
}

/** ACF, PACF (up to `pacfMaxLag`, default all), band and periods of a series. */
export function autocorrelation(
  values: ArrayLike<number>,
  maxLag: number,
  pacfMaxLag = maxLag,
): Autocorrelation {
  const { acf: r, n } = acf(values, maxLag);
  const band = n > 0 ? 1.96 / Math.sqrt(n) : 1;
  return {
    acf: r,
    pacf: pacfFromAcf(r.slice(0, pacfMaxLag + 1)),
    band,
    n,
    periods: seasonalPeriods(r, band),
  };
}
