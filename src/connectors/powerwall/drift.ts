// Drift between the gateway's lifetime counters and its integrated instantaneous power (DESIGN §3.5:
// counter energy wins, the drift is reported). Pure: fed one aggregates snapshot per poll.
import type { AggregatesSnapshot, MeterName } from './map.ts';
import { METERS, meterInstantMs, POWER_CHANNEL } from './map.ts';

/** Counter energy against integrated power of one meter, over the intervals where both were usable. */
export interface DriftFigure {
  /** Power channel of the meter (grid, battery, load, solar). */
  channel: string;
  /** Net energy from counter deltas (Wh, DESIGN §2 signs). */
  counterWh: number;
  /** Net energy from left-step integration of instant power over the same intervals (Wh). */
  powerWh: number;
  /** counterWh − powerWh. */
  driftWh: number;
  /** Drift relative to the energy that flowed (|counter|), null while nothing flowed. */
  driftPercent: number | null;
  /** Time covered by both (ms). */
  coveredMs: number;
}

interface Last {
  tMs: number;
  powerW: number;
  netWh: number;
}

/** Net counter of a meter with the sign convention of its power: + = into the home's bus. */
function netCounterWh(meter: MeterName, importedWh: number, exportedWh: number): number {
  return meter === 'site' || meter === 'load' ? importedWh - exportedWh : exportedWh - importedWh;
}

export class DriftTracker {
  private readonly last = new Map<MeterName, Last>();
  private readonly sums = new Map<MeterName, { counterWh: number; powerWh: number; coveredMs: number }>();

  /** @param maxGapMs intervals longer than this (an outage) are not compared: power was not sampled. */
  constructor(private readonly maxGapMs: number) {}

  /** Adds one snapshot; `askedMs` dates meters that never communicated. */
  add(snap: AggregatesSnapshot, askedMs: number): void {
    for (const meter of METERS) {
      const m = snap.meters[meter];
      if (m === undefined || m.powerW === null || m.energyImportedWh === null || m.energyExportedWh === null)
        continue;
      const now: Last = {
        tMs: meterInstantMs(m, askedMs),
        powerW: m.powerW,
        netWh: netCounterWh(meter, m.energyImportedWh, m.energyExportedWh),
      };
      const prev = this.last.get(meter);
      this.last.set(meter, now);
      if (prev === undefined) continue;
      const dtMs = now.tMs - prev.tMs;
      // A stale meter (no new communication), an outage or a counter reset tells nothing about drift.
      if (dtMs <= 0 || dtMs > this.maxGapMs) continue;
      const counterWh = now.netWh - prev.netWh;
      const powerWh = (prev.powerW * dtMs) / 3_600_000;
      if (Math.abs(counterWh) > Math.abs(powerWh) * 10 + 1_000) continue; // a reset or a jump, not drift
      const s = this.sums.get(meter) ?? { counterWh: 0, powerWh: 0, coveredMs: 0 };
      s.counterWh += counterWh;
      s.powerWh += powerWh;
      s.coveredMs += dtMs;
      this.sums.set(meter, s);
    }
  }

  /** Drift per meter so far. */
  report(): DriftFigure[] {
    return METERS.flatMap((meter) => {
      const s = this.sums.get(meter);
      if (s === undefined) return [];
      const driftWh = s.counterWh - s.powerWh;
      return [
        {
          channel: POWER_CHANNEL[meter],
          counterWh: s.counterWh,
          powerWh: s.powerWh,
          driftWh,
          driftPercent: Math.abs(s.counterWh) > 0 ? (100 * driftWh) / Math.abs(s.counterWh) : null,
          coveredMs: s.coveredMs,
        },
      ];
    });
  }
}
