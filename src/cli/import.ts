import { statSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { type FieldProblem, WattlineError } from '../domain/errors.ts';
import type { Reading } from '../domain/reading.ts';
import { rowToReading } from '../domain/reading-input.ts';
import {
  csvRows,
  formatOf,
  jsonRows,
  ndjsonRows,
  type RowDefaults,
  type SourcedRow,
} from '../ingest/row-sources.ts';
import { openStore } from '../main.ts';
import type { Store } from '../store/store.ts';
import { configFrom, type StoreFlags, withStoreOptions } from './shared-options.ts';

interface ImportFlags extends StoreFlags, RowDefaults {
  batch: number;
  skipInvalid?: boolean;
  progress: boolean;
}

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
  const format = formatOf(path);
  const rows: AsyncIterable<SourcedRow> =
    format === 'csv'
      ? csvRows(path, opts, onBytes)
      : format === 'ndjson'
        ? ndjsonRows(path, opts, onBytes)
        : jsonRows(path, opts, onBytes);
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
  for await (const { row, where } of rows) {
    result.rows++;
    const problems: FieldProblem[] = [];
    const reading = rowToReading(row, '', receivedMs, problems);
    if (reading === undefined) {
      const msg = `${where}: ${problems.map((p) => `${p.path.slice(1)} ${p.message} (got ${JSON.stringify(p.value)})`).join('; ')}`;
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
  await flush();
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

export function registerImport(program: Command): void {
  withStoreOptions(
    program
      .command('import')
      .description('import readings from a CSV, NDJSON or JSON file (streamed, in atomic batches)')
      .argument(
        '<file>',
        'CSV with a header (site,channel,t,value,unit[,kind,end]), .ndjson/.jsonl, or .json',
      )
      .option('--channel <name>', 'channel for rows without one')
      .option('--unit <unit>', 'unit for rows without one (W, kW, MW, Wh, kWh, MWh)')
      .option('--kind <kind>', 'reading kind for rows without one (power, interval-energy, counter)')
      .option('--batch <n>', 'readings per atomic batch', (v) => Number.parseInt(v, 10), 50_000)
      .option('--skip-invalid', 'skip invalid rows (reported) instead of stopping at the first')
      .option('--no-progress', 'no progress bar'),
  ).action(async (file: string, flags: ImportFlags) => {
    const config = configFrom(flags);
    const store = await openStore(config.db, config);
    const total = statSync(file).size;
    const bar =
      flags.progress && process.stderr.isTTY
        ? new SingleBar({
            format: ' {bar} {percentage}% | {value_mb}/{total_mb} MB | ETA {eta}s',
            stream: process.stderr,
          })
        : undefined;
    let done = 0;
    bar?.start(total, 0, { value_mb: '0', total_mb: (total / 1e6).toFixed(1) });
    const skips: string[] = [];
    try {
      const r = await importFile(store, file, {
        ...flags,
        onBytes: (n) => {
          done += n;
          bar?.update(done, { value_mb: (done / 1e6).toFixed(1) });
        },
        onSkip: (m) => skips.push(m),
      });
      bar?.stop();
      for (const s of skips.slice(0, 20)) console.error(`skipped ${s}`);
      if (skips.length > 20) console.error(`... and ${skips.length - 20} more skipped rows`);
      const rate = r.seconds > 0 ? Math.round(r.rows / r.seconds) : r.rows;
      console.log(
        `imported ${file}: ${r.rows} rows, ${r.stored} stored, ${r.skipped} skipped, ${r.bucketsTouched} buckets recomputed in ${r.seconds.toFixed(2)} s (${rate} rows/s)`,
      );
    } finally {
      bar?.stop();
      await store.close();
    }
  });
}
