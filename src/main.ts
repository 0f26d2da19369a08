// The composition root: the one place that turns configuration into a store, an app and a running server.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/app.ts';
import type { Config } from './config.ts';
import { WattlineError } from './domain/errors.ts';
import { isPostgresUrl, openRoofStore } from './roofs/open-roof-store.ts';
import type { RoofStore } from './roofs/roof-store.ts';
import { duckDbInstanceOptions, openDuckDbStore } from './store/duckdb-store.ts';
import type { Store } from './store/store.ts';

/** Opens the store a `db` setting names: a DuckDB file path or ':memory:'. */
export async function openStore(db: string, config: Pick<Config, 'normalize' | 'duckdb'>): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(db)) {
    throw new WattlineError(
      'store-failure',
      'the PostgreSQL backend is not available in this version; use a DuckDB path',
    );
  }
  return openDuckDbStore({
    path: db,
    normalize: config.normalize,
    memoryLimitMb: config.duckdb.memoryLimitMb,
  });
}

/**
 * Opens the energy store and the roof store on one `db`. A DuckDB file admits one instance per process, so
 * both stores share it (the energy store closes it, after the roof store: close the roof store first).
 */
export async function openStores(
  db: string,
  config: Pick<Config, 'normalize' | 'duckdb'>,
): Promise<{ store: Store; roofStore: RoofStore }> {
  if (isPostgresUrl(db)) {
    const store = await openStore(db, config);
    return { store, roofStore: await openRoofStore(db) };
  }
  if (db !== ':memory:') mkdirSync(dirname(db), { recursive: true });
  const instance = await DuckDBInstance.create(db, duckDbInstanceOptions(config.duckdb));
  const store = await openDuckDbStore({ path: db, normalize: config.normalize, instance });
  return { store, roofStore: await openRoofStore(db, { duckDbInstance: instance }) };
}

export interface Runtime {
  store: Store;
  roofStore?: RoofStore;
  app: FastifyInstance;
  /** Listens on the configured host and port; resolves to the base URL. */
  listen(): Promise<string>;
  /** Stops accepting requests, waits for acknowledged writes, closes the store. */
  close(): Promise<void>;
}

/** Builds the store and the HTTP app from configuration, without listening yet. */
export async function createRuntime(config: Config, store?: Store, roofStore?: RoofStore): Promise<Runtime> {
  const opened = store === undefined ? await openStores(config.db, config) : { store, roofStore };
  const s = opened.store;
  const roofs = opened.roofStore;
  const app = await buildApp({
    store: s,
    roofStore: roofs,
    logger: config.server.logger,
    bodyLimitBytes: config.server.bodyLimitBytes,
  });
  return {
    store: s,
    roofStore: roofs,
    app,
    async listen() {
      await app.listen({ host: config.server.host, port: config.server.port });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : config.server.port;
      const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
      return `http://${host}:${port}`;
    },
    async close() {
      await app.close();
      await roofs?.close();
      await s.close();
    },
  };
}
