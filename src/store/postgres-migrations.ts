// Schema migrations of the PostgreSQL backend, applied in order at open (and by `wattline migrate`); each
// runs once, in its own transaction, recorded in schema_migrations. Times are epoch milliseconds (bigint)
// to match the domain and the DuckDB backend. Identifiers use the "C" collation: byte order, as in DuckDB,
// so both backends sort sites and channels alike, and text comparisons in the indexes are cheapest.
import type pg from 'pg';
import type { Migration } from './duckdb-migrations.ts';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sites, raw reading log, 15-minute buckets, series versions',
    statements: [
      `CREATE TABLE sites (
        site_id text COLLATE "C" PRIMARY KEY,
        name text NOT NULL,
        timezone text NOT NULL,
        source text NOT NULL,
        metadata jsonb NOT NULL,
        created_ms bigint NOT NULL
      )`,
      // The raw log keeps every accepted reading, in chunks: one row per series, UTC day and write, holding
      // that write's readings of the day as arrays. An index entry per reading would cost several times the
      // COPY itself (measured 4-7x); one per chunk does not. A chunk never spans more than a day, so the
      // chunks holding instants in [a, b] are those with last_ms in [a, b + 1 day] and first_ms <= b: one
      // tight range of the key. seq (from the database, so writes of several processes are ordered) breaks
      // ties: the winner at an instant is the latest (received_ms, seq).
      `CREATE TABLE reading_chunks (
        site_id text COLLATE "C" NOT NULL,
        channel text COLLATE "C" NOT NULL,
        kind text COLLATE "C" NOT NULL,
        first_ms bigint NOT NULL,
        last_ms bigint NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        t_ms bigint[] NOT NULL,
        end_ms bigint[] NOT NULL,
        value double precision[] NOT NULL,
        received_ms bigint[] NOT NULL,
        PRIMARY KEY (site_id, channel, kind, last_ms, seq),
        CHECK (last_ms - first_ms < 86400000)
      )`,
      // One row per (series, bucket, kind): the key makes a doubled bucket impossible, whatever a writer
      // does. Time before kind, so that a site/channel/time-range read is one tight index range.
      `CREATE TABLE buckets (
        site_id text COLLATE "C" NOT NULL,
        channel text COLLATE "C" NOT NULL,
        bucket_start_ms bigint NOT NULL,
        kind text COLLATE "C" NOT NULL,
        kind_rank smallint NOT NULL,
        energy_wh double precision NOT NULL,
        positive_wh double precision NOT NULL,
        negative_wh double precision NOT NULL,
        coverage double precision NOT NULL,
        samples integer NOT NULL,
        min_power_w double precision NOT NULL,
        max_power_w double precision NOT NULL,
        quality text NOT NULL,
        PRIMARY KEY (site_id, channel, bucket_start_ms, kind)
      )`,
      // Store-wide time range and top-N windows without a full scan.
      'CREATE INDEX buckets_by_time ON buckets (bucket_start_ms)',
      // Every series that has readings, with a version bumped by each write: a process keeps a series'
      // tail in memory only while the version it last wrote is still the current one.
      `CREATE TABLE series (
        site_id text COLLATE "C" NOT NULL,
        channel text COLLATE "C" NOT NULL,
        kind text COLLATE "C" NOT NULL,
        version bigint NOT NULL,
        PRIMARY KEY (site_id, channel, kind)
      )`,
    ],
  },
  {
    version: 2,
    name: 'latest receive time per series (device health without scanning the raw log)',
    statements: [
      'ALTER TABLE series ADD COLUMN last_received_ms bigint',
      `UPDATE series s SET last_received_ms = c.r FROM (
         SELECT site_id, channel, kind, max(x) AS r FROM reading_chunks, unnest(received_ms) AS u(x)
         GROUP BY site_id, channel, kind) c
       WHERE s.site_id = c.site_id AND s.channel = c.channel AND s.kind = c.kind`,
      'CREATE INDEX series_by_received ON series (last_received_ms)',
    ],
  },
  {
    version: 3,
    name: 'series rows updated in place (HOT): no index on the receive time, room on each page',
    statements: [
      // Every write updates its series' row (version, receive time). With an index on a column that every
      // write changes, each update was a new tuple plus two index entries; without it, and with free room
      // on the page, PostgreSQL updates the row in place (a HOT update): measured 2-3x cheaper for the
      // 1,000-series upsert of each ingest bench batch. Device health reads the series table instead: one
      // row per series, a short scan.
      'DROP INDEX IF EXISTS series_by_received',
      'ALTER TABLE series SET (fillfactor = 50)',
    ],
  },
];

/** A fixed session lock id: one process at a time applies migrations. */
const MIGRATION_LOCK = 0x5741_5454_0001;

/** Applies pending migrations, each in its own transaction; safe to run from several processes at once. */
export async function migratePostgres(client: pg.ClientBase, now: () => number): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_ms bigint NOT NULL)',
    );
    let current = await schemaVersionOf(client);
    for (const m of POSTGRES_MIGRATIONS) {
      if (m.version <= current) continue;
      await client.query('BEGIN');
      try {
        for (const sql of m.statements) await client.query(sql);
        await client.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [m.version, m.name, now()]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
      current = m.version;
    }
    return current;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

/** The highest migration applied (0 for an empty database). */
export async function schemaVersionOf(client: pg.ClientBase | pg.Pool): Promise<number> {
  const r = await client.query('SELECT coalesce(max(version), 0) AS v FROM schema_migrations');
  return Number(r.rows[0].v);
}
