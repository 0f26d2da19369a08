// Fast local wall-clock arithmetic for long runs of 15-minute slots. Intl is asked once per UTC hour for
// the zone's offset (and per slot only in an hour that holds a transition), so a year of slots costs
// ~9 k Intl calls instead of 35 k, and every slot is still DST-correct.
import { DAY_MS, HOUR_MS } from '../domain/time.ts';
import { localParts } from '../domain/time-zone.ts';

export const SLOTS_PER_DAY = 96;
export const SLOTS_PER_WEEK = 672;
export interface LocalSlot {
  /** Wall-clock time as if it were UTC (epoch ms): its UTC fields are the local fields. */
  wallMs: number;
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  hour: number;
  minute: number;
  /** 1 = Monday ... 7 = Sunday. */
  isoWeekday: number;
  /** Quarter hour of the local day, 0..95 (a repeated DST hour maps onto the same slots). */
  slotOfDay: number;
  /** Quarter hour of the local week from Monday 00:00, 0..671. */
  slotOfWeek: number;
}

/** Offset of the zone at `tMs` (local wall time minus UTC, ms), from Intl. */
function offsetAt(tMs: number, timeZone: string): number {
  const p = localParts(tMs, timeZone);
  const [y, m, d] = p.date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, p.hour, p.minute);
  return wall - (tMs - (((tMs % 60_000) + 60_000) % 60_000));
}

/** A cached converter from instants to local slots in one zone. */
export function localClock(timeZone: string): (tMs: number) => LocalSlot {
  const offsets = new Map<number, number>();
  const offsetCached = (tMs: number): number => {
    let o = offsets.get(tMs);
    if (o === undefined) {
      o = offsetAt(tMs, timeZone);
      offsets.set(tMs, o);
    }
    return o;
  };
  // A zone's offset changes at most once in a UTC day, so equal offsets at both ends of a day (or, inside
  // a day with a change, of an hour) hold throughout it.
  const offset = (tMs: number): number => {
    const dayStart = Math.floor(tMs / DAY_MS) * DAY_MS;
    const atDay = offsetCached(dayStart);
    if (atDay === offsetCached(dayStart + DAY_MS)) return atDay;
    const hourStart = Math.floor(tMs / HOUR_MS) * HOUR_MS;
    const atHour = offsetCached(hourStart);
    return atHour === offsetCached(hourStart + HOUR_MS) ? atHour : offsetAt(tMs, timeZone);
  };
  return (tMs) => {
    const wallMs = tMs + offset(tMs);
    const d = new Date(wallMs);
    const hour = d.getUTCHours();
    const minute = d.getUTCMinutes();
    const isoWeekday = ((d.getUTCDay() + 6) % 7) + 1;
    const slotOfDay = hour * 4 + Math.floor(minute / 15);
    return {
      wallMs,
      date: d.toISOString().slice(0, 10),
      hour,
      minute,
      isoWeekday,
      slotOfDay,
      slotOfWeek: (isoWeekday - 1) * SLOTS_PER_DAY + slotOfDay,
    };
  };
}

/** ISO week label (`2024-W09`) of a wall-clock instant. */
export function isoWeekLabel(wallMs: number): string {
  const d = new Date(wallMs);
  const day = (d.getUTCDay() + 6) % 7;
  // The Thursday of this week decides the ISO year.
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The instant at which the local wall time `wallMs` occurs (first occurrence; skipped times map forward). */
export function instantOfWall(wallMs: number, clock: (tMs: number) => LocalSlot): number {
  let t = wallMs - (clock(wallMs).wallMs - wallMs);
  // Two refinements settle any zone; near a transition the second may move by the DST shift.
  t = wallMs - (clock(t).wallMs - t);
  if (clock(t - HOUR_MS).wallMs === wallMs) t -= HOUR_MS;
  return t;
}
