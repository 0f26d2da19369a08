// The import report: one row per fix, warning and rejection (file, path, rule, old and new value), as CSV
// or JSON, and the summary table the CLI prints.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify';
import { type FileResult, importTotals } from './import-files.ts';

export const REPORT_COLUMNS = [
  'file',
  'result',
  'installation_id',
  'revision',
  'severity',
  'rule',
  'path',
  'message',
  'old_value',
  'new_value',
] as const;

// JSON text, so the report tells the text "33" from the number 33.
const cell = (v: unknown): string => (v === undefined ? '' : JSON.stringify(v));

/** Report rows in REPORT_COLUMNS order. */
export function reportRows(results: readonly FileResult[]): string[][] {
  return results.flatMap((r) =>
    r.issues.map((i) => [
      r.file,
      r.status,
      r.installationId ?? '',
      r.revision === undefined ? '' : String(r.revision),
      i.severity,
      i.rule,
      i.path,
      i.message,
      cell(i.oldValue),
      cell(i.newValue),
    ]),
  );
}

/** Writes the report as JSON (when the name ends in .json) or CSV. */
export async function writeImportReport(
  path: string,
  results: readonly FileResult[],
  strict: boolean,
): Promise<void> {
  if (path.toLowerCase().endsWith('.json')) {
    await writeFile(
      path,
      `${JSON.stringify({ strict, totals: importTotals(results), files: results }, null, 2)}\n`,
    );
    return;
  }
  const out = createWriteStream(path);
  const csv = stringify({ header: true, columns: [...REPORT_COLUMNS] });
  csv.pipe(out);
  for (const row of reportRows(results)) if (!csv.write(row)) await once(csv, 'drain');
  csv.end();
  await once(out, 'finish');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((v, c) => v.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const MAX_TABLE_FILES = 50;

/** The table the CLI prints: one line per file (the first 50), then the totals. */
export function summaryTable(results: readonly FileResult[]): string {
  const count = (r: FileResult, s: string) => String(r.issues.filter((i) => i.severity === s).length);
  const head = ['file', 'result', 'installation', 'revision', 'fixes', 'warnings', 'reason'];
  const lines = results
    .slice(0, MAX_TABLE_FILES)
    .map((r) => [
      r.file,
      r.status,
      r.installationId ?? '',
      r.revision === undefined ? '' : String(r.revision),
      count(r, 'fix'),
      count(r, 'warning'),
      r.status === 'rejected' ? rejectionReason(r) : '',
    ]);
  const t = importTotals(results);
  const more =
    results.length > MAX_TABLE_FILES
      ? `\n... and ${results.length - MAX_TABLE_FILES} more files (see the report)`
      : '';
  return `${table([head, ...lines])}${more}\n\n${table([
    ['files', 'imported', 'new revision', 'unchanged', 'rejected', 'fixes', 'warnings'],
    [t.files, t.imported, t.newRevisions, t.unchanged, t.rejected, t.fixes, t.warnings].map(String),
  ])}`;
}

function rejectionReason(r: FileResult): string {
  const first = r.issues.find((i) => i.severity === 'rejection');
  if (first === undefined) return '';
  const more = r.issues.filter((i) => i.severity === 'rejection').length - 1;
  return `${first.path ? `${first.path}: ` : ''}${first.message}${more > 0 ? ` (+${more} more)` : ''}`;
}
