// The poll scheduler (DESIGN §4): runs each connector at its interval, never two polls of one connector at
// once, logs every poll raw, writes its gauges and its readings (acknowledged = durable) and only
// then tells device health and the connector. stop() lets in-flight polls finish and waits for their writes.
import type { Connector, PollOutcome } from '../connectors/connector.ts';
import type { Reading } from '../domain/reading.ts';
import type { GaugeEntry, GaugeLog } from '../store/gauge-log.ts';
import type { PollLog, PollLogEntry } from '../store/poll-log.ts';
import type { IngestSummary, Store } from '../store/store.ts';
import type { DeviceHealth } from './device-health.ts';

/** One poll round of one connector whose readings are durable. */
export interface AckedBatch {
  connector: string;
  source: string;
  askedMs: number;
  outcomes: PollOutcome[];
  readings: Reading[];
  summary: IngestSummary | null;
}

export interface PollSchedulerDeps {
  store: Store;
  /** Where each poll is logged raw; no raw poll log when absent. */
  pollLog?: PollLog;
  /** Where gauges (state of charge, grid status) are stored; dropped when absent, never ingested as readings. */
  gaugeLog?: GaugeLog;
  health?: DeviceHealth;
  clock?: () => number;
  /** Called after each round's readings are durable. */
  onAck?: (batch: AckedBatch) => void;
  /** Called when a round fails (the source, the write); the next round runs at its time anyway. */
  onError?: (connector: string, error: unknown) => void;
}

function logEntries(c: Connector, outcomes: readonly PollOutcome[]): PollLogEntry[] {
  return outcomes.map((o) => ({
    connector: c.name,
    source: c.source,
    siteId: o.siteId,
    eventMs: o.askedMs,
    payloadMs: o.raw?.payloadMs ?? null,
    state: o.state,
    detail: o.detail ?? null,
    payload: o.raw?.payload ?? null,
  }));
}

function gaugeEntries(outcomes: readonly PollOutcome[], receivedMs: number): GaugeEntry[] {
  return outcomes.flatMap((o) =>
    (o.gauges ?? []).map((g) => ({ siteId: g.siteId, name: g.name, tMs: g.tMs, value: g.value, receivedMs })),
  );
}

export class PollScheduler {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly inflight = new Set<Promise<void>>();
  /** Connectors whose sites are in the store (with their metadata). */
  private readonly sitesKnown = new Set<string>();
  private running = false;
  private readonly clock: () => number;

  constructor(
    readonly connectors: readonly Connector[],
    private readonly deps: PollSchedulerDeps,
  ) {
    this.clock = deps.clock ?? Date.now;
  }

  /** Creates a connector's sites with their metadata before its first write; retried until it works. */
  private async ensureSites(c: Connector): Promise<void> {
    if (this.sitesKnown.has(c.name)) return;
    try {
      const sites = await c.sites();
      if (sites.length > 0) await this.deps.store.upsertSites(sites);
      this.sitesKnown.add(c.name);
    } catch (e) {
      this.deps.onError?.(c.name, e); // readings still go in, with the connector's site defaults
    }
  }

  /** Polls one connector once and writes what it read; resolves when that is durable. */
  async pollOnce(c: Connector): Promise<AckedBatch> {
    await this.ensureSites(c);
    const askedMs = this.clock();
    const outcomes = await c.poll(askedMs);
    const readings = outcomes.flatMap((o) => o.readings);
    let summary: IngestSummary | null = null;
    try {
      if (this.deps.pollLog && outcomes.length > 0)
        await this.deps.pollLog.appendPolls(logEntries(c, outcomes));
      const gauges = this.deps.gaugeLog ? gaugeEntries(outcomes, this.clock()) : [];
      if (gauges.length > 0) await this.deps.gaugeLog!.appendGauges(gauges);
      if (readings.length > 0)
        summary = await this.deps.store.ingest(readings, c.siteDefaults ?? { source: c.source });
    } catch (e) {
      this.deps.health?.record(c, outcomes, false);
      throw e;
    }
    c.acknowledged?.(outcomes);
    this.deps.health?.record(c, outcomes, true);
    const batch: AckedBatch = { connector: c.name, source: c.source, askedMs, outcomes, readings, summary };
    this.deps.onAck?.(batch);
    return batch;
  }

  /** Starts polling every connector now and then at its interval. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const c of this.connectors) this.loop(c);
  }

  private loop(c: Connector): void {
    const run = () => {
      this.timers.delete(c.name);
      if (!this.running) return;
      const startedMs = this.clock();
      const round: Promise<void> = this.pollOnce(c)
        .then(
          () => undefined,
          (e) => this.deps.onError?.(c.name, e),
        )
        .finally(() => {
          this.inflight.delete(round);
          // The next round is due one interval after this one started; a slow round delays it, never overlaps it.
          if (this.running)
            this.timers.set(c.name, setTimeout(run, Math.max(0, startedMs + c.intervalMs - this.clock())));
        });
      this.inflight.add(round);
    };
    run();
  }

  /** Stops scheduling, cancels the connectors' pending requests and waits for in-flight writes. */
  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.connectors.map((c) => c.close().catch(() => undefined)));
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }
}
