// Opens the roof store a `db` setting names: the same value that selects the energy store.
import type { DuckDBInstance } from '@duckdb/node-api';
import { isPostgresUrl } from '../store/postgres-store.ts';
import { openDuckDbRoofStore } from './duckdb-roof-store.ts';
import { openPostgresRoofStore } from './postgres-roof-store.ts';
import type { RoofStore } from './roof-store.ts';

export interface OpenRoofStoreOptions {
  /** A DuckDB instance already open on `db` in this process (the energy store's), to share. */
  duckDbInstance?: DuckDBInstance;
  clock?: () => number;
}

/** A DuckDB file path, ':memory:', or a postgres:// URL. */
export function openRoofStore(db: string, opts: OpenRoofStoreOptions = {}): Promise<RoofStore> {
  if (isPostgresUrl(db)) return openPostgresRoofStore({ url: db, clock: opts.clock });
  return openDuckDbRoofStore({ path: db, instance: opts.duckDbInstance, clock: opts.clock });
}
