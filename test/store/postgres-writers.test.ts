// Two PostgreSQL stores (two wattline processes) taking turns on one series: each write of one lands after
// the other's, so every store's cached tail goes stale between its own writes. A store that has written
// every series of a batch before checks its tails at the version bump rather than before (saving a query);
// a stale one must then run the batch again from the database, and the result must equal one store
// writing everything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reading } from '../../src/domain/reading.ts';
import { MIN, reading, T0 } from '../support/bucket-asserts.ts';
import { usePostgresStores } from '../support/postgres-stores.ts';
import { selectedBackends } from '../support/store-backends.ts';

/** Minutes [from, from + 7) of one power series, with values that differ per minute. */
function minutes(from: number): Reading[] {
  return Array.from({ length: 7 }, (_, i) =>
    reading('power', T0 + (from + i) * MIN, ((from + i) * 37) % 500),
  );
}

if (selectedBackends().some((b) => b.name === 'postgres')) {
  describe('PostgreSQL store: writers taking turns on one series', () => {
    const { db, open } = usePostgresStores();

    it('gives the buckets and readings of one writer', async () => {
      const url = await db().freshSchemaUrl();
      const a = await open(url);
      const b = await open(url);
      const all: Reading[] = [];
      for (let turn = 0; turn < 6; turn++) {
        const batch = minutes(turn * 7);
        all.push(...batch);
        const summary = await (turn % 2 === 0 ? a : b).ingest(batch);
        assert.equal(summary.stored, batch.length);
      }
      const one = await open(await db().freshSchemaUrl());
      await one.ingest(all);
      assert.deepEqual(await a.buckets({ siteId: 'home' }), await one.buckets({ siteId: 'home' }));
      assert.deepEqual(await b.readings({ siteId: 'home' }), await one.readings({ siteId: 'home' }));
    });
  });
}
