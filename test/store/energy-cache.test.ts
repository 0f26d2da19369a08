// The serving cache on its own, with a scripted loader: eviction under its memory budget, and no stale
// block cached from a load that a commit overlapped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EnergyBucket } from '../../src/domain/bucket.ts';
import { BUCKET_MS } from '../../src/domain/time.ts';
import { BLOCK_MS, EnergyCache } from '../../src/store/energy-cache.ts';

const T0 = Date.UTC(2024, 0, 1);

/** A database of one value per series: every bucket of series `id` holds `values.get(id)`. */
function scriptedDb() {
  const values = new Map<number, number>();
  let loads = 0;
  let gate: Promise<void> = Promise.resolve();
  const load = async (id: number, fromMs: number, toMs: number): Promise<EnergyBucket[]> => {
    loads++;
    const v = values.get(id) ?? 1;
    await gate;
    const out: EnergyBucket[] = [];
    for (let t = fromMs; t < toMs; t += BUCKET_MS) out.push({ bucketStartMs: t, energyWh: v, coverage: 1 });
    return out;
  };
  return {
    values,
    load,
    loads: () => loads,
    hold(): () => void {
      let release!: () => void;
      gate = new Promise((r) => {
        release = r;
      });
      return release;
    },
  };
}

describe('energy cache', () => {
  it('serves repeated reads from memory and evicts least recently used blocks beyond its budget', async () => {
    const db = scriptedDb();
    const cache = new EnergyCache({ budgetBytes: 3 * 26_000, load: db.load });
    const day = (id: number) => cache.read([{ seriesId: id, rank: 0 }], T0, T0 + 86_400_000);
    assert.equal((await day(1)).length, 96);
    await day(1);
    assert.equal(db.loads(), 1);
    await day(2);
    await day(3);
    await day(1);
    await day(4); // evicts series 2, the least recently used
    assert.equal(db.loads(), 4);
    assert.equal(cache.stats().blocks, 3);
    await day(1);
    assert.equal(db.loads(), 4);
    await day(2);
    assert.equal(db.loads(), 5);
  });

  it('resolves kind precedence per bucket: the lowest rank with data wins', async () => {
    const loads = new Map<number, EnergyBucket[]>([
      [1, [{ bucketStartMs: T0, energyWh: 10, coverage: 1 }]],
      [2, [0, 1].map((i) => ({ bucketStartMs: T0 + i * BUCKET_MS, energyWh: 20, coverage: 0.5 }))],
    ]);
    const cache = new EnergyCache({ budgetBytes: 1e9, load: async (id) => loads.get(id) ?? [] });
    const got = await cache.read(
      [
        { seriesId: 2, rank: 2 },
        { seriesId: 1, rank: 0 },
      ],
      T0,
      T0 + 3 * BUCKET_MS,
    );
    assert.deepEqual(got, [
      { bucketStartMs: T0, energyWh: 10, coverage: 1 },
      { bucketStartMs: T0 + BUCKET_MS, energyWh: 20, coverage: 0.5 },
    ]);
  });

  it('does not cache a block whose load a commit overlapped', async () => {
    const db = scriptedDb();
    const cache = new EnergyCache({ budgetBytes: 1e9, load: db.load });
    const release = db.hold();
    const racing = cache.read([{ seriesId: 1, rank: 0 }], T0, T0 + BUCKET_MS);
    // The load read the old value (1); the commit writes 7 and lands before the load returns.
    db.values.set(1, 7);
    cache.apply(1, T0, T0 + BUCKET_MS, [{ bucketStartMs: T0, energyWh: 7, coverage: 1 }]);
    release();
    await racing;
    assert.deepEqual(await cache.read([{ seriesId: 1, rank: 0 }], T0, T0 + BUCKET_MS), [
      { bucketStartMs: T0, energyWh: 7, coverage: 1 },
    ]);
  });

  it('writes an open-ended window through to every cached block after its start', async () => {
    const db = scriptedDb();
    const cache = new EnergyCache({ budgetBytes: 1e9, load: db.load });
    const span = [T0, T0 + 3 * BLOCK_MS] as const;
    assert.equal((await cache.read([{ seriesId: 1, rank: 0 }], ...span)).length, (3 * BLOCK_MS) / BUCKET_MS);
    const cutMs = T0 + BLOCK_MS / 2;
    cache.apply(1, cutMs, Number.MAX_SAFE_INTEGER, [{ bucketStartMs: cutMs, energyWh: 5, coverage: 0.25 }]);
    const got = await cache.read([{ seriesId: 1, rank: 0 }], ...span);
    assert.equal(got.length, (cutMs - T0) / BUCKET_MS + 1);
    assert.deepEqual(got[got.length - 1], { bucketStartMs: cutMs, energyWh: 5, coverage: 0.25 });
  });
});
