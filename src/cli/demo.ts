// The demo: the API on the embedded store with sample data loaded and a live feed flowing, so a newcomer
// sees real answers right after `npm ci && npm run demo`.
import type { Command } from 'commander';
import { simulateShip } from '../connectors/spaceship/simulator.ts';
import { BUCKET_MS, DAY_MS, formatInstant } from '../domain/time.ts';
import { createRuntime } from '../main.ts';
import type { Store } from '../store/store.ts';
import { closeOnSignals } from './serve.ts';
import { configFrom, portArg, type StoreFlags, withStoreOptions } from './shared-options.ts';

const SHIPS = [1, 2, 3, 4, 5, 6, 7, 8];
const HISTORY_DAYS = 35;
const STEP_MS = 60_000;

/** Loads the last HISTORY_DAYS of one-minute power for the demo ships, skipping what is already there. */
export async function loadDemoHistory(store: Store, nowMs: number): Promise<number> {
  const toMs = Math.floor(nowMs / STEP_MS) * STEP_MS;
  const fromMs = Math.floor((toMs - HISTORY_DAYS * DAY_MS) / BUCKET_MS) * BUCKET_MS;
  let stored = 0;
  for (const ship of SHIPS) {
    const range = await store.timeRange(String(ship));
    const start = range ? Math.max(fromMs, range.lastMs + BUCKET_MS) : fromMs;
    if (start >= toMs) continue;
    const s = await store.ingest(simulateShip(ship, start, toMs, STEP_MS, nowMs), {
      source: 'spaceship',
      name: `spaceship ${ship}`,
    });
    stored += s.stored;
  }
  return stored;
}

export function registerDemo(program: Command): void {
  withStoreOptions(
    program
      .command('demo')
      .description('serve the API with sample data and a live feed on the embedded store')
      .option('-p, --port <port>', 'port to listen on (default 8080)', portArg)
      .option('--host <host>', 'address to bind (default 127.0.0.1)'),
  ).action(async (flags: StoreFlags & { port?: number; host?: string }) => {
    const config = configFrom(flags);
    const runtime = await createRuntime(config);
    const started = Date.now();
    const loaded = await loadDemoHistory(runtime.store, started);
    console.log(
      `loaded ${loaded} readings for spaceships ${SHIPS.join(', ')} (${HISTORY_DAYS} days of 1-minute power)`,
    );
    const url = await runtime.listen();
    // A live feed: every 5 s each ship reports its power, as a poller would.
    let last = Math.floor(started / STEP_MS) * STEP_MS;
    const timer = setInterval(() => {
      const now = Date.now();
      const rows = SHIPS.flatMap((ship) => simulateShip(ship, last, now, 5_000, now));
      last = now;
      if (rows.length > 0) runtime.store.ingest(rows).catch((e) => console.error('live feed:', e));
    }, 5_000);
    const day = formatInstant(Math.floor(started / DAY_MS) * DAY_MS).slice(0, 19);
    console.log(`
wattline demo on ${url}   (store ${config.db}; Ctrl-C to stop)

  dashboard    ${url}/
  API docs     ${url}/docs
  health       ${url}/healthz
  energy       curl '${url}/data?spaceship_id=1&start=${day}Z'
  top users    curl '${url}/topusers?count=3'
  forecast     curl '${url}/forecast?spaceship_id=1&start=${formatInstant(Math.floor(started / DAY_MS + 1) * DAY_MS)}&end=${formatInstant(Math.floor(started / DAY_MS + 2) * DAY_MS)}'
`);
    closeOnSignals(async () => {
      clearInterval(timer);
      await runtime.close();
    });
  });
}
