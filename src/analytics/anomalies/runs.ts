// Grouping flagged 15-minute slots into events, and the wording helpers the detectors share.
import { BUCKET_MS } from '../../domain/time.ts';

export interface Run<T> {
  startMs: number;
  /** Exclusive end: the end of the last slot. */
  endMs: number;
  items: T[];
}

/** Groups items flagged at slot starts into runs of consecutive slots (a gap of `bridgeSlots` joins). */
export function runsOf<T extends { tMs: number }>(items: readonly T[], bridgeSlots = 0): Run<T>[] {
  const out: Run<T>[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (last !== undefined && item.tMs <= last.endMs + bridgeSlots * BUCKET_MS) {
      last.endMs = item.tMs + BUCKET_MS;
      last.items.push(item);
    } else {
      out.push({ startMs: item.tMs, endMs: item.tMs + BUCKET_MS, items: [item] });
    }
  }
  return out;
}

/** "45 min", "3.5 h", "2.1 days". */
export function duration(ms: number): string {
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 2 * 86_400_000) return `${Math.round((ms / 3_600_000) * 10) / 10} h`;
  return `${Math.round((ms / 86_400_000) * 10) / 10} days`;
}

/** Rounded figure with its unit: 1234.5 W → "1.23 kW", 42.2 W → "42 W". */
export function figure(x: number, unit: 'W' | 'Wh'): string {
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)} M${unit}`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(2)} k${unit}`;
  return `${Math.round(x)} ${unit}`;
}

/** Mean power of a bucket over its covered time (W). */
export function meanPowerW(b: { energyWh: number; coverage: number }): number {
  return b.coverage > 0 ? (b.energyWh * 4) / b.coverage : Number.NaN;
}
