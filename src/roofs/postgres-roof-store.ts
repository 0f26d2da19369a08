// The roof store on PostgreSQL (`--db postgres://...`): its own pg.Pool, the same tables as DuckDB, rows
// sent with COPY (text format), one per table, so a batch costs a few round trips and the server parses
// each document's JSON once.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RoofDocument, RoofIssue } from './model.ts';
import { POSTGRES_ROOF_MIGRATIONS, ROOF_MIGRATIONS_TABLE } from './roof-migrations.ts';
import { type Cell, type ColumnKind, materialNames, revisionRows, type TableSpec } from './roof-rows.ts';
import {
  type ImportOutcome,
  type InstallationSummary,
  type LatestState,
  planRevisions,
  type RevisionInfo,
  type RevisionSelector,
  type RoofRevisionInput,
  type RoofStore,
  type StoredRevision,
} from './roof-store.ts';
import { summariesOf } from './store-support.ts';

export interface PostgresRoofStoreOptions {
  /** postgres:// connection URL. */
  url: string;
  clock?: () => number;
  /** Largest number of pooled connections (default 4). */
  maxConnections?: number;
}

// One advisory lock serialises roof imports across processes: deciding "new revision or no-op" and writing
// it must not interleave with another importer's decision for the same installation.
const IMPORT_LOCK_KEY = 0x726f6f66; // "roof"

// COPY text format: a backslash, newline, carriage return or tab inside a value is written as its escape.
const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One cell in COPY text format (NULL as \N; doubles as JavaScript writes them, which round-trips exactly). */
function copyCell(kind: ColumnKind, v: Cell): string {
  if (v === null) return '\\N';
  if (kind === 'bool') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  const text = String(v);
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]!) : text;
}

type Queryable = pg.Pool | pg.PoolClient;

/** Opens a pool and migrates the roof tables. */
export async function openPostgresRoofStore(opts: PostgresRoofStoreOptions): Promise<PostgresRoofStore> {
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.maxConnections ?? 4 });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const store = new PostgresRoofStore(pool, opts.clock ?? Date.now);
  try {
    await store.migrate();
  } catch (e) {
    await pool.end();
    throw e;
  }
  return store;
}

const REVISION_COLUMNS =
  'r.installation_id, r.revision, r.imported_ms, r.content_hash, r.format_version, r.date_created';

function toInfo(row: Record<string, unknown>): RevisionInfo {
  return {
    installationId: row['installation_id'] as string,
    revision: Number(row['revision']),
    importedMs: Number(row['imported_ms']),
    contentHash: row['content_hash'] as string,
    formatVersion: row['format_version'] as string,
    dateCreated: row['date_created'] as string,
  };
}

function toStored(row: Record<string, unknown>): StoredRevision {
  return { ...toInfo(row), document: row['document'] as RoofDocument, issues: row['issues'] as RoofIssue[] };
}

