// The simulated household is physically consistent: load = grid + battery + solar at every instant,
// counters monotonic and equal to the integral of the power they report, solar follows the sun,
// the battery stays within its power and energy limits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_HOUSEHOLD, Household, SIM_METERS } from '../../../src/connectors/powerwall/sim-household.ts';

const DAY0 = Date.parse('2024-06-21T07:00:00Z'); // midnight in California

describe('simulated household', () => {
  it('balances, integrates its own power into monotonic counters and respects the battery limits', () => {
    const h = new Household(DAY0);
    let prev = h.counters();
    let integrated = 0;
    let maxSolarW = 0;
    for (let t = DAY0 + 1_000; t <= DAY0 + 86_400_000; t += 1_000) {
      const p = h.powers();
      integrated += (p.load * 1_000) / 3_600_000;
      h.advanceTo(t);
      const q = h.powers();
      assert.ok(Math.abs(q.load - (q.site + q.battery + q.solar)) < 1e-9);
      assert.ok(Math.abs(q.battery) <= DEFAULT_HOUSEHOLD.batteryMaxPowerW + 1e-9);
      const soe = h.soePercent();
      assert.ok(soe >= DEFAULT_HOUSEHOLD.reservePercent - 1e-6 && soe <= 100 + 1e-9, `soe ${soe}`);
      const c = h.counters();
      for (const m of SIM_METERS) {
        assert.ok(c[m].importedWh >= prev[m].importedWh && c[m].exportedWh >= prev[m].exportedWh);
      }
      prev = c;
      maxSolarW = Math.max(maxSolarW, q.solar);
    }
    const loadWh = h.counters().load.importedWh - 1_500_000;
    assert.ok(Math.abs(loadWh - integrated) < 1e-6, `${loadWh} vs ${integrated}`);
    assert.ok(loadWh > 8_000 && loadWh < 40_000, `a day of household load: ${loadWh} Wh`);
    assert.ok(maxSolarW > 3_000 && maxSolarW <= DEFAULT_HOUSEHOLD.solarPeakW);
  });

  it('has no solar at night (slightly negative only under the fault) and solar at noon', () => {
    const h = new Household(DAY0);
    const midnight = DAY0;
    const noon = DAY0 + 12 * 3_600_000 + 20 * 60_000; // solar noon at longitude −122
    assert.equal(h.solarW(midnight), 0);
    assert.ok(h.solarW(noon) > 2_500);
    h.negativeNightSolar = true;
    const w = h.solarW(midnight);
    assert.ok(w < 0 && w > -10);
  });

  it('a counter reset restarts the reported counters from zero while the truth runs on', () => {
    const h = new Household(DAY0 + 12 * 3_600_000);
    h.advanceTo(DAY0 + 13 * 3_600_000);
    h.resetCounters();
    assert.equal(h.counters().solar.exportedWh, 0);
    h.advanceTo(DAY0 + 13 * 3_600_000 + 600_000);
    const c = h.counters();
    assert.ok(c.solar.exportedWh > 0 && c.solar.exportedWh < 1_000);
    assert.ok(h.truth().solar.exportedWh > 650_000);
  });
});
