// The raw poll log: one row per poll of one site, with when we asked (`event_timestamp` of the seed's
// energy_telemetry_logging table), the payload's own timestamp, the poller's verdict and the payload as
// received. It lives beside the readings' raw log rather than in it because it must also keep what did
// not become a reading: failed polls (timeouts, 500s), stale repeats the readings log de-duplicates away,
// NaN signals and tags such as a meter's `quality`. Backends that keep it implement PollLog.
import type { PollerState } from '../domain/device-status.ts';

export interface PollLogEntry {
  /** Connector name from configuration. */
  connector: string;
  source: string;
  siteId: string;
  /** When we asked (epoch ms). */
  eventMs: number;
  /** The payload's `timestamp` (epoch ms), null when there was none. */
  payloadMs: number | null;
  state: PollerState;
  detail: string | null;
  /** The answer as received (JSON), null when there was none. */
  payload: unknown;
}

export interface PollLogQuery {
  siteId?: string;
  connector?: string;
  /** Only polls asked at or after this instant (epoch ms). */
  fromMs?: number;
  limit?: number;
}

export interface PollLog {
  /** Appends entries; durable when the promise resolves. */
  appendPolls(entries: readonly PollLogEntry[]): Promise<void>;
  /** Entries, oldest first. */
  polls(q: PollLogQuery): Promise<PollLogEntry[]>;
}

/** True when a store keeps a poll log. */
export function hasPollLog<T extends object>(store: T): store is T & PollLog {
  const s = store as Partial<PollLog>;
  return typeof s.appendPolls === 'function' && typeof s.polls === 'function';
}
