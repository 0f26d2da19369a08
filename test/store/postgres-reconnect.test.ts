// The PostgreSQL store's writer connection comes back after the server drops it (pg_terminate_backend from
// a second connection, as an operator or a failover would): a drop while idle is invisible to the next
// write, and a drop inside a transaction fails that write only, leaving nothing of it behind.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Reading } from '../../src/domain/reading.ts';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres-store.ts';
import { MIN, reading, T0 } from '../support/bucket-asserts.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { selectedBackends } from '../support/store-backends.ts';

/** Ten minutes of one power series from minute `from`. */
function minutes(from: number, siteId: string): Reading[] {
  return Array.from({ length: 10 }, (_, i) =>
    reading('power', T0 + (from + i) * MIN, 100 + i, 0, 'grid', siteId),
  );
}

if (selectedBackends().some((b) => b.name === 'postgres')) {
  describe('PostgreSQL store: the writer reconnects', () => {
    let db: TestDatabase;
    let peer: pg.Client;
    const stores: PostgresStore[] = [];
    before(async () => {
      db = await createTestDatabase();
      peer = new pg.Client({ connectionString: db.url });
      await peer.connect();
    });
    after(async () => {
      for (const s of stores) await s.close().catch(() => undefined);
      await peer?.end();
      await db?.drop();
    });

    /** A store over a new schema, and the schema's URL. */
    async function fresh(): Promise<{ store: PostgresStore; url: string }> {
      const url = await db.freshSchemaUrl();
      const store = await openPostgresStore({ url, readers: 1 });
      stores.push(store);
      return { store, url };
    }

    /** Terminates the writer backend (the one waiting on a lock when `waiting`; else the only one) and
     * waits until it has exited. */
    async function terminateWriter(waiting = false): Promise<void> {
      const r = await peer.query(
        `SELECT pg_terminate_backend(pid, 10000) AS done FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'wattline-writer'
           ${waiting ? "AND wait_event_type = 'Lock'" : ''}`,
      );
      assert.deepEqual(
        r.rows.map((row) => row.done),
        [true],
      );
    }

    it('a write after the writer was dropped while idle succeeds, and the series continues', async () => {
      const { store } = await fresh();
      await store.ingest(minutes(0, 'idle'));
      await terminateWriter();
      const summary = await store.ingest(minutes(10, 'idle'));
      assert.equal(summary.stored, 10);
      const readings = await store.readings({ siteId: 'idle' });
      assert.equal(readings.length, 20);
      // The buckets are those of the whole series written at once: nothing lost at the seam.
      const { store: whole } = await fresh();
      await whole.ingest([...minutes(0, 'idle'), ...minutes(10, 'idle')]);
      assert.deepEqual(await store.buckets({ siteId: 'idle' }), await whole.buckets({ siteId: 'idle' }));
    });

    it('a write whose connection is dropped mid-transaction fails and leaves nothing; the next succeeds', async () => {
      const { store, url } = await fresh();
      await store.ingest(minutes(0, 'mid'));
      assert.equal((await store.readings({ siteId: 'mid' })).length, 10);
      // Hold the series table so that the next write waits inside its transaction, then drop its connection.
      const blocker = new pg.Client({ connectionString: url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE series IN ACCESS EXCLUSIVE MODE');
        const failed = store.ingest(minutes(10, 'mid')).then(
          () => 'stored',
          () => 'failed',
        );
        await waitForWriterOnLock();
        await terminateWriter(true);
        assert.equal(await failed, 'failed');
        await blocker.query('COMMIT');
      } finally {
        await blocker.end();
      }
      assert.equal((await store.readings({ siteId: 'mid' })).length, 10);
      const summary = await store.ingest(minutes(10, 'mid'));
      assert.equal(summary.stored, 10);
      assert.equal((await store.readings({ siteId: 'mid' })).length, 20);
    });

    /** Polls until the writer waits on a lock (a synchronization point, not a timed assertion). */
    async function waitForWriterOnLock(): Promise<void> {
      for (;;) {
        const r = await peer.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'wattline-writer' AND wait_event_type = 'Lock'`,
        );
        if (r.rows[0].n > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  });
}
