// The ingest journal (ingest-journal.ts, journal-codec.ts, journaled-transactor.ts): a DuckDB file store
// acknowledges an ingest once it is journaled and synced, so the journal alone must bring back every
// acknowledged batch after a SIGKILL and after a rollback of the transaction that held it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Reading, ReadingKind } from '../../src/domain/reading.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import { IngestJournal, readRecords } from '../../src/store/ingest-journal.ts';
import { decodeJournalBatch, encodeJournalBatch } from '../../src/store/journal-codec.ts';
import type { Store } from '../../src/store/store.ts';
import { reading, T0 } from '../support/bucket-asserts.ts';
import { journalCrashBatches } from '../support/journal-crash-batches.ts';

const dir = mkdtempSync(join(tmpdir(), 'wattline-journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `store-${++n}.duckdb`);
/** DuckDB commits nothing on its own: acknowledged batches stay in the journal until a read or close. */
const NEVER = { maxReadings: 1e9, maxWaitMs: 3_600_000 };

const readingArb: fc.Arbitrary<Reading> = fc
  .record({
    siteId: fc.constantFrom('1', 'home', 'zoë ☀', 'a\u0000b'),
    channel: fc.constantFrom('consumption', 'grid', 'solar'),
    kind: fc.constantFrom<ReadingKind>('power', 'interval-energy', 'counter'),
    tMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    endMs: fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: null }),
    value: fc.double({ noNaN: true, noDefaultInfinity: true }),
    receivedMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  })
  .map((r) => ({ ...r }));

/** Every site's every channel: buckets and winning readings, to compare two stores. */
async function contents(store: Store) {
  const out: Record<string, unknown> = {};
  for (const site of await store.listSites()) {
    out[`${site.siteId} site`] = [site.name, site.timezone, site.source];
    out[`${site.siteId} buckets`] = await store.buckets({ siteId: site.siteId });
    out[`${site.siteId} readings`] = (await store.readings({ siteId: site.siteId })).map((r) => [
      r.channel,
      r.kind,
      r.tMs,
      r.endMs,
      r.value,
      r.receivedMs,
    ]);
  }
  return out;
}

async function reference(batches: readonly Reading[][]) {
  const store = await openDuckDbStore({ path: ':memory:' });
  for (const b of batches) await store.ingest(b, { source: 'push', timezone: 'Europe/Berlin' });
  const c = await contents(store);
  await store.close();
  return c;
}

describe('journal codec', () => {
  it('gives back every reading of a batch exactly, with the site defaults and creation time', () => {
    fc.assert(
      fc.property(fc.array(readingArb, { maxLength: 40 }), fc.integer({ min: 0 }), (readings, createdMs) => {
        const defaults = { source: 'push', timezone: 'Europe/Berlin', metadata: { k: [1, 'x'] } };
        const batch = decodeJournalBatch(encodeJournalBatch(readings, defaults, createdMs));
        assert.deepEqual(batch.readings, readings);
        assert.deepEqual(batch.defaultSite, defaults);
        assert.equal(batch.createdMs, createdMs);
        // Object.is: a -0 value comes back as -0.
        for (const [i, r] of readings.entries()) assert.ok(Object.is(batch.readings[i]!.value, r.value));
      }),
      { numRuns: 200 },
    );
  });

  it('decodes a payload at any byte offset (as sliced out of a file)', () => {
    const payload = encodeJournalBatch([reading('power', T0, 1.5)], {}, 1);
    const shifted = new Uint8Array(payload.length + 3);
    shifted.set(payload, 3);
    assert.deepEqual(decodeJournalBatch(shifted.subarray(3)).readings, [reading('power', T0, 1.5)]);
  });
});

describe('journal file', () => {
  it('keeps the intact records and cuts a torn or corrupt tail off at open', async () => {
    const path = join(dir, 'torn.journal');
    const payloads = [1, 2, 3].map((k) => encodeJournalBatch([reading('power', T0 + k, k)], {}, k));
    const first = IngestJournal.open(path);
    await first.journal.append(payloads.map((payload, i) => ({ lsn: i + 1, payload })));
    first.journal.close();
    const full = statSync(path).size;

    // A record cut short (the crash came during its write): the two before it survive.
    truncateSync(path, full - 5);
    let again = IngestJournal.open(path);
    assert.deepEqual(
      again.records.map((r) => r.lsn),
      [1, 2],
    );
    assert.deepEqual(decodeJournalBatch(again.records[1]!.payload).readings, [reading('power', T0 + 2, 2)]);
    again.journal.close();
    assert.equal(statSync(path).size, again.journal.bytes, 'the torn tail is cut off');

    // A flipped byte inside the second record: only the first survives.
    const bytes = readFileSync(path);
    const { intactBytes } = readRecords(bytes.subarray(0, bytes.length / 2));
    bytes[intactBytes + 20] = bytes[intactBytes + 20]! ^ 0xff;
    writeFileSync(path, bytes);
    again = IngestJournal.open(path);
    assert.deepEqual(
      again.records.map((r) => r.lsn),
      [1],
    );
    again.journal.close();
  });
});

