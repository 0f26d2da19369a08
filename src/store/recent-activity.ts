// Fleet-wide reads of recent data for device health: one query for all sites instead of one per site (a
// per-site loop over 60 sites took seconds on a DuckDB file with a month of history). Backends that can
// answer them implement RecentActivity; the status service falls back to Store.readings per site otherwise.

export interface ChannelSample {
  tMs: number;
  value: number;
}

export interface RecentActivity {
  /** Latest receive time (epoch ms) per site, over readings received at or after `sinceMs`. */
  lastReceived(sinceMs: number): Promise<Map<string, number>>;
  /** Power samples of `channel` with t in [fromMs, toMs], per site, by time. */
  powerSamples(channel: string, fromMs: number, toMs: number): Promise<Map<string, ChannelSample[]>>;
}

export function hasRecentActivity<T extends object>(store: T): store is T & RecentActivity {
  const s = store as Partial<RecentActivity>;
  return typeof s.lastReceived === 'function' && typeof s.powerSamples === 'function';
}
