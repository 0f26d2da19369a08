// The physical model behind the site-signal simulator: a household with rooftop solar that follows the
// sun, a load with morning and evening peaks, and a battery doing self-consumption within its power limit.
// Grid is the balance, so load = grid + battery + solar holds exactly (DESIGN §2 signs). Deterministic in
// time: the live simulator and the demo's backfill produce the same values for the same instant.
import { type GeoLocation, sunElevationDeg } from '../../analytics/sun-position.ts';

export interface Household {
  siteId: string;
  location: GeoLocation;
  /** Solar output at full sun (W). */
  pvPeakW: number;
  /** Night-time base load (W). */
  baseLoadW: number;
  /** Battery power limit, charging and discharging (W). */
  batteryLimitW: number;
  seed: number;
}

export interface HouseholdPower {
  solarW: number;
  loadW: number;
  batteryW: number;
  gridW: number;
}

/** Deterministic noise in [0, 1) from integers (a 32-bit integer hash). */
export function noise(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Eight hex digits from a number, like the fleet's site ids (`4b78aae6`). */
export function siteIdOf(index: number): string {
  return Math.floor(noise(index, 4242) * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
}

/** The i-th household of a fleet spread around `centre` (±1° in both directions). */
export function household(index: number, centre: GeoLocation): Household {
  return {
    siteId: siteIdOf(index),
    location: {
      latitude: Math.round((centre.latitude + (noise(index, 1) - 0.5) * 2) * 1e4) / 1e4,
      longitude: Math.round((centre.longitude + (noise(index, 2) - 0.5) * 2) * 1e4) / 1e4,
    },
    pvPeakW: 3000 + Math.floor(noise(index, 3) * 7) * 1000,
    baseLoadW: 250 + Math.floor(noise(index, 4) * 4) * 100,
    batteryLimitW: 5000,
    seed: index,
  };
}

/** Power flows of a household at `tMs` (W). */
export function householdPower(h: Household, tMs: number): HouseholdPower {
  const minute = Math.floor(tMs / 60_000);
  const hour = Math.floor(minute / 60);
  // Local solar time from longitude: good enough for where people cook and sleep.
  const localHour = (((tMs / 3_600_000 + h.location.longitude / 15) % 24) + 24) % 24;
  const elevation = sunElevationDeg(tMs, h.location);
  const clouds = 0.65 + 0.35 * noise(h.seed, hour); // hourly weather
  const sun = elevation > 0 ? Math.sin((elevation * Math.PI) / 180) ** 1.2 : 0;
  const solarW = h.pvPeakW * sun * clouds * (0.97 + 0.03 * noise(h.seed, minute));
  const morning = Math.exp(-((localHour - 7.5) ** 2) / 1.5);
  const evening = Math.exp(-((localHour - 19) ** 2) / 3);
  const loadW = h.baseLoadW * (1 + 2.5 * morning + 4 * evening) * (0.85 + 0.3 * noise(h.seed + 7, minute));
  // Self-consumption: charge from surplus until mid-afternoon (then full), cover deficits in the evening
  // and night until the battery is taken as empty at 02:00, stay idle until the sun returns.
  const surplusW = solarW - loadW;
  let batteryW = 0;
  if (surplusW > 0 && localHour < 16) batteryW = -Math.min(surplusW, h.batteryLimitW);
  else if (surplusW < 0 && (localHour >= 16 || localHour < 2))
    batteryW = Math.min(-surplusW, h.batteryLimitW);
  const gridW = loadW - solarW - batteryW;
  return { solarW, loadW, batteryW, gridW };
}
