// DuckDB migrations carry data forward: a file written by schema version 1 (series as three strings in
// every row) opens under the current version with the same readings, buckets and ingest behaviour.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Reading } from '../../src/domain/reading.ts';
import { DUCKDB_MIGRATIONS } from '../../src/store/duckdb-migrations.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'wattline-migrations-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A version-1 file holding what a version-1 store would have written for two series of one site. */
async function writeVersionOne(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_ms BIGINT NOT NULL)',
  );
  for (const sql of DUCKDB_MIGRATIONS[0]!.statements) await conn.run(sql);
  await conn.run(`INSERT INTO schema_migrations VALUES (1, 'v1', ${T0})`);
  await conn.run(`INSERT INTO sites VALUES ('home', 'Home', 'Europe/Zurich', 'push', '{}', ${T0})`);
  // grid power 1,200 W at 00:00 and 00:15 (two readings at 00:15: the later received wins), solar counter.
  await conn.run(`INSERT INTO readings VALUES
    ('home', 'grid', 'power', ${T0}, NULL, 1200, ${T0}, 1),
    ('home', 'grid', 'power', ${T0 + 15 * MIN}, NULL, 999, ${T0}, 2),
    ('home', 'grid', 'power', ${T0 + 15 * MIN}, NULL, 1200, ${T0 + MIN}, 3),
    ('home', 'solar', 'counter', ${T0}, NULL, 5000, ${T0}, 4),
    ('home', 'solar', 'counter', ${T0 + 15 * MIN}, NULL, 5100, ${T0}, 5)`);
  await conn.run(`INSERT INTO buckets VALUES
    ('home', 'grid', 'power', 2, ${T0}, 300, 300, 0, 1, 1, 1200, 1200, 'measured'),
    ('home', 'grid', 'power', 2, ${T0 + 15 * MIN}, 300, 300, 0, 1, 1, 1200, 1200, 'measured'),
    ('home', 'solar', 'counter', 0, ${T0}, 100, 100, 0, 1, 1, 400, 400, 'measured')`);
  conn.closeSync();
  instance.closeSync();
}

/** A file migrated to `version` (the statements only, as a store of that version left it) with site 'home'. */
async function atVersion(path: string, version: number) {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_ms BIGINT NOT NULL)',
  );
  for (const m of DUCKDB_MIGRATIONS.filter((x) => x.version <= version)) {
    for (const sql of m.statements) await conn.run(sql);
    await conn.run(`INSERT INTO schema_migrations VALUES (${m.version}, '${m.name}', ${T0})`);
  }
  await conn.run(`INSERT INTO sites VALUES ('home', 'Home', 'UTC', 'push', '{}', ${T0})`);
  return { instance, conn };
}

