// Unit conversion happens at the edges; inside, power is W and energy is Wh.

export type PowerUnit = 'W' | 'kW' | 'MW';
export type EnergyUnit = 'Wh' | 'kWh' | 'MWh';
export type Unit = PowerUnit | EnergyUnit;

export const POWER_UNITS: readonly PowerUnit[] = ['W', 'kW', 'MW'];
export const ENERGY_UNITS: readonly EnergyUnit[] = ['Wh', 'kWh', 'MWh'];
export const UNITS: readonly Unit[] = [...POWER_UNITS, ...ENERGY_UNITS];

const FACTORS: Record<Unit, number> = { W: 1, kW: 1e3, MW: 1e6, Wh: 1, kWh: 1e3, MWh: 1e6 };

/** True for a unit of power (W, kW, MW), false for one of energy. */
export function isPowerUnit(unit: Unit): unit is PowerUnit {
  return unit === 'W' || unit === 'kW' || unit === 'MW';
}

/** Multiplier from `unit` to the base unit (W or Wh). */
export function unitFactor(unit: Unit): number {
  return FACTORS[unit];
}

/** Converts a value in `unit` to W or Wh. */
export function toBase(value: number, unit: Unit): number {
  return value * FACTORS[unit];
}

/** Converts a value in W or Wh to `unit`. */
export function fromBase(value: number, unit: Unit): number {
  return value / FACTORS[unit];
}

/** Energy in Wh of `powerW` held for `durationMs`. */
export function energyWhOf(powerW: number, durationMs: number): number {
  return (powerW * durationMs) / 3_600_000;
}
