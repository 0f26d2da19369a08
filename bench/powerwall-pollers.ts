// Powerwall pollers: one process polling BENCH_PW_GATEWAYS simulated gateways (HTTPS, pinned certificate,
// logged in) every 5 s for BENCH_PW_SECONDS. The simulators run in a child process. Reports sustained
// gateway polls/s, how long a round of polls takes, the poller's CPU (share of one core) and its RSS.
// Readings are produced but not stored: the store's ingest has its own benchmark.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createPowerwallConnector } from '../src/connectors/powerwall/index.ts';
import { type Bench, envInt, MB } from './support/env.ts';
import { sampleOwnRss } from './support/rss.ts';

const SIMS = fileURLToPath(new URL('./support/powerwall-sims.ts', import.meta.url));
const INTERVAL_MS = 5_000;

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function childCpuS(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export const bench: Bench = {
  name: 'powerwall-pollers',
  title: 'one process polling 1,000 simulated Powerwall gateways every 5 s',
  async run({ quick, log }) {
    const gateways = envInt('BENCH_PW_GATEWAYS', 1_000, 50, quick);
    const seconds = envInt('BENCH_PW_SECONDS', 60, 15, quick);
    const started = performance.now();
    const child = spawn(process.execPath, [...process.execArgv, SIMS, String(gateways)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout! });
        rl.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`simulators exited with code ${code}`)));
      });
      const { urls, fingerprint256 } = JSON.parse(first) as { urls: string[]; fingerprint256: string };
      log(`${urls.length} simulated gateways up`);
      const connector = createPowerwallConnector({
        gateways: urls.map((url, i) => ({ siteId: `pw-${i}`, url, password: 'ABCDE', fingerprint256 })),
        intervalMs: INTERVAL_MS,
      });
      // The first round logs in everywhere and fetches the status routes: measured apart.
      const firstRoundStart = performance.now();
      await connector.poll(Date.now());
      const firstRoundMs = performance.now() - firstRoundStart;
      const rss = sampleOwnRss();
      const simCpu0 = childCpuS(child.pid!);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const roundMs: number[] = [];
      let okPolls = 0;
      let failedPolls = 0;
      const failures = new Map<string, number>();
      let readings = 0;
      for (let next = t0; performance.now() - t0 < seconds * 1000; ) {
        const roundStart = performance.now();
        const outcomes = await connector.poll(Date.now());
        roundMs.push(performance.now() - roundStart);
        for (const o of outcomes) {
          if (o.state === 'ok') okPolls++;
          else {
            failedPolls++;
            const key = `${o.state}: ${(o.detail ?? '').replace(/https:\/\/[^/ ]+|\d+/g, '#').slice(0, 80)}`;
            failures.set(key, (failures.get(key) ?? 0) + 1);
          }
          readings += o.readings.length;
        }
        next += INTERVAL_MS;
        const waitMs = next - performance.now();
        if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
      }
      const wallS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const simCpuS = childCpuS(child.pid!) - simCpu0;
      const peakRss = rss.stop();
      await connector.close();
      roundMs.sort((a, b) => a - b);
      return {
        bench: 'powerwall-pollers',
        quick,
        params: { gateways, seconds, intervalMs: INTERVAL_MS },
        metrics: [
          {
            key: 'polls_per_s',
            label: 'sustained gateway polls/s',
            value: okPolls / wallS,
            unit: '/s',
            target: { op: '>=', value: (gateways / (INTERVAL_MS / 1000)) * 0.95 },
          },
          {
            key: 'round_p50_ms',
            label: 'round of all gateways, median',
            value: quantile(roundMs, 0.5),
            unit: 'ms',
          },
          {
            key: 'round_max_ms',
            label: 'round of all gateways, max',
            value: quantile(roundMs, 1),
            unit: 'ms',
            target: { op: '<', value: INTERVAL_MS },
          },
          { key: 'first_round_ms', label: 'first round (logins, status)', value: firstRoundMs, unit: 'ms' },
          {
            key: 'cpu_percent',
            label: 'poller CPU (share of one core)',
            value: (100 * (cpu.user + cpu.system)) / 1e6 / wallS,
            unit: '%',
          },
          {
            key: 'sim_cpu_percent',
            label: 'simulators CPU (share of one core)',
            value: (100 * simCpuS) / wallS,
            unit: '%',
          },
          { key: 'rss_mb', label: 'poller peak RSS', value: peakRss / MB, unit: 'MB' },
          { key: 'readings_per_s', label: 'readings produced/s', value: readings / wallS, unit: '/s' },
        ],
        notes: [
          `${okPolls} ok and ${failedPolls} failed gateway polls in ${roundMs.length} rounds`,
          ...[...failures].slice(0, 5).map(([k, n]) => `${n}× ${k}`),
          'target: every gateway polled every 5 s (polls/s ≥ 95 % of gateways / 5 s) and no round longer than the interval',
        ],
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      child.kill('SIGTERM');
    }
  },
};
