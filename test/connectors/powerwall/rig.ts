// A test rig: the real HTTPS gateway simulator, the real connector and (optionally) a DuckDB store in
// memory, sharing one simulated clock so that hours run in seconds. Polls and ingests are driven here.
import {
  createPowerwallConnector,
  type PowerwallConnector,
  type PowerwallPollOutcome,
} from '../../../src/connectors/powerwall/index.ts';
import {
  type PowerwallSimulator,
  type PowerwallSimulatorOptions,
  startPowerwallSimulator,
} from '../../../src/connectors/powerwall/simulator.ts';
import { openDuckDbStore } from '../../../src/store/duckdb-store.ts';
import type { Store } from '../../../src/store/store.ts';

export const SITE = 'home';
export const MIN = 60_000;
/** 08:00 in California on the summer solstice: the sun is up and climbing. */
export const MORNING_MS = Date.parse('2024-06-21T15:00:00Z');

export interface Rig {
  sim: PowerwallSimulator;
  connector: PowerwallConnector;
  store: Store | null;
  now(): number;
  /** Advances the clock by stepMs and polls, n times; ingests the readings when there is a store. */
  run(n: number, stepMs?: number): Promise<PowerwallPollOutcome[]>;
  close(): Promise<void>;
}

export interface RigOptions {
  startMs?: number;
  sim?: Partial<PowerwallSimulatorOptions>;
  connector?: Record<string, unknown>;
  gateway?: Record<string, unknown>;
  store?: boolean;
}

export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  let t = opts.startMs ?? MORNING_MS;
  const clock = () => t;
  const sim = await startPowerwallSimulator({ clock, ...opts.sim });
  const connector = createPowerwallConnector(
    {
      gateways: [
        {
          siteId: SITE,
          url: sim.url,
          email: 'owner@example.com',
          password: opts.sim?.password ?? 'ABCDE',
          fingerprint256: sim.fingerprint256,
          ...opts.gateway,
        },
      ],
      ...opts.connector,
    },
    { clock },
  );
  const store = opts.store ? await openDuckDbStore({ path: ':memory:' }) : null;
  if (store) await store.upsertSites(await connector.sites());
  return {
    sim,
    connector,
    store,
    now: clock,
    async run(n, stepMs = 5_000) {
      const out: PowerwallPollOutcome[] = [];
      const batch = [];
      for (let i = 0; i < n; i++) {
        t += stepMs;
        const [o] = await connector.poll(t);
        out.push(o!);
        batch.push(...o!.readings);
      }
      // One ingest per run keeps the tests quick; the buckets do not depend on batching (DESIGN §3.1).
      if (store && batch.length > 0) await store.ingest(batch);
      return out;
    },
    async close() {
      await connector.close();
      await sim.close();
      await store?.close();
    },
  };
}

/** Sum of bucket energy of one channel (Wh), of the buckets starting before `toMs` when given. */
export async function bucketSumWh(store: Store, channel: string, toMs?: number): Promise<number> {
  const buckets = await store.buckets({ siteId: SITE, channel, ...(toMs === undefined ? {} : { toMs }) });
  return buckets.reduce((s, b) => s + b.energyWh, 0);
}
