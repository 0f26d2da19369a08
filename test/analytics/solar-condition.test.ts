// Solar condition (issue 4 §5) and the sun's position it relies on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { solarCondition } from '../../src/analytics/solar-condition.ts';
import { sunElevationDeg } from '../../src/analytics/sun-position.ts';
import { sharedPath } from '../support/shared.ts';

const T = Date.UTC(2026, 5, 21, 20, 0); // 13:00 PDT
const MIN = 60_000;
const series = (f: (i: number) => number, n = 60) =>
  Array.from({ length: n }, (_, i) => ({ tMs: T + i * MIN, powerW: f(i) }));

describe('sun position', () => {
  it('is high at solar noon in summer, below the horizon at midnight', () => {
    const zurich = { latitude: 47.38, longitude: 8.54 };
    const noon = sunElevationDeg(Date.UTC(2024, 5, 21, 11, 26), zurich);
    assert.ok(Math.abs(noon - (90 - 47.38 + 23.44)) < 1, `noon elevation ${noon}`);
    assert.ok(sunElevationDeg(Date.UTC(2024, 5, 21, 23, 26), zurich) < -15);
  });
});

describe('solar condition', () => {
  const daylight = () => true;
  it('is missing without samples, ok for normal production', () => {
    assert.equal(solarCondition([]).condition, 'missing');
    const ok = solarCondition(
      series((i) => 3000 + i),
      { isDaylight: daylight },
    );
    assert.deepEqual(ok, { condition: 'ok', minPowerW: 3000, negativeShare: 0, samples: 60 });
  });

  it('flags a clearly negative site, and one mostly below the noise floor', () => {
    assert.equal(solarCondition(series((i) => (i === 7 ? -251 : 800))).condition, 'negative');
    const mostly = solarCondition(series((i) => (i < 40 ? -5 : 0)));
    assert.equal(mostly.condition, 'negative');
    assert.ok(Math.abs(mostly.negativeShare! - 40 / 60) < 1e-12);
  });

  it('flags zero solar in daylight, but not zero at night or without knowing where the site is', () => {
    assert.equal(
      solarCondition(
        series(() => 0),
        { isDaylight: daylight },
      ).condition,
      'zero-in-daylight',
    );
    assert.equal(
      solarCondition(
        series(() => 0),
        { isDaylight: () => false },
      ).condition,
      'ok',
    );
    assert.equal(solarCondition(series(() => 0)).condition, 'ok');
  });

  it('agrees with the seed dashboard’s hour (fixture, noise floor 0 W as the seed had): 51 of 58 negative is negative', () => {
    const rows = parse(
      readFileSync(sharedPath('fixtures', 'site-signal', 'solar_condition_last_hour_preview.csv')),
      {
        columns: true,
      },
    ) as Record<string, string>[];
    for (const r of rows) {
      const n = Number(r['num_solar_power_signals_from_api']);
      const valid = Number(r['num_valid_solar_power_signals']);
      const validSum = Number(r['sum_valid_solar_power_signals']);
      const invalidSum = Number(r['sum_invalid_solar_power_signals']);
      // Rebuild samples with the fixture's counts and sums (values spread evenly). The seed counted every
      // sample below zero as invalid, i.e. a noise floor of 0 W.
      const samples = series((i) => (i < valid ? validSum / valid : invalidSum / (n - valid)), n);
      const got = solarCondition(samples, { noiseW: 0 });
      assert.equal(got.samples, n);
      assert.equal(got.condition, r['site'] === 'b255f7ad' ? 'negative' : 'ok', r['site']);
    }
  });
});
