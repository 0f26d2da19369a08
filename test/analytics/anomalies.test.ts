// Anomaly detectors on a synthetic home (test/support/synthetic-home.ts) with faults injected at known
// windows: each detector finds what was injected, where it was injected, and the clean home raises nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectAnomalies } from '../../src/analytics/anomalies/detect-anomalies.ts';
import { solarConditionFrom } from '../../src/analytics/anomalies/solar-condition.ts';
import { sunElevationDeg } from '../../src/analytics/anomalies/sun-position.ts';
import { ANOMALY_KINDS, type AnomalyKind } from '../../src/analytics/anomalies/types.ts';
import { type Fault, syntheticHome } from '../support/synthetic-home.ts';

const H = 3_600_000;
const D = 86_400_000;
const d0 = Date.UTC(2024, 5, 3);

const FAULTS: Fault[] = [
  { kind: 'flatline', fromMs: d0 + 13 * H, toMs: d0 + 16 * H },
  { kind: 'energy-balance', fromMs: d0 + 18 * H, toMs: d0 + 19 * H },
  { kind: 'negative-solar', fromMs: d0 + D + 1 * H, toMs: d0 + D + 2 * H },
  { kind: 'solar-missing-in-daylight', fromMs: d0 + D + 10 * H, toMs: d0 + D + 12 * H },
  { kind: 'device-down', fromMs: d0 + 2 * D + 3 * H, toMs: d0 + 2 * D + 5 * H },
  { kind: 'forecast-outlier', fromMs: d0 + 2 * D + 20 * H, toMs: d0 + 2 * D + 21 * H },
  { kind: 'counter-drift', fromMs: d0 + 3 * D + 12 * H, toMs: d0 + 3 * D + 18 * H },
];

describe('detectAnomalies', () => {
  test('the clean home raises nothing', () => {
    assert.deepEqual(detectAnomalies(syntheticHome(d0, 4).input), []);
  });

  const faulted = detectAnomalies(syntheticHome(d0, 4, FAULTS).input);

  for (const fault of FAULTS) {
    test(`${fault.kind}: found where it was injected, with an explanation and a severity`, () => {
      const found = faulted.filter((a) => a.kind === fault.kind);
      assert.equal(found.length, 1, JSON.stringify(found));
      const a = found[0]!;
      // Slots are 15 minutes and the drift detector reads 5-minute counter values: within a slot.
      assert.ok(Math.abs(a.startMs - fault.fromMs) < 15 * 60_000, `${new Date(a.startMs).toISOString()}`);
      assert.ok(Math.abs(a.endMs - fault.toMs) < 15 * 60_000, `${new Date(a.endMs).toISOString()}`);
      assert.ok(a.explanation.length > 40);
      assert.ok(['warning', 'critical'].includes(a.severity));
      assert.equal(a.siteId, 'home');
    });
  }

  test('every detection lies on an injected fault (no false alarms next to real ones)', () => {
    for (const a of faulted) {
      assert.ok(
        FAULTS.some((f) => a.startMs < f.toMs && a.endMs > f.fromMs),
        `${a.kind} at ${new Date(a.startMs).toISOString()} matches no fault`,
      );
    }
  });

  test('kinds restricts the detectors that run', () => {
    const only: AnomalyKind[] = ['device-down'];
    const found = detectAnomalies(syntheticHome(d0, 4, FAULTS).input, { kinds: only });
    assert.deepEqual(
      found.map((a) => a.kind),
      ['device-down'],
    );
    assert.equal(ANOMALY_KINDS.length, 7);
  });

  test('an outage that reaches now is ongoing and critical', () => {
    const home = syntheticHome(d0, 2, [{ kind: 'device-down', fromMs: d0 + D + 20 * H, toMs: d0 + 3 * D }]);
    const [a] = detectAnomalies(home.input, { kinds: ['device-down'] });
    assert.equal(a?.severity, 'critical');
    assert.match(a!.explanation, /for the last 4 h/);
  });

  test('without a location, daylight comes from the learned solar profile', () => {
    const home = syntheticHome(d0, 4, FAULTS);
    const { location: _, ...rest } = home.input;
    const found = detectAnomalies(rest, { kinds: ['solar-missing-in-daylight'] });
    assert.equal(found.length, 1);
    assert.match(found[0]!.explanation, /learned daily production profile/);
  });

  test('sun position: high at Zurich noon in June, below the horizon at midnight', () => {
    const noon = sunElevationDeg(Date.UTC(2024, 5, 21, 11, 30), 47.37, 8.54);
    assert.ok(noon > 64 && noon < 67, String(noon));
    assert.ok(sunElevationDeg(Date.UTC(2024, 5, 21, 23, 30), 47.37, 8.54) < -10);
  });
});

describe('solarConditionFrom', () => {
  test('maps the solar findings onto the status condition', () => {
    const found = detectAnomalies(syntheticHome(d0, 4, FAULTS).input);
    assert.equal(solarConditionFrom(found), 'negative');
    const daylight = found.filter((a) => a.kind === 'solar-missing-in-daylight');
    assert.equal(solarConditionFrom(daylight), 'zero-in-daylight');
    const missing = daylight.map((a) => ({
      ...a,
      measured: { ...a.measured, missingSlots: a.measured['slots']! },
    }));
    assert.equal(solarConditionFrom(missing), 'missing');
    assert.equal(solarConditionFrom([]), 'ok');
  });
});
