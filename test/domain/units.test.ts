// Units live in names; conversions happen at the edges (DESIGN §2, §5: W/kW/MW and Wh/kWh/MWh).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ENERGY_UNITS,
  energyWhOf,
  fromBase,
  isPowerUnit,
  POWER_UNITS,
  toBase,
  UNITS,
  unitFactor,
} from '../../src/domain/units.ts';

describe('units', () => {
  it('knows the power and energy units and tells them apart', () => {
    assert.deepEqual(POWER_UNITS, ['W', 'kW', 'MW']);
    assert.deepEqual(ENERGY_UNITS, ['Wh', 'kWh', 'MWh']);
    assert.deepEqual(UNITS, [...POWER_UNITS, ...ENERGY_UNITS]);
    for (const u of POWER_UNITS) assert.equal(isPowerUnit(u), true, u);
    for (const u of ENERGY_UNITS) assert.equal(isPowerUnit(u), false, u);
  });

  it('converts to and from the base units W and Wh', () => {
    assert.deepEqual(
      UNITS.map((u) => unitFactor(u)),
      [1, 1e3, 1e6, 1, 1e3, 1e6],
    );
    assert.equal(toBase(1.5, 'kW'), 1500);
    assert.equal(toBase(2, 'MWh'), 2_000_000);
    assert.equal(toBase(-3, 'W'), -3);
    assert.equal(fromBase(1500, 'kWh'), 1.5);
    assert.equal(fromBase(2_500_000, 'MW'), 2.5);
    assert.equal(fromBase(42, 'Wh'), 42);
  });

  it('fromBase undoes toBase (to floating-point error)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.constantFrom(...UNITS), (v, u) => {
        const back = fromBase(toBase(v, u), u);
        assert.ok(Math.abs(back - v) <= 1e-12 * Math.max(1, Math.abs(v)), `${v} ${u} → ${back}`);
      }),
    );
  });

  it('energyWhOf integrates a constant power over a duration', () => {
    assert.equal(energyWhOf(1000, 3_600_000), 1000);
    assert.equal(energyWhOf(4000, 900_000), 1000);
    assert.equal(energyWhOf(-2000, 1_800_000), -1000);
    assert.equal(energyWhOf(1000, 0), 0);
  });
});
