// Gathers what device health needs for each site (the pollers' view, recent readings from the store) and
// hands it to the pure rules in analytics/device-health.ts. Backs GET /v1/status and the health fields of
// GET /v1/sites.
import { deviceStatus, fleetStatus, type SiteObservation } from '../analytics/device-health.ts';
import type { DeviceStatus, FleetStatus } from '../domain/device-status.ts';
import type { Site } from '../domain/site.ts';
import { hasRecentActivity } from '../store/recent-activity.ts';
import type { Store } from '../store/store.ts';
import { DeviceHealth } from './device-health.ts';
import { createStatusAnomalies } from './status-anomalies.ts';

export interface StatusServiceOptions {
  store: Store;
  /** The pollers' view; sites it does not know are judged by their stored readings (pushed data). */
  health?: DeviceHealth;
  upWindowMs?: number;
  solarWindowMs?: number;
  /** Window of the anomaly summary of GET /v1/status (ms, default 1 h) and how long it is reused (default 30 s). */
  anomalyWindowMs?: number;
  anomalyTtlMs?: number;
}

export interface StatusService {
  readonly upWindowMs: number;
  /** Health of every site at `nowMs`. */
  fleet(nowMs: number): Promise<FleetStatus>;
  /** Health of these sites at `nowMs`. */
  devices(sites: readonly Site[], nowMs: number): Promise<DeviceStatus[]>;
}

/** A status service over a store and (optionally) the pollers' health. */
export function createStatusService(opts: StatusServiceOptions): StatusService {
  const upWindowMs = opts.upWindowMs ?? 60_000;
  const solarWindowMs = opts.solarWindowMs ?? 3_600_000;
  const health = opts.health ?? new DeviceHealth();
  const anomalies = createStatusAnomalies({
    store: opts.store,
    ...(opts.anomalyWindowMs === undefined ? {} : { windowMs: opts.anomalyWindowMs }),
    ...(opts.anomalyTtlMs === undefined ? {} : { ttlMs: opts.anomalyTtlMs }),
  });

  const observe = async (site: Site, nowMs: number): Promise<SiteObservation> => {
    const poller = health.poller(site.siteId);
    const fromMs = nowMs - Math.max(solarWindowMs, upWindowMs);
    const recent = await opts.store.readings({ siteId: site.siteId, fromMs });
    let lastReceivedMs: number | null = null;
    for (const r of recent)
      if (lastReceivedMs === null || r.receivedMs > lastReceivedMs) lastReceivedMs = r.receivedMs;
    const solarFrom = nowMs - solarWindowMs;
    return {
      siteId: site.siteId,
      source: site.source,
      metadata: site.metadata,
      ...(poller ? { poller } : {}),
      lastReceivedMs,
      solarSamples: recent
        .filter((r) => r.channel === 'solar' && r.kind === 'power' && r.tMs >= solarFrom && r.tMs <= nowMs)
        .map((r) => ({ tMs: r.tMs, powerW: r.value })),
    };
  };

  const store = opts.store;
  const devices = async (sites: readonly Site[], nowMs: number): Promise<DeviceStatus[]> => {
    // One rule for one site or many: when the store can say when data was received, that decides 'up'.
    if (!hasRecentActivity(store)) {
      return Promise.all(
        sites.map(async (s) => deviceStatus(await observe(s, nowMs), nowMs, { upWindowMs })),
      );
    }
    const [received, solar] = await Promise.all([
      store.lastReceived(nowMs - Math.max(solarWindowMs, upWindowMs)),
      store.powerSamples('solar', nowMs - solarWindowMs, nowMs),
    ]);
    return sites.map((site) => {
      const poller = health.poller(site.siteId);
      const obs: SiteObservation = {
        siteId: site.siteId,
        source: site.source,
        metadata: site.metadata,
        ...(poller ? { poller } : {}),
        lastReceivedMs: received.get(site.siteId) ?? null,
        solarSamples: (solar.get(site.siteId) ?? []).map((x) => ({ tMs: x.tMs, powerW: x.value })),
      };
      return deviceStatus(obs, nowMs, { upWindowMs });
    });
  };

  return {
    upWindowMs,
    devices,
    async fleet(nowMs) {
      const sites = await opts.store.listSites();
      const [list, summaries] = await Promise.all([devices(sites, nowMs), anomalies.summaries(sites, nowMs)]);
      const withAnomalies = list.map((d) => {
        const a = summaries.get(d.siteId);
        return a === undefined ? d : { ...d, anomalies: a };
      });
      return fleetStatus(withAnomalies, nowMs, upWindowMs);
    },
  };
}
