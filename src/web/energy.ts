// Pure arithmetic of the dashboard: daily energy in a site's time zone, the 15-minute table, rollups
// computed from buckets, and aligning per-channel samples into chart columns. No DOM: tested under node.
import { localParts } from '../domain/time-zone.ts';

/** A bucket as GET /v1/sites/{id}/buckets answers it. */
export interface BucketWire {
  channel: string;
  bucketStart: string;
  energyWh: number;
  positiveWh: number;
  negativeWh: number;
  coverage: number;
  samples: number;
  minPowerW: number | null;
  maxPowerW: number | null;
  quality: string;
}

/** Energy of one local day, Wh, by DESIGN §2 signs (grid + = import, solar + = production). */
export interface DailyEnergy {
  date: string;
  importWh: number;
  exportWh: number;
  solarWh: number;
  homeWh: number;
}

/** Import, export, solar and home energy per local day (`YYYY-MM-DD` in `timeZone`), by date. */
export function dailyEnergy(buckets: readonly BucketWire[], timeZone: string): DailyEnergy[] {
  const days = new Map<string, DailyEnergy>();
  for (const b of buckets) {
    const date = localParts(Date.parse(b.bucketStart), timeZone).date;
    let d = days.get(date);
    if (d === undefined) {
      d = { date, importWh: 0, exportWh: 0, solarWh: 0, homeWh: 0 };
      days.set(date, d);
    }
    if (b.channel === 'grid') {
      d.importWh += b.positiveWh;
      d.exportWh += b.negativeWh;
    } else if (b.channel === 'solar') d.solarWh += b.positiveWh;
    else if (b.channel === 'load' || b.channel === 'consumption') d.homeWh += b.positiveWh;
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

export interface EnergyRow {
  bucketStartMs: number;
  /** Net energy per channel (Wh); absent where the channel has no bucket. */
  energyWh: Record<string, number>;
}

/** One row per bucket start, one net-energy column per channel, in time order. */
export function energyTable(buckets: readonly BucketWire[]): { channels: string[]; rows: EnergyRow[] } {
  const channels = new Set<string>();
  const rows = new Map<number, EnergyRow>();
  for (const b of buckets) {
    channels.add(b.channel);
    const t = Date.parse(b.bucketStart);
    let row = rows.get(t);
    if (row === undefined) {
      row = { bucketStartMs: t, energyWh: {} };
      rows.set(t, row);
    }
    row.energyWh[b.channel] = b.energyWh;
  }
  return {
    channels: [...channels].sort(),
    rows: [...rows.values()].sort((a, b) => a.bucketStartMs - b.bucketStartMs),
  };
}

export type RollupInterval = 'hour' | 'day' | 'week' | 'weekday';

export interface RollupRow {
  /** Local hour (`2026-01-01 13h`), date, ISO week start date or weekday name. */
  key: string;
  energyWh: number;
  buckets: number;
  /** Mean coverage of the buckets, 0..1. */
  coverage: number;
}

const WEEKDAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function shiftDate(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Net energy of one channel's buckets rolled up by local hour, day, ISO week (by its Monday) or weekday. */
export function rollup(
  buckets: readonly BucketWire[],
  timeZone: string,
  interval: RollupInterval,
): RollupRow[] {
  const acc = new Map<string, { order: string; energyWh: number; buckets: number; coverage: number }>();
  for (const b of buckets) {
    const p = localParts(Date.parse(b.bucketStart), timeZone);
    let key: string;
    let order: string;
    if (interval === 'hour') key = order = `${p.date} ${String(p.hour).padStart(2, '0')}h`;
    else if (interval === 'day') key = order = p.date;
    else if (interval === 'week') key = order = shiftDate(p.date, 1 - p.isoWeekday);
    else {
      key = WEEKDAY_NAMES[p.isoWeekday] ?? '?';
      order = String(p.isoWeekday);
    }
    let a = acc.get(key);
    if (a === undefined) {
      a = { order, energyWh: 0, buckets: 0, coverage: 0 };
      acc.set(key, a);
    }
    a.energyWh += b.energyWh;
    a.buckets += 1;
    a.coverage += b.coverage;
  }
  return [...acc.entries()]
    .sort((x, y) => x[1].order.localeCompare(y[1].order))
    .map(([key, a]) => ({ key, energyWh: a.energyWh, buckets: a.buckets, coverage: a.coverage / a.buckets }));
}

/** Samples of several channels as chart columns: shared ascending x (seconds) and one y array each. */
export interface AlignedColumns {
  xSec: number[];
  ys: (number | null)[][];
}

/**
 * Aligns per-channel samples on the union of their instants (seconds, as uPlot wants), null where a
 * channel has no sample at an instant; of two samples of a channel at one instant the later wins. A merge
 * of per-channel sorted runs, linear for the usual input (sorted by channel then time): a week of 5-second
 * data is 120 k instants per channel.
 */
export function alignSamples(
  channels: readonly string[],
  samples: readonly { channel: string; tMs: number; value: number }[],
): AlignedColumns {
  const index = new Map(channels.map((c, i) => [c, i]));
  const runs = channels.map(() => ({ t: [] as number[], v: [] as number[], sorted: true }));
  for (const s of samples) {
    const i = index.get(s.channel);
    if (i === undefined) continue;
    const run = runs[i]!;
    const last = run.t[run.t.length - 1];
    if (last !== undefined && s.tMs < last) run.sorted = false;
    run.t.push(s.tMs);
    run.v.push(s.value);
  }
  for (const run of runs) {
    if (run.sorted) continue;
    // Stable: of equal instants the later sample stays later, and wins below.
    const order = run.t.map((_, k) => k).sort((a, b) => run.t[a]! - run.t[b]!);
    run.t = order.map((k) => run.t[k]!);
    run.v = order.map((k) => run.v[k]!);
  }
  const xSec: number[] = [];
  const ys: (number | null)[][] = channels.map(() => []);
  const pos = runs.map(() => 0);
  for (;;) {
    let minT = Number.POSITIVE_INFINITY;
    for (let c = 0; c < runs.length; c++) {
      const t = runs[c]!.t[pos[c]!];
      if (t !== undefined && t < minT) minT = t;
    }
    if (minT === Number.POSITIVE_INFINITY) break;
    xSec.push(minT / 1000);
    for (let c = 0; c < runs.length; c++) {
      const run = runs[c]!;
      let value: number | null = null;
      while (run.t[pos[c]!] === minT) {
        value = run.v[pos[c]!]!;
        pos[c]!++;
      }
      ys[c]!.push(value);
    }
  }
  return { xSec, ys };
}

/** Epoch ms of local midnight starting `date` (`YYYY-MM-DD`) in `timeZone`, DST-correct. */
export function localMidnightMs(date: string, timeZone: string): number {
  const guessMs = Date.parse(`${date}T00:00:00Z`);
  // The offset is at most ±14 h: step from the UTC guess by the local clock's distance to midnight.
  let t = guessMs;
  for (let i = 0; i < 3; i++) {
    const p = localParts(t, timeZone);
    const localAsUtc = Date.parse(
      `${p.date}T${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}:00Z`,
    );
    const diff = localAsUtc - guessMs;
    if (diff === 0) return t;
    t -= diff;
  }
  // No local midnight that day (a DST jump at 00:00): the day starts at the first instant after it.
  return t;
}
