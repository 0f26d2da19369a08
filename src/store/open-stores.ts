// Opening the store a `db` setting names, for the composition root and for the store worker (which opens
// the same stores on its own thread).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Config } from '../config.ts';
import { openRoofStore } from '../roofs/open-roof-store.ts';
import type { RoofStore } from '../roofs/roof-store.ts';
import { duckDbInstanceOptions, openDuckDbStore } from './duckdb-store.ts';
import { isPostgresUrl, openPostgresStore } from './postgres-store.ts';
import type { Store } from './store.ts';

/** The configuration a store needs to open. */
export type StoreConfig = Pick<Config, 'normalize' | 'duckdb'>;

/**
 * Opens the store a `db` setting names: a postgres:// URL, a DuckDB file path or ':memory:'. A command
 * that will not ingest says so (`ingests: false`): the DuckDB store then skips reading the ingest tails.
 */
export async function openStore(
  db: string,
  config: StoreConfig,
  use: { ingests?: boolean } = {},
): Promise<Store> {
  if (isPostgresUrl(db)) return openPostgresStore({ url: db, normalize: config.normalize });
  return openDuckDbStore({
    path: db,
    normalize: config.normalize,
    memoryLimitMb: config.duckdb.memoryLimitMb,
    checkpointMb: config.duckdb.checkpointMb,
    cacheMb: config.duckdb.cacheMb,
    ...(use.ingests === false ? { warmTails: 0 } : {}),
  });
}

/**
 * Opens the energy store and the roof store on one `db`. A DuckDB file admits one instance per process, so
 * both stores share it (the energy store closes it, after the roof store: close the roof store first).
 */
export async function openStores(
  db: string,
  config: StoreConfig,
): Promise<{ store: Store; roofStore: RoofStore }> {
  if (isPostgresUrl(db)) {
    const store = await openStore(db, config);
    return { store, roofStore: await openRoofStore(db) };
  }
  if (db !== ':memory:') mkdirSync(dirname(db), { recursive: true });
  const instance = await DuckDBInstance.create(db, duckDbInstanceOptions(config.duckdb));
  const store = await openDuckDbStore({
    path: db,
    normalize: config.normalize,
    instance,
    cacheMb: config.duckdb.cacheMb,
  });
  return { store, roofStore: await openRoofStore(db, { duckDbInstance: instance }) };
}
