// Imports roof files: each file is parsed, cleaned and validated on its own (a bad one never stops the
// others), then the accepted ones are stored in batches, each batch one transaction.
import { readFile } from 'node:fs/promises';
import type { RoofIssue } from './model.ts';
import type { JsonPosition } from './parse-json.ts';
import { type PrepareOptions, prepareRoofText } from './prepare.ts';
import type { ImportStatus, RoofRevisionInput, RoofStore } from './roof-store.ts';

export type FileStatus = ImportStatus | 'rejected';

export interface FileResult {
  file: string;
  status: FileStatus;
  installationId?: string;
  revision?: number;
  issues: RoofIssue[];
  /** Where broken JSON breaks. */
  position?: JsonPosition;
}

export interface ImportTotals {
  files: number;
  imported: number;
  newRevisions: number;
  unchanged: number;
  rejected: number;
  fixes: number;
  warnings: number;
}

export interface ImportFilesOptions extends PrepareOptions {
  /** Documents per store transaction (default 250). */
  batchSize?: number;
  /** Called after each stored batch with the number of files done. */
  onProgress?: (done: number) => void;
}

/** Imports the files in order; the results are in the same order. */
export async function importRoofFiles(
  store: RoofStore,
  files: readonly string[],
  opts: ImportFilesOptions = {},
): Promise<FileResult[]> {
  const batchSize = opts.batchSize ?? 250;
  const results: FileResult[] = [];
  let batch: { input: RoofRevisionInput; result: FileResult }[] = [];
  // One batch is being stored while the next is read and prepared: the store's commit (its own thread for
  // DuckDB, the server for PostgreSQL) overlaps the parsing and cleaning. Never more than one in flight, so
  // memory stays at two batches, and batches still commit in file order.
  let storing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await storing;
    if (batch.length === 0) return;
    const stored = batch;
    const done = results.length;
    batch = [];
    storing = store.importRevisions(stored.map((b) => b.input)).then((outcomes) => {
      outcomes.forEach((o, i) => {
        const r = stored[i]!.result;
        r.status = o.status;
        r.revision = o.revision;
      });
      opts.onProgress?.(done);
    });
    // Awaited at the next flush; marked handled now so a failure waits there instead of crashing the process.
    storing.catch(() => undefined);
  };
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      results.push({
        file,
        status: 'rejected',
        issues: [{ severity: 'rejection', rule: 'unreadable', path: '', message: (e as Error).message }],
      });
      continue;
    }
    const prepared = prepareRoofText(text, opts);
    if (!prepared.ok) {
      const r: FileResult = { file, status: 'rejected', issues: prepared.issues };
      if (prepared.position) r.position = prepared.position;
      results.push(r);
      continue;
    }
    const result: FileResult = {
      file,
      status: 'imported',
      installationId: prepared.installationId,
      issues: prepared.issues,
    };
    results.push(result);
    batch.push({
      input: {
        installationId: prepared.installationId,
        contentHash: prepared.contentHash,
        document: prepared.document,
        issues: prepared.issues,
        canonical: prepared.canonical,
      },
      result,
    });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await storing;
  return results;
}

/** Counts of a set of results. */
export function importTotals(results: readonly FileResult[]): ImportTotals {
  const t: ImportTotals = {
    files: results.length,
    imported: 0,
    newRevisions: 0,
    unchanged: 0,
    rejected: 0,
    fixes: 0,
    warnings: 0,
  };
  for (const r of results) {
    if (r.status === 'imported') t.imported++;
    else if (r.status === 'new-revision') t.newRevisions++;
    else if (r.status === 'unchanged') t.unchanged++;
    else t.rejected++;
    for (const i of r.issues) {
      if (i.severity === 'fix') t.fixes++;
      else if (i.severity === 'warning') t.warnings++;
    }
  }
  return t;
}
