// importRoofFiles stores one batch while it prepares the next: batches still reach the store one at a time
// and in file order, results carry each batch's outcomes, and a failing batch fails the import (no
// unhandled rejection, nothing after it stored).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDuckDbRoofStore } from '../../src/roofs/duckdb-roof-store.ts';
import { generateSiteModel } from '../../src/roofs/generate-site-model.ts';
import { importRoofFiles } from '../../src/roofs/import-files.ts';
import type { RoofRevisionInput, RoofStore } from '../../src/roofs/roof-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'wattline-roof-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const files = Array.from({ length: 7 }, (_, i) => {
  const file = join(dir, `m-${i}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      generateSiteModel({ seed: i + 1, installationId: 500 + i, buildings: 1, planesPerBuilding: 2 }),
    ),
  );
  return file;
});

/** A real store whose importRevisions is watched: overlapping calls are counted, and one call may fail. */
async function watchedStore(failOnCall?: number) {
  const store = await openDuckDbRoofStore({ path: ':memory:' });
  const calls: string[][] = [];
  let running = 0;
  let overlaps = 0;
  const watched: RoofStore = Object.create(store, {
    importRevisions: {
      value: async (inputs: readonly RoofRevisionInput[]) => {
        calls.push(inputs.map((i) => i.installationId));
        if (running > 0) overlaps++;
        running++;
        try {
          // Let the importer run on while this batch is "being stored".
          await new Promise((r) => setTimeout(r, 5));
          if (calls.length === failOnCall) throw new Error('disk full');
          return await store.importRevisions(inputs);
        } finally {
          running--;
        }
      },
    },
  });
  return { store, watched, calls, overlaps: () => overlaps };
}

describe('importRoofFiles', () => {
  it('stores batches one at a time, in file order, and reports every outcome', async () => {
    const w = await watchedStore();
    try {
      const results = await importRoofFiles(w.watched, files, { batchSize: 3 });
      assert.deepEqual(w.calls, [['500', '501', '502'], ['503', '504', '505'], ['506']]);
      assert.equal(w.overlaps(), 0);
      assert.deepEqual(
        results.map((r) => [r.installationId, r.status, r.revision]),
        files.map((_, i) => [String(500 + i), 'imported', 1]),
      );
      assert.equal((await w.store.listInstallations({ limit: 100 })).length, 7);
    } finally {
      await w.store.close();
    }
  });

  it('a failing batch fails the import; the batches before it stay stored, none after it is sent', async () => {
    const w = await watchedStore(2);
    try {
      await assert.rejects(importRoofFiles(w.watched, files, { batchSize: 3 }), /disk full/);
      assert.equal(w.calls.length, 2);
      const stored = await w.store.listInstallations({ limit: 100 });
      assert.deepEqual(
        stored.map((s) => s.installationId),
        ['500', '501', '502'],
      );
    } finally {
      await w.store.close();
    }
  });
});
