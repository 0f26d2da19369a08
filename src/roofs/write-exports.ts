// Writes the four export CSVs (with header rows) from the store's latest revisions, one page at a time.
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Stringifier, stringify } from 'csv-stringify';
import {
  type CsvRecord,
  PLANE_FEATURE_COLUMNS,
  PLANE_GEOMETRY_COLUMNS,
  planeFeatureRows,
  planeGeometryRows,
  ROOF_SUMMARY_COLUMNS,
  ROOF_TYPE_SUMMARY_COLUMNS,
  RoofTypeSummary,
  roofSummaryRow,
} from './export-rows.ts';
import type { RoofStore } from './roof-store.ts';

export const EXPORT_FILES = [
  'roof-summary.csv',
  'roof-type-summary.csv',
  'plane-features.csv',
  'plane-geometry.csv',
] as const;

interface CsvFile {
  csv: Stringifier;
  done: Promise<unknown>;
  rows: number;
}

function open(path: string, columns: readonly string[]): CsvFile {
  const out = createWriteStream(path);
  const csv = stringify({ header: true, columns: [...columns] });
  csv.pipe(out);
  return { csv, done: once(out, 'finish'), rows: 0 };
}

async function write(f: CsvFile, rec: CsvRecord): Promise<void> {
  f.rows++;
  if (!f.csv.write(rec)) await once(f.csv, 'drain');
}

/** Writes the exports into `dir` (created when missing); returns the row count of each file. */
export async function writeRoofExports(
  store: RoofStore,
  dir: string,
): Promise<Record<(typeof EXPORT_FILES)[number], number>> {
  mkdirSync(dir, { recursive: true });
  const summary = open(join(dir, 'roof-summary.csv'), ROOF_SUMMARY_COLUMNS);
  const features = open(join(dir, 'plane-features.csv'), PLANE_FEATURE_COLUMNS);
  const geometry = open(join(dir, 'plane-geometry.csv'), PLANE_GEOMETRY_COLUMNS);
  const types = new RoofTypeSummary();
  for await (const page of store.latestRevisions()) {
    for (const rev of page) {
      await write(summary, roofSummaryRow(rev));
      for (const r of planeFeatureRows(rev)) await write(features, r);
      for (const r of planeGeometryRows(rev)) await write(geometry, r);
      types.add(rev);
    }
  }
  const typeFile = open(join(dir, 'roof-type-summary.csv'), ROOF_TYPE_SUMMARY_COLUMNS);
  for (const r of types.rows()) await write(typeFile, r);
  const all = [summary, typeFile, features, geometry];
  for (const f of all) f.csv.end();
  await Promise.all(all.map((f) => f.done));
  return {
    'roof-summary.csv': summary.rows,
    'roof-type-summary.csv': typeFile.rows,
    'plane-features.csv': features.rows,
    'plane-geometry.csv': geometry.rows,
  };
}
