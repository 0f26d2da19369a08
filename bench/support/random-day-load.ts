// The GET /data load of the get-data benches: each request one random ship and one random UTC day. From
// wrk when it is installed (see wrk.ts), else from autocannon; BENCH_LOAD=autocannon forces autocannon.
import type { RequestParams } from 'autocannon';
import { type LoadResult, runLoad } from './load.ts';
import { runWrk, wrkVersion } from './wrk.ts';

export interface RandomDayLoad {
  /** 'autocannon', or wrk's version line. */
  generator: string;
  usesWrk: boolean;
  /** A random request path, for probes. */
  randomPath(): string;
  run(connections: number, durationS: number): Promise<LoadResult>;
  /** The same load from autocannon, whichever generator `run` uses. */
  runAutocannon(connections: number, durationS: number): Promise<LoadResult>;
}

export function randomDayLoad(opts: {
  url: string;
  ships: number;
  days: number;
  firstDayMs: number;
  /** Folder for wrk's script. */
  dir: string;
}): RandomDayLoad {
  const { url, ships, days, dir } = opts;
  const dayText = Array.from({ length: days + 1 }, (_, d) =>
    new Date(opts.firstDayMs + d * 86_400_000).toISOString().replace('.000Z', 'Z'),
  );
  const randomPath = () => {
    const d = Math.floor(Math.random() * days);
    const ship = 1 + Math.floor(Math.random() * ships);
    return `/data?spaceship_id=${ship}&start=${dayText[d]}&end=${dayText[d + 1]}`;
  };
  const requests = [
    { method: 'GET', setupRequest: (req: RequestParams) => ({ ...req, path: randomPath() }) },
  ];
  const requestLua = `local days = { ${dayText.map((d) => `"${d}"`).join(', ')} }
math.randomseed(os.time())
request = function()
  local d = math.random(1, ${days})
  local ship = math.random(1, ${ships})
  return wrk.format("GET", "/data?spaceship_id=" .. ship .. "&start=" .. days[d] .. "&end=" .. days[d + 1])
end`;
  const wrk = process.env['BENCH_LOAD'] === 'autocannon' ? undefined : wrkVersion();
  const runAutocannon = (connections: number, durationS: number) =>
    runLoad({ url, connections, duration: durationS, requests });
  return {
    generator: wrk === undefined ? 'autocannon' : `${wrk} (1 thread)`,
    usesWrk: wrk !== undefined,
    randomPath,
    run: (connections, durationS) =>
      wrk === undefined
        ? runAutocannon(connections, durationS)
        : runWrk({ url, connections, durationS, requestLua, dir }),
    runAutocannon,
  };
}
