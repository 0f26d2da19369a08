// HTTP load with wrk (Debian package `wrk`) when it is installed: a C load generator costs the server's
// machine far less CPU per request than autocannon, which runs in this Node process and, on a 2-core
// machine, takes most of the core the server does not use. Requests come from a Lua `request()` function
// (paths chosen at random by the caller's Lua), and the `done()` hook prints the summary as JSON.
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from './load.ts';

/** The wrk binary's version line, or undefined when wrk is not installed. */
export function wrkVersion(): string | undefined {
  try {
    // `wrk -v` prints its version and exits with status 1.
    execFileSync('wrk', ['-v'], { stdio: 'pipe' });
  } catch (e) {
    const out = String((e as { stdout?: Buffer }).stdout ?? '');
    if (out.startsWith('wrk')) return out.split('\n')[0]!.split(' [')[0]!.trim();
  }
  return undefined;
}

const DONE_HOOK = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nWRK_JSON {"requests":%d,"durationUs":%d,"p50Us":%d,"p975Us":%d,"p99Us":%d,"maxUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(97.5),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
`;

export interface WrkOptions {
  url: string;
  connections: number;
  /** Whole seconds (wrk's granularity), at least 1. */
  durationS: number;
  /** Lua that defines `request = function() ... end`. */
  requestLua: string;
  /** Folder for the generated script. */
  dir: string;
}

/** Runs wrk with one thread (the other core is the server's) and summarizes it like runLoad. */
export function runWrk(opts: WrkOptions): Promise<LoadResult> {
  const script = join(opts.dir, 'wrk-request.lua');
  writeFileSync(script, `${opts.requestLua}\n${DONE_HOOK}`);
  const args = [
    '-t1',
    `-c${opts.connections}`,
    `-d${Math.max(1, Math.round(opts.durationS))}s`,
    '--timeout',
    '10s',
    '-s',
    script,
    opts.url,
  ];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, (error, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
      if (error || line === undefined) {
        reject(new Error(`wrk failed: ${error?.message ?? ''} ${stderr} ${stdout}`));
        return;
      }
      const s = JSON.parse(line.slice('WRK_JSON '.length)) as Record<string, number>;
      const durationS = s['durationUs']! / 1e6;
      const requests = s['requests']!;
      const non2xx = s['status']!;
      resolve({
        requests,
        durationS,
        reqPerS: requests / durationS,
        p50Ms: s['p50Us']! / 1000,
        p975Ms: s['p975Us']! / 1000,
        p99Ms: s['p99Us']! / 1000,
        maxMs: s['maxUs']! / 1000,
        errors: s['connect']! + s['read']! + s['write']!,
        timeouts: s['timeout']!,
        non2xx,
        // wrk counts responses outside 2xx/3xx but not by code.
        statusCounts: non2xx > 0 ? { '2xx': requests - non2xx, other: non2xx } : { '2xx': requests },
        raw: undefined,
      });
    });
  });
}
