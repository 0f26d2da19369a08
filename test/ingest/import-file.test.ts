// The importer end to end on real files: CSV, NDJSON and the seed's JSON payloads into a real DuckDB store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WattlineError } from '../../src/domain/errors.ts';
import { importFile } from '../../src/ingest/import-file.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import { sharedPath } from '../support/shared.ts';

const tmp = mkdtempSync(join(tmpdir(), 'wattline-import-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('import', () => {
  it('imports a CSV with a header, converting units and inferring kinds', async () => {
    const file = join(tmp, 'a.csv');
    writeFileSync(
      file,
      'site,channel,t,value,unit\n' +
        'home,grid,2024-01-01T00:00:00Z,2,kW\n' +
        'home,grid,2024-01-01T00:05:00Z,2,kW\n' +
        'home,grid,2024-01-01T00:10:00Z,2,kW\n' +
        'meter-1,import,2024-01-01T00:00:00Z,0.5,kWh\n' +
        'meter-1,import,2024-01-01T00:15:00Z,0.25,kWh\n',
    );
    const store = await openDuckDbStore({ path: ':memory:' });
    const r = await importFile(store, file, { batch: 2 });
    assert.equal(r.rows, 5);
    assert.equal(r.stored, 5);
    assert.deepEqual(
      (await store.buckets({ siteId: 'home' })).map((b) => b.energyWh),
      [500],
    );
    assert.deepEqual(
      (await store.buckets({ siteId: 'meter-1' })).map((b) => b.energyWh),
      [500, 250],
    );
    await store.close();
  });

  it('stops at the first invalid row with its line, keeping nothing of that batch', async () => {
    const file = join(tmp, 'bad.csv');
    writeFileSync(
      file,
      'site,channel,t,value,unit\nhome,grid,2024-01-01T00:00:00Z,2,kW\nhome,grid,2024-01-01T00:05:00ZZ,2,kW\n',
    );
    const store = await openDuckDbStore({ path: ':memory:' });
    await assert.rejects(importFile(store, file, { batch: 1000 }), (e: unknown) => {
      assert.ok(e instanceof WattlineError);
      assert.match(e.message, /line 3/);
      assert.match(e.message, /2024-01-01T00:05:00ZZ/);
      return true;
    });
    assert.equal((await store.readings({ siteId: 'home' })).length, 0);
    await store.close();
  });

  it('skips and counts invalid rows with --skip-invalid', async () => {
    const file = join(tmp, 'skip.ndjson');
    writeFileSync(
      file,
      [
        { site: 's', channel: 'solar', t: '2024-01-01T00:00:00Z', value: 100, unit: 'W' },
        { site: 's', channel: 'solar', t: 'yesterday', value: 100, unit: 'W' },
        { site: 's', channel: 'solar', t: '2024-01-01T00:15:00Z', value: 'lots', unit: 'W' },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const store = await openDuckDbStore({ path: ':memory:' });
    const skipped: string[] = [];
    const r = await importFile(store, file, { batch: 10, skipInvalid: true, onSkip: (m) => skipped.push(m) });
    assert.equal(r.stored, 1);
    assert.equal(r.skipped, 2);
    assert.match(skipped[0]!, /line 2: t not a valid date-time/);
    assert.match(skipped[1]!, /line 3: value not a finite number/);
    await store.close();
  });

  it("imports the seed's JSON payload (shared fixture) as the spaceship's consumption", async () => {
    const store = await openDuckDbStore({ path: ':memory:' });
    await importFile(store, sharedPath('fixtures', 'spaceship', 'post_example_3_kWh_15min.json'), {
      batch: 100,
    });
    assert.deepEqual(
      (await store.buckets({ siteId: '3', channel: 'consumption' })).map((b) => b.energyWh),
      [2000, 5000, 2000, 6000],
    );
    await store.close();
  });
});
