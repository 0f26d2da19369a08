// The three kinds of reading (DESIGN §2). A reading is stored flat so that it can go through a
// database appender and the normalizer without reshaping.

export type ReadingKind = 'power' | 'interval-energy' | 'counter';
export const READING_KINDS: readonly ReadingKind[] = ['power', 'interval-energy', 'counter'];

/** One reading of a series, as the normalizer sees it. */
export interface SeriesReading {
  kind: ReadingKind;
  /** Instant of a power sample or counter value; start of an interval-energy reading (epoch ms, UTC). */
  tMs: number;
  /** Explicit end of an interval-energy reading; null means "until the next reading". */
  endMs: number | null;
  /** W for power, Wh for interval-energy and counter. */
  value: number;
  /** When wattline received it (epoch ms); the later-received of two readings at one instant wins. */
  receivedMs: number;
}

/** A reading addressed to a series: what ingest accepts and the raw log keeps. */
export interface Reading extends SeriesReading {
  siteId: string;
  channel: string;
}

/** Key of a series within one kind: readings of different kinds are normalized separately. */
export function seriesKindKey(r: Pick<Reading, 'siteId' | 'channel' | 'kind'>): string {
  return `${r.siteId}\u0000${r.channel}\u0000${r.kind}`;
}

/** Precedence when several kinds cover one bucket: counter energy wins over interval energy over power. */
export const KIND_PRECEDENCE: Record<ReadingKind, number> = { counter: 0, 'interval-energy': 1, power: 2 };

/** Longest explicit interval accepted at input (40 days), matching the normalizer's default maxSpreadMs. */
export const MAX_INTERVAL_MS = 40 * 86_400_000;
