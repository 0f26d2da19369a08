// The Powerwall connector: one GatewayPoller per configured gateway, all polled concurrently. It
// implements the Connector contract; the runner writes `readings` to the store and feeds outcomes to
// device health. Gauges (state of charge, grid status) and drift ride along on each outcome.
import type { Site } from '../../domain/site.ts';
import type { Connector } from '../connector.ts';
import { PowerwallClient } from './client.ts';
import { gatewayBaseUrl, type PowerwallConfig, parsePowerwallConfig } from './config.ts';
import type { DriftFigure } from './drift.ts';
import { type GatewayInfo, GatewayPoller, type PowerwallPollOutcome } from './gateway-poller.ts';

export interface PowerwallConnectorDeps {
  /** Clock (epoch ms) for receivedMs; the simulator's clock in tests. Defaults to Date.now. */
  clock?: () => number;
}

export interface PowerwallConnector extends Connector {
  readonly source: 'powerwall';
  poll(nowMs: number): Promise<PowerwallPollOutcome[]>;
  /** Counter against integrated power, per site and meter, since the connector started. */
  driftReport(): Record<string, DriftFigure[]>;
  /** Firmware, site info, last status values and absent routes of a site's gateway. */
  gatewayInfo(siteId: string): GatewayInfo | undefined;
  /** Requests, logins and 429s per site (for tests, the bench and diagnostics). */
  clientStats(siteId: string): { requests: number; logins: number; rateLimited: number } | undefined;
}

/** Builds the connector from its configuration (validated here: unknown keys are errors). */
export function createPowerwallConnector(
  config: PowerwallConfig | unknown,
  deps: PowerwallConnectorDeps = {},
): PowerwallConnector {
  const cfg = parsePowerwallConfig(config);
  const clock = deps.clock ?? Date.now;
  const pollers = cfg.gateways.map(
    (g) =>
      new GatewayPoller(
        g,
        new PowerwallClient({
          baseUrl: gatewayBaseUrl(g),
          email: g.email,
          password: g.password,
          insecure: g.insecure,
          fingerprint256: g.fingerprint256,
          requestTimeoutMs: cfg.requestTimeoutMs,
          coolDownMs: cfg.coolDownMs,
          maxCoolDownMs: cfg.maxCoolDownMs,
          loginRetryMs: cfg.loginRetryMs,
        }),
        cfg,
        clock,
      ),
  );
  const bySite = new Map(pollers.map((p) => [p.siteId, p]));
  return {
    source: 'powerwall',
    name: cfg.name,
    intervalMs: cfg.intervalMs,
    async sites(): Promise<Site[]> {
      // The time zone comes from the gateway when it answers; an unreachable one is not an error here.
      await Promise.all(pollers.map((p) => p.loadSiteInfo(clock())));
      return pollers.map((p) => ({
        siteId: p.siteId,
        name: p.gateway.name ?? p.info.siteInfo?.siteName ?? p.siteId,
        timezone: p.timezone(),
        source: 'powerwall',
        metadata: {
          url: gatewayBaseUrl(p.gateway),
          nominalEnergyWh: p.info.siteInfo?.nominalEnergyWh ?? null,
          nominalPowerW: p.info.siteInfo?.nominalPowerW ?? null,
          ...(p.gateway.location ?? {}),
        },
      }));
    },
    async poll(nowMs: number): Promise<PowerwallPollOutcome[]> {
      // A bounded pool: without it a cold start opens every gateway's TLS connection at once, and on a
      // busy host the handshakes time out together and the whole round is lost.
      const out: PowerwallPollOutcome[] = new Array(pollers.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < pollers.length; i = next++) out[i] = await pollers[i]!.poll(nowMs);
      };
      await Promise.all(Array.from({ length: Math.min(cfg.maxConcurrentGateways, pollers.length) }, worker));
      return out;
    },
    driftReport() {
      return Object.fromEntries(pollers.map((p) => [p.siteId, p.driftReport()]));
    },
    gatewayInfo(siteId) {
      return bySite.get(siteId)?.info;
    },
    clientStats(siteId) {
      const s = bySite.get(siteId)?.client.stats;
      return s === undefined ? undefined : { ...s };
    },
    async close(): Promise<void> {
      await Promise.all(pollers.map((p) => p.client.close()));
    },
  };
}
