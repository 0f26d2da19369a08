// The three kinds of reading (DESIGN §2). A reading is stored flat so that it can go through a
// database appender and the normalizer without reshaping.
import type { FieldProblem } from './errors.ts';

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

/**
 * The first field of a batch that no store can keep (an unknown kind, a time or value that is not a
 * finite number, an end not after its start), as a problem naming it; undefined when every reading is
 * storable. Inputs are validated at the edges; this guards the store against a caller that skipped it,
 * before anything is acknowledged.
 */
export function unstorableReading(readings: readonly Reading[]): FieldProblem | undefined {
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    const bad = unstorableField(r);
    if (bad !== undefined) {
      return { path: `/${i}/${bad[0]}`, message: bad[1], value: r[bad[0]] };
    }
  }
  return undefined;
}

function unstorableField(r: Reading): [keyof Reading, string] | undefined {
  if (!(r.kind in KIND_PRECEDENCE)) return ['kind', 'is not a reading kind'];
  if (typeof r.siteId !== 'string' || r.siteId === '') return ['siteId', 'is not a non-empty string'];
  if (typeof r.channel !== 'string' || r.channel === '') return ['channel', 'is not a non-empty string'];
  if (!Number.isFinite(r.tMs)) return ['tMs', 'is not a finite number'];
  if (!Number.isFinite(r.value)) return ['value', 'is not a finite number'];
  if (!Number.isFinite(r.receivedMs)) return ['receivedMs', 'is not a finite number'];
  if (r.endMs !== null && !(Number.isFinite(r.endMs) && r.endMs > r.tMs)) {
    return ['endMs', 'is not a finite instant after tMs'];
  }
  return undefined;
}
