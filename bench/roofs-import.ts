// Roof import: 10,000 generated site models of realistic size (1–3 buildings, 3–14 planes each, about the
// size of the samples), with the samples' dirt in every tenth, written as files first (not timed), then
// imported by the same code as `wattline roofs import` (read, parse, clean, validate, hash, store in
// transactions of BENCH_ROOF_BATCH documents, one stored while the next is prepared).
// BENCH_ROOF_MODELS sets the count; BENCH_ROOF_BATCH the documents per transaction (default 250, as the CLI);
// BENCH_ROOF_DB a store (default: a fresh DuckDB file; a postgres:// URL is used as it is).
// Besides wall time it reports the CPU time of the import (all threads of the process: JavaScript and the
// embedded database), which says more than wall time on a machine shared with other work.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSiteModel } from '../src/roofs/generate-site-model.ts';
import { importRoofFiles, importTotals } from '../src/roofs/import-files.ts';
import { openRoofStore } from '../src/roofs/open-roof-store.ts';
import { type Bench, envInt, MB } from './support/env.ts';
import type { BenchResult } from './support/result.ts';
import { withTempDir } from './support/tmp.ts';

export const bench: Bench = {
  name: 'roofs-import',
  title: 'import 10,000 generated site models (target: under 60 s)',
  async run({ quick, log }): Promise<BenchResult> {
    const models = envInt('BENCH_ROOF_MODELS', 10_000, 500, quick);
    const batchSize = envInt('BENCH_ROOF_BATCH', 250, 250, quick);
    const started = performance.now();
    return withTempDir('wattline-bench-roofs-', async (dir) => {
      const files: string[] = [];
      let bytes = 0;
      let planes = 0;
      for (let i = 0; i < models; i++) {
        const model = generateSiteModel({ seed: i + 1, installationId: 1_000_000 + i, dirty: i % 10 === 0 });
        const text = JSON.stringify(model);
        bytes += text.length;
        for (const b of (model as { siteModel: { buildings: Record<string, unknown[]>[] } }).siteModel
          .buildings)
          planes += (b['mountingPlanes'] ?? b['mountingPlaness'] ?? []).length;
        const file = join(dir, `site-model-${i}.json`);
        writeFileSync(file, text);
        files.push(file);
        if ((i + 1) % 2000 === 0) log(`  generated ${i + 1} / ${models} files`);
      }
      const db = process.env['BENCH_ROOF_DB'] || join(dir, 'roofs.duckdb');
      const store = await openRoofStore(db);
      let closeSeconds = 0;
      let results: Awaited<ReturnType<typeof importRoofFiles>>;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      try {
        results = await importRoofFiles(store, files, {
          batchSize,
          onProgress: (done) => {
            if (done % (batchSize * 8) === 0)
              log(
                `  ${done} / ${models} models, ${((performance.now() - t0) / 1000).toFixed(1)} s importing`,
              );
          },
        });
      } finally {
        // Closing writes what the import left in the WAL into the database file (one checkpoint): it counts.
        const c0 = performance.now();
        await store.close();
        closeSeconds = (performance.now() - c0) / 1000;
      }
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const totals = importTotals(results);
      if (totals.rejected > 0) {
        const first = results.find((r) => r.status === 'rejected');
        throw new Error(`generated model rejected: ${JSON.stringify(first?.issues[0])}`);
      }
      return {
        bench: 'roofs-import',
        quick,
        params: {
          models,
          batch: batchSize,
          store: db.startsWith('postgres') ? 'postgres' : 'duckdb file',
        },
        metrics: [
          {
            key: 'import_s',
            label: `import ${models} models, store closed`,
            value: seconds,
            unit: 's',
            target: { op: '<', value: (60 * models) / 10_000 },
            digits: 1,
          },
          { key: 'models_per_s', label: 'models per second', value: models / seconds, unit: '/s' },
          {
            key: 'cpu_s',
            label: 'CPU time of the import (all threads)',
            value: cpuSeconds,
            unit: 's',
            digits: 1,
          },
          {
            key: 'close_s',
            label: 'of which closing the store (checkpoint)',
            value: closeSeconds,
            unit: 's',
            digits: 1,
          },
          {
            key: 'mb_per_s',
            label: 'JSON read, parsed and stored',
            value: bytes / MB / seconds,
            unit: 'MB/s',
            digits: 1,
          },
          {
            key: 'mean_model_kb',
            label: 'mean model size',
            value: bytes / models / 1024,
            unit: 'KB',
            digits: 1,
          },
          { key: 'planes', label: 'mounting planes stored', value: planes, unit: '' },
        ],
        notes: [
          `${totals.imported} installations imported, ${totals.fixes} fixes and ${totals.warnings} warnings reported; file generation (not timed) included in the wall time`,
        ],
        seconds: (performance.now() - started) / 1000,
      };
    });
  },
};
