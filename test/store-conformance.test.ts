// One behaviour suite for every Store backend (DESIGN §4): the same writes must give the same answers on
// DuckDB and PostgreSQL, and incremental recomputation must equal a full recomputation by the pure
// normalizer (§3.1) whatever the batching, order, duplication, lateness or number of writers.
// STORES=duckdb narrows a local run; under CI=true every backend runs and an unreachable one fails.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { energyOf } from '../src/domain/bucket.ts';
import type { Reading, ReadingKind } from '../src/domain/reading.ts';
import { normalizeKind } from '../src/normalize/normalize-series.ts';
import type { Store } from '../src/store/store.ts';
import { assertSameBuckets, MIN, near, reading, T0 } from './support/bucket-asserts.ts';
import { type BackendHarness, type StoreOpenOptions, selectedBackends } from './support/store-backends.ts';

const KINDS: ReadingKind[] = ['power', 'interval-energy', 'counter'];
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Minutes between drawn instants: dense, hours apart (gaps), or more than a day apart (empty days, and
 * series spread over many of a backend's time partitions). */
const SPREADS = [1, 97, 1447];

/** Rows of one series whose value at an instant depends only on the instant and the full set of instants,
 * so that overlapping batches agree and any order gives the same series. */
function seriesRows(kind: ReadingKind, minutes: readonly number[], siteId: string): Reading[] {
  const sorted = [...minutes].sort((a, b) => a - b);
  let counter = 0;
  return sorted.map((m) => {
    const step = (m * 7919) % 5000;
    counter += step;
    const value = kind === 'counter' ? counter : kind === 'power' ? step - 1000 : step / 10;
    return reading(kind, T0 + m * MIN, value, 0, 'grid', siteId);
  });
}

function expectedBuckets(kind: ReadingKind, rows: readonly Reading[]) {
  return normalizeKind(kind, rows).buckets;
}

for (const backend of selectedBackends()) {
  describe(`store conformance: ${backend.name}`, () => {
    let h: BackendHarness;
    const open: Store[] = [];
    before(async () => {
      try {
        h = await backend.setup();
      } catch (e) {
        throw new Error(
          `the ${backend.name} backend is unavailable (${(e as Error).message}); STORES=duckdb runs without it locally`,
        );
      }
    });
    after(async () => {
      for (const s of open) await s.close().catch(() => undefined);
      await h?.teardown();
    });
    /** A store over a fresh, empty database, closed at the end of the suite. */
    async function fresh(opts?: StoreOpenOptions): Promise<{ store: Store; location: string }> {
      const location = await h.freshLocation();
      const store = await h.open(location, opts);
      open.push(store);
      return { store, location };
    }
    let run = 0;
    const nextSite = (prefix: string) => `${prefix}-${++run}`;

    it('migrates an empty database to the latest schema; opening it again re-runs nothing', async () => {
      const location = await h.freshLocation(true);
      const a = await h.open(location);
      const v = await a.schemaVersion();
      assert.ok(v >= 1);
      await a.ingest([reading('power', T0, 100)]);
      await a.close();
      const b = await h.open(location);
      assert.equal(await b.schemaVersion(), v);
      assert.equal((await b.readings({ siteId: 'home' })).length, 1);
      await b.close();
    });

    it('keeps acknowledged data across a reopen, and appends continue the series', async () => {
      const location = await h.freshLocation(true);
      const a = await h.open(location);
      await a.ingest(
        [0, 15, 30].map((m, i) => reading('interval-energy', T0 + m * MIN, 100 + i, 0, 'import')),
      );
      await a.close();
      const b = await h.open(location);
      open.push(b);
      const energy = async () =>
        (await b.buckets({ siteId: 'home', channel: 'import' })).map((x) => x.energyWh);
      assert.deepEqual(await energy(), [100, 101, 102]);
      await b.ingest([reading('interval-energy', T0 + 45 * MIN, 103, 0, 'import')]);
      assert.deepEqual(await energy(), [100, 101, 102, 103]);
    });

    it('§3.1 incremental recompute equals full recompute for any batching, order and duplication', async () => {
      const { store } = await fresh();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...KINDS),
          fc.uniqueArray(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 60 }),
          fc.constantFrom(...SPREADS),
          fc.integer({ min: 1, max: 6 }),
          fc.integer(),
          async (kind, minutes, spread, batches, seed) => {
            const siteId = nextSite('prop');
            const rows = seriesRows(
              kind,
              minutes.map((m) => m * spread),
              siteId,
            );
            const [shuffled] = fc.sample(
              fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
              { numRuns: 1, seed },
            );
            const withDupes = [...shuffled!, ...shuffled!.slice(0, 3)];
            const size = Math.ceil(withDupes.length / batches);
            for (let b = 0; b * size < withDupes.length; b++) {
              await store.ingest(
                withDupes.slice(b * size, (b + 1) * size).map((r) => ({ ...r, receivedMs: b })),
              );
            }
            assertSameBuckets(await store.buckets({ siteId, channel: 'grid' }), expectedBuckets(kind, rows));
          },
        ),
        { numRuns: 30 },
      );
    });

    it('§3.1 appending in time order, batch by batch, equals one full recompute (extensions write only new buckets)', async () => {
      const { store } = await fresh();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...KINDS),
          // Irregular spacing, so that an append sometimes changes the typical spacing (and with it the
          // stored end of the series) and sometimes leaves the stored buckets as they are.
          fc.uniqueArray(fc.integer({ min: 0, max: 900 }), { minLength: 2, maxLength: 80 }),
          fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 12 }),
          async (kind, minutes, sizes) => {
            const siteId = nextSite('append');
            const rows = seriesRows(
              kind,
              [...minutes].sort((a, b) => a - b).map((m) => m * 5),
              siteId,
            );
            let at = 0;
            for (let b = 0; at < rows.length; b++) {
              const size = sizes[b % sizes.length]!;
              await store.ingest(rows.slice(at, at + size).map((r) => ({ ...r, receivedMs: b })));
              at += size;
            }
            const stored = await store.buckets({ siteId, channel: 'grid' });
            assertSameBuckets(stored, expectedBuckets(kind, rows));
            const served = await store.energy({
              siteId,
              channel: 'grid',
              fromMs: T0 - DAY,
              toMs: T0 + 10 * DAY,
            });
            assert.deepEqual(
              served,
              stored.map((x) => ({
                bucketStartMs: x.bucketStartMs,
                energyWh: x.energyWh,
                coverage: x.coverage,
              })),
            );
          },
        ),
        { numRuns: 40 },
      );
    });

    it('§3.1 repeats and corrections among the newest readings, after an append, equal one full recompute', async () => {
      const { store } = await fresh();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...KINDS),
          fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 3, maxLength: 80 }),
          fc.integer({ min: 1, max: 12 }),
          fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.boolean()), { minLength: 1, maxLength: 6 }),
          async (kind, minutes, appendSize, late) => {
            const siteId = nextSite('recent');
            const rows = seriesRows(
              kind,
              [...minutes].sort((a, b) => a - b).map((m) => m * 3),
              siteId,
            );
            for (let at = 0; at < rows.length; at += appendSize)
              await store.ingest(rows.slice(at, at + appendSize));
            // Late batches reach back a few readings from the end: a plain repeat, or a changed value.
            const final = [...rows];
            for (const [i, [back, changed]] of late.entries()) {
              const from = Math.max(0, rows.length - back);
              const batch = final
                .slice(from)
                .map((r) =>
                  changed && kind !== 'counter'
                    ? { ...r, value: r.value + 7, receivedMs: i + 1 }
                    : { ...r, receivedMs: i + 1 },
                );
              const summary = await store.ingest(batch);
              if (!changed || kind === 'counter') assert.equal(summary.stored, 0, 'a repeat stores nothing');
              final.splice(from, batch.length, ...batch);
            }
            assertSameBuckets(await store.buckets({ siteId, channel: 'grid' }), expectedBuckets(kind, final));
          },
        ),
        { numRuns: 40 },
      );
    });

    it('§3.1 late data: a correction wins and recomputes only the buckets it touches', async () => {
      const { store } = await fresh();
      await store.ingest(Array.from({ length: 96 }, (_, i) => reading('power', T0 + i * 15 * MIN, 1000)));
      const summary = await store.ingest([reading('power', T0 + 40 * 15 * MIN, 5000, 1)]);
      assert.equal(summary.stored, 1);
      assert.ok(summary.bucketsTouched <= 3, `touched ${summary.bucketsTouched}`);
      const got = await store.buckets({ siteId: 'home' });
      assert.equal(got.length, 96);
      assert.equal(got.find((b) => b.bucketStartMs === T0 + 40 * 15 * MIN)?.energyWh, 1250);
      assert.equal(got.find((b) => b.bucketStartMs === T0 + 41 * 15 * MIN)?.energyWh, 250);
      const winners = await store.readings({
        siteId: 'home',
        fromMs: T0 + 40 * 15 * MIN,
        toMs: T0 + 41 * 15 * MIN,
      });
      assert.deepEqual(
        winners.map((r) => [r.value, r.receivedMs]),
        [[5000, 1]],
      );
    });

    it('takes a late batch far larger than the call-stack argument limit', async () => {
      const { store } = await fresh();
      await store.ingest([reading('interval-energy', T0 + 400_000 * MIN, 1)]);
      const late = Array.from({ length: 200_000 }, (_, i) => reading('interval-energy', T0 + i * MIN, 1, 1));
      const summary = await store.ingest(late);
      assert.equal(summary.stored, 200_000);
      const day = await store.rollup({
        siteId: 'home',
        periodMs: 24 * HOUR,
        fromMs: T0,
        toMs: T0 + 24 * HOUR,
      });
      assert.equal(day[0]?.energyWh, 1440);
    });

    it('§3.1 repeating a payload stores nothing new and leaves buckets unchanged', async () => {
      const { store } = await fresh();
      const rows = [0, 5, 10].map((m) => reading('power', T0 + m * MIN, 1200));
      await store.ingest(rows);
      const before = await store.buckets({ siteId: 'home' });
      const again = await store.ingest(rows.map((r) => ({ ...r, receivedMs: 9 })));
      assert.equal(again.stored, 0);
      assert.deepEqual(await store.buckets({ siteId: 'home' }), before);
      assert.equal((await store.readings({ siteId: 'home' })).length, 3);
    });

    it('§3.5 prefers counter energy over integrated power where both cover a bucket', async () => {
      const { store } = await fresh();
      await store.ingest([0, 15, 30].map((m) => reading('power', T0 + m * MIN, 4000)));
      await store.ingest([0, 15, 30].map((m, i) => reading('counter', T0 + m * MIN, 10_000 + i * 900)));
      assert.deepEqual(
        (await store.buckets({ siteId: 'home' })).map((b) => b.energyWh),
        [900, 900, 1000],
      );
      const [hour] = await store.rollup({ siteId: 'home', periodMs: HOUR });
      assert.deepEqual(hour, {
        channel: 'grid',
        periodStartMs: T0,
        energyWh: 2800,
        positiveWh: 2800,
        negativeWh: 0,
        buckets: 3,
      });
    });

    it('answers top sites by energy with ties by id, and site metadata round-trips', async () => {
      const { store } = await fresh();
      const rows = [
        { siteId: '10', v: 5 },
        { siteId: '9', v: 5 },
        { siteId: '3', v: 7 },
        { siteId: '4', v: 1 },
        { siteId: 'x', v: 5 },
      ].map(({ siteId, v }) => reading('interval-energy', T0, v * 1000, 0, 'consumption', siteId));
      await store.ingest(rows, { source: 'spaceship' });
      await store.ingest([reading('interval-energy', T0, 99_000, 0, 'grid', '4')]);
      assert.deepEqual(
        (await store.topSites({ count: 4, channel: 'consumption' })).map((t) => [t.siteId, t.energyWh]),
        [
          ['3', 7000],
          ['9', 5000],
          ['10', 5000],
          ['x', 5000],
        ],
      );
      assert.deepEqual(
        (await store.topSites({ count: 1 })).map((t) => t.siteId),
        ['4'],
      );
      assert.deepEqual(await store.topSites({ count: 3, fromMs: T0 + HOUR }), []);
      await store.upsertSites([
        {
          siteId: '3',
          name: 'Three',
          timezone: 'Europe/Zurich',
          source: 'spaceship',
          metadata: { a: 1, b: ['x'] },
        },
      ]);
      assert.deepEqual(await store.getSite('3'), {
        siteId: '3',
        name: 'Three',
        timezone: 'Europe/Zurich',
        source: 'spaceship',
        metadata: { a: 1, b: ['x'] },
      });
      assert.deepEqual(
        (await store.listSites()).map((s) => s.siteId),
        ['10', '3', '4', '9', 'x'],
      );
      assert.equal((await store.getSite('4'))?.source, 'spaceship');
      assert.equal(await store.getSite('nope'), undefined);
      // An id no backend can hold (PostgreSQL text has no NUL) finds nothing, and fails nothing.
      const nul = 'a\u0000b';
      assert.equal(await store.getSite(nul), undefined);
      assert.deepEqual(await store.buckets({ siteId: nul, channel: nul }), []);
      assert.deepEqual(await store.readings({ siteId: nul }), []);
      assert.deepEqual(await store.channels(nul), []);
      assert.equal(await store.timeRange(nul), null);
      assert.deepEqual(await store.topSites({ count: 3, channel: nul }), []);
    });

    it('answers range queries on half-open windows, by channel, and the time range', async () => {
      const { store } = await fresh();
      assert.equal(await store.timeRange(), null);
      const day = (channel: string, w: number) =>
        Array.from({ length: 96 }, (_, i) => reading('power', T0 + i * 15 * MIN, w, 0, channel, 'r'));
      await store.ingest([...day('solar', 2000), ...day('grid', 400)]);
      await store.ingest([reading('interval-energy', T0 + 2 * HOUR, 50, 0, 'import', 'other')]);
      const window = await store.buckets({ siteId: 'r', fromMs: T0 + HOUR, toMs: T0 + 2 * HOUR });
      assert.deepEqual(
        window.map((b) => [b.channel, (b.bucketStartMs - T0) / MIN]),
        [
          ['grid', 60],
          ['grid', 75],
          ['grid', 90],
          ['grid', 105],
          ['solar', 60],
          ['solar', 75],
          ['solar', 90],
          ['solar', 105],
        ],
      );
      const solar = await store.buckets({ siteId: 'r', channel: 'solar', fromMs: T0 + 23 * HOUR });
      assert.deepEqual(
        solar.map((b) => [b.energyWh, b.samples, b.minPowerW, b.maxPowerW, b.quality]),
        Array.from({ length: 4 }, () => [500, 1, 2000, 2000, 'measured']),
      );
      assert.deepEqual(await store.buckets({ siteId: 'nobody' }), []);
      assert.deepEqual(await store.channels('r'), ['grid', 'solar']);
      assert.deepEqual(await store.timeRange('r'), { firstMs: T0, lastMs: T0 + 95 * 15 * MIN });
      assert.deepEqual(await store.timeRange(), { firstMs: T0, lastMs: T0 + 95 * 15 * MIN });
      assert.equal(await store.timeRange('nobody'), null);
      const some = await store.readings({
        siteId: 'r',
        channel: 'grid',
        fromMs: T0 + HOUR,
        toMs: T0 + 2 * HOUR,
        limit: 3,
      });
      assert.deepEqual(
        some.map((r) => [r.channel, r.kind, (r.tMs - T0) / MIN, r.value, r.endMs]),
        [
          ['grid', 'power', 60, 400, null],
          ['grid', 'power', 75, 400, null],
          ['grid', 'power', 90, 400, null],
        ],
      );
      assert.equal(await store.ping(), true);
    });

    it('rolls buckets up per period, after kind precedence, equal to summing the buckets', async () => {
      const { store } = await fresh();
      const rows = seriesRows(
        'power',
        Array.from({ length: 300 }, (_, i) => i * 7),
        'roll',
      );
      await store.ingest(rows);
      await store.ingest(seriesRows('counter', [0, 60, 120, 180], 'roll'));
      await store.ingest(
        seriesRows('interval-energy', [30, 45], 'roll').map((r) => ({ ...r, channel: 'solar' })),
      );
      const buckets = await store.buckets({ siteId: 'roll' });
      for (const periodMs of [15 * MIN, HOUR, 24 * HOUR]) {
        const want = new Map<string, { e: number; p: number; n: number; c: number }>();
        for (const b of buckets) {
          const key = `${b.channel}|${Math.floor(b.bucketStartMs / periodMs) * periodMs}`;
          const acc = want.get(key) ?? { e: 0, p: 0, n: 0, c: 0 };
          want.set(key, {
            e: acc.e + b.energyWh,
            p: acc.p + b.positiveWh,
            n: acc.n + b.negativeWh,
            c: acc.c + 1,
          });
        }
        const got = await store.rollup({ siteId: 'roll', periodMs });
        assert.deepEqual(
          got.map((r) => `${r.channel}|${r.periodStartMs}`),
          [...want.keys()],
        );
        for (const r of got) {
          const w = want.get(`${r.channel}|${r.periodStartMs}`)!;
          assert.ok(
            near(r.energyWh, w.e) && near(r.positiveWh, w.p) && near(r.negativeWh, w.n),
            JSON.stringify(r),
          );
          assert.equal(r.buckets, w.c);
        }
      }
      const solarOnly = await store.rollup({
        siteId: 'roll',
        channel: 'solar',
        periodMs: HOUR,
        toMs: T0 + 45 * MIN,
      });
      assert.deepEqual(
        solarOnly.map((r) => [r.channel, r.buckets]),
        [['solar', 1]],
      );
      await assert.rejects(store.rollup({ siteId: 'roll', periodMs: 1000 }), RangeError);
    });

    it('serves energy() equal to buckets() while writes, late corrections and reads interleave', async () => {
      const { store } = await fresh();
      const energyOfBuckets = async (siteId: string, fromMs: number, toMs: number) =>
        (await store.buckets({ siteId, channel: 'grid', fromMs, toMs })).map((b) => ({
          bucketStartMs: b.bucketStartMs,
          energyWh: b.energyWh,
          coverage: b.coverage,
        }));
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              kind: fc.constantFrom(...KINDS),
              // Minutes over about 40 days: batches land before, inside and after the windows read so far.
              minutes: fc.uniqueArray(fc.integer({ min: 0, max: 60_000 }), { minLength: 1, maxLength: 30 }),
              value: fc.integer({ min: 1, max: 5000 }),
              window: fc.tuple(
                fc.integer({ min: -2_000, max: 60_000 }),
                fc.integer({ min: 15, max: 50_000 }),
              ),
            }),
            { minLength: 1, maxLength: 8 },
          ),
          async (steps) => {
            const siteId = nextSite('energy');
            let counter = 0;
            for (const [i, step] of steps.entries()) {
              const rows = [...step.minutes]
                .sort((x, y) => x - y)
                .map((m) => {
                  counter += step.value;
                  const value = step.kind === 'counter' ? counter : step.value;
                  return reading(step.kind, T0 + m * MIN, value, i, 'grid', siteId);
                });
              const fromMs = T0 + step.window[0] * MIN;
              const toMs = fromMs + step.window[1] * MIN;
              // A read racing the write sees either side of it; after both settle it sees the write.
              await Promise.all([
                store.ingest(rows),
                store.energy({ siteId, channel: 'grid', fromMs, toMs }),
              ]);
              assert.deepEqual(
                await store.energy({ siteId, channel: 'grid', fromMs, toMs }),
                await energyOfBuckets(siteId, fromMs, toMs),
              );
            }
            const whole = await store.energy({
              siteId,
              channel: 'grid',
              fromMs: T0 - DAY,
              toMs: T0 + 50 * DAY,
            });
            assert.deepEqual(whole, await energyOfBuckets(siteId, T0 - DAY, T0 + 50 * DAY));
            assert.deepEqual(
              await store.energy({ siteId, channel: 'grid' }),
              energyOf(await store.buckets({ siteId, channel: 'grid' })),
            );
          },
        ),
        { numRuns: 25 },
      );
    });

    it('concurrent ingests through one store neither lose nor double energy', async () => {
      const { store } = await fresh();
      const rows = Array.from({ length: 200 }, (_, i) => reading('interval-energy', T0 + i * 15 * MIN, 10));
      await Promise.all(Array.from({ length: 20 }, (_, k) => store.ingest(rows.slice(k * 10, k * 10 + 10))));
      const got = await store.buckets({ siteId: 'home' });
      assert.equal(got.length, 200);
      assert.ok(
        near(
          got.reduce((s, b) => s + b.energyWh, 0),
          2000,
        ),
      );
    });

    describe('several writers on one database', () => {
      let a: Store;
      let b: Store;
      before(async () => {
        const first = await fresh();
        a = first.store;
        // Where the backend allows a second opener (another process), the second writer is a store of its own.
        b = h.sharedLocation ? await h.open(first.location) : a;
        if (b !== a) open.push(b);
      });

      it("§3.1 drops a writer's cached tail when another writer appended to the series", async () => {
        const rows = seriesRows(
          'power',
          Array.from({ length: 40 }, (_, i) => i * 5),
          'tail',
        );
        await a.ingest(rows.slice(0, 10));
        await b.ingest(rows.slice(10, 20));
        await a.ingest(rows.slice(20, 30));
        await b.ingest(rows.slice(30));
        for (const s of [a, b])
          assertSameBuckets(await s.buckets({ siteId: 'tail' }), expectedBuckets('power', rows));
      });

      it('§3.1 interleaved, overlapping and late batches from two writers equal one full recompute', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...KINDS),
            fc.uniqueArray(fc.integer({ min: 0, max: 900 }), { minLength: 10, maxLength: 120 }),
            // Dense or hours apart: the days-apart case is the single-writer property's.
            fc.constantFrom(1, 97),
            fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 40 })), { minLength: 2, maxLength: 10 }),
            async (kind, minutes, spread, slices) => {
              const siteId = nextSite('writers');
              const rows = seriesRows(
                kind,
                minutes.map((m) => m * spread),
                siteId,
              );
              const half = rows.length >> 1;
              // Random overlapping slices, then both halves, so that every reading is written at least once.
              const batches = [
                ...slices.map(([at, len]) => rows.slice(at % rows.length, (at % rows.length) + 1 + len)),
                rows.slice(half),
                rows.slice(0, half),
              ];
              const chain = async (s: Store, mine: Reading[][]) => {
                for (const batch of mine) await s.ingest(batch);
              };
              await Promise.all([
                chain(
                  a,
                  batches.filter((_, i) => i % 2 === 0),
                ),
                chain(
                  b,
                  batches.filter((_, i) => i % 2 === 1),
                ),
              ]);
              const want = expectedBuckets(kind, rows);
              assertSameBuckets(await a.buckets({ siteId }), want);
              assertSameBuckets(await b.buckets({ siteId }), want);
            },
          ),
          { numRuns: 15 },
        );
      });
    });
  });
}
