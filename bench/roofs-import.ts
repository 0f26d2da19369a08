// Roof import: 10,000 generated site models of realistic size (1–3 buildings, 3–14 planes each, about the
// size of the samples), with the samples' dirt in every tenth, through the real pipeline (parse, clean,
// validate, hash) into the roof store in transactions of 250 documents. Generation is not timed.
// BENCH_ROOF_MODELS sets the count; BENCH_ROOF_DB a store (default: a fresh DuckDB file).
import { join } from 'node:path';
import { generateSiteModel } from '../src/roofs/generate-site-model.ts';
import { openRoofStore } from '../src/roofs/open-roof-store.ts';
import { prepareRoofText } from '../src/roofs/prepare.ts';
import type { RoofRevisionInput } from '../src/roofs/roof-store.ts';
import { type Bench, envInt, MB } from './support/env.ts';
import type { BenchResult } from './support/result.ts';
import { withTempDir } from './support/tmp.ts';

const BATCH = 250;

export const bench: Bench = {
  name: 'roofs-import',
  title: 'import 10,000 generated site models (target: under 60 s)',
  async run({ quick, log }): Promise<BenchResult> {
    const models = envInt('BENCH_ROOF_MODELS', 10_000, 500, quick);
    const started = performance.now();
    return withTempDir('wattline-bench-roofs-', async (dir) => {
      const db = process.env['BENCH_ROOF_DB'] || join(dir, 'roofs.duckdb');
      const store = await openRoofStore(db);
      let importMs = 0;
      let bytes = 0;
      let planes = 0;
      let imported = 0;
      try {
        for (let start = 0; start < models; start += BATCH) {
          const texts: string[] = [];
          for (let i = start; i < Math.min(models, start + BATCH); i++) {
            texts.push(
              JSON.stringify(
                generateSiteModel({ seed: i + 1, installationId: 1_000_000 + i, dirty: i % 10 === 0 }),
              ),
            );
          }
          const t0 = performance.now();
          const batch: RoofRevisionInput[] = [];
          for (const text of texts) {
            const p = prepareRoofText(text);
            if (!p.ok) throw new Error(`generated model rejected: ${JSON.stringify(p.issues[0])}`);
            batch.push({
              installationId: p.installationId,
              contentHash: p.contentHash,
              document: p.document,
              issues: p.issues,
            });
          }
          const outcomes = await store.importRevisions(batch);
          importMs += performance.now() - t0;
          imported += outcomes.filter((o) => o.status === 'imported').length;
          for (const t of texts) bytes += t.length;
          for (const b of batch)
            planes += b.document.siteModel.buildings.reduce((n, x) => n + x.mountingPlanes.length, 0);
          if ((start / BATCH) % 8 === 0)
            log(`  ${start + texts.length} / ${models} models, ${(importMs / 1000).toFixed(1)} s importing`);
        }
      } finally {
        await store.close();
      }
      const seconds = importMs / 1000;
      return {
        bench: 'roofs-import',
        quick,
        params: { models, batch: BATCH, store: db.startsWith('postgres') ? 'postgres' : 'duckdb file' },
        metrics: [
          {
            key: 'import_s',
            label: `import ${models} models`,
            value: seconds,
            unit: 's',
            target: { op: '<', value: (60 * models) / 10_000 },
            digits: 1,
          },
          { key: 'models_per_s', label: 'models per second', value: models / seconds, unit: '/s' },
          {
            key: 'mb_per_s',
            label: 'JSON parsed and stored',
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
        notes: [`${imported} installations imported; generation (not timed) included in the wall time`],
        seconds: (performance.now() - started) / 1000,
      };
    });
  },
};
