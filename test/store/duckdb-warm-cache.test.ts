// Warming the DuckDB store's read cache at startup: what it fills serves the same answers as the
// database, writes after (and during) the warm-up stay visible, and a small budget stops it early.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { energyOf } from '../../src/domain/bucket.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import { MIN, reading, T0 } from '../support/bucket-asserts.ts';

const DAY = 1_440 * MIN;
const dir = mkdtempSync(join(tmpdir(), 'wattline-warm-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Three sites, 100 days of quarter-hour interval energy, plus power on one site's grid (precedence). */
async function writeStore(path: string): Promise<void> {
  const store = await openDuckDbStore({ path });
  for (const site of ['a', 'b', 'c']) {
    await store.ingest(
      Array.from({ length: 100 * 96 }, (_, i) =>
        reading('interval-energy', T0 + i * 15 * MIN, (i % 37) + 1, 0, 'grid', site),
      ),
    );
  }
  await store.ingest(
    Array.from({ length: 200 }, (_, i) => reading('power', T0 - DAY + i * 15 * MIN, 400, 0, 'grid', 'a')),
  );
  await store.close();
}

describe('duckdb read cache warm-up', () => {
  const path = join(dir, 'warm.duckdb');

  it('fills the cache and answers exactly as the database, before and after new writes', async () => {
    await writeStore(path);
    const store = await openDuckDbStore({ path });
    try {
      const warming = store.warmCache();
      // A write racing the warm-up: its series must not be cached from the older snapshot.
      await store.ingest([reading('interval-energy', T0 + 50 * DAY, 999, 1, 'grid', 'b')]);
      assert.ok((await warming) > 0);
      for (const site of ['a', 'b', 'c']) {
        for (const [fromMs, toMs] of [
          [T0 - DAY, T0 + DAY],
          [T0 + 49 * DAY, T0 + 51 * DAY],
          [T0 + 30 * DAY, T0 + 101 * DAY],
        ] as const) {
          assert.deepEqual(
            await store.energy({ siteId: site, channel: 'grid', fromMs, toMs }),
            energyOf(await store.buckets({ siteId: site, channel: 'grid', fromMs, toMs })),
          );
        }
      }
      const energyAt = async (siteId: string, ms: number) =>
        (await store.energy({ siteId, channel: 'grid', fromMs: ms, toMs: ms + 1 }))[0]?.energyWh;
      assert.equal(await energyAt('b', T0 + 50 * DAY), 999);
      await store.ingest([reading('interval-energy', T0 + 20 * DAY, 555, 2, 'grid', 'c')]);
      assert.equal(await energyAt('c', T0 + 20 * DAY), 555);
    } finally {
      await store.close();
    }
  });

  it('stops when its budget is full instead of evicting what it filled', async () => {
    const store = await openDuckDbStore({ path, cacheMb: 0 });
    try {
      assert.equal(await store.warmCache(), 0);
      assert.equal(
        (await store.energy({ siteId: 'a', channel: 'grid', fromMs: T0, toMs: T0 + DAY })).length,
        96,
      );
    } finally {
      await store.close();
    }
  });
});
