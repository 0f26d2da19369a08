// The roof-store backends every roof test runs against: DuckDB in memory, and PostgreSQL in a database
// created for this run and dropped after it. PostgreSQL must be reachable (127.0.0.1:5432, user postgres):
// a missing server fails the tests, it never skips them.
import { after } from 'node:test';
import pg from 'pg';
import { openDuckDbRoofStore } from '../../src/roofs/duckdb-roof-store.ts';
import { openPostgresRoofStore } from '../../src/roofs/postgres-roof-store.ts';
import type { RoofStore } from '../../src/roofs/roof-store.ts';

export const PG_ADMIN_URL = process.env['WATTLINE_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface RoofBackend {
  name: string;
  /** A store with no roof data; `clock` stamps its revisions. */
  open(clock?: () => number): Promise<RoofStore>;
}

let pgDatabase: Promise<string> | undefined;
let createdDatabase: string | undefined;

// Registered at the top level so it runs when the whole file is done, not after the first hook.
after(async () => {
  if (createdDatabase === undefined) return;
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${createdDatabase} WITH (FORCE)`);
  await c.end();
});

/** Creates this run's database once (dropped when the test file ends) and returns its URL. */
export function testPostgresUrl(): Promise<string> {
  pgDatabase ??= (async () => {
    const name = `wattline_roofs_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    createdDatabase = name;
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    return url.toString();
  })();
  return pgDatabase;
}

let schemas = 0;

export const ROOF_BACKENDS: readonly RoofBackend[] = [
  { name: 'duckdb', open: (clock) => openDuckDbRoofStore({ path: ':memory:', clock }) },
  {
    name: 'postgres',
    // Each store gets a schema of its own in this run's database, so stores opened by one test never see
    // another's rows.
    open: async (clock) => {
      const url = new URL(await testPostgresUrl());
      const schema = `roofs_${++schemas}`;
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.end();
      url.searchParams.set('options', `-c search_path=${schema}`);
      return openPostgresRoofStore({ url: url.toString(), clock });
    },
  },
];

/** A clock that starts at `startMs` and moves on only when told. */
export function manualClock(startMs = Date.UTC(2026, 0, 1)) {
  let now = startMs;
  return { now: () => now, set: (ms: number) => (now = ms), advance: (ms: number) => (now += ms) };
}
