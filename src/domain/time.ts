/** What parseInstant accepts, for error messages and API docs. */
export const INSTANT_FORMATS =
  'ISO 8601 date-time with Z or an offset (2018-08-24T00:00:00Z, 2018-08-24T02:00:00+02:00) or the form 2018-08-24T00-00-00Z';

/** Length of one bucket: 15 minutes in milliseconds. */
export const BUCKET_MS = 900_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

// ISO 8601 date-time with a mandatory zone (Z or ±hh:mm / ±hhmm). The time separator may be ':' or,
// as in the seed API's query strings (`2018-08-24T00-00-00Z`), '-', used consistently.
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2})([:-])(\d{2})(?:\5(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;

/** Epoch ms of a UTC calendar date and time. Unlike Date.UTC, years 0-99 are not taken as 1900-1999. */
function utcMs(year: number, month: number, day: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(h, mi, s, ms);
  return d.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month + 1, 0)).getUTCDate();
}

/**
 * Parses an ISO 8601 instant (with Z or an offset, optional fractional seconds down to nanoseconds)
 * or the seed's `YYYY-MM-DDTHH-MM-SSZ` form into epoch milliseconds. Returns undefined for anything
 * else, including impossible dates such as February 30th.
 */
export function parseInstant(text: string): number | undefined {
  const m = INSTANT_RE.exec(text);
  if (!m) return undefined;
  const [, ys, mos, ds, hs, , mis, ss, frac, zone] = m as unknown as string[];
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = ss === undefined ? 0 : Number(ss);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMin = 0;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return undefined;
    offsetMin = sign * (oh * 60 + om);
  }
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  return utcMs(year, month, day, hour, minute, second, ms) - offsetMin * 60_000;
}

/** Formats epoch milliseconds as ISO 8601 UTC, without a fraction when it is zero (`2018-08-24T00:00:00Z`). */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** "HH:MM:00Z" of each quarter hour of a day. */
const QUARTER_TIMES = Array.from({ length: 96 }, (_, q) => `${pad2(q >> 2)}:${pad2((q & 3) * 15)}:00Z`);
/** First instant of year 10000, where ISO strings grow a sign and six-digit years. */
const YEAR_10000_MS = 253_402_300_800_000;

/**
 * formatInstant for runs of bucket starts (a response of many buckets): the date part is formatted once per
 * day and the time of day comes from a table. Same output as formatInstant for every instant.
 */
export function bucketInstantFormatter(): (ms: number) => string {
  let dayMs = Number.NaN;
  let datePrefix = '';
  return (ms) => {
    const inDayMs = ms - Math.floor(ms / DAY_MS) * DAY_MS;
    if (inDayMs % BUCKET_MS !== 0 || ms < 0 || ms >= YEAR_10000_MS) return formatInstant(ms);
    if (ms - inDayMs !== dayMs) {
      dayMs = ms - inDayMs;
      datePrefix = new Date(dayMs).toISOString().slice(0, 11);
    }
    return datePrefix + QUARTER_TIMES[inDayMs / BUCKET_MS];
  };
}

/** Start of the 15-minute UTC bucket containing `ms`. */
export function bucketFloor(ms: number): number {
  return Math.floor(ms / BUCKET_MS) * BUCKET_MS;
}

/** Smallest bucket boundary at or after `ms`. */
export function bucketCeil(ms: number): number {
  return Math.ceil(ms / BUCKET_MS) * BUCKET_MS;
}
