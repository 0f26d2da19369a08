// The flat-line detector flags frozen values, not what is flat by nature: a counter standing still, an idle
// battery, solar at night, or buckets that share one counter delta spread over an outage.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectAnomalies } from '../../src/analytics/anomalies/detect-anomalies.ts';
import type { AnomalyBucket } from '../../src/analytics/anomalies/types.ts';

const T0 = Date.UTC(2024, 5, 1);
const SLOT = 900_000;
const HOURS = 6;

function flat(energyWh: number, quality: AnomalyBucket['quality'] = 'measured'): AnomalyBucket[] {
  return Array.from({ length: HOURS * 4 }, (_, i) => ({
    tMs: T0 + i * SLOT,
    energyWh,
    coverage: 1,
    minPowerW: Number.NaN,
    maxPowerW: Number.NaN,
    quality,
  }));
}

function flatlines(channel: string, buckets: AnomalyBucket[]) {
  return detectAnomalies(
    {
      siteId: 'home',
      timeZone: 'UTC',
      fromMs: T0,
      toMs: T0 + HOURS * 3_600_000,
      nowMs: T0 + HOURS * 3_600_000,
      buckets: { [channel]: buckets },
    },
    { kinds: ['flatline'] },
  );
}

describe('flat-line detector', () => {
  it('flags a frozen non-zero value on any channel', () => {
    assert.equal(flatlines('grid-import', flat(125)).length, 1);
    assert.equal(flatlines('load', flat(125)).length, 1);
  });

  it('flags a home load stuck at zero, but not a directional counter or solar standing still', () => {
    assert.equal(flatlines('load', flat(0)).length, 1);
    for (const channel of ['grid-export', 'battery-charge', 'battery-discharge', 'solar', 'export'])
      assert.deepEqual(flatlines(channel, flat(0)), [], channel);
  });

  it('ignores estimated buckets (one counter delta spread evenly over an outage)', () => {
    assert.deepEqual(flatlines('load', flat(125, 'estimated')), []);
  });
});
