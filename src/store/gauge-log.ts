// The gauge log: non-energy values of a site at an instant (state of charge, grid status), stored as they
// were read. Gauges never enter the readings' raw log: normalization integrates power into energy, and
// a state of charge integrated over 15 minutes would be nonsense "energy". Backends that keep gauges
// implement GaugeLog; the scheduler and the API detect it with hasGaugeLog.
import type { Gauge } from '../connectors/connector.ts';

/** One stored gauge value with the time it was received (epoch ms). */
export interface GaugeEntry extends Gauge {
  receivedMs: number;
}

export interface GaugeQuery {
  siteId: string;
  /** Only this gauge (e.g. `soc`); all when absent. */
  name?: string;
  /** Half-open [fromMs, toMs) on the gauge's own instant (epoch ms). */
  fromMs?: number;
  toMs?: number;
  limit?: number;
}

export interface GaugeLog {
  /** Appends entries; durable when the promise resolves. */
  appendGauges(entries: readonly GaugeEntry[]): Promise<void>;
  /** The newest value of each gauge of a site (at the latest instant; the later-received wins a tie). */
  latestGauges(siteId: string): Promise<GaugeEntry[]>;
  /** Values oldest first (by instant, then name). */
  gauges(q: GaugeQuery): Promise<GaugeEntry[]>;
}

/** True when a store keeps a gauge log. */
export function hasGaugeLog<T extends object>(store: T): store is T & GaugeLog {
  const s = store as Partial<GaugeLog>;
  return (
    typeof s.appendGauges === 'function' &&
    typeof s.latestGauges === 'function' &&
    typeof s.gauges === 'function'
  );
}
