import { statSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { importFile } from '../ingest/import-file.ts';
import type { RowDefaults } from '../ingest/row-sources.ts';
import { openStore } from '../main.ts';
import { configFrom, type StoreFlags, withStoreOptions } from './shared-options.ts';

interface ImportFlags extends StoreFlags, RowDefaults {
  batch: number;
  skipInvalid?: boolean;
  progress: boolean;
}

/**
 * DuckDB buffer pool for `wattline import` unless configured. Measured: an import's pool fills with the
 * blocks of the table it writes (duckdb_memory() tag BASE_TABLE) until it reaches the cap, so the cap
 * was the part of peak RSS that grew with the file (192 MB: ~150 MB of pool at 27 M rows). Ingest needs
 * no cache (series tails are in memory, recompute windows are read back rarely), so a small pool costs
 * no throughput and keeps RSS flat.
 */
const IMPORT_MEMORY_LIMIT_MB = 64;

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
    // A bulk import streams: DuckDB's buffer pool is capped (unless configured) so memory stays flat
    // however large the file; the pool only caches, the file and spill space hold the rest.
    const store = await openStore(config.db, {
      ...config,
      duckdb: { memoryLimitMb: config.duckdb.memoryLimitMb ?? IMPORT_MEMORY_LIMIT_MB },
    });
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
