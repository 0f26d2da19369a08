// The DuckDB statements of the gauge log (see gauge-log.ts). They run on the store's writer and readers;
// DuckDbStore wraps writes in its group commit so a poll's gauges are durable when it is acknowledged.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { GaugeEntry, GaugeQuery } from './gauge-log.ts';

export const GAUGE_LOG_MIGRATION = {
  version: 4,
  name: 'gauge log (state of charge, grid status: stored as read, never integrated)',
  statements: [
    `CREATE TABLE gauges (
      site_id VARCHAR NOT NULL,
      name VARCHAR NOT NULL,
      t_ms BIGINT NOT NULL,
      value DOUBLE NOT NULL,
      received_ms BIGINT NOT NULL
    )`,
  ],
};

const CHUNK = 500;

/** Inserts entries in multi-row statements (a poll round brings a handful of gauges per site). */
export async function insertGauges(conn: DuckDBConnection, entries: readonly GaugeEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    const rows = chunk.map(() => '(?, ?, ?, ?, ?)').join(', ');
    const values = chunk.flatMap((e) => [e.siteId, e.name, e.tMs, e.value, e.receivedMs]);
    await conn.run(`INSERT INTO gauges VALUES ${rows}`, values);
  }
}

type Row = unknown[];

function toEntry(row: Row): GaugeEntry {
  return {
    siteId: row[0] as string,
    name: row[1] as string,
    tMs: Number(row[2]),
    value: row[3] as number,
    receivedMs: Number(row[4]),
  };
}

export async function selectGauges(conn: DuckDBConnection, q: GaugeQuery): Promise<GaugeEntry[]> {
  const where = ['site_id = $site'];
  const params: Record<string, string> = { site: q.siteId };
  if (q.name !== undefined) {
    where.push('name = $name');
    params['name'] = q.name;
  }
  if (q.fromMs !== undefined) where.push(`t_ms >= ${Math.floor(q.fromMs)}`);
  if (q.toMs !== undefined) where.push(`t_ms < ${Math.floor(q.toMs)}`);
  const limit = q.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(q.limit))}`;
  // Two values of one gauge at one instant: the later-received wins (DESIGN §3.1, as for readings).
  const r = await conn.runAndReadAll(
    `SELECT site_id, name, t_ms, arg_max(value, received_ms), max(received_ms)
     FROM gauges WHERE ${where.join(' AND ')}
     GROUP BY site_id, name, t_ms ORDER BY t_ms, name${limit}`,
    params,
  );
  return r.getRowsJS().map(toEntry);
}

export async function selectLatestGauges(conn: DuckDBConnection, siteId: string): Promise<GaugeEntry[]> {
  const r = await conn.runAndReadAll(
    `SELECT site_id, name, t_ms, value, received_ms FROM gauges WHERE site_id = $site
     QUALIFY row_number() OVER (PARTITION BY name ORDER BY t_ms DESC, received_ms DESC) = 1
     ORDER BY name`,
    { site: siteId },
  );
  return r.getRowsJS().map(toEntry);
}
