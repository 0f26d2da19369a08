// Rollups of 15-minute energy by calendar period in the site's zone (DST-correct: a local day has 92, 96
// or 100 slots) and by recurring period (weekday, hour of day). Coverage compares the data found with the
// slots the window holds, so a gap shows as low coverage, never as low energy.
import { BUCKET_MS, formatInstant } from '../domain/time.ts';
import { instantOfWall, isoWeekLabel, type LocalSlot, localClock } from './local-calendar.ts';
import type { SlotValue } from './series-grid.ts';

export const ROLLUP_INTERVALS = ['15min', 'hour', 'day', 'week', 'month', 'weekday', 'hour-of-day'] as const;
export type RollupInterval = (typeof ROLLUP_INTERVALS)[number];

export interface RollupRow {
  /** Period label: an instant (15min, hour), 2024-03-31, 2024-W13, 2024-03, Mon, 07. */
  period: string;
  /** First instant of the period (epoch ms); null for recurring periods (weekday, hour of day). */
  startMs: number | null;
  /** Sum of the slots' energy (Wh). */
  energyWh: number;
  /** Mean energy per slot with data (Wh). */
  meanWh: number;
  minWh: number;
  maxWh: number;
  /** Slots with data. */
  count: number;
  /** Slots the window holds in this period. */
  expected: number;
  /** Share of the period's slots backed by data (0..1). */
  coverage: number;
}

const WEEKDAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface Key {
  key: string;
  order: number;
  startMs: number | null;
}

function keyOf(interval: RollupInterval, tMs: number, s: LocalSlot, clock: (t: number) => LocalSlot): Key {
  switch (interval) {
    case '15min':
      return { key: formatInstant(tMs), order: tMs, startMs: tMs };
    case 'hour': {
      // A local hour, as instants: the repeated hour of a DST change is two separate hours.
      const hourStart = tMs - s.minute * 60_000;
      return { key: formatInstant(hourStart), order: hourStart, startMs: hourStart };
    }
    case 'day': {
      const wall = Date.parse(`${s.date}T00:00:00Z`);
      return { key: s.date, order: wall, startMs: instantOfWall(wall, clock) };
    }
    case 'week': {
      const wall = Date.parse(`${s.date}T00:00:00Z`) - (s.isoWeekday - 1) * 86_400_000;
      return { key: isoWeekLabel(s.wallMs), order: wall, startMs: instantOfWall(wall, clock) };
    }
    case 'month': {
      const wall = Date.parse(`${s.date.slice(0, 7)}-01T00:00:00Z`);
      return { key: s.date.slice(0, 7), order: wall, startMs: instantOfWall(wall, clock) };
    }
    case 'weekday':
      return { key: WEEKDAY_LABELS[s.isoWeekday - 1]!, order: s.isoWeekday, startMs: null };
    case 'hour-of-day':
      return { key: String(s.hour).padStart(2, '0'), order: s.hour, startMs: null };
  }
}

interface Acc extends Key {
  energyWh: number;
  minWh: number;
  maxWh: number;
  count: number;
  coverageSum: number;
  expected: number;
}

/**
 * Rolls up the slots of [fromMs, toMs) (15-minute aligned) by `interval` in `timeZone`. Points outside the
 * window are ignored; rows are in time order (recurring periods: Monday first, hour 00 first).
 */
export function rollup(
  points: readonly SlotValue[],
  interval: RollupInterval,
  timeZone: string,
  fromMs: number,
  toMs: number,
): RollupRow[] {
  const clock = localClock(timeZone);
  const rows = new Map<string, Acc>();
  const accFor = (tMs: number): Acc => {
    const k = keyOf(interval, tMs, clock(tMs), clock);
    let a = rows.get(k.key);
    if (a === undefined) {
      a = { ...k, energyWh: 0, minWh: Infinity, maxWh: -Infinity, count: 0, coverageSum: 0, expected: 0 };
      rows.set(k.key, a);
    }
    return a;
  };
  for (let t = fromMs; t < toMs; t += BUCKET_MS) accFor(t).expected++;
  for (const p of points) {
    if (p.tMs < fromMs || p.tMs >= toMs || p.coverage <= 0 || !Number.isFinite(p.energyWh)) continue;
    const a = accFor(p.tMs);
    a.energyWh += p.energyWh;
    a.minWh = Math.min(a.minWh, p.energyWh);
    a.maxWh = Math.max(a.maxWh, p.energyWh);
    a.count++;
    a.coverageSum += Math.min(1, p.coverage);
  }
  return [...rows.values()]
    .sort((a, b) => a.order - b.order)
    .map((a) => ({
      period: a.key,
      startMs: a.startMs,
      energyWh: a.energyWh,
      meanWh: a.count > 0 ? a.energyWh / a.count : Number.NaN,
      minWh: a.count > 0 ? a.minWh : Number.NaN,
      maxWh: a.count > 0 ? a.maxWh : Number.NaN,
      count: a.count,
      expected: a.expected,
      coverage: a.expected > 0 ? a.coverageSum / a.expected : 0,
    }));
}
