// HTTP load with autocannon, plus exact latency percentiles: autocannon's own histogram keeps whole
// milliseconds of 2xx responses only, so every response time (all statuses) is also recorded here.
import autocannon, { type Options, type Result } from 'autocannon';

export interface LoadResult {
  requests: number;
  durationS: number;
  reqPerS: number;
  p50Ms: number;
  p975Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCounts: Record<string, number>;
  /** autocannon's own result (undefined from wrk). */
  raw: Result | undefined;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Runs autocannon against `opts.url` and summarizes it. */
export function runLoad(opts: Options): Promise<LoadResult> {
  let times = new Float64Array(1 << 16);
  let n = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, raw) => {
      if (err) {
        reject(err);
        return;
      }
      const sorted = times.subarray(0, n).sort();
      const statusCounts: Record<string, number> = {};
      for (const [code, s] of Object.entries(raw.statusCodeStats ?? {})) statusCounts[code] = s.count;
      resolve({
        requests: n,
        durationS: raw.duration,
        reqPerS: n / raw.duration,
        p50Ms: percentile(sorted, 50),
        p975Ms: percentile(sorted, 97.5),
        p99Ms: percentile(sorted, 99),
        maxMs: n === 0 ? Number.NaN : sorted[n - 1]!,
        errors: raw.errors,
        timeouts: raw.timeouts,
        non2xx: raw.non2xx,
        statusCounts,
        raw,
      });
    });
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTimeMs: number) => {
      if (n === times.length) {
        const bigger = new Float64Array(times.length * 2);
        bigger.set(times);
        times = bigger;
      }
      times[n++] = responseTimeMs;
    });
  });
}
