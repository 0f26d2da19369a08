// Unit names as the tools write them, and conversions to feet and metres. Pure.
import type { AreaUnit, LengthUnit } from './model.ts';

const LENGTH_ALIASES: Record<string, LengthUnit> = {
  inch: 'inch',
  inches: 'inch',
  in: 'inch',
  foot: 'foot',
  feet: 'foot',
  ft: 'foot',
  meter: 'meter',
  meters: 'meter',
  metre: 'meter',
  metres: 'meter',
  m: 'meter',
  centimeter: 'centimeter',
  centimeters: 'centimeter',
  cm: 'centimeter',
  millimeter: 'millimeter',
  millimeters: 'millimeter',
  mm: 'millimeter',
};

// An area unit is named by its length (`foot` = square feet), or spelled out as a square unit.
const AREA_ALIASES: Record<string, AreaUnit> = {
  foot: 'foot',
  feet: 'foot',
  ft: 'foot',
  sqft: 'foot',
  ft2: 'foot',
  squarefoot: 'foot',
  squarefeet: 'foot',
  inch: 'inch',
  inches: 'inch',
  sqin: 'inch',
  in2: 'inch',
  squareinch: 'inch',
  squareinches: 'inch',
  meter: 'meter',
  meters: 'meter',
  metre: 'meter',
  metres: 'meter',
  m2: 'meter',
  sqm: 'meter',
  squaremeter: 'meter',
  squaremeters: 'meter',
  squaremetre: 'meter',
  squaremetres: 'meter',
};

export type AngleUnitName = 'degree' | 'radian';

const ANGLE_ALIASES: Record<string, AngleUnitName> = {
  degree: 'degree',
  degrees: 'degree',
  deg: 'degree',
  radian: 'radian',
  radians: 'radian',
  rad: 'radian',
};

/** Lower case with spaces, underscores, hyphens and dots removed: the key unit and enum names compare by. */
export function looseKey(name: string): string {
  return name.toLowerCase().replace(/[\s_.\-²^]/g, '');
}

export function lengthUnitOf(name: string): LengthUnit | undefined {
  return LENGTH_ALIASES[looseKey(name)];
}

export function areaUnitOf(name: string): AreaUnit | undefined {
  return AREA_ALIASES[looseKey(name)];
}

export function angleUnitOf(name: string): AngleUnitName | undefined {
  return ANGLE_ALIASES[looseKey(name)];
}

/** Metres per length unit. */
export const METERS_PER: Record<LengthUnit, number> = {
  inch: 0.0254,
  foot: 0.3048,
  meter: 1,
  centimeter: 0.01,
  millimeter: 0.001,
};

/** Square metres per square foot (0.3048²). */
export const M2_PER_SQFT = 0.09290304;

/** Square feet per area unit. */
export const SQFT_PER: Record<AreaUnit, number> = {
  inch: 1 / 144,
  foot: 1,
  meter: 1 / M2_PER_SQFT,
};

/** Square feet per square length unit (for areas computed from coordinates). */
export function sqftPerSquareLength(unit: LengthUnit): number {
  const feet = METERS_PER[unit] / METERS_PER.foot;
  return feet * feet;
}
