// A throw-away PostgreSQL database for a benchmark, dropped afterwards (BENCH_PG_URL names the server).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const BENCH_PG_SERVER = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432';

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: `${BENCH_PG_SERVER}/postgres` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Runs `fn` with the URL of a new empty database, dropped at the end. */
export async function withTempDatabase<T>(prefix: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `wattline_bench_${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  try {
    return await fn(`${BENCH_PG_SERVER}/${name}`);
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
