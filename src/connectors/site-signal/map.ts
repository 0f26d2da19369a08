// Pure mapping of a fleet "site-signal" answer to readings. The wire shape is the one the seed's collector
// read from te-data-test.herokuapp.com (`GET /api/signals?token=…&site=…`):
//   {"site": "4b78aae6", "timestamp": "Wed, 25 Nov 2020 18:19:24 GMT",
//    "signals": {"SITE_SM_batteryInstPower": W, "SITE_SM_siteInstPower": W, "SITE_SM_solarInstPower": W}}
// The flat form of the issue (signals beside `site`) and the seed's logging rows
// (`2020-11-26 21:20:01 UTC` timestamps, ../shared/fixtures/site-signal) are accepted as well.
// Signs already follow DESIGN §2: battery + = discharging, site + = import, solar + = production.
import type { Reading } from '../../domain/reading.ts';
import { parseInstant } from '../../domain/time.ts';

/** Signal name → channel. `load` is derived: load = grid + battery + solar (DESIGN §2). */
export const SITE_SIGNALS = {
  SITE_SM_batteryInstPower: 'battery',
  SITE_SM_siteInstPower: 'grid',
  SITE_SM_solarInstPower: 'solar',
} as const;

export type SignalName = keyof typeof SITE_SIGNALS;
const SIGNAL_NAMES = Object.keys(SITE_SIGNALS) as SignalName[];

export interface SiteSignalPayload {
  site: string;
  /** The payload's own time (epoch ms). */
  payloadMs: number;
  /** Signal values in W; null where the source sent NaN, null or nothing. */
  signals: Record<SignalName, number | null>;
}

export type MapResult =
  | { ok: true; payload: SiteSignalPayload; readings: Reading[] }
  | { ok: false; error: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// RFC 7231 IMF-fixdate, as Flask's jsonify renders datetimes: `Wed, 25 Nov 2020 18:19:24 GMT`.
const HTTP_DATE_RE =
  /^(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:GMT|UTC)$/;
// BigQuery's rendering in the seed's logging table: `2020-11-26 21:20:01 UTC`.
const SQL_UTC_RE = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) UTC$/;

/** Epoch ms of a site-signal timestamp (HTTP-date, `YYYY-MM-DD hh:mm:ss UTC`, ISO 8601, or epoch s/ms). */
export function parseSignalTime(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    return value < 1e11 ? value * 1000 : value; // epoch seconds or milliseconds
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const http = HTTP_DATE_RE.exec(text);
  if (http) {
    const month = MONTHS.indexOf(http[2]!.toLowerCase());
    if (month < 0) return undefined;
    const iso = `${http[3]}-${String(month + 1).padStart(2, '0')}-${http[1]!.padStart(2, '0')}T${http[4]}:${http[5]}:${http[6]}Z`;
    return parseInstant(iso);
  }
  const sql = SQL_UTC_RE.exec(text);
  if (sql) return parseInstant(`${sql[1]}T${sql[2]}Z`);
  return parseInstant(text);
}

/** A signal value in W: finite numbers and numeric strings; NaN, null, 'nan' and the like are null. */
function signalValue(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  return typeof value === 'string' && value.trim() === '' ? null : Number.isFinite(n) ? n : null;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Reads one answer (already JSON-parsed) into its typed payload, or says what is wrong with it. */
export function parseSiteSignal(
  body: unknown,
): { ok: true; payload: SiteSignalPayload } | { ok: false; error: string } {
  if (!isRecord(body)) return { ok: false, error: 'the answer is not a JSON object' };
  const site = body['site'];
  if (typeof site !== 'string' || site === '') return { ok: false, error: 'no "site" in the answer' };
  const payloadMs = parseSignalTime(body['timestamp']);
  if (payloadMs === undefined)
    return { ok: false, error: `unreadable "timestamp": ${JSON.stringify(body['timestamp'] ?? null)}` };
  const source = isRecord(body['signals']) ? body['signals'] : body;
  const signals = {} as Record<SignalName, number | null>;
  for (const name of SIGNAL_NAMES) signals[name] = signalValue(source[name]);
  if (SIGNAL_NAMES.every((n) => signals[n] === null))
    return { ok: false, error: 'the answer has no signals' };
  return { ok: true, payload: { site, payloadMs, signals } };
}

/** Power readings of one payload at its own timestamp, received at `receivedMs`; load only when all three are present. */
export function signalReadings(p: SiteSignalPayload, receivedMs: number): Reading[] {
  const out: Reading[] = [];
  const at = (channel: string, value: number): Reading => ({
    siteId: p.site,
    channel,
    kind: 'power',
    tMs: p.payloadMs,
    endMs: null,
    value,
    receivedMs,
  });
  for (const name of SIGNAL_NAMES) {
    const v = p.signals[name];
    if (v !== null) out.push(at(SITE_SIGNALS[name], v));
  }
  const { SITE_SM_batteryInstPower: b, SITE_SM_siteInstPower: g, SITE_SM_solarInstPower: s } = p.signals;
  if (b !== null && g !== null && s !== null) out.push(at('load', g + b + s));
  return out;
}

/** Parses and maps one answer in a single step. */
export function mapSiteSignal(body: unknown, receivedMs: number): MapResult {
  const parsed = parseSiteSignal(body);
  if (!parsed.ok) return parsed;
  return { ok: true, payload: parsed.payload, readings: signalReadings(parsed.payload, receivedMs) };
}
