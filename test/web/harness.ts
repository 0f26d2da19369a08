// The one place the dashboard tests get a running wattline from: the real API (buildApp) serving the
// built dashboard, over a DuckDB :memory: store holding real readings of a home (grid, solar, battery,
// load by DESIGN §2 signs, and state of charge) and a cabin, plus a stand-in GET /v1/status that answers
// the FleetStatus contract from fixed device states. Once the connectors land, this file is what changes:
// start the simulators and the connectors instead of writeHistory/writeLive and the stand-in.
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import type { DeviceStatus, FleetStatus } from '../../src/domain/device-status.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { localParts } from '../../src/domain/time-zone.ts';
import { DEFAULT_WEB_ROOT } from '../../src/main.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import type { Store } from '../../src/store/store.ts';

export const HOME = {
  siteId: 'home',
  name: 'Home',
  timezone: 'Europe/Zurich',
  source: 'powerwall',
  metadata: {},
};
export const CABIN = {
  siteId: 'cabin',
  name: 'Cabin',
  timezone: 'America/New_York',
  source: 'site-signal',
  metadata: {},
};

export interface DashboardHarness {
  url: string;
  app: FastifyInstance;
  store: Store;
  /** Newest instant written per site (epoch ms). */
  lastMs: Map<string, number>;
  /** Writes one more sample of every channel of `siteId` at `tMs` (default: 5 s after the last). */
  writeLive(siteId: string, tMs?: number): Promise<number>;
  /** What the stand-in GET /v1/status answers now. */
  status(): FleetStatus;
  close(): Promise<void>;
}

interface HomeState {
  socPercent: number;
}

/** One instant of a physically consistent home: load = grid + battery + solar (W), battery within SoC. */
function homeSample(
  siteId: string,
  timezone: string,
  tMs: number,
  stepMs: number,
  st: HomeState,
  peakSolarW: number,
) {
  const p = localParts(tMs, timezone);
  const hour = p.hour + p.minute / 60;
  const solarW =
    Math.max(0, Math.sin((Math.PI * (hour - 6.5)) / 13)) * peakSolarW * (0.9 + 0.1 * Math.sin(tMs / 7e5));
  const loadW =
    350 +
    900 * Math.exp(-((hour - 7.5) ** 2) / 1.5) +
    1600 * Math.exp(-((hour - 19) ** 2) / 3) +
    80 * Math.sin(tMs / 3e5);
  let batteryW = Math.max(-3000, Math.min(3000, loadW - solarW));
  if (batteryW > 0 && st.socPercent <= 5) batteryW = 0;
  if (batteryW < 0 && st.socPercent >= 100) batteryW = 0;
  const capacityWh = 13_500;
  st.socPercent = Math.max(
    0,
    Math.min(100, st.socPercent - ((batteryW * stepMs) / 3.6e6 / capacityWh) * 100),
  );
  const gridW = loadW - solarW - batteryW;
  const values: Record<string, number> = {
    grid: gridW,
    solar: solarW,
    battery: batteryW,
    load: loadW,
    soc: st.socPercent,
  };
  return Object.entries(values).map(
    ([channel, value]): Reading => ({
      siteId,
      channel,
      kind: 'power',
      tMs,
      endMs: null,
      value,
      receivedMs: tMs,
    }),
  );
}

const HISTORY_MS = 2 * 86_400_000;
const STEP_MS = 60_000;
const LIVE_STEP_MS = 5_000;

/** Starts the harness on 127.0.0.1:0 with two days of one-minute history ending now. */
export async function startDashboardHarness(opts: { livePollMs?: number } = {}): Promise<DashboardHarness> {
  if (!existsSync(`${DEFAULT_WEB_ROOT}/index.html`)) {
    throw new Error(
      `the dashboard is not built (${DEFAULT_WEB_ROOT}); npm test builds it first (pretest), or run npm run build:web`,
    );
  }
  const store = await openDuckDbStore({ path: ':memory:' });
  await store.upsertSites([HOME, CABIN]);
  const states = new Map<string, HomeState>([
    ['home', { socPercent: 55 }],
    ['cabin', { socPercent: 80 }],
  ]);
  const peak: Record<string, number> = { home: 5200, cabin: 2400 };
  const site = (id: string) => (id === 'home' ? HOME : CABIN);
  const lastMs = new Map<string, number>();
  const nowMs = Math.floor(Date.now() / STEP_MS) * STEP_MS;
  for (const id of ['home', 'cabin']) {
    const rows: Reading[] = [];
    for (let t = nowMs - HISTORY_MS; t <= nowMs; t += STEP_MS) {
      rows.push(...homeSample(id, site(id).timezone, t, STEP_MS, states.get(id)!, peak[id]!));
    }
    await store.ingest(rows);
    lastMs.set(id, nowMs);
  }

  const app = buildApp({ store, webRoot: DEFAULT_WEB_ROOT, livePollMs: opts.livePollMs ?? 250 });
  const status = (): FleetStatus => {
    const device = (
      id: string,
      up: boolean,
      pollerState: DeviceStatus['pollerState'],
      errors: number,
    ): DeviceStatus => ({
      siteId: id,
      source: site(id).source,
      up,
      lastSeen: new Date(lastMs.get(id) ?? 0).toISOString(),
      consecutiveErrors: errors,
      pollerState,
      upWindowMs: 60_000,
      detail: null,
      solar: up
        ? { condition: 'ok', minPowerW: 0, negativeShare: 0, samples: 720, expected: true }
        : { condition: 'missing', minPowerW: null, negativeShare: null, samples: 0, expected: true },
    });
    const sites = [device('cabin', false, 'unreachable', 7), device('home', true, 'ok', 0)];
    return {
      generatedAt: new Date().toISOString(),
      upWindowMs: 60_000,
      devicesUp: sites.filter((s) => s.up).length,
      devicesTotal: sites.length,
      sites,
    };
  };
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    app,
    store,
    lastMs,
    status,
    async writeLive(siteId, tMs) {
      const t = tMs ?? (lastMs.get(siteId) ?? Date.now()) + LIVE_STEP_MS;
      await store.ingest(
        homeSample(siteId, site(siteId).timezone, t, LIVE_STEP_MS, states.get(siteId)!, peak[siteId]!),
      );
      lastMs.set(siteId, Math.max(t, lastMs.get(siteId) ?? t));
      return t;
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
