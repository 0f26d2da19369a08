// POST /data throughput: 96-point kW payloads, every request a different ship or day (so each does real
// work: new readings, new buckets), on a DuckDB file store served from a child process. The load comes
// from wrk when it is installed (see support/wrk.ts), else from autocannon; BENCH_LOAD=autocannon forces it.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { RequestParams } from 'autocannon';
import { type Bench, envInt, envNumber, MB } from './support/env.ts';
import { type LoadResult, runLoad } from './support/load.ts';
import type { BenchResult } from './support/result.ts';
import { startServer } from './support/server.ts';
import { withTempDir } from './support/tmp.ts';
import { runWrk, wrkVersion } from './support/wrk.ts';

const START_MS = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;
const POINTS = 96;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Request bodies: request i is ship (i mod ships) + 1 on day floor(i / ships), so each ship moves forward a day at a time. */
function bodies(ships: number): { next: () => string; issued: () => number } {
  let i = 0;
  let cachedDay = -1;
  let cachedData = '';
  const next = () => {
    const ship = (i % ships) + 1;
    const day = Math.floor(i / ships);
    i++;
    if (day !== cachedDay) {
      const points: string[] = [];
      for (let k = 0; k < POINTS; k++) {
        const value = 0.5 + ((day * 7 + k * 13) % 40) / 8;
        points.push(`{"datetime":"${iso(START_MS + day * DAY_MS + k * 900_000)}","value":${value}}`);
      }
      cachedDay = day;
      cachedData = points.join(',');
    }
    return `{"spaceship_id":${ship},"units":"kW","data":[${cachedData}]}`;
  };
  return { next, issued: () => i };
}

/**
 * The same bodies as `bodies`, made by wrk's Lua from request number `first` on: a second run starts past
 * the first one's requests (and those in flight when it ended), so that no ship/day is sent twice.
 */
function bodiesLua(ships: number, first: number): string {
  return `local ships, i, cachedDay, cachedData = ${ships}, ${first}, -1, ""
request = function()
  local ship = (i % ships) + 1
  local day = math.floor(i / ships)
  i = i + 1
  if day ~= cachedDay then
    local points = {}
    for k = 0, ${POINTS - 1} do
      local t = os.date("!%Y-%m-%dT%H:%M:%SZ", ${START_MS / 1000} + day * 86400 + k * 900)
      points[#points + 1] = '{"datetime":"' .. t .. '","value":' .. tostring(0.5 + ((day * 7 + k * 13) % 40) / 8) .. '}'
    end
    cachedDay, cachedData = day, table.concat(points, ",")
  end
  return wrk.format("POST", "/data", { ["Content-Type"] = "application/json" },
    '{"spaceship_id":' .. ship .. ',"units":"kW","data":[' .. cachedData .. ']}')
end`;
}

/** 201 answers of a run (wrk counts 2xx, all of which are 201 here). */
function createdOf(load: LoadResult): number {
  return load.statusCounts['201'] ?? load.statusCounts['2xx'] ?? 0;
}

async function countReadings(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    const rows = (await conn.runAndReadAll('SELECT coalesce(sum(count), 0) FROM reading_chunks')).getRowsJS();
    return Number(rows[0]?.[0] ?? 0);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export const bench: Bench = {
  name: 'post-data',
  title: 'POST /data of 96-point payloads, a new ship/day each, target ≥ 3,000 requests/s',
  async run({ quick, log }) {
    const started = performance.now();
    const ships = envInt('BENCH_POST_SHIPS', 1_000, 100, quick);
    const connections = envInt('BENCH_POST_CONNECTIONS', 50, 10, quick);
    const durationS = envNumber('BENCH_POST_DURATION_S', 10, 2, quick);
    const warmupS = envNumber('BENCH_WARMUP_S', 2, 0.5, quick);
    const params = { ships, points: POINTS, connections, durationS };
    const gen = bodies(ships);
    const requests = [
      {
        method: 'POST',
        path: '/data',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req: RequestParams) => ({ ...req, body: gen.next() }),
      },
    ];

    const wrk = process.env['BENCH_LOAD'] === 'autocannon' ? undefined : wrkVersion();
    const generator = wrk === undefined ? 'autocannon' : `${wrk} (1 thread)`;

    return withTempDir('post-data', async (dir) => {
      const path = join(dir, 'wattline.duckdb');
      const server = await startServer(path);
      let created = 0;
      try {
        log(
          `post-data: warm-up ${warmupS} s, then ${connections} connections for ${durationS} s, load from ${generator}`,
        );
        let warm: LoadResult;
        let load: LoadResult;
        let firstContact: number;
        if (wrk === undefined) {
          warm = await runLoad({ url: server.url, connections, duration: warmupS, requests });
          // The first request of each ship also registers it (a site row): say how many were measured.
          firstContact = Math.max(0, ships - gen.issued());
          load = await runLoad({ url: server.url, connections, duration: durationS, requests });
        } else {
          const run = (first: number, seconds: number) =>
            runWrk({
              url: server.url,
              connections,
              durationS: seconds,
              requestLua: bodiesLua(ships, first),
              dir,
            });
          warm = await run(0, Math.max(1, warmupS));
          // Past the warm-up's requests and those it left in flight (at most one per connection).
          const first = warm.requests + connections;
          firstContact = Math.max(0, ships - first);
          load = await run(first, durationS);
        }
        created = createdOf(warm) + createdOf(load);
        const stopT0 = performance.now();
        await server.stop();
        const stopS = (performance.now() - stopT0) / 1000;
        const stored = await countReadings(path);
        const notes = [
          `${created} requests answered 201 (warm-up included); ${stored} readings in the store (${created * POINTS} acknowledged, the rest in flight at the end of a run)`,
          `${(load.reqPerS * POINTS).toFixed(0)} readings/s; server VmHWM ${(server.rss.hwm() / MB).toFixed(0)} MB; close ${stopS.toFixed(2)} s`,
          `status codes ${JSON.stringify(load.statusCounts)}; load from ${generator}`,
          `${Math.min(firstContact, load.requests)} of the measured requests were a ship's first (registering the ship); the rest extend a known ship by a day`,
        ];
        // Requests still in flight when a run ends are stored but not counted: at most `connections` per run.
        if (stored < created * POINTS || stored > (created + 2 * connections) * POINTS) {
          notes.push('WARNING: stored readings do not match acknowledged requests');
        }
        const result: BenchResult = {
          bench: 'post-data',
          quick,
          params,
          metrics: [
            {
              key: 'req_per_s',
              label: 'requests/s',
              value: load.reqPerS,
              unit: '/s',
              target: { op: '>=', value: 3_000 },
            },
            { key: 'p50_ms', label: 'latency p50', value: load.p50Ms, unit: 'ms', digits: 2 },
            { key: 'p99_ms', label: 'latency p99', value: load.p99Ms, unit: 'ms', digits: 2 },
            { key: 'max_ms', label: 'latency max', value: load.maxMs, unit: 'ms', digits: 1 },
            { key: 'requests', label: 'requests', value: load.requests, unit: '' },
            { key: 'errors', label: 'errors + timeouts', value: load.errors + load.timeouts, unit: '' },
            { key: 'non_2xx', label: 'non-2xx responses', value: load.non2xx, unit: '' },
            {
              key: 'server_peak_rss_mb',
              label: 'server peak RSS (sampled 200 ms)',
              value: server.rss.peak() / MB,
              unit: 'MB',
            },
          ],
          notes,
          seconds: (performance.now() - started) / 1000,
        };
        return result;
      } catch (e) {
        await server.stop().catch(() => undefined);
        throw e;
      }
    });
  },
};
