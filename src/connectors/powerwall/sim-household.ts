// The simulated household behind a simulated gateway: solar from the sun's position, a daily load profile,
// a battery doing self-consumption within its power and energy limits, and the grid as the balance
// (load = site + battery + solar). Power is constant over 1 s steps on a fixed grid and the lifetime
// counters integrate exactly that power, so counters and power agree the way a real meter's do.
// No I/O and no wall clock: the simulator advances it to the instants its clock gives.

export type SimMeter = 'site' | 'battery' | 'load' | 'solar';
export const SIM_METERS: readonly SimMeter[] = ['site', 'battery', 'load', 'solar'];

export interface HouseholdOptions {
  latitudeDeg: number;
  longitudeDeg: number;
  solarPeakW: number;
  batteryCapacityWh: number;
  batteryMaxPowerW: number;
  /** The battery stops discharging at this raw state of energy (%): the backup reserve. */
  reservePercent: number;
  initialSoePercent: number;
  baseLoadW: number;
  seed: number;
}

export const DEFAULT_HOUSEHOLD: HouseholdOptions = {
  latitudeDeg: 37.4,
  longitudeDeg: -122.1,
  solarPeakW: 6_000,
  batteryCapacityWh: 13_500,
  batteryMaxPowerW: 5_000,
  reservePercent: 20,
  initialSoePercent: 60,
  baseLoadW: 350,
  seed: 1,
};

export type Powers = Record<SimMeter, number>;
export interface MeterCounters {
  importedWh: number;
  exportedWh: number;
}
export type Counters = Record<SimMeter, MeterCounters>;

const STEP_MS = 1_000;
const DEG = Math.PI / 180;

