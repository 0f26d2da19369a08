import type { SeriesReading } from '../domain/reading.ts';
import { BucketAccumulator } from './bucket-accumulator.ts';
import type { NormalizeOptions } from './options.ts';

/** A counter delta that was not counted: it implied an impossible power, or spans more than maxSpreadMs. */
export interface CounterJump {
  fromMs: number;
  toMs: number;
  deltaWh: number;
  impliedPowerW: number;
}

export interface CounterResult {
  acc: BucketAccumulator;
  /** Instants at which the counter dropped, i.e. was reset. */
  resetsMs: number[];
  jumps: CounterJump[];
}

/**
 * Turns sorted, de-duplicated lifetime counter values (Wh) into energy (DESIGN §3.5). The first reading
 * only seeds; a drop is a reset and the new value is the energy since it; a delta implying more than
 * maxPowerW is flagged and not counted; a delta across a gap longer than maxGapMs is spread evenly and
 * marked estimated, so totals still match the meter.
 */
export function counterDeltas(readings: readonly SeriesReading[], opts: NormalizeOptions): CounterResult {
  const acc = new BucketAccumulator();
  const resetsMs: number[] = [];
  const jumps: CounterJump[] = [];
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    acc.countSample(r.tMs);
    const prev = readings[i - 1];
    if (prev === undefined) continue;
    let deltaWh = r.value - prev.value;
    if (deltaWh < 0) {
      resetsMs.push(r.tMs);
      deltaWh = r.value;
    }
    const durationMs = r.tMs - prev.tMs;
    const impliedPowerW = (deltaWh * 3_600_000) / durationMs;
    if (impliedPowerW > opts.maxPowerW || durationMs > opts.maxSpreadMs) {
      jumps.push({ fromMs: prev.tMs, toMs: r.tMs, deltaWh, impliedPowerW });
      continue;
    }
    acc.addEnergy(prev.tMs, r.tMs, deltaWh, durationMs > opts.maxGapMs);
  }
  return { acc, resetsMs, jumps };
}
