// Schema migrations of the DuckDB backend, applied in order at open; each runs once, recorded in
// schema_migrations. Times are epoch milliseconds (BIGINT) to match the domain and avoid zone ambiguity.
import type { DuckDBConnection } from '@duckdb/node-api';
import { BUCKET_QUALITIES } from '../domain/bucket.ts';
import { GAUGE_LOG_MIGRATION } from './duckdb-gauge-log.ts';
import { POLL_LOG_MIGRATION } from './duckdb-poll-log.ts';
import { READING_CHUNKS_MIGRATION } from './duckdb-reading-chunks-migration.ts';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** A DuckDB migration may move data in code after its statements, inside the same transaction. */
export interface DuckDbMigration extends Migration {
  migrateData?: (conn: DuckDBConnection) => Promise<void>;
}

export const DUCKDB_MIGRATIONS: readonly DuckDbMigration[] = [
  {
    version: 1,
    name: 'sites, raw reading log, 15-minute buckets',
    statements: [
      `CREATE TABLE sites (
        site_id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        timezone VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        metadata JSON NOT NULL,
        created_ms BIGINT NOT NULL
      )`,
      // The raw log keeps every accepted reading with its source time and receive time, so buckets can
      // always be recomputed. The winner at an instant is the latest (received_ms, seq).
      `CREATE TABLE readings (
        site_id VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        t_ms BIGINT NOT NULL,
        end_ms BIGINT,
        value DOUBLE NOT NULL,
        received_ms BIGINT NOT NULL,
        seq BIGINT NOT NULL
      )`,
      // One row per (series, kind, bucket); kind_rank orders the kinds when several cover a bucket.
      `CREATE TABLE buckets (
        site_id VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        kind_rank TINYINT NOT NULL,
        bucket_start_ms BIGINT NOT NULL,
        energy_wh DOUBLE NOT NULL,
        positive_wh DOUBLE NOT NULL,
        negative_wh DOUBLE NOT NULL,
        coverage DOUBLE NOT NULL,
        samples INTEGER NOT NULL,
        min_power_w DOUBLE NOT NULL,
        max_power_w DOUBLE NOT NULL,
        quality VARCHAR NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'series dictionary: readings and buckets keyed by an integer series_id',
    statements: [
      `CREATE TABLE series (
        series_id INTEGER PRIMARY KEY,
        site_id VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        UNIQUE (site_id, channel, kind)
      )`,
      `INSERT INTO series
       SELECT row_number() OVER (ORDER BY site_id, channel, kind)::INTEGER, site_id, channel, kind
       FROM (SELECT site_id, channel, kind FROM readings UNION SELECT site_id, channel, kind FROM buckets)`,
      `CREATE TABLE readings_v2 (
        series_id INTEGER NOT NULL,
        t_ms BIGINT NOT NULL,
        end_ms BIGINT,
        value DOUBLE NOT NULL,
        received_ms BIGINT NOT NULL,
        seq BIGINT NOT NULL
      )`,
      `INSERT INTO readings_v2
       SELECT s.series_id, r.t_ms, r.end_ms, r.value, r.received_ms, r.seq
       FROM readings r JOIN series s USING (site_id, channel, kind) ORDER BY r.seq`,
      'DROP TABLE readings',
      'ALTER TABLE readings_v2 RENAME TO readings',
      `CREATE TABLE buckets_v2 (
        series_id INTEGER NOT NULL,
        kind_rank TINYINT NOT NULL,
        bucket_start_ms BIGINT NOT NULL,
        energy_wh DOUBLE NOT NULL,
        positive_wh DOUBLE NOT NULL,
        negative_wh DOUBLE NOT NULL,
        coverage DOUBLE NOT NULL,
        samples INTEGER NOT NULL,
        min_power_w DOUBLE NOT NULL,
        max_power_w DOUBLE NOT NULL,
        quality VARCHAR NOT NULL
      )`,
      `INSERT INTO buckets_v2
       SELECT s.series_id, b.kind_rank, b.bucket_start_ms, b.energy_wh, b.positive_wh, b.negative_wh,
              b.coverage, b.samples, b.min_power_w, b.max_power_w, b.quality
       FROM buckets b JOIN series s USING (site_id, channel, kind) ORDER BY b.bucket_start_ms`,
      'DROP TABLE buckets',
      'ALTER TABLE buckets_v2 RENAME TO buckets',
    ],
  },
  POLL_LOG_MIGRATION,
  GAUGE_LOG_MIGRATION,
  READING_CHUNKS_MIGRATION,
  {
    version: 6,
    name: 'bucket quality as an ENUM',
    // One byte per bucket instead of a string: the appender's string column was about a fifth of the
    // CPU of writing a bucket row (string vector copy, string statistics). SQL still reads and compares
    // it as text (quality = 'partial'). An anonymous ENUM, not a named type: DuckDB 1.5 cannot replay a
    // WAL that holds a named type's creation ("GetDefaultDatabase with no default database set"), so a
    // crash right after this migration would leave a file that does not open.
    statements: [
      `ALTER TABLE buckets ALTER quality TYPE ENUM (${BUCKET_QUALITIES.map((q) => `'${q}'`).join(', ')})`,
    ],
  },
];
