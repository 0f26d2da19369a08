// Tails read at open are the tails ingest would have kept: after a restart, a store that warmed its tails
// and one that did not end with the same readings and buckets whatever comes next (extensions, late
// readings inside and before the tail, repeats received later), and the warmed one takes the fast path.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Reading } from '../../src/domain/reading.ts';
import { type DuckDbStore, openDuckDbStore } from '../../src/store/duckdb-store.ts';

const T0 = Date.UTC(2024, 5, 1);
const MIN = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'wattline-warm-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let file = 0;

function power(channel: string, minute: number, value: number, receivedMs: number): Reading {
  return { siteId: 'ship', channel, kind: 'power', tMs: T0 + minute * MIN, endMs: null, value, receivedMs };
}

async function everything(store: DuckDbStore) {
  return {
    buckets: await store.buckets({ siteId: 'ship' }),
    readings: await store.readings({ siteId: 'ship' }),
  };
}

/** Writes `history`, closes, and opens two copies: one with tails warmed at open, one without. */
async function reopened(history: readonly (readonly Reading[])[]) {
  const path = join(dir, `history-${file++}.duckdb`);
  const writer = await openDuckDbStore({ path, warmTails: 0 });
  for (const batch of history) await writer.ingest(batch);
  await writer.close();
  const coldPath = `${path}.cold.duckdb`;
  copyFileSync(path, coldPath);
  const warm = await openDuckDbStore({ path, warmTails: 0 });
  const adopted = await warm.warmTails(1_000);
  const cold = await openDuckDbStore({ path: coldPath, warmTails: 0 });
  return { warm, cold, adopted };
}

describe('DuckDB tails read at open', () => {
  it('a series written a day at a time takes the fast path on its first batch after a restart', async () => {
    const history: Reading[][] = [];
    for (let day = 0; day < 5; day++) {
      history.push(
        Array.from({ length: 96 }, (_, k) =>
          power('grid', day * 1440 + k * 15, 1000 + k, T0 + day * 1440 * MIN),
        ),
      );
    }
    const { warm, cold, adopted } = await reopened(history);
    try {
      assert.equal(adopted, 1);
      const next = Array.from({ length: 96 }, (_, k) =>
        power('grid', 5 * 1440 + k * 15, 2000 - k, T0 + 6 * 1440 * MIN),
      );
      await warm.ingest(next);
      await cold.ingest(next);
      assert.deepEqual(await everything(warm), await everything(cold));
    } finally {
      await warm.close();
      await cold.close();
    }
  });

  it('warm and cold stores agree on every batch that follows a restart', async () => {
    const batch = (channel: string) =>
      fc
        .array(
          fc.record({
            minute: fc.integer({ min: 0, max: 600 }),
            value: fc.integer({ min: -3000, max: 3000 }),
            late: fc.integer({ min: 0, max: 3 }),
          }),
          { minLength: 1, maxLength: 40 },
        )
        .map((points) => points.map((p) => ({ channel, ...p })));
    const scenario = fc.record({
      history: fc.array(fc.oneof(batch('grid'), batch('solar')), { minLength: 1, maxLength: 8 }),
      next: fc.array(fc.oneof(batch('grid'), batch('solar')), { minLength: 1, maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ history, next }) => {
        // Receive times grow batch by batch (with some readings held back a little), so repeats of an
        // instant are sometimes received later and sometimes at the same time as what they repeat.
        let clock = T0 + 10_000 * MIN;
        const toReadings = (points: { channel: string; minute: number; value: number; late: number }[]) => {
          clock += MIN;
          return points.map((p) => power(p.channel, p.minute, p.value, clock - p.late * MIN));
        };
        const { warm, cold } = await reopened(history.map(toReadings));
        try {
          for (const points of next) {
            const readings = toReadings(points);
            await warm.ingest(readings);
            await cold.ingest(readings);
          }
          assert.deepEqual(await everything(warm), await everything(cold));
        } finally {
          await warm.close();
          await cold.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
