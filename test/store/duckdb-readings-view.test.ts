// The `readings` view gives SQL every raw reading exactly as ingested: ends, receive times that differ
// within one write, negative and fractional values (ingest logs each series' readings in time order).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Reading } from '../../src/domain/reading.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';

const T0 = Date.UTC(2024, 2, 31, 23);
const MIN = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'wattline-view-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('DuckDB readings view', () => {
  it('shows every reading of the raw log as it was written', async () => {
    const path = join(dir, 'view.duckdb');
    const written: Reading[] = [
      {
        siteId: 'a',
        channel: 'grid',
        kind: 'power',
        tMs: T0,
        endMs: null,
        value: -1234.5,
        receivedMs: T0 + 1,
      },
      {
        siteId: 'a',
        channel: 'grid',
        kind: 'power',
        tMs: T0 + 90 * MIN,
        endMs: null,
        value: 0.1,
        receivedMs: T0 + 2,
      },
      {
        siteId: 'a',
        channel: 'grid',
        kind: 'power',
        tMs: T0 + 30 * MIN,
        endMs: null,
        value: 7,
        receivedMs: T0 + 2,
      },
      {
        siteId: 'b',
        channel: 'import',
        kind: 'interval-energy',
        tMs: T0,
        endMs: T0 + 15 * MIN,
        value: 250.25,
        receivedMs: T0,
      },
      {
        siteId: 'b',
        channel: 'import',
        kind: 'interval-energy',
        tMs: T0 + 15 * MIN,
        endMs: null,
        value: 1e-9,
        receivedMs: T0,
      },
    ];
    const store = await openDuckDbStore({ path, warmTails: 0 });
    await store.ingest(written);
    await store.close();

    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    try {
      const rows = (
        await conn.runAndReadAll(
          'SELECT site_id, channel, kind, t_ms, end_ms, value, received_ms FROM readings ORDER BY site_id, channel, t_ms',
        )
      ).getRowsJS();
      assert.deepEqual(
        rows.map((r) => [
          r[0],
          r[1],
          r[2],
          Number(r[3]),
          r[4] === null ? null : Number(r[4]),
          r[5],
          Number(r[6]),
        ]),
        [...written]
          .sort((x, y) => x.siteId.localeCompare(y.siteId) || x.tMs - y.tMs)
          .map((r) => [r.siteId, r.channel, r.kind, r.tMs, r.endMs, r.value, r.receivedMs]),
      );
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
