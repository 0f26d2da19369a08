// The composition root: the one place that turns configuration into a store, an app and a running server.
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/app.ts';
import type { Config } from './config.ts';
import type { Connector } from './connectors/connector.ts';
import { createConnector } from './connectors/registry.ts';
import { WattlineError } from './domain/errors.ts';
import { DAY_MS } from './domain/time.ts';
import { DeviceHealth } from './ingest/device-health.ts';
import { createStatusService } from './ingest/fleet-status-service.ts';
import { type AckedBatch, PollScheduler } from './ingest/poll-scheduler.ts';
import type { RoofStore } from './roofs/roof-store.ts';
import { hasGaugeLog } from './store/gauge-log.ts';
import { openStores } from './store/open-stores.ts';
import { hasPollLog } from './store/poll-log.ts';
import { isWarmable, type Store } from './store/store.ts';

/** Start of the newest stored bucket of a site's channel (epoch ms), or null: a puller's high-water mark. */
export async function storedHighWater(store: Store, siteId: string, channel: string): Promise<number | null> {
  const range = await store.timeRange(siteId);
  if (range === null) return null;
  const buckets = await store.buckets({ siteId, channel, fromMs: range.lastMs - 40 * DAY_MS });
  return buckets.length === 0 ? null : buckets[buckets.length - 1]!.bucketStartMs;
}

/** What connectors may ask of the store: high-water marks and the meters already known. */
export function storeDeps(store: Store) {
  return {
    highWater: (siteId: string, channel: string) => storedHighWater(store, siteId, channel),
    knownMeters: async () =>
      (await store.listSites()).filter((s) => s.source === 'smart-meter').map((s) => s.siteId),
  };
}

/** The connectors of the configuration, optionally only those named. */
export function buildConnectors(config: Config, store: Store, names?: readonly string[]): Connector[] {
  const chosen =
    names && names.length > 0 ? config.connectors.filter((c) => names.includes(c.name)) : config.connectors;
  const missing = (names ?? []).filter((n) => !config.connectors.some((c) => c.name === n));
  if (missing.length > 0) {
    const known = config.connectors.map((c) => c.name).join(', ') || 'none configured';
    throw new WattlineError(
      'validation-failed',
      `no connector named ${missing.join(', ')} (known: ${known})`,
    );
  }
  return chosen.map((c) =>
    createConnector(c, { highWater: (siteId, channel) => storedHighWater(store, siteId, channel) }),
  );
}

/** A poll scheduler over the store, logging polls raw and gauges when the store keeps those logs. */
export function createScheduler(
  connectors: readonly Connector[],
  store: Store,
  health: DeviceHealth,
  hooks: { onAck?: (b: AckedBatch) => void; onError?: (connector: string, e: unknown) => void } = {},
): PollScheduler {
  return new PollScheduler(connectors, {
    store,
    health,
    ...(hasPollLog(store) ? { pollLog: store } : {}),
    ...(hasGaugeLog(store) ? { gaugeLog: store } : {}),
    ...hooks,
  });
}

/** Where `npm run build:web` puts the dashboard the API serves at `/`. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../dist/web', import.meta.url));

export interface Runtime {
  store: Store;
  roofStore?: RoofStore;
  /** What the pollers know about each device; feeds GET /v1/status. */
  health: DeviceHealth;
  app: FastifyInstance;
  /** Listens on the configured host and port; resolves to the base URL. */
  listen(): Promise<string>;
  /** Stops accepting requests, waits for acknowledged writes, closes the store. */
  close(): Promise<void>;
}

/** Builds the store and the HTTP app from configuration, without listening yet. */
export async function createRuntime(config: Config, store?: Store, roofStore?: RoofStore): Promise<Runtime> {
  const opened = store === undefined ? await openStores(config.db, config) : { store, roofStore };
  const s = opened.store;
  const roofs = opened.roofStore;
  const health = new DeviceHealth();
  const app = await buildApp({
    store: s,
    roofStore: roofs,
    status: createStatusService({ store: s, health, ...config.health }),
    logger: config.server.logger,
    bodyLimitBytes: config.server.bodyLimitBytes,
    webRoot: DEFAULT_WEB_ROOT,
  });
  return {
    store: s,
    roofStore: roofs,
    health,
    app,
    async listen() {
      await app.listen({ host: config.server.host, port: config.server.port });
      // Serving starts at once; the read cache fills behind it so the first reads stop paying a query.
      if (isWarmable(s)) s.warmCache().catch((e) => console.error(`read cache warm-up stopped: ${e}`));
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : config.server.port;
      const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
      return `http://${host}:${port}`;
    },
    async close() {
      await app.close();
      await roofs?.close();
      await s.close();
    },
  };
}
