// Schema migrations of the DuckDB backend, applied in order at open; each runs once, recorded in
// schema_migrations. Times are epoch milliseconds (BIGINT) to match the domain and avoid zone ambiguity.
import { POLL_LOG_MIGRATION } from './duckdb-poll-log.ts';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const DUCKDB_MIGRATIONS: readonly Migration[] = [
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
  POLL_LOG_MIGRATION,
];
