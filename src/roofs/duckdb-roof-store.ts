// The roof store on DuckDB (the embedded default). Shares the DuckDB instance of the energy store when both
// live in one process: a DuckDB file can be opened by one instance only.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { appendTo } from '../store/duckdb-append.ts';
import type { RoofDocument, RoofIssue } from './model.ts';
import { DUCKDB_ROOF_MIGRATIONS, ROOF_MIGRATIONS_TABLE } from './roof-migrations.ts';
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
import { SerialQueue, summariesOf } from './store-support.ts';

export interface DuckDbRoofStoreOptions {
  /** Database file or ':memory:'; ignored when `instance` is given. */
  path?: string;
  /** An open instance to share (the energy store's); the roof store then never closes it. */
  instance?: DuckDBInstance;
  /** Clock for revision timestamps (epoch ms). */
  clock?: () => number;
}

/** Opens (creating and migrating when needed) the roof tables in a DuckDB database. */
export async function openDuckDbRoofStore(opts: DuckDbRoofStoreOptions): Promise<DuckDbRoofStore> {
  let instance = opts.instance;
  let owned = false;
  if (instance === undefined) {
    const path = opts.path ?? ':memory:';
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // From the cache, a file opened elsewhere in this process is shared rather than refused as locked.
    instance = path === ':memory:' ? await DuckDBInstance.create(path) : await DuckDBInstance.fromCache(path);
    owned = true;
  }
  const conn = await instance.connect();
  if (owned && opts.path !== undefined && opts.path !== ':memory:') {
    // A roof store with a file of its own is a bulk tool (roofs import/export, the bench). DuckDB rewrites
    // the whole open row group of a table at each checkpoint, and one batch of documents writes more WAL than
    // the default 16 MB threshold: checkpoints at every commit would make an import's time grow with the
    // square of the documents stored. This store checkpoints once, when it closes.
    await conn.run(`SET checkpoint_threshold = '${BULK_CHECKPOINT_THRESHOLD}'`);
  }
  const store = new DuckDbRoofStore(instance, conn, owned, opts.clock ?? Date.now);
  await store.migrate();
  return store;
}

/** WAL size at which a standalone roof store's DuckDB file checkpoints (it always does on close). */
export const BULK_CHECKPOINT_THRESHOLD = '4GB';

