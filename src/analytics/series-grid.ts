// A series on a regular 15-minute UTC grid with each slot's local calendar: the common input of the
// profile, ACF and forecast code. Missing slots are NaN, never zeros.
import { BUCKET_MS } from '../domain/time.ts';
import { localClock } from './local-calendar.ts';

/** One 15-minute value of a series, as the analytics read it. */
export interface SlotValue {
  /** Slot start (epoch ms, on a 15-minute boundary). */
  tMs: number;
  /** Energy of the slot in Wh (NaN when unknown). */
  energyWh: number;
  /** Share of the slot backed by data (0..1). */
  coverage: number;
}

export interface SeriesGrid {
  /** Start of slot 0 (epoch ms). */
  startMs: number;
  /** Slot count (history plus any future slots). */
  length: number;
  /** Energy per slot in Wh, scaled up from partial coverage; NaN where unknown or in the future. */
  values: Float64Array;
  slotOfDay: Int16Array;
  slotOfWeek: Int16Array;
  timeZone: string;
}

/** Below this coverage a slot's energy is too thin to scale up to a whole slot and counts as missing. */
export const MIN_COVERAGE = 0.5;

/**
 * Lays `points` on the grid [fromMs, toMs) (both on 15-minute boundaries). A slot with coverage c ≥ 0.5
 * holds energyWh / c (what the whole slot would have had); thinner slots are NaN.
 */
export function toGrid(
  points: readonly SlotValue[],
  fromMs: number,
  toMs: number,
  timeZone: string,
): SeriesGrid {
  const length = Math.max(0, Math.ceil((toMs - fromMs) / BUCKET_MS));
  const values = new Float64Array(length).fill(Number.NaN);
  for (const p of points) {
    const i = Math.round((p.tMs - fromMs) / BUCKET_MS);
    if (i < 0 || i >= length || !Number.isFinite(p.energyWh)) continue;
    if (p.coverage >= MIN_COVERAGE) values[i] = p.energyWh / p.coverage;
  }
  const clock = localClock(timeZone);
  const slotOfDay = new Int16Array(length);
  const slotOfWeek = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const s = clock(fromMs + i * BUCKET_MS);
    slotOfDay[i] = s.slotOfDay;
    slotOfWeek[i] = s.slotOfWeek;
  }
  return { startMs: fromMs, length, values, slotOfDay, slotOfWeek, timeZone };
}

/** Slot start of index i. */
export function slotTime(grid: SeriesGrid, i: number): number {
  return grid.startMs + i * BUCKET_MS;
}

/** Index of the first finite value, or -1. */
export function firstFinite(values: ArrayLike<number>, from = 0, to = values.length): number {
  for (let i = from; i < to; i++) if (Number.isFinite(values[i]!)) return i;
  return -1;
}
