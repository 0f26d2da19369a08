// Runs the benchmarks (all, or those named: `npm run bench -- ingest get-data`), each in its own process so
// that peak memory and DuckDB caches do not leak from one into the next. Prints a table and one JSON line
// per benchmark on stdout (progress goes to stderr) and writes bench/results/latest.json.
// `--quick` runs small sizes to check that the benchmarks work; figures from it mean nothing.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench } from './support/env.ts';
import { type BenchResult, formatResult, formatSummary, jsonLine } from './support/result.ts';

const BENCHES: Record<string, () => Promise<Bench>> = {
  ingest: async () => (await import('./ingest.ts')).bench,
  'get-data': async () => (await import('./get-data.ts')).bench,
  'post-data': async () => (await import('./post-data.ts')).bench,
  'import-csv': async () => (await import('./import-csv.ts')).bench,
  'powerwall-pollers': async () => (await import('./powerwall-pollers.ts')).bench,
  'roofs-import': async () => (await import('./roofs-import.ts')).bench,
  dashboard: async () => (await import('./dashboard.ts')).bench,
  forecast: async () => (await import('./forecast.ts')).bench,
  anomalies: async () => (await import('./anomalies.ts')).bench,
  'ingest-postgres': async () => (await import('./ingest-postgres.ts')).bench,
  'get-data-backends': async () => (await import('./get-data-backends.ts')).bench,
  'anomalies-simulators': async () => (await import('./anomalies-simulators.ts')).bench,
};

const SELF = fileURLToPath(import.meta.url);
const RESULTS = fileURLToPath(new URL('./results/latest.json', import.meta.url));

const log = (message: string) => process.stderr.write(`${message}\n`);

/** The commit measured, and whether src/ differs from it (figures of uncommitted code are noted as such). */
function codeVersion(): { commit: string; srcDirty: boolean } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      srcDirty: git('status', '--porcelain', '--', 'src') !== '',
    };
  } catch {
    return { commit: 'unknown', srcDirty: false };
  }
}

/**
 * Milliseconds for a fixed single-threaded workload (serializing and parsing a response-sized document).
 * The machine's speed drifts with its neighbours by a third or more within an hour; this makes figures of
 * different runs comparable.
 */
function cpuReferenceMs(): number {
  const doc = {
    data: Array.from({ length: 96 }, (_, i) => ({
      datetime: new Date(i * 900_000).toISOString(),
      value: i / 7,
    })),
  };
  const t0 = performance.now();
  let length = 0;
  for (let i = 0; i < 5_000; i++) length += JSON.parse(JSON.stringify(doc)).data.length;
  if (length !== 5_000 * 96) throw new Error('cpu reference: unexpected result');
  return performance.now() - t0;
}

function usage(): string {
  return [
    'usage: npm run bench -- [--quick] [name ...]',
    `benchmarks: ${Object.keys(BENCHES).join(', ')} (default: all)`,
    'sizes: see the BENCH_* environment variables at the top of each bench/<name>.ts',
  ].join('\n');
}

/** In the child: runs one benchmark and writes its result to `out`. */
async function child(name: string, out: string, quick: boolean): Promise<void> {
  const bench = await BENCHES[name]!();
  const result = await bench.run({ quick, log });
  writeFileSync(out, JSON.stringify(result));
}

function runInChild(name: string, quick: boolean): Promise<BenchResult> {
  const out = join(tmpdir(), `wattline-bench-${process.pid}-${name}.json`);
  rmSync(out, { force: true });
  const started = performance.now();
  const args = [...process.execArgv, SELF, '--child', name, '--out', out, ...(quick ? ['--quick'] : [])];
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    const finish = (error?: string) => {
      let result: BenchResult | undefined;
      try {
        result = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
      } catch {
        result = undefined;
      }
      rmSync(out, { force: true });
      resolve(
        result ?? {
          bench: name,
          quick,
          params: {},
          metrics: [],
          notes: [],
          seconds: (performance.now() - started) / 1000,
          error: error ?? 'the benchmark wrote no result',
        },
      );
    };
    proc.on('error', (e) => finish(e.message));
    proc.on('exit', (code, signal) =>
      finish(code === 0 ? undefined : `benchmark process exited with ${signal ?? `code ${code}`}`),
    );
  });
}

async function main(argv: string[]): Promise<number> {
  const childAt = argv.indexOf('--child');
  const quick = argv.includes('--quick');
  if (childAt >= 0) {
    const name = argv[childAt + 1]!;
    const out = argv[argv.indexOf('--out') + 1]!;
    await child(name, out, quick);
    return 0;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    return 0;
  }
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    console.error(`unknown benchmark: ${unknown.join(', ')}\n${usage()}`);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(BENCHES);
  const code = codeVersion();
  log(`wattline ${code.commit}${code.srcDirty ? ' (src/ has uncommitted changes)' : ''}`);
  const results: BenchResult[] = [];
  for (const name of selected) {
    log(`\n>> ${name}${quick ? ' (quick)' : ''}`);
    // Other work on a 2-core machine skews every figure: say how busy it was.
    const load = loadavg()[0]!.toFixed(2);
    const cpuBefore = cpuReferenceMs();
    const result = await runInChild(name, quick);
    result.notes.push(
      `1-minute load average: ${load} before the run, ${loadavg()[0]!.toFixed(2)} after, on ${cpus().length} CPUs`,
      `CPU reference (a fixed JSON workload, lower is faster; compare runs by it): ${cpuBefore.toFixed(0)} ms before, ${cpuReferenceMs().toFixed(0)} ms after`,
    );
    results.push(result);
    console.log(`\n${formatResult(result)}`);
    console.log(jsonLine(result));
  }
  if (results.length > 1) console.log(`\n${formatSummary(results)}`);
  mkdirSync(join(RESULTS, '..'), { recursive: true });
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        finishedAt: new Date().toISOString(),
        quick,
        code,
        machine: {
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? 'unknown',
          totalMemGb: Math.round(totalmem() / 1024 ** 3),
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
        },
        results,
      },
      null,
      2,
    )}\n`,
  );
  log(`\nwrote ${RESULTS}`);
  // Misses are reported, not failures: benchmarks are never timed tests. Only a bench that broke fails.
  return results.some((r) => r.error !== undefined) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
