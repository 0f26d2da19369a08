// A deterministic fleet of "spaceships" (the seed service's sites) with household-like consumption: a
// daily double hump, quieter weekends, per-ship scale and noise. Used by the demo and benchmarks.
import { prng } from '../../domain/prng.ts';
import type { Reading } from '../../domain/reading.ts';

export { prng };

/** Mean power (W) of a ship at `tMs`: morning and evening peaks, lower on weekends. */
export function shipPowerW(shipId: number, tMs: number, noise: number): number {
  const hour = (tMs / 3_600_000) % 24;
  const weekday = new Date(tMs).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const scale = 400 + (shipId % 7) * 150;
  const morning = Math.exp(-((hour - 7.5) ** 2) / 2);
  const evening = Math.exp(-((hour - 19) ** 2) / 4);
  const base = 0.35 + 0.9 * morning + 1.4 * evening + (weekend ? 0.3 : 0);
  return scale * base * (weekend ? 0.85 : 1) * (1 + 0.15 * (noise - 0.5));
}

/** Power readings of one ship every `stepMs` in [fromMs, toMs), channel 'consumption'. */
export function simulateShip(
  shipId: number,
  fromMs: number,
  toMs: number,
  stepMs: number,
  receivedMs: number,
): Reading[] {
  const rand = prng(shipId * 7919 + Math.floor(fromMs / stepMs));
  const out: Reading[] = [];
  for (let t = fromMs; t < toMs; t += stepMs) {
    out.push({
      siteId: String(shipId),
      channel: 'consumption',
      kind: 'power',
      tMs: t,
      endMs: null,
      value: shipPowerW(shipId, t, rand()),
      receivedMs,
    });
  }
  return out;
}
