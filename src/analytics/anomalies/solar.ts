// Solar detectors: negative production beyond night-time inverter draw, and no production in daylight.
import { BUCKET_MS } from '../../domain/time.ts';
import { localClock } from '../local-calendar.ts';
import { quantile } from '../stats.ts';
import { duration, figure, meanPowerW, runsOf } from './runs.ts';
import { sunElevationDeg } from './sun-position.ts';
import type { Anomaly, AnomalyBucket, AnomalyInput, ResolvedOptions } from './types.ts';

export const SOLAR_CHANNEL = 'solar';

/** Lowest power in a bucket: the sampled minimum when known, else the mean. */
function lowestPowerW(b: AnomalyBucket): number {
  return Number.isFinite(b.minPowerW) ? b.minPowerW : meanPowerW(b);
}

/** Solar below −solarNightNoiseW: a few W of night draw is normal, hundreds are a sign or wiring fault. */
export function detectNegativeSolar(input: AnomalyInput, o: ResolvedOptions): Anomaly[] {
  const buckets = input.buckets[SOLAR_CHANNEL];
  if (buckets === undefined) return [];
  const flagged = buckets.filter((b) => b.coverage > 0 && lowestPowerW(b) < -o.solarNightNoiseW);
  return runsOf(flagged, 1).map((run) => {
    const worstW = Math.min(...run.items.map(lowestPowerW));
    const energyWh = run.items.reduce((a, b) => a + Math.min(0, b.energyWh), 0);
    return {
      kind: 'negative-solar',
      siteId: input.siteId,
      channel: SOLAR_CHANNEL,
      startMs: run.startMs,
      endMs: run.endMs,
      severity: worstW < -10 * o.solarNightNoiseW ? 'critical' : 'warning',
      explanation: `Solar read as low as ${figure(worstW, 'W')} for ${duration(run.endMs - run.startMs)}. An inverter draws a few W at night; ${figure(-worstW, 'W')} points to a reversed CT clamp, a wiring fault or a meter counting consumption as production.`,
      measured: { minPowerW: worstW, negativeEnergyWh: energyWh, thresholdW: -o.solarNightNoiseW },
    };
  });
}

/** Daylight test per slot: the sun's elevation at mid-slot, or a learned profile without a location. */
function daylightTest(input: AnomalyInput, o: ResolvedOptions, buckets: readonly AnomalyBucket[]) {
  const loc = input.location;
  if (loc !== undefined) {
    return (tMs: number) =>
      sunElevationDeg(tMs + BUCKET_MS / 2, loc.latitudeDeg, loc.longitudeDeg) > o.daylightElevationDeg;
  }
  // Learned: a time of day is daylight when its median production is over a fifth of the typical peak.
  // It needs a few days to learn from; until then nothing is called daylight.
  const clock = localClock(input.timeZone);
  const bySlot: number[][] = Array.from({ length: 96 }, () => []);
  for (const b of buckets) if (b.coverage > 0) bySlot[clock(b.tMs).slotOfDay]!.push(meanPowerW(b));
  const days = new Set(buckets.map((b) => Math.floor(b.tMs / 86_400_000))).size;
  const peak = quantile(buckets.filter((b) => b.coverage > 0).map(meanPowerW), 0.95);
  const daylight = bySlot.map((xs) => days >= 3 && peak > 0 && quantile(xs, 0.5) > 0.2 * peak);
  return (tMs: number) => daylight[clock(tMs).slotOfDay]!;
}

/** No data, or (almost) no production, for an hour or more while the sun is up. */
export function detectSolarMissingInDaylight(input: AnomalyInput, o: ResolvedOptions): Anomaly[] {
  const buckets = input.buckets[SOLAR_CHANNEL];
  if (buckets === undefined || buckets.length === 0) return [];
  const isDaylight = daylightTest(input, o, buckets);
  const byTime = new Map(buckets.map((b) => [b.tMs, b]));
  const peakW = quantile(buckets.filter((b) => b.coverage > 0).map(meanPowerW), 0.95);
  // Heavy cloud still gives a few percent of the clear-sky peak; a dead inverter gives nothing.
  const zeroBelowW = Math.max(10, 0.02 * (Number.isFinite(peakW) ? peakW : 0));
  const flagged: { tMs: number; missing: boolean; powerW: number }[] = [];
  for (let t = input.fromMs; t < input.toMs && t < input.nowMs; t += BUCKET_MS) {
    if (!isDaylight(t)) continue;
    const b = byTime.get(t);
    if (b === undefined || b.coverage <= 0) flagged.push({ tMs: t, missing: true, powerW: Number.NaN });
    else if (meanPowerW(b) < zeroBelowW) flagged.push({ tMs: t, missing: false, powerW: meanPowerW(b) });
  }
  const minSlots = Math.max(1, Math.round(o.minGapMs / BUCKET_MS));
  return runsOf(flagged)
    .filter((r) => r.items.length >= minSlots)
    .map((run) => {
      const missing = run.items.filter((x) => x.missing).length;
      const what =
        missing === run.items.length ? 'no data' : missing > 0 ? 'no data or no production' : 'no production';
      const span = run.endMs - run.startMs;
      return {
        kind: 'solar-missing-in-daylight' as const,
        siteId: input.siteId,
        channel: SOLAR_CHANNEL,
        startMs: run.startMs,
        endMs: run.endMs,
        severity: span >= 3 * 3_600_000 ? ('critical' as const) : ('warning' as const),
        explanation: `Solar shows ${what} for ${duration(span)} while the sun is up (${input.location ? `elevation above ${o.daylightElevationDeg}°` : 'by the learned daily production profile'}); production below ${figure(zeroBelowW, 'W')} is less than heavy cloud gives. Check the inverter, its breaker and its connection.`,
        measured: { slots: run.items.length, missingSlots: missing, zeroBelowW, typicalPeakW: peakW },
      };
    });
}
