// The DuckDB store against the pure normalizer: incremental recomputation must give exactly the buckets a
// full recomputation gives (DESIGN §3.1), whatever the batching, order, duplication or lateness.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Reading, ReadingKind } from '../../src/domain/reading.ts';
import { normalizeKind } from '../../src/normalize/normalize-series.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

function reading(kind: ReadingKind, tMs: number, value: number, receivedMs = 0, channel = 'grid'): Reading {
  return { siteId: 'home', channel, kind, tMs, endMs: null, value, receivedMs };
}

function expected(kind: ReadingKind, all: Reading[]) {
  return normalizeKind(kind, all).buckets.map((b) => ({ ...b }));
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function assertSameBuckets(
  got: { bucketStartMs: number; energyWh: number; coverage: number; quality: string }[],
  want: typeof got,
) {
  assert.equal(got.length, want.length, `bucket count ${got.length} vs ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    assert.equal(g.bucketStartMs, w.bucketStartMs);
    assert.ok(
      close(g.energyWh, w.energyWh),
      `${new Date(w.bucketStartMs).toISOString()} ${g.energyWh} vs ${w.energyWh}`,
    );
    assert.ok(close(g.coverage, w.coverage));
    assert.equal(g.quality, w.quality);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'wattline-duckdb-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('DuckDB store', () => {
  it('migrates an empty database to the latest schema and reopens it without re-running migrations', async () => {
    const path = join(tmp, 'migrate.duckdb');
    const a = await openDuckDbStore({ path });
    const v = await a.schemaVersion();
    assert.ok(v >= 1);
    await a.close();
    const b = await openDuckDbStore({ path });
    assert.equal(await b.schemaVersion(), v);
    await b.close();
  });

  it('keeps acknowledged data across a reopen (the write was durable when ingest resolved)', async () => {
    const path = join(tmp, 'durable.duckdb');
    const a = await openDuckDbStore({ path });
    await a.ingest(
      [0, 15, 30].map((m, i) => ({
        ...reading('interval-energy', T0 + m * MIN, 100 + i),
        channel: 'import',
      })),
    );
    await a.close();
    const b = await openDuckDbStore({ path });
    const got = await b.buckets({ siteId: 'home', channel: 'import' });
    assert.deepEqual(
      got.map((x) => x.energyWh),
      [100, 101, 102],
    );
    // The tail state is rebuilt from the file: appending continues the series correctly.
    await b.ingest([{ ...reading('interval-energy', T0 + 45 * MIN, 103), channel: 'import' }]);
    assert.deepEqual(
      (await b.buckets({ siteId: 'home', channel: 'import' })).map((x) => x.energyWh),
      [100, 101, 102, 103],
    );
    await b.close();
  });

  it('§3.1 incremental recompute equals full recompute for any batching, order and duplication', async () => {
    const kinds: ReadingKind[] = ['power', 'interval-energy', 'counter'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...kinds),
        fc.uniqueArray(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        async (kind, minutes, batches, seed) => {
          const rng = fc.sample(fc.integer({ min: 0, max: 5000 }), { numRuns: minutes.length, seed });
          const sorted = [...minutes].sort((a, b) => a - b);
          let counter = 0;
          const rows = sorted.map((m, i) => {
            counter += rng[i]!;
            return reading(kind, T0 + m * MIN, kind === 'counter' ? counter : rng[i]! - 1000);
          });
          // Shuffle deterministically, duplicate a few, split into batches with increasing receive times.
          const shuffled = fc.sample(
            fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
            {
              numRuns: 1,
              seed,
            },
          )[0]!;
          const withDupes = [...shuffled, ...shuffled.slice(0, 3)];
          const store = await openDuckDbStore({ path: ':memory:' });
          try {
            const size = Math.ceil(withDupes.length / batches);
            for (let b = 0; b * size < withDupes.length; b++) {
              await store.ingest(
                withDupes.slice(b * size, (b + 1) * size).map((r) => ({ ...r, receivedMs: b })),
              );
            }
            const got = await store.buckets({ siteId: 'home', channel: 'grid' });
            assertSameBuckets(got, expected(kind, rows));
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a late correction recomputes only the buckets it touches', async () => {
    const store = await openDuckDbStore({ path: ':memory:' });
    const rows = Array.from({ length: 96 }, (_, i) => reading('power', T0 + i * 15 * MIN, 1000));
    await store.ingest(rows);
    const summary = await store.ingest([reading('power', T0 + 40 * 15 * MIN, 5000, 1)]);
    assert.equal(summary.stored, 1);
    assert.ok(summary.bucketsTouched <= 3, `touched ${summary.bucketsTouched}`);
    const got = await store.buckets({ siteId: 'home' });
    assert.equal(got.find((b) => b.bucketStartMs === T0 + 40 * 15 * MIN)?.energyWh, 1250);
    assert.equal(got.find((b) => b.bucketStartMs === T0 + 41 * 15 * MIN)?.energyWh, 250);
    await store.close();
  });

  it('takes a late batch far larger than the call-stack argument limit', async () => {
    const store = await openDuckDbStore({ path: ':memory:' });
    await store.ingest([reading('interval-energy', T0 + 400_000 * MIN, 1)]);
    const late = Array.from({ length: 200_000 }, (_, i) => reading('interval-energy', T0 + i * MIN, 1, 1));
    const summary = await store.ingest(late);
    assert.equal(summary.stored, 200_000);
    await store.close();
  });

  it('repeating a payload stores nothing new and leaves buckets unchanged', async () => {
    const store = await openDuckDbStore({ path: ':memory:' });
    const rows = [0, 5, 10].map((m) => reading('power', T0 + m * MIN, 1200));
    await store.ingest(rows);
    const before = await store.buckets({ siteId: 'home' });
    const again = await store.ingest(rows.map((r) => ({ ...r, receivedMs: 9 })));
    assert.equal(again.stored, 0);
    assert.deepEqual(await store.buckets({ siteId: 'home' }), before);
    assert.equal((await store.readings({ siteId: 'home' })).length, 3);
    await store.close();
  });

  it('prefers counter energy over integrated power where both cover a bucket (§3.5)', async () => {
    const store = await openDuckDbStore({ path: ':memory:' });
    await store.ingest([0, 15, 30].map((m) => reading('power', T0 + m * MIN, 4000)));
    await store.ingest([0, 15, 30].map((m, i) => reading('counter', T0 + m * MIN, 10_000 + i * 900)));
    const got = await store.buckets({ siteId: 'home' });
    assert.deepEqual(
      got.map((b) => b.energyWh),
      [900, 900, 1000],
    );
    await store.close();
  });

  it('answers top sites by energy with ties by id, and site metadata round-trips', async () => {
    const store = await openDuckDbStore({ path: ':memory:' });
    const rows = [
      { siteId: '10', v: 5 },
      { siteId: '9', v: 5 },
      { siteId: '3', v: 7 },
      { siteId: '4', v: 1 },
    ].map(({ siteId, v }) => ({
      ...reading('interval-energy', T0, v * 1000),
      siteId,
      channel: 'consumption',
    }));
    await store.ingest(rows, { source: 'spaceship' });
    const top = await store.topSites({ count: 3, channel: 'consumption' });
    assert.deepEqual(
      top.map((t) => [t.siteId, t.energyWh]),
      [
        ['3', 7000],
        ['9', 5000],
        ['10', 5000],
      ],
    );
    await store.upsertSites([
      { siteId: '3', name: 'Three', timezone: 'Europe/Zurich', source: 'spaceship', metadata: { a: 1 } },
    ]);
    assert.deepEqual(await store.getSite('3'), {
      siteId: '3',
      name: 'Three',
      timezone: 'Europe/Zurich',
      source: 'spaceship',
      metadata: { a: 1 },
    });
    assert.equal((await store.listSites()).length, 4);
    assert.equal((await store.getSite('4'))?.source, 'spaceship');
    await store.close();
  });

  it('concurrent ingests of one series neither lose nor double energy', async () => {
    const store = await openDuckDbStore({ path: ':memory:' });
    const rows = Array.from({ length: 200 }, (_, i) => reading('interval-energy', T0 + i * 15 * MIN, 10));
    await Promise.all(Array.from({ length: 20 }, (_, k) => store.ingest(rows.slice(k * 10, k * 10 + 10))));
    const got = await store.buckets({ siteId: 'home' });
    assert.equal(got.length, 200);
    assert.ok(
      close(
        got.reduce((s, b) => s + b.energyWh, 0),
        2000,
      ),
    );
    await store.close();
  });
});
