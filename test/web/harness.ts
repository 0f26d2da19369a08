// The one place the dashboard tests get a running wattline from: the real simulators (a site-signal fleet
// API with faulty sites, two Powerwall gateways over HTTPS pinned by certificate fingerprint, one of them
// stopped) polled every second by the real connectors through the real scheduler, into the real runtime
// (createRuntime on DuckDB :memory:, the built dashboard at /, the real GET /v1/status). The tests write
// nothing: what the pages show after the backfill comes from polling.
import { existsSync } from 'node:fs';
import { resolveConfig } from '../../src/config.ts';
import type { Connector } from '../../src/connectors/connector.ts';
import { createPowerwallConnector } from '../../src/connectors/powerwall/index.ts';
import { DEFAULT_HOUSEHOLD, Household } from '../../src/connectors/powerwall/sim-household.ts';
import {
  type PowerwallSimulator,
  startPowerwallSimulator,
} from '../../src/connectors/powerwall/simulator.ts';
import {
  type SiteSignalSimulator,
  startSiteSignalSimulator,
} from '../../src/connectors/site-signal/simulator.ts';
import type { FleetStatus } from '../../src/domain/device-status.ts';
import type { Reading } from '../../src/domain/reading.ts';
import type { PollScheduler } from '../../src/ingest/poll-scheduler.ts';
import {
  buildConnectors,
  createRuntime,
  createScheduler,
  DEFAULT_WEB_ROOT,
  type Runtime,
} from '../../src/main.ts';

/** The Powerwall site the tests follow. */
export const HOME = { siteId: 'home', name: 'Home', timezone: 'America/Los_Angeles' };
/** A second gateway, switched to "stopped" (the system is not running): polled, answering, but down. */
export const CABIN = { siteId: 'cabin', name: 'Cabin', timezone: 'America/Los_Angeles' };
const PASSWORD = 'ABCDE';
const EMAIL = 'owner@example.com';
/** Fleet API sites: the first answers, the next four carry the simulator's default faults (timeout,
 * error, negative solar, zero solar). */
const FLEET_SITES = 5;

/** Every poller runs this often: quick tests, and still a real schedule. */
const POLL_MS = 1_000;
const MIN_MS = 60_000;
const DAY_MS = 86_400_000;
/** History backfilled before the pollers start: the forecast's backtest needs two weeks and a day before each of its origins (a day apart, before the forecast's own day), and
 * the CSV test a whole local day far from the live edge. Five-minute samples, one-minute in the last day. */
const HOME_HISTORY_MS = 19 * DAY_MS;
const FLEET_HISTORY_MS = 2 * DAY_MS;

export interface DashboardHarness {
  url: string;
  runtime: Runtime;
  scheduler: PollScheduler;
  siteSignal: SiteSignalSimulator;
  gateways: PowerwallSimulator[];
  /** GET /v1/status as the API answers it now. */
  status(): Promise<FleetStatus>;
  /** Resolves once every device has been polled and the status answers the same twice in a row. */
  settled(timeoutMs?: number): Promise<FleetStatus>;
  close(): Promise<void>;
}

/** Power history of a gateway's household model (grid, battery, load, solar, W): a sample every five
 * minutes, every minute in the last day before `toMs`. */
