// Live power per site for server-sent events. One poll loop per watched site, shared by all of its
// subscribers: every `pollMs` it reads the readings stored since the last look and hands each subscriber
// the new power samples plus the latest power per channel, state of charge and gauges (grid status). Polling the store (rather
// than hooking ingest) sees every writer: the API, the importer, connectors and other processes alike.
import { isStateOfChargeChannel } from '../domain/channels.ts';
import { hasGaugeLog } from '../store/gauge-log.ts';
import type { Store } from '../store/store.ts';

/** One power sample of one channel. */
export interface LivePoint {
  channel: string;
  tMs: number;
  powerW: number;
}

/** What a subscriber receives after each poll that found something new (and once on subscribing). */
export interface LiveUpdate {
  siteId: string;
  /** Latest instant seen on any channel (epoch ms), null before the first reading. */
  latestMs: number | null;
  /** Latest power per power channel (W). */
  latestPowerW: Record<string, number>;
  /** Latest state of charge (percent), null when the site reports none. */
  socPercent: number | null;
  /** Latest value of each gauge (`soc` %, `grid-connected` 1/0, ...); {} when the site reports none. */
  gauges: Record<string, number>;
  /** New power samples since the previous update, by channel then time. */
  points: LivePoint[];
}

export type LiveListener = (update: LiveUpdate) => void;

export interface LiveFeedOptions {
  store: Store;
  clock: () => number;
  /** How often a watched site is polled (ms). */
  pollMs: number;
  /** How far back the first look reaches for the latest values (ms). */
  initialLookbackMs?: number;
}

/** Readings stored slightly out of order (another channel's batch) are still caught within this. */
const LATE_TOLERANCE_MS = 60_000;

interface SiteWatch {
  listeners: Set<LiveListener>;
  /** Latest instant delivered per channel. */
  lastMsByChannel: Map<string, number>;
  latestPowerW: Record<string, number>;
  socByChannel: Map<string, number>;
  /** Latest gauge values and the instant of each, to tell a new reading of a gauge from a repeat. */
  gauges: Record<string, number>;
  gaugeMs: Map<string, number>;
  timer: NodeJS.Timeout | undefined;
  polling: Promise<void>;
  busy: boolean;
  snapshot: LiveUpdate | undefined;
}

export class LiveFeed {
  readonly #opts: Required<LiveFeedOptions>;
  readonly #sites = new Map<string, SiteWatch>();
  #closed = false;

  constructor(opts: LiveFeedOptions) {
    this.#opts = { initialLookbackMs: 15 * 60_000, ...opts };
  }

  /** Starts delivering updates of a site to `listener`; returns the function that stops it. */
  subscribe(siteId: string, listener: LiveListener): () => void {
    let watch = this.#sites.get(siteId);
    if (watch === undefined) {
      watch = {
        listeners: new Set(),
        lastMsByChannel: new Map(),
        latestPowerW: {},
        socByChannel: new Map(),
        gauges: {},
        gaugeMs: new Map(),
        timer: undefined,
        polling: Promise.resolve(),
        busy: true,
        snapshot: undefined,
      };
      this.#sites.set(siteId, watch);
      const w = watch;
      w.polling = this.#poll(siteId, w, true).finally(() => {
        w.busy = false;
      });
      w.timer = setInterval(() => {
        // One poll at a time per site: while a slow store answers, ticks are skipped, not queued.
        if (w.busy) return;
        w.busy = true;
        w.polling = this.#poll(siteId, w, false).finally(() => {
          w.busy = false;
        });
      }, this.#opts.pollMs);
    }
    const w = watch;
    w.listeners.add(listener);
    // A late subscriber starts from the latest values, without the history others already got.
    w.polling.then(() => {
      if (w.listeners.has(listener) && w.snapshot !== undefined) listener({ ...w.snapshot, points: [] });
    });
    return () => {
      w.listeners.delete(listener);
      if (w.listeners.size === 0) this.#stop(siteId, w);
    };
  }

  /** Stops every poll loop; subscribers get nothing more. */
  close(): void {
    this.#closed = true;
    for (const [siteId, w] of this.#sites) this.#stop(siteId, w);
  }

  /** Reads the latest gauges of a site; true when one of them has a newer value than delivered. */
  async #pollGauges(siteId: string, w: SiteWatch): Promise<boolean> {
    const store = this.#opts.store;
    if (!hasGaugeLog(store)) return false;
    let latest: Awaited<ReturnType<typeof store.latestGauges>>;
    try {
      latest = await store.latestGauges(siteId);
    } catch {
      return false; // as for readings: the next tick tries again
    }
    let changed = false;
    for (const g of latest) {
      if ((w.gaugeMs.get(g.name) ?? Number.NEGATIVE_INFINITY) >= g.tMs) continue;
      w.gaugeMs.set(g.name, g.tMs);
      w.gauges[g.name] = g.value;
      changed = true;
    }
    return changed;
  }

  #stop(siteId: string, w: SiteWatch): void {
    clearInterval(w.timer);
    w.listeners.clear();
    if (this.#sites.get(siteId) === w) this.#sites.delete(siteId);
  }

  async #poll(siteId: string, w: SiteWatch, first: boolean): Promise<void> {
    if (this.#closed || (!first && w.listeners.size === 0)) return;
    let fromMs: number;
    if (w.lastMsByChannel.size === 0) fromMs = this.#opts.clock() - this.#opts.initialLookbackMs;
    else {
      // A channel that went quiet long ago must not drag every look back to its last sample.
      const lasts = [...w.lastMsByChannel.values()];
      const newestMs = Math.max(...lasts);
      fromMs = Math.max(Math.min(...lasts), newestMs - this.#opts.initialLookbackMs) - LATE_TOLERANCE_MS;
    }
    let readings: Awaited<ReturnType<Store['readings']>>;
    try {
      readings = await this.#opts.store.readings({ siteId, fromMs });
    } catch {
      // A store that fails now may answer on the next tick; the stream stays open.
      return;
    }
    const points: LivePoint[] = [];
    let changed = false;
    for (const r of readings) {
      if (r.kind !== 'power') continue;
      const last = w.lastMsByChannel.get(r.channel);
      if (last !== undefined && r.tMs <= last) continue;
      w.lastMsByChannel.set(r.channel, r.tMs);
      changed = true;
      if (isStateOfChargeChannel(r.channel)) {
        w.socByChannel.set(r.channel, r.value);
      } else {
        w.latestPowerW[r.channel] = r.value;
        // The first look only establishes the latest values; history comes from the readings route.
        if (!first) points.push({ channel: r.channel, tMs: r.tMs, powerW: r.value });
      }
    }
    if (await this.#pollGauges(siteId, w)) changed = true;
    const latest = w.lastMsByChannel.size === 0 ? null : Math.max(...w.lastMsByChannel.values());
    const update: LiveUpdate = {
      siteId,
      latestMs: latest,
      latestPowerW: { ...w.latestPowerW },
      socPercent: w.socByChannel.get('soc') ?? w.socByChannel.get('soc-raw') ?? w.gauges['soc'] ?? null,
      gauges: { ...w.gauges },
      points,
    };
    w.snapshot = update;
    if (first || !changed) return;
    for (const listener of w.listeners) listener(update);
  }
}
