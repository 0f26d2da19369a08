// Device detectors: outages (no data for an hour or more, or no data since some time before now) and
// flat lines (the same value for hours: a frozen sensor or a gateway repeating its last reading).
import { BUCKET_MS } from '../../domain/time.ts';
import { duration, figure, meanPowerW, runsOf } from './runs.ts';
import type { Anomaly, AnomalyBucket, AnomalyInput, ResolvedOptions } from './types.ts';

/** Channels where a long flat run near zero is a fault: a home always consumes something. Elsewhere zero is
 * ordinary for hours: solar at night (a few W of inverter draw), an idle battery, no export, a directional
 * counter (grid-export, battery-charge, ...) standing still. */
const ZERO_IS_SUSPECT = new Set(['load', 'consumption']);

export function detectDeviceDown(input: AnomalyInput, o: ResolvedOptions): Anomaly[] {
  const out: Anomaly[] = [];
  const minSlots = Math.max(1, Math.round(o.minGapMs / BUCKET_MS));
  const endMs = Math.min(input.toMs, Math.ceil(input.nowMs / BUCKET_MS) * BUCKET_MS);
  for (const [channel, buckets] of Object.entries(input.buckets)) {
    if (buckets.length === 0) continue;
    const present = new Set(buckets.filter((b) => b.coverage > 0).map((b) => b.tMs));
    const missing: { tMs: number }[] = [];
    for (let t = input.fromMs; t < endMs; t += BUCKET_MS) if (!present.has(t)) missing.push({ tMs: t });
    for (const run of runsOf(missing)) {
      if (run.items.length < minSlots) continue;
      const ongoing = run.endMs >= endMs && endMs >= input.nowMs - BUCKET_MS;
      const span = run.endMs - run.startMs;
      out.push({
        kind: 'device-down',
        siteId: input.siteId,
        channel,
        startMs: run.startMs,
        endMs: run.endMs,
        severity: ongoing || span >= 6 * 3_600_000 ? 'critical' : 'warning',
        explanation: ongoing
          ? `No ${channel} data for the last ${duration(span)}: the device or its connection is down or stale.`
          : `No ${channel} data for ${duration(span)}: the device or its connection was down. The gap stays a gap, not zeros.`,
        measured: { gapSlots: run.items.length, gapMs: span, ongoing: ongoing ? 1 : 0 },
      });
    }
  }
  return out;
}

/** A bucket's signature for flat-line detection: its energy, and whether its power was constant within it. */
function sameValue(a: AnomalyBucket, b: AnomalyBucket): boolean {
  const scale = Math.max(1e-9, Math.abs(a.energyWh), Math.abs(b.energyWh));
  if (Math.abs(a.energyWh - b.energyWh) > 1e-9 * scale) return false;
  const constant = (x: AnomalyBucket) =>
    !Number.isFinite(x.minPowerW) ||
    !Number.isFinite(x.maxPowerW) ||
    x.maxPowerW - x.minPowerW <= 1e-9 * scale;
  return constant(a) && constant(b);
}

export function detectFlatline(input: AnomalyInput, o: ResolvedOptions): Anomaly[] {
  const out: Anomaly[] = [];
  const minSlots = Math.max(2, Math.round(o.minFlatMs / BUCKET_MS));
  for (const [channel, all] of Object.entries(input.buckets)) {
    // Estimated buckets share one spread counter delta, so they are equal by construction, not frozen.
    const buckets = all.filter((b) => b.coverage >= 0.99 && b.quality !== 'estimated');
    let i = 0;
    while (i < buckets.length) {
      let j = i + 1;
      while (
        j < buckets.length &&
        buckets[j]!.tMs === buckets[j - 1]!.tMs + BUCKET_MS &&
        sameValue(buckets[i]!, buckets[j]!)
      ) {
        j++;
      }
      const first = buckets[i]!;
      const zeroOk = !ZERO_IS_SUSPECT.has(channel) && Math.abs(meanPowerW(first)) <= o.solarNightNoiseW;
      if (j - i >= minSlots && !zeroOk) {
        const span = (j - i) * BUCKET_MS;
        out.push({
          kind: 'flatline',
          siteId: input.siteId,
          channel,
          startMs: first.tMs,
          endMs: first.tMs + span,
          severity: span >= 12 * 3_600_000 ? 'critical' : 'warning',
          explanation: `${channel} stayed at exactly ${figure(meanPowerW(first), 'W')} for ${duration(span)}. Real power always moves a little; a value this constant is a frozen sensor or a gateway repeating its last reading.`,
          measured: { powerW: meanPowerW(first), slots: j - i },
        });
      }
      i = j;
    }
  }
  return out;
}
