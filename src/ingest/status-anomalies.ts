// Anomalies for device health: per site, the detectors over a short recent window (an hour by default),
// summarized. Kept cheap for a status page that is polled: a bounded window read from the store, no
// forecast (whose backtest reads the whole history), a few sites at a time, and each site's summary
// reused for `ttlMs` so that a dashboard refreshing every few seconds does not rerun the detectors.

import { summarizeAnomalies } from '../analytics/anomalies/summary.ts';
import type { AnomalyKind } from '../analytics/anomalies/types.ts';
import { ANOMALY_KINDS } from '../analytics/anomalies/types.ts';
import type { AnomalySummary } from '../domain/device-status.ts';
import type { Site } from '../domain/site.ts';
import { BUCKET_MS } from '../domain/time.ts';
import { findAnomalies } from '../insights/anomaly-source.ts';
import type { Store } from '../store/store.ts';

/** Every detector but the forecast check, which needs a backtest over the full history. */
export const STATUS_ANOMALY_KINDS: readonly AnomalyKind[] = ANOMALY_KINDS.filter(
  (k) => k !== 'forecast-outlier',
);

export interface StatusAnomaliesOptions {
  store: Store;
  /** Window examined, ending now (ms); 1 h by default. */
  windowMs?: number;
  /** How long a site's summary is reused (ms); 30 s by default. */
  ttlMs?: number;
  /** Sites examined at once. */
  concurrency?: number;
}

export interface StatusAnomalies {
  /** The summary of each of these sites at `nowMs` (a site whose data cannot be read has none). */
  summaries(sites: readonly Site[], nowMs: number): Promise<Map<string, AnomalySummary>>;
}

export function createStatusAnomalies(opts: StatusAnomaliesOptions): StatusAnomalies {
  const windowMs = opts.windowMs ?? 3_600_000;
  const ttlMs = opts.ttlMs ?? 30_000;
  const concurrency = opts.concurrency ?? 4;
  const cache = new Map<string, { atMs: number; summary: AnomalySummary }>();

  const one = async (site: Site, nowMs: number): Promise<AnomalySummary | undefined> => {
    const hit = cache.get(site.siteId);
    if (hit !== undefined && nowMs - hit.atMs >= 0 && nowMs - hit.atMs < ttlMs) return hit.summary;
    // The detectors read whole 15-minute buckets: the window is widened to bucket edges.
    const fromMs = Math.floor((nowMs - windowMs) / BUCKET_MS) * BUCKET_MS;
    const toMs = Math.ceil((nowMs + 1) / BUCKET_MS) * BUCKET_MS;
    try {
      const found = await findAnomalies(
        opts.store,
        site,
        { fromMs, toMs, nowMs },
        { kinds: STATUS_ANOMALY_KINDS },
      );
      const summary = summarizeAnomalies(found, windowMs);
      cache.set(site.siteId, { atMs: nowMs, summary });
      return summary;
    } catch {
      return undefined; // the status must answer even when one site's data cannot be examined
    }
  };

  return {
    async summaries(sites, nowMs) {
      const out = new Map<string, AnomalySummary>();
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < sites.length; i = next++) {
          const s = await one(sites[i]!, nowMs);
          if (s !== undefined) out.set(sites[i]!.siteId, s);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, sites.length) }, worker));
      return out;
    },
  };
}
