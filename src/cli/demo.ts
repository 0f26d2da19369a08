// The demo: the API on the embedded store with the sources' simulators running and their connectors
// polling them, a few days of history backfilled from the simulators' physical models, and the spaceship
// feed of the seed API, so a newcomer sees real answers right after `npm ci && npm run demo`.
import type { Command } from 'commander';
import {
  type ConnectorConfig,
  createConnector,
  type DemoFeed,
  type SourceName,
  startDemoFeed,
} from '../connectors/registry.ts';
import { simulateShip } from '../connectors/spaceship/simulator.ts';
import { BUCKET_MS, DAY_MS, formatInstant } from '../domain/time.ts';
import { createRuntime, createScheduler, storeDeps } from '../main.ts';
import type { Store } from '../store/store.ts';
import { closeOnSignals } from './serve.ts';
import { configFrom, portArg, type StoreFlags, withStoreOptions } from './shared-options.ts';

/** The simulated sources of the demo, each with its connector: one line per source. */
const DEMO_SOURCES: readonly SourceName[] = ['site-signal', 'smart-meter', 'powerwall'];
/** Days of history backfilled from the simulators' models at start. */
const FEED_HISTORY_DAYS = 3;

const SHIPS = [1, 2, 3, 4, 5, 6, 7, 8];
const HISTORY_DAYS = 35;
const STEP_MS = 60_000;

/** Loads the last HISTORY_DAYS of one-minute power for the demo ships, skipping what is already there. */
export async function loadDemoHistory(store: Store, nowMs: number, days = HISTORY_DAYS): Promise<number> {
  const toMs = Math.floor(nowMs / STEP_MS) * STEP_MS;
  const fromMs = Math.floor((toMs - days * DAY_MS) / BUCKET_MS) * BUCKET_MS;
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

/** Backfills a feed's model history, per site only after what is stored (idempotent across restarts). */
export async function backfillFeed(
  store: Store,
  feed: DemoFeed<ConnectorConfig>,
  nowMs: number,
  days = FEED_HISTORY_DAYS,
): Promise<number> {
  const sites = feed.sites();
  if (sites.length > 0) await store.upsertSites(sites);
  const fromMs = Math.floor((nowMs - days * DAY_MS) / BUCKET_MS) * BUCKET_MS;
  const toMs = nowMs - 60_000; // the live poll takes over from here
  // Per site, only after its last stored bucket: a restart fills the gap since the last run, nothing twice.
  const lastOf = new Map<string, number>();
  for (const site of sites) {
    lastOf.set(site.siteId, (await store.timeRange(site.siteId))?.lastMs ?? Number.NEGATIVE_INFINITY);
  }
  const firstMs = Math.max(fromMs, Math.min(...[...lastOf.values()].map((l) => l + BUCKET_MS)));
  if (firstMs >= toMs) return 0;
  const fresh = feed
    .history(firstMs, toMs, nowMs)
    .filter((r) => r.tMs >= (lastOf.get(r.siteId) ?? Number.NEGATIVE_INFINITY) + BUCKET_MS);
  if (fresh.length === 0) return 0;
  return (await store.ingest(fresh, { source: feed.config.source })).stored;
}

export function registerDemo(program: Command): void {
  withStoreOptions(
    program
      .command('demo')
      .description('serve the API with sample data and a live feed on the embedded store')
      .option('-p, --port <port>', 'port to listen on (default 8080)', portArg)
      .option('--host <host>', 'address to bind (default 127.0.0.1)')
      .option(
        '--history-days <n>',
        'days of history to load (default 35 for the ships, 3 for the simulators)',
        (v) => Number.parseInt(v, 10),
      ),
  ).action(async (flags: StoreFlags & { port?: number; host?: string; historyDays?: number }) => {
    const config = configFrom(flags);
    const runtime = await createRuntime(config);
    const started = Date.now();
    const shipDays = flags.historyDays ?? HISTORY_DAYS;
    const feedDays = flags.historyDays ?? FEED_HISTORY_DAYS;
    const loaded = await loadDemoHistory(runtime.store, started, shipDays);
    console.log(
      `loaded ${loaded} readings for spaceships ${SHIPS.join(', ')} (${shipDays} days of 1-minute power)`,
    );
    const feeds: DemoFeed<ConnectorConfig>[] = [];
    for (const source of DEMO_SOURCES) feeds.push(await startDemoFeed(source, `demo-${source}`));
    for (const feed of feeds) {
      const n = await backfillFeed(runtime.store, feed, started, feedDays);
      console.log(
        `${feed.config.name}: backfilled ${n} readings (${feedDays} days of the simulator's model)`,
      );
    }
    const scheduler = createScheduler(
      feeds.map((f) => createConnector(f.config, storeDeps(runtime.store))),
      runtime.store,
      runtime.health,
      { onError: (name, e) => console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`) },
    );
    scheduler.start();
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
  device health ${url}/v1/status
  sites        ${url}/v1/sites
  health       ${url}/healthz
  energy       curl '${url}/data?spaceship_id=1&start=${day}Z'
  top users    curl '${url}/topusers?count=3'
  forecast     curl '${url}/forecast?spaceship_id=1&start=${formatInstant(Math.floor(started / DAY_MS + 1) * DAY_MS)}&end=${formatInstant(Math.floor(started / DAY_MS + 2) * DAY_MS)}'

simulators (polled by their connectors):
${feeds.flatMap((f) => Object.entries(f.urls).map(([k, v]) => `  ${k.padEnd(28)} ${v}`)).join('\n')}
`);
    closeOnSignals(async () => {
      clearInterval(timer);
      await scheduler.stop();
      await Promise.all(feeds.map((f) => f.close()));
      await runtime.close();
    });
  });
}
