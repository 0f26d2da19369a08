// Consistency detectors: the energy balance of a home (load = grid + battery + solar, Powerwall signs)
// and a lifetime counter against the integral of the same device's power.
import { BUCKET_MS } from '../../domain/time.ts';
import { duration, figure, runsOf } from './runs.ts';
import type { Anomaly, AnomalyInput, PowerSample, ResolvedOptions } from './types.ts';

const SOURCES = ['grid', 'battery', 'solar'] as const;

/** Slots where load and the sum of grid, battery and solar differ beyond the tolerance. */
export function detectEnergyBalance(input: AnomalyInput, o: ResolvedOptions): Anomaly[] {
  const load = input.buckets['load'];
  const grid = input.buckets['grid'];
  if (load === undefined || grid === undefined) return [];
  // A channel the site has is required in each slot; a channel it lacks (no battery) counts as 0.
  const sources = SOURCES.filter((c) => (input.buckets[c]?.length ?? 0) > 0).map(
    (c) => new Map(input.buckets[c]!.filter((b) => b.coverage >= 0.9).map((b) => [b.tMs, b.energyWh])),
  );
  const channels = SOURCES.filter((c) => (input.buckets[c]?.length ?? 0) > 0);
  const flagged: { tMs: number; residualWh: number; loadWh: number; toleranceWh: number }[] = [];
  for (const b of load) {
    if (b.coverage < 0.9) continue;
    let supplied = 0;
    let complete = true;
    for (const m of sources) {
      const v = m.get(b.tMs);
      if (v === undefined) complete = false;
      else supplied += v;
    }
    if (!complete) continue;
    const residualWh = b.energyWh - supplied;
    const toleranceWh = Math.max(o.balanceToleranceWh, o.balanceToleranceShare * Math.abs(b.energyWh));
    if (Math.abs(residualWh) > toleranceWh)
      flagged.push({ tMs: b.tMs, residualWh, loadWh: b.energyWh, toleranceWh });
  }
  return runsOf(flagged, 1)
    .filter((r) => r.items.length >= 2)
    .map((run) => {
      const residualWh = run.items.reduce((a, x) => a + x.residualWh, 0);
      const loadWh = run.items.reduce((a, x) => a + x.loadWh, 0);
      const worst = Math.max(...run.items.map((x) => Math.abs(x.residualWh) / x.toleranceWh));
      return {
        kind: 'energy-balance' as const,
        siteId: input.siteId,
        channel: ['load', ...channels].join('+'),
        startMs: run.startMs,
        endMs: run.endMs,
        severity: worst > 5 ? ('critical' as const) : ('warning' as const),
        explanation: `For ${duration(run.endMs - run.startMs)} load was ${figure(loadWh, 'Wh')} but ${channels.join(' + ')} supplied ${figure(loadWh - residualWh, 'Wh')} (${figure(residualWh, 'Wh')} unaccounted). One meter is missing a phase, has a wrong sign or scale, or a channel is mapped to the wrong meter.`,
        measured: { residualWh, loadWh, slots: run.items.length, worstToleranceMultiple: worst },
      };
    });
}

/** Energy (Wh) of left-step power samples over [fromMs, toMs), each held at most `maxHoldMs`, and the
 * time they cover. */
function integrateWh(
  samples: readonly PowerSample[],
  fromMs: number,
  toMs: number,
  maxHoldMs: number,
): { energyWh: number; coveredMs: number } {
  let wh = 0;
  let coveredMs = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const next = samples[i + 1]?.tMs ?? s.tMs + maxHoldMs;
    const a = Math.max(fromMs, s.tMs);
    const b = Math.min(toMs, next, s.tMs + maxHoldMs);
    if (b > a) {
      wh += (s.powerW * (b - a)) / 3_600_000;
      coveredMs += b - a;
    }
  }
  return { energyWh: wh, coveredMs };
}

/** Counter advance against integrated power over fixed windows, where both exist. */
export function detectCounterDrift(input: AnomalyInput, o: ResolvedOptions): Anomaly[] {
  const out: Anomaly[] = [];
  for (const [channel, counters] of Object.entries(input.counters ?? {})) {
    const power = input.power?.[channel];
    if (power === undefined || power.length < 2 || counters.length < 2) continue;
    for (let w = input.fromMs; w < input.toMs; w += o.driftWindowMs) {
      const inWindow = counters.filter((c) => c.tMs >= w && c.tMs < w + o.driftWindowMs);
      if (inWindow.length < 2) continue;
      const first = inWindow[0]!;
      const last = inWindow[inWindow.length - 1]!;
      // A reset (the counter goes down) makes the window's delta meaningless; normalization handles it.
      if (inWindow.some((c, i) => i > 0 && c.energyWh < inWindow[i - 1]!.energyWh)) continue;
      const counterWh = last.energyWh - first.energyWh;
      const { energyWh: powerWh, coveredMs } = integrateWh(power, first.tMs, last.tMs, BUCKET_MS);
      // Where power has gaps the two cannot be compared: the gap is an outage, reported as such.
      if (coveredMs < 0.95 * (last.tMs - first.tMs)) continue;
      const driftWh = counterWh - powerWh;
      const base = Math.max(Math.abs(counterWh), Math.abs(powerWh));
      const share = base > 0 ? driftWh / base : 0;
      if (Math.abs(share) <= o.driftShare || Math.abs(driftWh) <= o.driftMinWh) continue;
      out.push({
        kind: 'counter-drift',
        siteId: input.siteId,
        channel,
        startMs: first.tMs,
        endMs: last.tMs,
        severity: Math.abs(share) > 4 * o.driftShare ? 'critical' : 'warning',
        explanation: `The ${channel} counter advanced ${figure(counterWh, 'Wh')} while its power integrates to ${figure(powerWh, 'Wh')} over ${duration(last.tMs - first.tMs)} (${(share * 100).toFixed(1)}%). Counter energy is used; the power readings are sampled too sparsely, scaled wrongly or miss a phase.`,
        measured: { counterWh, powerWh, driftWh, driftShare: share },
      });
    }
  }
  return out;
}
