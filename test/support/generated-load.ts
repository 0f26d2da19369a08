// Household-like 15-minute consumption with a known structure: a daily double hump, a weekly cycle
// (quieter working days, busier weekends), a level change, and multiplicative noise from a seeded PRNG.

import type { SlotValue } from '../../src/analytics/series-grid.ts';
import { prng } from '../../src/connectors/spaceship/simulator.ts';

const Q = 900_000;

export interface GeneratedLoad {
  points: SlotValue[];
  fromMs: number;
  toMs: number;
}

/** Energy (Wh) of the structural part at slot `tMs` in UTC (no noise). */
export function structuralWh(tMs: number, levelChangeMs: number): number {
  const hour = (tMs % 86_400_000) / 3_600_000;
  const weekday = new Date(tMs).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  // People sleep in at weekends: the morning peak comes two hours later.
  const morning = Math.exp(-((hour - (weekend ? 9.5 : 7.5)) ** 2) / 2);
  const evening = Math.exp(-((hour - 19) ** 2) / 4);
  const midday = weekend ? 0.6 * Math.exp(-((hour - 13) ** 2) / 8) : 0;
  const level = tMs >= levelChangeMs ? 1.3 : 1;
  return 100 * level * (0.4 + 0.8 * morning + 1.3 * evening + midday + (weekday === 3 ? 0.2 : 0));
}

/** `weeks` of generated load from `fromMs`, noise of relative size `noise`, level +30% after 60% of it. */
export function generatedLoad(fromMs: number, weeks: number, seed = 42, noise = 0.25): GeneratedLoad {
  const rand = prng(seed);
  const toMs = fromMs + weeks * 7 * 86_400_000;
  const levelChangeMs = fromMs + Math.floor(weeks * 0.6) * 7 * 86_400_000 + 3 * 86_400_000;
  const points: SlotValue[] = [];
  for (let t = fromMs; t < toMs; t += Q) {
    // Sum of three uniforms: a bell-shaped, bounded noise with sd ≈ noise / 2.
    const e = (rand() + rand() + rand() - 1.5) * noise * 1.15;
    points.push({ tMs: t, energyWh: structuralWh(t, levelChangeMs) * (1 + e), coverage: 1 });
  }
  return { points, fromMs, toMs };
}
