// A synthetic home with known faults: one-minute power of load, grid, solar and battery (Powerwall signs:
// load = grid + battery + solar), a lifetime load counter, and their 15-minute buckets. Solar follows the
// sun at the site (Zurich) with passing clouds; faults are injected at known windows.

import { sunElevationDeg } from '../../src/analytics/anomalies/sun-position.ts';
import type {
  AnomalyBucket,
  AnomalyInput,
  CounterSample,
  PowerSample,
} from '../../src/analytics/anomalies/types.ts';
import { prng } from '../../src/connectors/spaceship/simulator.ts';

export const HOME = { latitudeDeg: 47.37, longitudeDeg: 8.54, timeZone: 'Europe/Zurich' };
const MIN = 60_000;
const Q = 900_000;

export type FaultKind =
  | 'negative-solar'
  | 'solar-missing-in-daylight'
  | 'device-down'
  | 'flatline'
  | 'energy-balance'
  | 'counter-drift'
  | 'forecast-outlier';

export interface Fault {
  kind: FaultKind;
  fromMs: number;
  toMs: number;
}

export interface SyntheticHome {
  input: AnomalyInput;
  faults: Fault[];
}

function loadW(tMs: number, rand: () => number): number {
  const hour = ((tMs / 3_600_000) % 24) + 1; // local (CET) hour
  const morning = Math.exp(-((hour - 7.5) ** 2) / 2);
  const evening = Math.exp(-((hour - 19) ** 2) / 4);
  return 300 + 900 * morning + 1400 * evening + 250 * (rand() - 0.5) + (rand() < 0.03 ? 2000 * rand() : 0);
}

function toBuckets(samples: readonly PowerSample[]): AnomalyBucket[] {
  const byQ = new Map<number, PowerSample[]>();
  for (const s of samples) {
    const q = Math.floor(s.tMs / Q) * Q;
    const list = byQ.get(q) ?? [];
    list.push(s);
    byQ.set(q, list);
  }
  return [...byQ.entries()].map(([tMs, list]) => ({
    tMs,
    energyWh: list.reduce((a, s) => a + s.powerW, 0) / 60,
    coverage: list.length / 15,
    minPowerW: Math.min(...list.map((s) => s.powerW)),
    maxPowerW: Math.max(...list.map((s) => s.powerW)),
  }));
}

/**
 * `days` days from `fromMs` (a UTC midnight) with the given faults injected. `inject` decides each fault's
 * effect; the clean home has none of them.
 */
export function syntheticHome(fromMs: number, days: number, faults: Fault[] = [], seed = 7): SyntheticHome {
  const rand = prng(seed);
  const toMs = fromMs + days * 86_400_000;
  const clouds: number[] = [];
  for (let h = 0; h < days * 24; h++) clouds.push(0.35 + 0.65 * rand());
  const series: Record<'load' | 'grid' | 'solar' | 'battery', PowerSample[]> = {
    load: [],
    grid: [],
    solar: [],
    battery: [],
  };
  const cleanLoad: PowerSample[] = [];
  const counters: CounterSample[] = [];
  let counterWh = 1_234_567;
  const active = (kind: FaultKind, t: number) =>
    faults.some((f) => f.kind === kind && t >= f.fromMs && t < f.toMs);
  for (let t = fromMs; t < toMs; t += MIN) {
    const elevation = sunElevationDeg(t, HOME.latitudeDeg, HOME.longitudeDeg);
    const cloud = clouds[Math.floor((t - fromMs) / 3_600_000)]!;
    let solar = elevation > 0 ? 4000 * Math.sin((elevation * Math.PI) / 180) * cloud : -3;
    const base = loadW(t, rand);
    cleanLoad.push({ tMs: t, powerW: base });
    let load = base;
    if (active('forecast-outlier', t)) load += 2500;
    if (active('flatline', t)) load = 523;
    if (active('negative-solar', t)) solar = -300;
    if (active('solar-missing-in-daylight', t)) solar = 0;
    const hour = ((t / 3_600_000) % 24) + 1;
    // Charges from surplus solar, discharges into the evening load, idles (exactly 0) otherwise.
    const battery =
      solar > load + 200
        ? -Math.min(3000, 0.8 * (solar - load))
        : hour >= 18 && hour < 23
          ? Math.min(2000, 0.7 * load)
          : 0;
    const grid = load - solar - battery;
    // A meter with a wrong scale on the load channel: the balance no longer closes.
    const reportedLoad = active('energy-balance', t) ? load * 1.25 + 150 : load;
    series.load.push({ tMs: t, powerW: reportedLoad });
    series.solar.push({ tMs: t, powerW: solar });
    series.battery.push({ tMs: t, powerW: battery });
    if (!active('device-down', t)) series.grid.push({ tMs: t, powerW: grid });
    // The load meter's own counter; the drift fault makes it run 15% fast.
    counterWh += (reportedLoad / 60) * (active('counter-drift', t) ? 1.15 : 1);
    if (t % (5 * MIN) === 0) counters.push({ tMs: t, energyWh: counterWh });
  }
  const cleanLoadBuckets = toBuckets(cleanLoad);
  return {
    faults,
    input: {
      siteId: 'home',
      timeZone: HOME.timeZone,
      location: { latitudeDeg: HOME.latitudeDeg, longitudeDeg: HOME.longitudeDeg },
      fromMs,
      toMs,
      nowMs: toMs,
      buckets: {
        load: toBuckets(series.load),
        grid: toBuckets(series.grid),
        solar: toBuckets(series.solar),
        battery: toBuckets(series.battery),
      },
      power: { load: series.load },
      counters: { load: counters },
      // The forecast of the clean load, with a generous band: a stand-in for the model's.
      forecasts: {
        load: cleanLoadBuckets.map((b) => ({
          tMs: b.tMs,
          value: b.energyWh,
          lower: b.energyWh * 0.6 - 50,
          upper: b.energyWh * 1.4 + 100,
        })),
      },
    },
  };
}