export class PostgresRoofStore implements RoofStore {
  readonly backend = 'postgres';
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: () => number,
  ) {}

  private async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async migrate(): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(
        `CREATE TABLE IF NOT EXISTS ${ROOF_MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL)`,
      );
      const current = await this.versionOn(c);
      for (const m of POSTGRES_ROOF_MIGRATIONS) {
        if (m.version <= current) continue;
        for (const sql of m.statements) await c.query(sql);
        await c.query(`INSERT INTO ${ROOF_MIGRATIONS_TABLE} VALUES ($1, $2, $3)`, [
          m.version,
          m.name,
          this.clock(),
        ]);
      }
    });
  }

  private async versionOn(q: Queryable): Promise<number> {
    const r = await q.query(`SELECT coalesce(max(version), 0) AS v FROM ${ROOF_MIGRATIONS_TABLE}`);
    return Number(r.rows[0]?.v ?? 0);
  }

  schemaVersion(): Promise<number> {
    return this.versionOn(this.pool);
  }

  importRevisions(inputs: readonly RoofRevisionInput[]): Promise<ImportOutcome[]> {
    if (this.closed) return Promise.reject(new Error('roof store is closed'));
    if (inputs.length === 0) return Promise.resolve([]);
    return this.transaction(async (c) => {
      const now = this.clock();
      const ids = [...new Set(inputs.map((i) => i.installationId))];
      const r = await c.query(
        'SELECT installation_id, latest_revision, latest_hash FROM roof_installations WHERE installation_id = ANY($1::text[])',
        [ids],
      );
      const latest = new Map<string, LatestState>(
        r.rows.map((row) => [
          row.installation_id as string,
          { revision: Number(row.latest_revision), contentHash: row.latest_hash as string },
        ]),
      );
      const { outcomes, writes } = planRevisions(inputs, latest, now);
      if (writes.length === 0) return outcomes;
      const materials = await this.resolveMaterials(c, materialNames(writes));
      for (const [table, rows] of revisionRows(writes, now, materials)) await this.insertRows(c, table, rows);
      const summaries = summariesOf(writes);
      await c.query(
        `INSERT INTO roof_installations
         SELECT id, rev, hash, $4::bigint, $4::bigint, b, p
         FROM unnest($1::text[], $2::integer[], $3::text[], $5::integer[], $6::integer[]) AS u(id, rev, hash, b, p)
         ON CONFLICT (installation_id) DO UPDATE SET latest_revision = excluded.latest_revision,
           latest_hash = excluded.latest_hash, last_imported_ms = excluded.last_imported_ms,
           buildings = excluded.buildings, planes = excluded.planes`,
        [
          summaries.map((s) => s.installationId),
          summaries.map((s) => s.revision),
          summaries.map((s) => s.contentHash),
          now,
          summaries.map((s) => s.buildings),
          summaries.map((s) => s.planes),
        ],
      );
      return outcomes;
    });
  }

  private async insertRows(c: pg.PoolClient, table: TableSpec, rows: Cell[][]): Promise<void> {
    if (rows.length === 0) return;
    const kinds = table.columns.map(([, k]) => k);
    // Rows go out in chunks of about 256 KB: one COPY data message each, never one string for the whole table.
    const chunks: string[] = [];
    let chunk = '';
    for (const row of rows) {
      for (let i = 0; i < row.length; i++) chunk += (i > 0 ? '\t' : '') + copyCell(kinds[i]!, row[i]!);
      chunk += '\n';
      if (chunk.length >= 256 * 1024) {
        chunks.push(chunk);
        chunk = '';
      }
    }
    if (chunk !== '') chunks.push(chunk);
    const sql = `COPY ${table.name} (${table.columns.map(([n]) => n).join(', ')}) FROM STDIN`;
    await pipeline(Readable.from(chunks), c.query(copyFrom(sql)));
  }

  private async resolveMaterials(c: pg.PoolClient, names: string[]): Promise<Map<string, number>> {
    if (names.length === 0) return new Map();
    await c.query(
      `INSERT INTO roof_material_types
       SELECT (SELECT coalesce(max(material_type_id), 0) FROM roof_material_types) + row_number() OVER (ORDER BY n), n
       FROM unnest($1::text[]) AS u(n) WHERE n NOT IN (SELECT name FROM roof_material_types)`,
      [names],
    );
    const r = await c.query(
      'SELECT material_type_id, name FROM roof_material_types WHERE name = ANY($1::text[])',
      [names],
    );
    return new Map(r.rows.map((row) => [row.name as string, Number(row.material_type_id)]));
  }

  async listInstallations(q: { limit: number; afterId?: string }): Promise<InstallationSummary[]> {
    const r = await this.pool.query(
      `SELECT installation_id, latest_revision, first_imported_ms, last_imported_ms, buildings, planes
       FROM roof_installations WHERE installation_id > $1 COLLATE "C" ORDER BY installation_id COLLATE "C" LIMIT $2`,
      [q.afterId ?? '', Math.max(0, Math.floor(q.limit))],
    );
    return r.rows.map((row) => ({
      installationId: row.installation_id as string,
      latestRevision: Number(row.latest_revision),
      revisions: Number(row.latest_revision),
      firstImportedMs: Number(row.first_imported_ms),
      lastImportedMs: Number(row.last_imported_ms),
      buildings: Number(row.buildings),
      planes: Number(row.planes),
    }));
  }

  async revisions(installationId: string): Promise<RevisionInfo[]> {
    const r = await this.pool.query(
      `SELECT ${REVISION_COLUMNS} FROM roof_revisions r WHERE installation_id = $1 ORDER BY revision`,
      [installationId],
    );
    return r.rows.map(toInfo);
  }

  async getRevision(
    installationId: string,
    select: RevisionSelector = {},
  ): Promise<StoredRevision | undefined> {
    const where = ['installation_id = $1'];
    const params: (string | number)[] = [installationId];
    if (select.revision !== undefined) {
      params.push(select.revision);
      where.push(`revision = $${params.length}`);
    }
    if (select.asOfMs !== undefined) {
      params.push(Math.floor(select.asOfMs));
      where.push(`imported_ms <= $${params.length}`);
    }
    const r = await this.pool.query(
      `SELECT ${REVISION_COLUMNS}, r.document, r.issues FROM roof_revisions r WHERE ${where.join(' AND ')}
       ORDER BY revision DESC LIMIT 1`,
      params,
    );
    const row = r.rows[0];
    return row === undefined ? undefined : toStored(row);
  }

  async *latestRevisions(pageSize = 500): AsyncIterable<StoredRevision[]> {
    let after = '';
    for (;;) {
      const r = await this.pool.query(
        `SELECT ${REVISION_COLUMNS}, r.document, r.issues FROM roof_installations i
         JOIN roof_revisions r ON r.installation_id = i.installation_id AND r.revision = i.latest_revision
         WHERE i.installation_id > $1 COLLATE "C" ORDER BY i.installation_id COLLATE "C" LIMIT $2`,
        [after, Math.max(1, Math.floor(pageSize))],
      );
      const page = r.rows.map(toStored);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1]!.installationId;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
