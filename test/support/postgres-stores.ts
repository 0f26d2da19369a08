// PostgreSQL stores for one describe block: a throw-away database created before its tests, and every
// store opened through `open` closed, and the database dropped, after them.
import { after, before } from 'node:test';
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
