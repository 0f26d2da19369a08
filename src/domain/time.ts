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

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil; any year). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Epoch ms of a UTC calendar date and time, by arithmetic (no Date objects: a POST parses hundreds of
 * instants). Unlike Date.UTC, years 0-99 are not taken as 1900-1999.
 */
function utcMs(
  year: number,
  month: number,
  day: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): number {
  return daysFromCivil(year, month, day) * DAY_MS + h * HOUR_MS + mi * 60_000 + s * 1000 + ms;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** The decimal value of `count` ASCII digits of `text` from `at`, or -1 when one is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The fields of the common form `YYYY-MM-DDTHH:MM:SSZ` (or with '-' between the time's fields), read
 * without the regular expression; undefined for any other text, which then takes the general path.
 */
function canonicalFields(text: string): [number, number, number, number, number, number] | undefined {
  if (text.length !== 20) return undefined;
  const sep = text.charCodeAt(13);
  const t = text.charCodeAt(10);
  const z = text.charCodeAt(19);
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    (t !== 84 && t !== 116 && t !== 32) ||
    (sep !== 58 && sep !== 45) ||
    text.charCodeAt(16) !== sep ||
    (z !== 90 && z !== 122)
  ) {
    return undefined;
  }
  const fields: [number, number, number, number, number, number] = [
    digitsAt(text, 0, 4),
    digitsAt(text, 5, 2),
    digitsAt(text, 8, 2),
    digitsAt(text, 11, 2),
    digitsAt(text, 14, 2),
    digitsAt(text, 17, 2),
  ];
  return fields.includes(-1) ? undefined : fields;
}

/** Epoch ms of checked calendar fields, or undefined when they name no real instant (February 30th). */
function checkedUtcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return utcMs(year, month, day, hour, minute, second, ms);
}

/**
 * Parses an ISO 8601 instant (with Z or an offset, optional fractional seconds down to nanoseconds)
 * or the seed's `YYYY-MM-DDTHH-MM-SSZ` form into epoch milliseconds. Returns undefined for anything
 * else, including impossible dates such as February 30th.
 */
export function parseInstant(text: string): number | undefined {
  const f = canonicalFields(text);
  if (f !== undefined) return checkedUtcMs(f[0], f[1], f[2], f[3], f[4], f[5], 0);
  const m = INSTANT_RE.exec(text);
  if (!m) return undefined;
  const [, ys, mos, ds, hs, , mis, ss, frac, zone] = m as unknown as string[];
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = ss === undefined ? 0 : Number(ss);
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
  const local = checkedUtcMs(year, month, day, hour, minute, second, ms);
  return local === undefined ? undefined : local - offsetMin * 60_000;
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