function append(app: DuckDBAppender, kind: ColumnKind, v: Cell): void {
  if (v === null) app.appendNull();
  else if (kind === 'int') app.appendInteger(v as number);
  else if (kind === 'bigint') app.appendBigInt(BigInt(v as number));
  else if (kind === 'double') app.appendDouble(v as number);
  else if (kind === 'bool') app.appendBoolean(v as boolean);
  else app.appendVarchar(v as string);
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

const REVISION_COLUMNS =
  'r.installation_id, r.revision, r.imported_ms, r.content_hash, r.format_version, r.date_created';

function toInfo(row: unknown[]): RevisionInfo {
  return {
    installationId: row[0] as string,
    revision: Number(row[1]),
    importedMs: Number(row[2]),
    contentHash: row[3] as string,
    formatVersion: row[4] as string,
    dateCreated: row[5] as string,
  };
}

function toStored(row: unknown[]): StoredRevision {
  return {
    ...toInfo(row),
    document: parseJson<RoofDocument>(row[6]),
    issues: parseJson<RoofIssue[]>(row[7]),
  };
}

export class DuckDbRoofStore implements RoofStore {
  readonly backend = 'duckdb';
  private readonly writes = new SerialQueue();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly ownsInstance: boolean,
    private readonly clock: () => number,
  ) {}

  async migrate(): Promise<void> {
    await this.conn.run(
      `CREATE TABLE IF NOT EXISTS ${ROOF_MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_ms BIGINT NOT NULL)`,
    );
    const current = await this.schemaVersion();
    for (const m of DUCKDB_ROOF_MIGRATIONS) {
      if (m.version <= current) continue;
      await this.transaction(async () => {
        for (const sql of m.statements) await this.conn.run(sql);
        await this.conn.run(`INSERT INTO ${ROOF_MIGRATIONS_TABLE} VALUES (?, ?, ?)`, [
          m.version,
          m.name,
          this.clock(),
        ]);
      });
    }
  }

  async schemaVersion(): Promise<number> {
    const r = await this.conn.runAndReadAll(`SELECT coalesce(max(version), 0) FROM ${ROOF_MIGRATIONS_TABLE}`);
    return Number(r.getRowsJS()[0]?.[0] ?? 0);
  }

  private async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.conn.run('COMMIT');
      return out;
    } catch (e) {
      await this.conn.run('ROLLBACK');
      throw e;
    }
  }

  importRevisions(inputs: readonly RoofRevisionInput[]): Promise<ImportOutcome[]> {
    if (this.closed) return Promise.reject(new Error('roof store is closed'));
    if (inputs.length === 0) return Promise.resolve([]);
    return this.writes.run(() =>
      this.transaction(async () => {
        const now = this.clock();
        const latest = await this.latestStates([...new Set(inputs.map((i) => i.installationId))]);
        const { outcomes, writes } = planRevisions(inputs, latest, now);
        if (writes.length === 0) return outcomes;
        const materials = await this.resolveMaterials(materialNames(writes));
        for (const [table, rows] of revisionRows(writes, now, materials)) await this.appendRows(table, rows);
        const summaries = summariesOf(writes);
        const values = summaries.flatMap((s) => [
          s.installationId,
          s.revision,
          s.contentHash,
          now,
          now,
          s.buildings,
          s.planes,
        ]);
        await this.conn.run(
          `INSERT INTO roof_installations VALUES ${summaries.map(() => `(${placeholders(7)})`).join(', ')}
           ON CONFLICT (installation_id) DO UPDATE SET latest_revision = excluded.latest_revision,
             latest_hash = excluded.latest_hash, last_imported_ms = excluded.last_imported_ms,
             buildings = excluded.buildings, planes = excluded.planes`,
          values,
        );
        return outcomes;
      }),
    );
  }

  private async appendRows(table: TableSpec, rows: Cell[][]): Promise<void> {
    if (rows.length === 0) return;
    await appendTo(this.conn, table.name, (app) => {
      for (const row of rows) {
        for (let i = 0; i < row.length; i++) append(app, table.columns[i]![1], row[i]!);
        app.endRow();
      }
    });
  }

  private async latestStates(ids: string[]): Promise<Map<string, LatestState>> {
    const out = new Map<string, LatestState>();
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const r = await this.conn.runAndReadAll(
        `SELECT installation_id, latest_revision, latest_hash FROM roof_installations WHERE installation_id IN (${placeholders(chunk.length)})`,
        chunk,
      );
      for (const row of r.getRowsJS())
        out.set(row[0] as string, { revision: Number(row[1]), contentHash: row[2] as string });
    }
    return out;
  }

  private async resolveMaterials(names: string[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    if (names.length === 0) return ids;
    const r = await this.conn.runAndReadAll('SELECT material_type_id, name FROM roof_material_types');
    let next = 1;
    for (const row of r.getRowsJS()) {
      ids.set(row[1] as string, Number(row[0]));
      next = Math.max(next, Number(row[0]) + 1);
    }
    const missing = names.filter((n) => !ids.has(n));
    for (const n of missing) ids.set(n, next++);
    if (missing.length > 0)
      await this.conn.run(
        `INSERT INTO roof_material_types VALUES ${missing.map(() => '(?, ?)').join(', ')}`,
        missing.flatMap((n) => [ids.get(n)!, n]),
      );
    return ids;
  }

  async listInstallations(q: { limit: number; afterId?: string }): Promise<InstallationSummary[]> {
    const r = await this.conn.runAndReadAll(
      `SELECT installation_id, latest_revision, first_imported_ms, last_imported_ms, buildings, planes
       FROM roof_installations WHERE installation_id > ? ORDER BY installation_id LIMIT ${Math.max(0, Math.floor(q.limit))}`,
      [q.afterId ?? ''],
    );
    return r.getRowsJS().map((row) => ({
      installationId: row[0] as string,
      latestRevision: Number(row[1]),
      revisions: Number(row[1]),
      firstImportedMs: Number(row[2]),
      lastImportedMs: Number(row[3]),
      buildings: Number(row[4]),
      planes: Number(row[5]),
    }));
  }

  async revisions(installationId: string): Promise<RevisionInfo[]> {
    const r = await this.conn.runAndReadAll(
      `SELECT ${REVISION_COLUMNS} FROM roof_revisions r WHERE installation_id = ? ORDER BY revision`,
      [installationId],
    );
    return r.getRowsJS().map(toInfo);
  }

  async getRevision(
    installationId: string,
    select: RevisionSelector = {},
  ): Promise<StoredRevision | undefined> {
    const where = ['installation_id = ?'];
    const params: (string | number)[] = [installationId];
    if (select.revision !== undefined) {
      where.push('revision = ?');
      params.push(select.revision);
    }
    if (select.asOfMs !== undefined) {
      where.push('imported_ms <= ?');
      params.push(Math.floor(select.asOfMs));
    }
    const r = await this.conn.runAndReadAll(
      `SELECT ${REVISION_COLUMNS}, r.document, r.issues FROM roof_revisions r WHERE ${where.join(' AND ')}
       ORDER BY revision DESC LIMIT 1`,
      params,
    );
    const row = r.getRowsJS()[0];
    return row === undefined ? undefined : toStored(row);
  }

  async *latestRevisions(pageSize = 500): AsyncIterable<StoredRevision[]> {
    let after = '';
    for (;;) {
      const r = await this.conn.runAndReadAll(
        `SELECT ${REVISION_COLUMNS}, r.document, r.issues FROM roof_installations i
         JOIN roof_revisions r ON r.installation_id = i.installation_id AND r.revision = i.latest_revision
         WHERE i.installation_id > ? ORDER BY i.installation_id LIMIT ${Math.max(1, Math.floor(pageSize))}`,
        [after],
      );
      const page = r.getRowsJS().map(toStored);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1]!.installationId;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writes.idle();
    if (this.ownsInstance) await this.conn.run('CHECKPOINT');
    this.conn.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}
