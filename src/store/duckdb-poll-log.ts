// The DuckDB statements of the raw poll log (see poll-log.ts). They run on the store's writer and readers;
// DuckDbStore wraps writes in its group commit so a poll's log row is durable when acknowledged.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { PollerState } from '../domain/device-status.ts';
import type { PollLogEntry, PollLogQuery } from './poll-log.ts';

export const POLL_LOG_MIGRATION = {
  version: 3,
  name: 'raw poll log (event time, payload time, state, payload)',
  statements: [
    `CREATE TABLE poll_log (
      connector VARCHAR NOT NULL,
      source VARCHAR NOT NULL,
      site_id VARCHAR NOT NULL,
      event_ms BIGINT NOT NULL,
      payload_ms BIGINT,
      state VARCHAR NOT NULL,
      detail VARCHAR,
      payload JSON
    )`,
  ],
};

const CHUNK = 500;

/** Inserts entries in multi-row statements (a poll round is tens of rows, not worth an appender). */
export async function insertPolls(conn: DuckDBConnection, entries: readonly PollLogEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    const rows = chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    const values = chunk.flatMap((e) => [
      e.connector,
      e.source,
      e.siteId,
      e.eventMs,
      e.payloadMs,
      e.state,
      e.detail,
      e.payload === null || e.payload === undefined ? null : JSON.stringify(e.payload),
    ]);
    await conn.run(`INSERT INTO poll_log VALUES ${rows}`, values);
  }
}

export async function selectPolls(conn: DuckDBConnection, q: PollLogQuery): Promise<PollLogEntry[]> {
  const where: string[] = ['true'];
  const params: Record<string, string | number> = {};
  if (q.siteId !== undefined) {
    where.push('site_id = $site');
    params['site'] = q.siteId;
  }
  if (q.connector !== undefined) {
    where.push('connector = $connector');
    params['connector'] = q.connector;
  }
  if (q.fromMs !== undefined) where.push(`event_ms >= ${Math.floor(q.fromMs)}`);
  const limit = q.limit === undefined ? '' : ` LIMIT ${Math.floor(q.limit)}`;
  const r = await conn.runAndReadAll(
    `SELECT connector, source, site_id, event_ms, payload_ms, state, detail, CAST(payload AS VARCHAR)
     FROM poll_log WHERE ${where.join(' AND ')} ORDER BY event_ms, site_id${limit}`,
    params,
  );
  return r.getRowsJS().map((row) => ({
    connector: row[0] as string,
    source: row[1] as string,
    siteId: row[2] as string,
    eventMs: Number(row[3]),
    payloadMs: row[4] === null ? null : Number(row[4]),
    state: row[5] as PollerState,
    detail: (row[6] as string | null) ?? null,
    payload: row[7] === null ? null : JSON.parse(row[7] as string),
  }));
}