describe('DuckDB migrations', () => {
  it('version 1 data reads the same after migrating to the series dictionary', async () => {
    const path = join(dir, 'v1.duckdb');
    await writeVersionOne(path);
    const store = await openDuckDbStore({ path });
    try {
      assert.equal(await store.schemaVersion(), DUCKDB_MIGRATIONS[DUCKDB_MIGRATIONS.length - 1]!.version);
      assert.equal((await store.getSite('home'))?.timezone, 'Europe/Zurich');
      assert.deepEqual(await store.channels('home'), ['grid', 'solar']);
      const buckets = await store.buckets({ siteId: 'home' });
      assert.deepEqual(
        buckets.map((b) => [b.channel, b.bucketStartMs - T0, b.energyWh]),
        [
          ['grid', 0, 300],
          ['grid', 15 * MIN, 300],
          ['solar', 0, 100],
        ],
      );
      const readings = await store.readings({ siteId: 'home', channel: 'grid' });
      assert.deepEqual(
        readings.map((r) => [r.tMs - T0, r.value]),
        [
          [0, 1200],
          [15 * MIN, 1200],
        ],
      );
      // Ingest continues the migrated series: the sequence and the known series carry over.
      const next: Reading = {
        siteId: 'home',
        channel: 'grid',
        kind: 'power',
        tMs: T0 + 30 * MIN,
        endMs: null,
        value: 2400,
        receivedMs: T0 + 31 * MIN,
      };
      const summary = await store.ingest([next]);
      assert.equal(summary.stored, 1);
      const grid = await store.buckets({ siteId: 'home', channel: 'grid', fromMs: T0 + 15 * MIN });
      assert.deepEqual(
        grid.map((b) => [b.bucketStartMs - T0, b.energyWh]),
        [
          [15 * MIN, 300],
          [30 * MIN, 600],
        ],
      );
    } finally {
      await store.close();
    }
    // Reopening runs no migration twice and keeps everything.
    const again = await openDuckDbStore({ path });
    try {
      assert.equal((await again.buckets({ siteId: 'home', channel: 'grid' })).length, 3);
      assert.equal((await again.readings({ siteId: 'home' })).length, 5);
    } finally {
      await again.close();
    }
  });

  it('version 4 raw log moves into reading chunks: every reading, its sequence and the winners survive', async () => {
    const path = join(dir, 'v4.duckdb');
    const { instance, conn } = await atVersion(path, 4);
    const series = ['grid', 'solar', 'battery'];
    for (const [i, channel] of series.entries()) {
      await conn.run(`INSERT INTO series VALUES (${i + 1}, 'home', '${channel}', 'power')`);
    }
    // Batches of a few readings per series, interleaved, with repeats at the same instant (some received
    // at the same time, so the sequence number decides) and an end on some readings.
    const rows: {
      id: number;
      tMs: number;
      endMs: number | null;
      value: number;
      receivedMs: number;
      seq: number;
    }[] = [];
    let seq = 100;
    for (let batch = 0; batch < 40; batch++) {
      for (let id = 1; id <= 3; id++) {
        for (let k = 0; k < 1 + ((batch + id) % 4); k++) {
          const tMs = T0 + (((batch * 7 + k * 3 + id) % 50) * 15 + (batch % 3)) * MIN;
          rows.push({
            id,
            tMs,
            endMs: k === 2 ? tMs + 5 * MIN : null,
            value: batch * 10 + k + id / 10,
            receivedMs: T0 + Math.floor(batch / 4) * MIN,
            seq: seq++,
          });
        }
      }
      seq += 5; // other writers' sequence numbers between batches
    }
    const values = rows
      .map((r) => `(${r.id}, ${r.tMs}, ${r.endMs ?? 'NULL'}, ${r.value}, ${r.receivedMs}, ${r.seq})`)
      .join(', ');
    await conn.run(`INSERT INTO readings VALUES ${values}`);
    conn.closeSync();
    instance.closeSync();

    let store = await openDuckDbStore({ path });
    try {
      assert.equal(await store.schemaVersion(), DUCKDB_MIGRATIONS[DUCKDB_MIGRATIONS.length - 1]!.version);
      for (const [i, channel] of series.entries()) {
        const won = new Map<number, (typeof rows)[number]>();
        for (const r of rows.filter((x) => x.id === i + 1)) {
          const held = won.get(r.tMs);
          if (
            !held ||
            r.receivedMs > held.receivedMs ||
            (r.receivedMs === held.receivedMs && r.seq > held.seq)
          )
            won.set(r.tMs, r);
        }
        const expected = [...won.values()]
          .sort((a, b) => a.tMs - b.tMs)
          .map((r) => [r.tMs, r.endMs, r.value, r.receivedMs]);
        const got = await store.readings({ siteId: 'home', channel });
        assert.deepEqual(
          got.map((r) => [r.tMs, r.endMs, r.value, r.receivedMs]),
          expected,
        );
      }
      // SQL sees every reading, losers included, through the readings view, exactly as it was written.
      const sql = await DuckDBInstance.create(':memory:');
      const viewer = await sql.connect();
      await store.close();
      await viewer.run(`ATTACH '${path}' AS db (READ_ONLY)`);
      await viewer.run('USE db');
      const viewed = (
        await viewer.runAndReadAll(
          'SELECT series_id, t_ms, end_ms, value, received_ms, seq, site_id, kind FROM readings ORDER BY seq',
        )
      ).getRowsJS();
      viewer.closeSync();
      sql.closeSync();
      assert.deepEqual(
        viewed.map((r) => [
          Number(r[0]),
          Number(r[1]),
          r[2] === null ? null : Number(r[2]),
          r[3],
          Number(r[4]),
          Number(r[5]),
        ]),
        rows.map((r) => [r.id, r.tMs, r.endMs, r.value, r.receivedMs, r.seq]),
      );
      assert.ok(viewed.every((r) => r[6] === 'home' && r[7] === 'power'));
      store = await openDuckDbStore({ path });
      // The sequence carries on past the migrated readings: a repeat received at the same time wins.
      const last = rows[rows.length - 1]!;
      await store.ingest([
        {
          siteId: 'home',
          channel: 'battery',
          kind: 'power',
          tMs: last.tMs,
          endMs: null,
          value: -1,
          receivedMs: last.receivedMs,
        },
      ]);
      const after = await store.readings({
        siteId: 'home',
        channel: 'battery',
        fromMs: last.tMs,
        toMs: last.tMs + 1,
      });
      assert.deepEqual(
        after.map((r) => r.value),
        [-1],
      );
    } finally {
      await store.close();
    }
  });

  it('version 5 bucket qualities become an ENUM: every value kept, SQL compares it as text', async () => {
    const path = join(dir, 'v5.duckdb');
    const { instance, conn } = await atVersion(path, 5);
    await conn.run(`INSERT INTO series VALUES (1, 'home', 'grid', 'counter')`);
    const qualities = ['measured', 'estimated', 'partial', 'estimated'];
    const values = qualities
      .map((q, i) => `(1, 0, ${T0 + i * 15 * MIN}, ${i + 1}, ${i + 1}, 0, 1, 1, 0, 0, '${q}')`)
      .join(', ');
    await conn.run(`INSERT INTO buckets VALUES ${values}`);
    conn.closeSync();
    instance.closeSync();

    const store = await openDuckDbStore({ path });
    try {
      assert.equal(await store.schemaVersion(), DUCKDB_MIGRATIONS[DUCKDB_MIGRATIONS.length - 1]!.version);
      const buckets = await store.buckets({ siteId: 'home', channel: 'grid' });
      assert.deepEqual(
        buckets.map((b) => [b.bucketStartMs - T0, b.energyWh, b.quality]),
        qualities.map((q, i) => [i * 15 * MIN, i + 1, q]),
      );
      // New buckets are written into the ENUM column: power every 5 minutes up to 00:20 covers the first
      // bucket (measured) and, the last sample holding 5 minutes, two thirds of the second (partial).
      await store.ingest(
        [0, 5, 10, 15, 20].map((m) => ({
          siteId: 'home',
          channel: 'solar',
          kind: 'power' as const,
          tMs: T0 + m * MIN,
          endMs: null,
          value: 400,
          receivedMs: T0,
        })),
      );
      const solar = await store.buckets({ siteId: 'home', channel: 'solar' });
      assert.deepEqual(
        solar.map((b) => b.quality),
        ['measured', 'partial'],
      );
      // A crash now: the file and its WAL as they are on disk (the migration and the ingest are only in
      // the WAL) must open and replay.
      const crashed = join(dir, 'v5-crashed.duckdb');
      copyFileSync(path, crashed);
      assert.ok(existsSync(`${path}.wal`), 'the migration is still in the WAL');
      copyFileSync(`${path}.wal`, `${crashed}.wal`);
      const replayed = await openDuckDbStore({ path: crashed });
      try {
        const after = await replayed.buckets({ siteId: 'home' });
        assert.deepEqual(
          after.map((b) => [b.channel, b.quality]),
          [...qualities.map((q) => ['grid', q]), ['solar', 'measured'], ['solar', 'partial']],
        );
      } finally {
        await replayed.close();
      }
    } finally {
      await store.close();
    }
    const sql = await DuckDBInstance.create(':memory:');
    const viewer = await sql.connect();
    try {
      await viewer.run(`ATTACH '${path}' AS db (READ_ONLY)`);
      const typed = await viewer.runAndReadAll(
        "SELECT data_type FROM duckdb_columns() WHERE database_name = 'db' AND table_name = 'buckets' AND column_name = 'quality'",
      );
      assert.match(String(typed.getRowsJS()[0]?.[0]), /^ENUM\('measured', 'estimated', 'partial'\)$/);
      const estimated = await viewer.runAndReadAll(
        "SELECT count(*) FROM db.buckets WHERE quality = 'estimated'",
      );
      assert.equal(Number(estimated.getRowsJS()[0]?.[0]), 2);
    } finally {
      viewer.closeSync();
      sql.closeSync();
    }
  });
});
