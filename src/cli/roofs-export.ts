import type { Command } from 'commander';
import { openRoofStore } from '../roofs/open-roof-store.ts';
import { writeRoofExports } from '../roofs/write-exports.ts';
import { configFrom, type StoreFlags, withStoreOptions } from './shared-options.ts';

export function registerRoofsExport(roofs: Command): void {
  withStoreOptions(
    roofs
      .command('export')
      .description(
        'write roof-summary.csv, roof-type-summary.csv, plane-features.csv and plane-geometry.csv (latest revisions)',
      )
      .requiredOption('--out <dir>', 'output directory (created when missing)'),
  ).action(async (flags: StoreFlags & { out: string }) => {
    const config = configFrom(flags);
    const store = await openRoofStore(config.db);
    try {
      const counts = await writeRoofExports(store, flags.out);
      for (const [file, rows] of Object.entries(counts)) console.log(`${flags.out}/${file}: ${rows} rows`);
    } finally {
      await store.close();
    }
  });
}