describe('DuckDB store with the ingest journal', () => {
  it('keeps every acknowledged batch across a SIGKILL before DuckDB committed any of them', async () => {
    const path = freshPath();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('../support/journal-crash-child.ts', import.meta.url)), path],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('done\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited (${code}) before acknowledging: ${out}`)));
    });
    // The batches are only in the journal: nothing else could bring them back.
    assert.ok(statSync(`${path}.journal`).size > 0);
    child.kill('SIGKILL');
    await exited;

    const batches = journalCrashBatches();
    assert.equal(out.match(/acked/g)?.length, batches.length);
    const store = await openDuckDbStore({ path });
    try {
      assert.deepEqual(await contents(store), await reference(batches));
      assert.equal(
        statSync(`${path}.journal`).size,
        0,
        'replayed records are committed and the journal emptied',
      );
    } finally {
      await store.close();
    }
    // Opening again replays nothing twice.
    const again = await openDuckDbStore({ path });
    try {
      assert.deepEqual(await contents(again), await reference(batches));
    } finally {
      await again.close();
    }
  });

  it('ingests acknowledged batches again after a failed group rolled back the transaction holding them', async () => {
    const path = freshPath();
    const store = await openDuckDbStore({ path, journalLimits: NEVER });
    const [a, x, b, c] = journalCrashBatches();
    try {
      await store.ingest(a!, { source: 'push', timezone: 'Europe/Berlin' });
      // A poll entry DuckDB rejects (a NOT NULL column) fails its group: the rollback takes the
      // acknowledged but uncommitted batch above out of the database.
      const bad = {
        connector: null,
        source: 's',
        siteId: 'a',
        eventMs: 1,
        payloadMs: null,
        state: 'ok',
        detail: null,
        payload: null,
      };
      const results = await Promise.allSettled([
        store.ingest(x!, { source: 'push', timezone: 'Europe/Berlin' }),
        store.ingest(b!, { source: 'push', timezone: 'Europe/Berlin' }),
        store.appendPolls([bad as never]),
        store.ingest(c!, { source: 'push', timezone: 'Europe/Berlin' }),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
      );
      assert.deepEqual(await contents(store), await reference([a!, x!, b!, c!]));
    } finally {
      await store.close();
    }
    const reopened = await openDuckDbStore({ path });
    try {
      assert.deepEqual(await contents(reopened), await reference([a!, x!, b!, c!]));
    } finally {
      await reopened.close();
    }
  });

  it('lets readers see an acknowledged batch at once, and commits it to DuckDB within the wait limit', async () => {
    const path = freshPath();
    const store = await openDuckDbStore({ path, journalLimits: { maxReadings: 1e9, maxWaitMs: 50 } });
    try {
      await store.ingest([reading('power', T0, 1000), reading('power', T0 + 900_000, 1000)]);
      assert.ok(statSync(`${path}.journal`).size > 0);
      // No read forced it: the timer commits and empties the journal.
      for (let i = 0; i < 100 && statSync(`${path}.journal`).size > 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(statSync(`${path}.journal`).size, 0);
      await store.ingest([reading('power', T0 + 1_800_000, 2000)]);
      assert.deepEqual(
        (await store.buckets({ siteId: 'home' })).map((b) => b.energyWh),
        [250, 250, 500],
      );
    } finally {
      await store.close();
    }
  });

  it('rejects a batch no store can keep before acknowledging anything, naming the field', async () => {
    const store = await openDuckDbStore({ path: freshPath(), journalLimits: NEVER });
    try {
      await assert.rejects(
        store.ingest([reading('power', T0, 1), { ...reading('power', T0 + 60_000, 2), tMs: Number.NaN }]),
        (e: { code?: string; errors?: { path: string }[] }) =>
          e.code === 'validation-failed' && e.errors?.[0]?.path === '/1/tMs',
      );
      assert.deepEqual(await store.listSites(), []);
    } finally {
      await store.close();
    }
  });
});
