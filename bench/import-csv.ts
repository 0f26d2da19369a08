// CSV import memory: a generated CSV (~BENCH_IMPORT_MB) through the real CLI in a child process
// (`node bin/wattline.js import FILE --db ... --no-progress`), its RSS read from /proc every 200 ms.
import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bench, envInt, MB } from './support/env.ts';
import type { BenchResult } from './support/result.ts';
import { sampleChildRss } from './support/rss.ts';
import { withTempDir } from './support/tmp.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_MS = Date.UTC(2024, 0, 1);
const SPACING_MS = 5_000;

/** Writes about `bytes` of CSV, time-sliced: every site's reading at one instant, then the next instant. */
function writeCsv(path: string, bytes: number, sites: number): number {
  const fd = openSync(path, 'w');
  let written = 0;
  let rows = 0;
  try {
    written += writeSync(fd, 'site,channel,t,value,unit\n');
    let chunk = '';
    for (let step = 0; written + chunk.length < bytes; step++) {
      const t = new Date(START_MS + step * SPACING_MS).toISOString().replace('.000Z', 'Z');
      for (let s = 1; s <= sites; s++) {
        const v10 = 2_000 + ((s * 7_919 + step * 131) % 40_000);
        chunk += `${s},grid,${t},${Math.floor(v10 / 10)}.${v10 % 10},W\n`;
      }
      rows += sites;
      if (chunk.length > 4 * MB) {
        written += writeSync(fd, chunk);
        chunk = '';
      }
    }
    written += writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return rows;
}

interface CliRun {
  code: number | null;
  seconds: number;
  stdout: string;
  peakRss: number;
  hwm: number;
}

function runImport(file: string, db: string): Promise<CliRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/wattline.js', 'import', file, '--db', db, '--no-progress'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rss = sampleChildRss(child.pid!, 200);
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      resolve({ code, seconds, stdout, peakRss: rss.stop(), hwm: rss.hwm() });
    });
  });
}

export const bench: Bench = {
  name: 'import-csv',
  title: 'wattline import of a ~1 GB CSV in a child process, target peak RSS < 500 MB',
  async run({ quick, log }) {
    const started = performance.now();
    const mb = envInt('BENCH_IMPORT_MB', 1_024, 16, quick);
    const sites = envInt('BENCH_IMPORT_SITES', 1_000, 200, quick);
    return withTempDir('import-csv', async (dir) => {
      const file = join(dir, 'readings.csv');
      log(`import-csv: writing ~${mb} MB of CSV for ${sites} sites`);
      const g0 = performance.now();
      const rows = writeCsv(file, mb * MB, sites);
      const generateS = (performance.now() - g0) / 1000;
      const fileMb = statSync(file).size / MB;
      log(`import-csv: ${rows} rows, ${fileMb.toFixed(0)} MB in ${generateS.toFixed(1)} s; importing`);
      const run = await runImport(file, join(dir, 'wattline.duckdb'));
      const reported = /: (\d+) rows, (\d+) stored/.exec(run.stdout);
      const importedRows = reported ? Number(reported[1]) : Number.NaN;
      const notes = [
        `CLI said: ${run.stdout.trim() || '(nothing)'}`,
        `kernel high-water mark (VmHWM) ${(run.hwm / MB).toFixed(0)} MB; CSV generation ${generateS.toFixed(1)} s (not timed)`,
      ];
      const error =
        run.code !== 0
          ? `wattline import exited with code ${run.code}`
          : importedRows !== rows
            ? `imported ${importedRows} rows, generated ${rows}`
            : undefined;
      const result: BenchResult = {
        bench: 'import-csv',
        quick,
        params: { fileMb: Math.round(fileMb), rows, sites },
        metrics: [
          {
            key: 'peak_rss_mb',
            label: 'import peak RSS (sampled 200 ms)',
            value: run.peakRss / MB,
            unit: 'MB',
            target: { op: '<', value: 500 },
          },
          {
            key: 'readings_per_s',
            label: 'readings/s (process wall time)',
            value: rows / run.seconds,
            unit: '/s',
          },
          { key: 'mb_per_s', label: 'CSV MB/s', value: fileMb / run.seconds, unit: 'MB/s', digits: 1 },
          { key: 'import_s', label: 'import wall time', value: run.seconds, unit: 's', digits: 1 },
        ],
        notes,
        seconds: (performance.now() - started) / 1000,
        ...(error === undefined ? {} : { error }),
      };
      return result;
    });
  },
};
