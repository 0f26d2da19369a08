// Anomaly detection precision and recall: synthetic homes (test/support/synthetic-home.ts) with one fault
// of each kind injected at a random time per home, over many seeds, plus clean homes for false alarms.
// Recall of a kind: share of its injected faults that its detector found (overlapping the window).
// Precision: share of all detections that overlap an injected fault.
import { detectAnomalies } from '../src/analytics/anomalies/detect-anomalies.ts';
import { ANOMALY_KINDS } from '../src/analytics/anomalies/types.ts';
import { prng } from '../src/connectors/spaceship/simulator.ts';
import { type Fault, syntheticHome } from '../test/support/synthetic-home.ts';
import { type Bench, envInt } from './support/env.ts';
import type { BenchResult, Metric } from './support/result.ts';

const H = 3_600_000;
const D = 86_400_000;

/** One fault of each kind, each on its own day, at a random hour that suits it (UTC, Zurich in June). */
function randomFaults(d0: number, rand: () => number): Fault[] {
  const at = (day: number, fromH: number, toH: number) =>
    d0 + day * D + Math.floor(fromH + rand() * (toH - fromH)) * H;
  const f = (kind: Fault['kind'], fromMs: number, hours: number): Fault => ({
    kind,
    fromMs,
    toMs: fromMs + hours * H,
  });
  return [
    f('flatline', at(1, 0, 20), 3),
    f('energy-balance', at(2, 0, 22), 1),
    f('negative-solar', at(3, 0, 2), 1),
    f('solar-missing-in-daylight', at(4, 8, 12), 2),
    f('device-down', at(5, 0, 21), 2),
    f('forecast-outlier', at(6, 0, 22), 1),
    f('counter-drift', at(7, 0, 18), 6),
  ];
}

export const bench: Bench = {
  name: 'anomalies',
  title: 'Anomaly detectors: precision and recall on injected faults, false alarms on clean homes',
  async run({ quick, log }): Promise<BenchResult> {
    const started = performance.now();
    const homes = envInt('BENCH_ANOMALY_HOMES', 20, 3, quick);
    const d0 = Date.UTC(2024, 5, 3);
    const injected = new Map<string, number>();
    const found = new Map<string, number>();
    let detections = 0;
    let onFault = 0;
    let cleanAlarms = 0;
    let detectMs = 0;
    for (let seed = 1; seed <= homes; seed++) {
      log(`home ${seed}/${homes}`);
      const faults = randomFaults(d0, prng(seed * 7919));
      const home = syntheticHome(d0, 9, faults, seed);
      const t0 = performance.now();
      const anomalies = detectAnomalies(home.input);
      detectMs += performance.now() - t0;
      detections += anomalies.length;
      onFault += anomalies.filter((a) => faults.some((f) => a.startMs < f.toMs && a.endMs > f.fromMs)).length;
      for (const f of faults) {
        injected.set(f.kind, (injected.get(f.kind) ?? 0) + 1);
        const hit = anomalies.some((a) => a.kind === f.kind && a.startMs < f.toMs && a.endMs > f.fromMs);
        if (hit) found.set(f.kind, (found.get(f.kind) ?? 0) + 1);
      }
      cleanAlarms += detectAnomalies(syntheticHome(d0, 9, [], seed + 1000).input).length;
    }
    const metrics: Metric[] = ANOMALY_KINDS.map((kind) => ({
      key: `recall_${kind.replaceAll('-', '_')}`,
      label: `recall ${kind}`,
      value: ((found.get(kind) ?? 0) / (injected.get(kind) ?? 1)) * 100,
      unit: '%',
      digits: 1,
    }));
    metrics.push(
      {
        key: 'precision',
        label: 'precision (detections on an injected fault)',
        value: detections > 0 ? (onFault / detections) * 100 : 100,
        unit: '%',
        digits: 1,
      },
      {
        key: 'clean_false_alarms',
        label: `false alarms on ${homes} clean 9-day homes`,
        value: cleanAlarms,
        unit: '',
        target: { op: '<=', value: 0 },
        digits: 0,
      },
      {
        key: 'detect_ms_per_home',
        label: 'detectAnomalies per 9-day home (4 channels, 1-min power)',
        value: detectMs / homes,
        unit: 'ms',
        digits: 1,
      },
    );
    return {
      bench: 'anomalies',
      quick,
      params: { homes, days: 9 },
      metrics,
      notes: [
        'Faults follow the fault modes of the simulators: a reversed solar CT, a dead inverter in daylight, a gateway outage, a frozen sensor, a mis-scaled meter, a counter running fast, a new large load.',
        `${detections} detections, ${onFault} on injected faults`,
      ],
      seconds: (performance.now() - started) / 1000,
    };
  },
};