/** Deterministic value noise in [0, 1) for an integer key. */
function hash01(seed: number, k: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(k, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Smooth noise in [0, 1): cosine interpolation of hash values every `periodMs`. */
function smooth01(seed: number, tMs: number, periodMs: number): number {
  const x = tMs / periodMs;
  const i = Math.floor(x);
  const f = (1 - Math.cos((x - i) * Math.PI)) / 2;
  return hash01(seed, i) * (1 - f) + hash01(seed, i + 1) * f;
}

/** Sine of the sun's elevation at a place and instant (declination and hour angle; no equation of time). */
export function sunElevationSin(tMs: number, latitudeDeg: number, longitudeDeg: number): number {
  const day = Math.floor(tMs / 86_400_000);
  const dayOfYear = ((day % 365.2425) + 365.2425) % 365.2425;
  const declination = 23.44 * DEG * Math.sin((2 * Math.PI * (dayOfYear + 284 - 1)) / 365);
  const utcHours = (tMs / 3_600_000) % 24;
  const solarHours = utcHours + longitudeDeg / 15;
  const hourAngle = (solarHours - 12) * 15 * DEG;
  const lat = latitudeDeg * DEG;
  return Math.sin(lat) * Math.sin(declination) + Math.cos(lat) * Math.cos(declination) * Math.cos(hourAngle);
}

export class Household {
  private stepStartMs: number;
  private power: Powers;
  /** Lifetime energy at stepStartMs; never reset (the truth the tests compare against). */
  private readonly lifetime: Counters;
  /** Subtracted from lifetime in what the gateway reports: set by a counter reset. */
  private readonly base: Counters;
  private soeWh: number;
  private nowMs: number;
  stopped = false;
  negativeNightSolar = false;

  constructor(
    startMs: number,
    readonly opts: HouseholdOptions = DEFAULT_HOUSEHOLD,
  ) {
    this.stepStartMs = Math.floor(startMs / STEP_MS) * STEP_MS;
    this.nowMs = startMs;
    this.soeWh = (opts.initialSoePercent / 100) * opts.batteryCapacityWh;
    // Lifetime counters of a house a few years old (the same order as the recorded gateways').
    const start = (k: number) => ({ importedWh: 500_000 + 300_000 * k, exportedWh: 200_000 + 150_000 * k });
    this.lifetime = {
      site: start(2),
      battery: start(1),
      load: { importedWh: 1_500_000, exportedWh: 0 },
      solar: start(3),
    };
    this.lifetime.solar.importedWh = 2_000;
    this.base = Object.fromEntries(SIM_METERS.map((m) => [m, { importedWh: 0, exportedWh: 0 }])) as Counters;
    this.power = this.computePowers(this.stepStartMs);
  }

  /** Solar production (W) at an instant: the sun's elevation, slow clouds; tiny negative at night if asked. */
  solarW(tMs: number): number {
    const sin = sunElevationSin(tMs, this.opts.latitudeDeg, this.opts.longitudeDeg);
    if (sin <= 0)
      return this.negativeNightSolar ? -(2 + 6 * hash01(this.opts.seed + 7, Math.floor(tMs / 60_000))) : 0;
    const clouds = 0.55 + 0.45 * smooth01(this.opts.seed + 3, tMs, 1_200_000);
    return this.opts.solarPeakW * sin ** 1.15 * clouds;
  }

  /** Household consumption (W): base load, morning and evening humps in local solar time, appliance noise. */
  loadW(tMs: number): number {
    const h = (((tMs / 3_600_000 + this.opts.longitudeDeg / 15) % 24) + 24) % 24;
    const morning = 900 * Math.exp(-((h - 7.5) ** 2) / 1.5);
    const evening = 1_600 * Math.exp(-((h - 19) ** 2) / 3);
    const appliance = 1_500 * Math.max(0, smooth01(this.opts.seed + 11, tMs, 600_000) - 0.75) * 4;
    const flicker = 60 * hash01(this.opts.seed + 5, Math.floor(tMs / 10_000));
    return this.opts.baseLoadW + morning + evening + appliance + flicker;
  }

  private computePowers(tMs: number): Powers {
    const solar = this.solarW(tMs);
    const load = this.loadW(tMs);
    const o = this.opts;
    let battery = 0;
    if (!this.stopped) {
      const surplusW = solar - load;
      const stepH = STEP_MS / 3_600_000;
      if (surplusW > 0) {
        const roomW = Math.max(0, (o.batteryCapacityWh - this.soeWh) / stepH);
        battery = -Math.min(surplusW, o.batteryMaxPowerW, roomW);
      } else {
        const availableW = Math.max(0, (this.soeWh - (o.reservePercent / 100) * o.batteryCapacityWh) / stepH);
        battery = Math.min(-surplusW, o.batteryMaxPowerW, availableW);
      }
    }
    return { site: load - solar - battery, battery, load, solar };
  }

  private addEnergy(target: Counters, durationMs: number): void {
    const h = durationMs / 3_600_000;
    for (const m of SIM_METERS) {
      const p = this.power[m];
      // Gateway sign conventions: site imported = from grid; battery exported = discharged; solar exported = produced.
      const intoBus = m === 'load' ? -p : p;
      if (intoBus >= 0) target[m].exportedWh += intoBus * h;
      else target[m].importedWh += -intoBus * h;
    }
  }

  /** Moves the simulation forward to `tMs` (never backwards). */
  advanceTo(tMs: number): void {
    while (this.stepStartMs + STEP_MS <= tMs) {
      this.addEnergy(this.lifetime, STEP_MS);
      this.soeWh = Math.min(
        this.opts.batteryCapacityWh,
        Math.max(0, this.soeWh - (this.power.battery * STEP_MS) / 3_600_000),
      );
      this.stepStartMs += STEP_MS;
      this.power = this.computePowers(this.stepStartMs);
    }
    this.nowMs = Math.max(this.nowMs, tMs);
  }

  /** Instant power (W) of each meter at the current instant. */
  powers(): Powers {
    return { ...this.power };
  }

  /** Lifetime counters at the current instant, never reset (Wh). */
  truth(): Counters {
    const c = structuredClone(this.lifetime);
    this.addEnergy(c, Math.max(0, this.nowMs - this.stepStartMs));
    return c;
  }

  /** Counters as the gateway reports them (after any reset) at the current instant (Wh). */
  counters(): Counters {
    const c = this.truth();
    for (const m of SIM_METERS) {
      c[m].importedWh -= this.base[m].importedWh;
      c[m].exportedWh -= this.base[m].exportedWh;
    }
    return c;
  }

  /** The gateway's counters restart from zero now (firmware reset or meter replacement). */
  resetCounters(): void {
    const t = this.truth();
    for (const m of SIM_METERS) this.base[m] = { ...t[m] };
  }

  /** Raw state of energy (%). */
  soePercent(): number {
    return (100 * this.soeWh) / this.opts.batteryCapacityWh;
  }
}
