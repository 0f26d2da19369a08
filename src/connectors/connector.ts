// The contract every connector implements (DESIGN §4). A connector turns one remote source into
// readings and poll outcomes; the runner (src/connectors/runner.ts) schedules it, writes its readings to
// the store and feeds the outcomes to device health. Connectors never touch the store themselves.
// The runner is the poll scheduler in src/ingest/poll-scheduler.ts; sources are listed in registry.ts.
import type { PollerState } from '../domain/device-status.ts';
import type { Reading } from '../domain/reading.ts';
import type { Site } from '../domain/site.ts';

export type { PollerState } from '../domain/device-status.ts';

/** The result of polling one site once. */
export interface PollOutcome {
  siteId: string;
  /** When we asked (epoch ms): the `event_timestamp` of the raw log. */
  askedMs: number;
  state: PollerState;
  /** Readings ready for Store.ingest (may be empty, e.g. while stopped). */
  readings: Reading[];
  /** Human-readable reason when state is not 'ok'. */
  detail?: string;
  /** What the source answered, for the raw poll log (absent when there was no answer). */
  raw?: RawPoll;
  /** Non-energy values read with this poll (state of charge, grid status). Stored as they are, never
   * integrated into buckets: a percentage is not a power. */
  gauges?: Gauge[];
}

/** A non-energy value of a site at an instant, e.g. `soc` (%) or `grid-connected` (1/0). */
export interface Gauge {
  siteId: string;
  /** Kebab-case name that carries its unit by convention (`soc` %, `grid-connected` 1/0). */
  name: string;
  tMs: number;
  value: number;
}

/** The raw answer of one poll: the payload's own time and the payload as received. */
export interface RawPoll {
  /** The payload's `timestamp` (epoch ms), null when it had none or it was unreadable. */
  payloadMs: number | null;
  payload: unknown;
}

export type ConnectorSource = 'powerwall' | 'site-signal' | 'smart-meter';

export interface Connector {
  readonly source: ConnectorSource;
  /** Unique name from configuration, e.g. 'home-powerwall'. */
  readonly name: string;
  /** How often the runner calls poll(). */
  readonly intervalMs: number;
  /** The sites this connector reports, with their time zones (created in the store before the first ingest). */
  sites(): Promise<Site[]>;
  /** Polls every site once (concurrently where the source allows) and reports one outcome per site. */
  poll(nowMs: number): Promise<PollOutcome[]>;
  /** Defaults for sites first seen in readings (e.g. meters discovered in a document). */
  readonly siteDefaults?: Partial<Site>;
  /** Called once the readings of these outcomes are durable, e.g. to move a high-water mark. */
  acknowledged?(outcomes: readonly PollOutcome[]): void;
  close(): Promise<void>;
}