function gatewayHistory(siteId: string, household: typeof DEFAULT_HOUSEHOLD, fromMs: number, toMs: number) {
  const model = new Household(fromMs, household);
  const channel = { site: 'grid', battery: 'battery', load: 'load', solar: 'solar' } as const;
  const out: Reading[] = [];
  for (let t = fromMs; t < toMs; t += toMs - t > DAY_MS ? 5 * MIN_MS : MIN_MS) {
    model.advanceTo(t);
    for (const [meter, powerW] of Object.entries(model.powers())) {
      out.push({
        siteId,
        channel: channel[meter as keyof typeof channel],
        kind: 'power',
        tMs: t,
        endMs: null,
        value: powerW,
        receivedMs: t,
      });
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts simulators, runtime and scheduler on 127.0.0.1 ports chosen by the system. */
export async function startDashboardHarness(): Promise<DashboardHarness> {
  if (!existsSync(`${DEFAULT_WEB_ROOT}/index.html`)) {
    throw new Error(
      `the dashboard is not built (${DEFAULT_WEB_ROOT}); npm test builds it first (pretest), or run npm run build:web`,
    );
  }
  const nowMs = Math.floor(Date.now() / MIN_MS) * MIN_MS;
  const siteSignal = await startSiteSignalSimulator({ sites: FLEET_SITES, faults: 'default' });
  const homeHousehold = { ...DEFAULT_HOUSEHOLD, seed: 1 };
  const cabinHousehold = { ...DEFAULT_HOUSEHOLD, seed: 2, solarPeakW: 3_000, baseLoadW: 200 };
  const gateways = await Promise.all([
    startPowerwallSimulator({ siteName: HOME.name, timeZone: HOME.timezone, household: homeHousehold }),
    startPowerwallSimulator({ siteName: CABIN.name, timeZone: CABIN.timezone, household: cabinHousehold }),
  ]);
  gateways[1]!.setFault({ kind: 'stopped', on: true });

  const config = resolveConfig({
    db: ':memory:',
    server: { host: '127.0.0.1', port: 0 },
    connectors: [
      {
        source: 'site-signal',
        name: 'fleet',
        baseUrl: siteSignal.url,
        intervalMs: POLL_MS,
        // The "timeout" site never answers: give up well inside one interval.
        timeoutMs: 400,
        timezone: 'America/Los_Angeles',
        location: siteSignal.households[0]!.location,
      },
    ],
  });
  const runtime = await createRuntime(config);
  const { store } = runtime;

  // History first, from the simulators' own physical models, so the 24 h chart and whole past days exist.
  await store.upsertSites([
    { ...HOME, source: 'powerwall', metadata: {} },
    { ...CABIN, source: 'powerwall', metadata: {} },
    ...siteSignal.sites(),
  ]);
  await store.ingest(gatewayHistory(HOME.siteId, homeHousehold, nowMs - HOME_HISTORY_MS, nowMs - MIN_MS));
  await store.ingest(gatewayHistory(CABIN.siteId, cabinHousehold, nowMs - FLEET_HISTORY_MS, nowMs - MIN_MS));
  await store.ingest(siteSignal.history(nowMs - FLEET_HISTORY_MS, nowMs - MIN_MS, 5 * MIN_MS));

  const connectors: Connector[] = [
    ...buildConnectors(config, store),
    createPowerwallConnector({
      name: 'powerwall',
      intervalMs: POLL_MS,
      statusIntervalMs: POLL_MS,
      requestTimeoutMs: 2_000,
      gateways: [HOME, CABIN].map((site, i) => ({
        siteId: site.siteId,
        name: site.name,
        // Until site_info answers (slow on a busy machine), the site is stored in this zone, not UTC.
        timezone: site.timezone,
        url: gateways[i]!.url,
        email: EMAIL,
        password: PASSWORD,
        // Pinned: the gateway's certificate is self-signed, and only this one is accepted.
        fingerprint256: gateways[i]!.fingerprint256,
      })),
    }),
  ];
  const scheduler = createScheduler(connectors, store, runtime.health);
  scheduler.start();
  const url = await runtime.listen();

  const status = async () => (await (await fetch(`${url}/v1/status`)).json()) as FleetStatus;
  const expectedTotal = FLEET_SITES + 2;
  return {
    url,
    runtime,
    scheduler,
    siteSignal,
    gateways,
    status,
    async settled(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let previous = '';
      for (;;) {
        const s = await status();
        const polled = s.sites.filter((d) => d.pollerState !== null).length;
        const shape = JSON.stringify(s.sites.map((d) => [d.siteId, d.up, d.pollerState]));
        if (s.devicesTotal === expectedTotal && polled === expectedTotal && shape === previous) return s;
        previous = shape;
        if (Date.now() > deadline)
          throw new Error(`the fleet did not settle within ${timeoutMs} ms: ${JSON.stringify(s)}`);
        await sleep(POLL_MS);
      }
    },
    async close() {
      await scheduler.stop(); // closes the connectors too
      await runtime.close();
      await Promise.all([siteSignal.close(), ...gateways.map((g) => g.close())]);
    },
  };
}
