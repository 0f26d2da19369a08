// Streams a file of readings into a store in atomic batches.
import type { FieldProblem } from '../domain/errors.ts';
import { WattlineError } from '../domain/errors.ts';
import type { Reading } from '../domain/reading.ts';
import { rowToReading } from '../domain/reading-input.ts';
import type { Store } from '../store/store.ts';
import { type RowDefaults, readRows, whereOf } from './row-sources.ts';

export interface ImportResult {
  rows: number;
  stored: number;
  skipped: number;
  bucketsTouched: number;
  seconds: number;
}

/**
 * Streams a file into the store in atomic batches. An invalid row stops the import (batches already
 * ingested stay) unless skipInvalid, in which case it is counted and reported.
 */
export async function importFile(
  store: Store,
  path: string,
  opts: RowDefaults & {
    batch: number;
    skipInvalid?: boolean;
    onBytes?: (n: number) => void;
    onSkip?: (msg: string) => void;
  },
): Promise<ImportResult> {
  const started = performance.now();
  const onBytes = opts.onBytes ?? (() => undefined);
  const rows = readRows(path, opts, onBytes);
  const receivedMs = Date.now();
  const result: ImportResult = { rows: 0, stored: 0, skipped: 0, bucketsTouched: 0, seconds: 0 };
  let batch: Reading[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const s = await store.ingest(batch);
    result.stored += s.stored;
    result.bucketsTouched += s.bucketsTouched;
    batch = [];
  };
  for await (const sourced of rows) {
    for (const { row, at } of sourced) {
      result.rows++;
      const problems: FieldProblem[] = [];
      const reading = rowToReading(row, '', receivedMs, problems);
      if (reading === undefined) {
        const msg = `${whereOf({ row, at })}: ${problems.map((p) => `${p.path.slice(1)} ${p.message} (got ${JSON.stringify(p.value)})`).join('; ')}`;
        if (!opts.skipInvalid)
          throw new WattlineError(
            'validation-failed',
            `${msg}; ${result.stored} readings stored before it`,
            problems,
          );
        result.skipped++;
        opts.onSkip?.(msg);
        continue;
      }
      batch.push(reading);
      if (batch.length >= opts.batch) await flush();
    }
  }
  await flush();
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
