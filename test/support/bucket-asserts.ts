// Readings and bucket comparisons the store tests share.
import assert from 'node:assert/strict';
import type { Bucket } from '../../src/domain/bucket.ts';
import type { Reading, ReadingKind } from '../../src/domain/reading.ts';

export const T0 = Date.UTC(2024, 0, 1);
export const MIN = 60_000;

/** A reading of site `siteId` (default 'home'), channel 'grid' unless given. */
export function reading(
  kind: ReadingKind,
  tMs: number,
  value: number,
  receivedMs = 0,
  channel = 'grid',
  siteId = 'home',
): Reading {
  return { siteId, channel, kind, tMs, endMs: null, value, receivedMs };
}

/** Equal to floating-point error. */
export function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Same bucket starts, energy, coverage and quality, in order. */
export function assertSameBuckets(
  got: readonly Pick<Bucket, 'bucketStartMs' | 'energyWh' | 'coverage' | 'quality'>[],
  want: readonly Pick<Bucket, 'bucketStartMs' | 'energyWh' | 'coverage' | 'quality'>[],
): void {
  assert.equal(got.length, want.length, `bucket count ${got.length} vs ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const at = new Date(w.bucketStartMs).toISOString();
    assert.equal(g.bucketStartMs, w.bucketStartMs, `bucket ${i}`);
    assert.ok(near(g.energyWh, w.energyWh), `${at} energy ${g.energyWh} vs ${w.energyWh}`);
    assert.ok(near(g.coverage, w.coverage), `${at} coverage ${g.coverage} vs ${w.coverage}`);
    assert.equal(g.quality, w.quality, `${at} quality`);
  }
}
