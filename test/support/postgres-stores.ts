// PostgreSQL stores (or a plain client) for one describe block: a throw-away database created before its
// tests, and every store opened through `open` closed (or the client ended), and the database dropped,
// after them.
import { after, before } from 'node:test';
import pg from 'pg';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres-store.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';

export interface PostgresStores {
  /** The block's database (available once its `before` hook has run). */
  db(): TestDatabase;
  /** Opens a store at `url` (one reader connection), closed after the block. */
  open(url: string): Promise<PostgresStore>;
}

/** Registers the hooks; call it inside a describe block. */
export function usePostgresStores(): PostgresStores {
  let db: TestDatabase | undefined;
  const stores: PostgresStore[] = [];
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    for (const s of stores) await s.close().catch(() => undefined);
    await db?.drop();
  });
  return {
    db: () => {
      if (db === undefined) throw new Error('the test database is created in a before hook');
      return db;
    },
    async open(url) {
      const store = await openPostgresStore({ url, readers: 1 });
      stores.push(store);
      return store;
    },
  };
}

/**
 * Registers hooks for a throw-away database and one client on it (bigints read as numbers), ended and
 * dropped after the block; call it inside a describe block. The returned function gives the client once the
 * block's `before` hooks have run.
 */
export function usePostgresClient(): () => pg.Client {
  let db: TestDatabase | undefined;
  let client: pg.Client | undefined;
  before(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    client.setTypeParser(pg.types.builtins.INT8, Number);
    await client.connect();
  });
  after(async () => {
    await client?.end();
    await db?.drop();
  });
  return () => {
    if (client === undefined) throw new Error('the test client connects in a before hook');
    return client;
  };
}
