import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify';
import type { SeriesBucket } from '../domain/bucket.ts';
import { formatInstant } from '../domain/time.ts';
import { openStore } from '../store/open-stores.ts';
import { configFrom, instantArg, type StoreFlags, withStoreOptions } from './shared-options.ts';

/** Column order of bucket CSV files (the API's CSV uses the same). */
export const BUCKET_CSV_COLUMNS = [
  'site_id',
  'channel',
  'bucket_start',
  'energy_wh',
  'positive_wh',
  'negative_wh',
  'coverage',
  'samples',
  'min_power_w',
  'max_power_w',
  'quality',
] as const;

/** One bucket as a CSV record in BUCKET_CSV_COLUMNS order. */
export function bucketCsvRecord(b: SeriesBucket): (string | number)[] {
  return [
    b.siteId,
    b.channel,
    formatInstant(b.bucketStartMs),
    b.energyWh,
    b.positiveWh,
    b.negativeWh,
    b.coverage,
    b.samples,
    b.minPowerW,
    b.maxPowerW,
    b.quality,
  ];
}

/** Writes buckets as CSV (with a header) to `out`. */
export async function writeBucketsCsv(buckets: readonly SeriesBucket[], out: Writable): Promise<void> {
  const csv = stringify({ header: true, columns: [...BUCKET_CSV_COLUMNS] });
  csv.pipe(out);
  for (const b of buckets) {
    if (!csv.write(bucketCsvRecord(b))) await once(csv, 'drain');
  }
  csv.end();
  await once(csv, 'end');
}

interface ExportFlags extends StoreFlags {
  site: string;
  channel?: string;
  from?: number;
  to?: number;
  out?: string;
}

export function registerExport(program: Command): void {
  withStoreOptions(
    program
      .command('export')
      .description('write the 15-minute buckets of a site as CSV')
      .requiredOption('--site <id>', 'site id (a spaceship id for the seed API)')
      .option('--channel <name>', 'one channel (default: all)')
      .option('--from <datetime>', 'inclusive start, ISO 8601', instantArg)
      .option('--to <datetime>', 'exclusive end, ISO 8601', instantArg)
      .option('-o, --out <file>', 'output file (default: standard output)'),
  ).action(async (flags: ExportFlags) => {
    const config = configFrom(flags);
    const store = await openStore(config.db, config, { ingests: false });
    try {
      const buckets = await store.buckets({
        siteId: flags.site,
        channel: flags.channel,
        fromMs: flags.from,
        toMs: flags.to,
      });
      const out = flags.out ? createWriteStream(flags.out) : process.stdout;
      await writeBucketsCsv(buckets, out);
      if (flags.out) {
        (out as ReturnType<typeof createWriteStream>).end();
        await once(out, 'finish');
        console.error(`wrote ${buckets.length} buckets to ${flags.out}`);
      }
    } finally {
      await store.close();
    }
  });
}
