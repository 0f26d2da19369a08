import type { Command } from 'commander';
import { importRoofFiles } from '../roofs/import-files.ts';
import { summaryTable, writeImportReport } from '../roofs/import-report.ts';
import { openRoofStore } from '../roofs/open-roof-store.ts';
import { configFrom, type StoreFlags, withStoreOptions } from './shared-options.ts';

interface RoofsImportFlags extends StoreFlags {
  strict?: boolean;
  report?: string;
}

export function registerRoofsImport(roofs: Command): void {
  withStoreOptions(
    roofs
      .command('import')
      .description(
        'import site-model JSON files: each is cleaned and stored as a revision, or rejected with its reason',
      )
      .argument('<files...>', 'site-model JSON files')
      .option('--strict', 'reject files with warnings (not only errors)')
      .option('--report <file>', 'write every fix, warning and rejection to FILE (.csv or .json)'),
  ).action(async (files: string[], flags: RoofsImportFlags) => {
    const config = configFrom(flags);
    const store = await openRoofStore(config.db);
    const started = performance.now();
    try {
      const results = await importRoofFiles(store, files, { strict: flags.strict === true });
      console.log(summaryTable(results));
      console.log(`\nin ${((performance.now() - started) / 1000).toFixed(2)} s, store ${config.db}`);
      if (flags.report) {
        await writeImportReport(flags.report, results, flags.strict === true);
        console.log(`report: ${flags.report}`);
      }
      // Rejected files make the exit status 1, so scripts notice; the others are stored regardless.
      if (results.some((r) => r.status === 'rejected')) process.exitCode = 1;
    } finally {
      await store.close();
    }
  });
}
