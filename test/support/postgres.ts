// A throw-away PostgreSQL database for a test run: created under a unique name through the `postgres`
// maintenance database, dropped at the end. Each store in it gets a schema of its own (search_path in the
// URL), so tests open fresh stores cheaply and side by side.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Server the tests use (trust auth); WATTLINE_TEST_PG overrides it. */
export const PG_SERVER_URL = process.env['WATTLINE_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432';

export interface TestDatabase {
  name: string;
  /** URL of the database, search_path left at its default (public). */
  url: string;
  /** A URL whose search_path is a new empty schema: a fresh store location. */
  freshSchemaUrl(): Promise<string>;
  /** Drops the database (disconnecting whoever is still on it). */
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates `wattline_test_<random>`; fails (with the server's error) when PostgreSQL is unreachable. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `wattline_test_${randomBytes(6).toString('hex')}`;
  await withClient(`${PG_SERVER_URL}/postgres`, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = `${PG_SERVER_URL}/${name}`;
  let schemas = 0;
  return {
    name,
    url,
    async freshSchemaUrl() {
      const schema = `s${++schemas}_${randomBytes(3).toString('hex')}`;
      await withClient(url, (c) => c.query(`CREATE SCHEMA ${schema}`));
      return `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    },
    async drop() {
      await withClient(`${PG_SERVER_URL}/postgres`, (c) =>
        c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

/** bigint values at the edges of the 32-bit halves and of the safe integers, for encoding round trips. */
export const EDGE_INT8S: readonly number[] = [
  0,
  1,
  -1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
];
