// The composition root: the one place that turns configuration into a store, an app and a running server.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/app.ts';
import type { Config } from './config.ts';
import { openDuckDbStore } from './store/duckdb-store.ts';
import { isPostgresUrl, openPostgresStore } from './store/postgres-store.ts';
import type { Store } from './store/store.ts';

/** Opens the store a `db` setting names: a postgres:// URL, a DuckDB file path or ':memory:'. */
export async function openStore(db: string, config: Pick<Config, 'normalize'>): Promise<Store> {
  if (isPostgresUrl(db)) return openPostgresStore({ url: db, normalize: config.normalize });
  return openDuckDbStore({ path: db, normalize: config.normalize });
}

export interface Runtime {
  store: Store;
  app: FastifyInstance;
  /** Listens on the configured host and port; resolves to the base URL. */
  listen(): Promise<string>;
  /** Stops accepting requests, waits for acknowledged writes, closes the store. */
  close(): Promise<void>;
}

/** Builds the store and the HTTP app from configuration, without listening yet. */
export async function createRuntime(config: Config, store?: Store): Promise<Runtime> {
  const s = store ?? (await openStore(config.db, config));
  const app = await buildApp({
    store: s,
    logger: config.server.logger,
    bodyLimitBytes: config.server.bodyLimitBytes,
  });
  return {
    store: s,
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
      await s.close();
    },
  };
}
