import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { importFile } from '../ingest/import-file.ts';
import type { RowDefaults } from '../ingest/row-sources.ts';
import { openStore } from '../store/open-stores.ts';
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

/** How much V8 may grow the heap over its live size after a full GC during an import (percent). */
const IMPORT_HEAP_GROWING_PERCENT = 100;

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
    // The import's live JS heap is small (30-50 MB after a full GC: series tails and one batch), but its
    // garbage is plentiful and V8 lets the heap grow up to ~4x the live size between full GCs: that was
    // ~250 MB of the import's peak RSS. Growing by at most 2x (read by V8 at every GC) keeps it near
    // 140 MB at no measurable cost in rows/s. This process does nothing but the import.
    setFlagsFromString(`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`);
    const config = configFrom(flags);
    // A bulk import streams: DuckDB's buffer pool is capped (unless configured) so memory stays flat
    // however large the file; the pool only caches, the file and spill space hold the rest.
    const store = await openStore(config.db, {
      ...config,
      duckdb: {
        ...config.duckdb,
        memoryLimitMb: config.duckdb.memoryLimitMb ?? IMPORT_MEMORY_LIMIT_MB,
        // One long stream of large commits: DuckDB's own 16 MB keeps its WAL (and memory) small.
        checkpointMb: config.duckdb.checkpointMb ?? 16,
      },
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
