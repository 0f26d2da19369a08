// extensionOf decides when an append may skip rewriting the stored end of a series (DESIGN §3.1): only
// when every stored bucket of the window comes out of the recomputation exactly as it is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bucket } from '../../src/domain/bucket.ts';
import { BUCKET_MS } from '../../src/domain/time.ts';
import { extensionOf } from '../../src/normalize/series-window.ts';

const T0 = Date.UTC(2024, 0, 1);

function bucket(i: number, energyWh: number, coverage = 1): Bucket {
  return {
    bucketStartMs: T0 + i * BUCKET_MS,
    energyWh,
    positiveWh: energyWh,
    negativeWh: 0,
    coverage,
    samples: 1,
    minPowerW: energyWh * 4,
    maxPowerW: energyWh * 4,
    quality: coverage === 1 ? 'measured' : 'partial',
  };
}

describe('extensionOf', () => {
  it('keeps unchanged stored buckets and hands back only the ones after them', () => {
    const stored = [bucket(0, 10), bucket(1, 20, 0.5)];
    const recomputed = [bucket(0, 10), bucket(1, 20, 0.5), bucket(2, 30), bucket(3, 40)];
    assert.deepEqual(extensionOf(T0, stored, recomputed), {
      fromMs: T0 + 2 * BUCKET_MS,
      buckets: [bucket(2, 30), bucket(3, 40)],
    });
  });

  it('writes everything when nothing is stored in the window', () => {
    const recomputed = [bucket(5, 1)];
    assert.deepEqual(extensionOf(T0 + 5 * BUCKET_MS, [], recomputed), {
      fromMs: T0 + 5 * BUCKET_MS,
      buckets: recomputed,
    });
  });

  it('refuses when a stored bucket changed, vanished, or a new one appeared among them', () => {
    const stored = [bucket(0, 10), bucket(2, 20)];
    // The last stored bucket now has more energy (the held sample reaches further).
    assert.equal(extensionOf(T0, stored, [bucket(0, 10), bucket(2, 25), bucket(3, 5)]), undefined);
    // Same energy, other coverage.
    assert.equal(extensionOf(T0, stored, [bucket(0, 10), bucket(2, 20, 0.9), bucket(3, 5)]), undefined);
    // A stored bucket is no longer produced.
    assert.equal(extensionOf(T0, stored, [bucket(2, 20), bucket(3, 5)]), undefined);
    // A bucket between the stored ones is new: it must be written, so the window is replaced.
    assert.equal(
      extensionOf(T0, stored, [bucket(0, 10), bucket(1, 3), bucket(2, 20), bucket(3, 5)]),
      undefined,
    );
  });
});
