// Pure helpers for reading Powerwall gateway payloads: typed results instead of exceptions, and the
// gateway's time format. Nothing here throws on odd input: bodies come from firmware we do not control.

/** Why a payload could not be used. */
export type PowerwallMapErrorKind =
  | 'empty-body'
  | 'not-json'
  | 'not-an-object'
  | 'missing-field'
  | 'bad-value'
  | 'gateway-error';

export interface PowerwallMapError {
  kind: PowerwallMapErrorKind;
  /** Human-readable, names the field or shows the start of the body. */
  detail: string;
}

export type MapResult<T> =
  | { ok: true; value: T; warnings: string[] }
  | { ok: false; error: PowerwallMapError };

export function mapOk<T>(value: T, warnings: string[] = []): MapResult<T> {
  return { ok: true, value, warnings };
}

export function mapFail<T>(kind: PowerwallMapErrorKind, detail: string): MapResult<T> {
  return { ok: false, error: { kind, detail } };
}

/** The start of a body for messages, on one line. */
export function preview(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** Parses a response body as JSON: an empty body and non-JSON (e.g. a proxy's `TIMEOUT!`) are typed errors. */
export function decodeJsonBody(text: string): MapResult<unknown> {
  if (text.trim() === '') return mapFail('empty-body', 'the body is empty');
  try {
    return mapOk(JSON.parse(text) as unknown);
  } catch {
    return mapFail('not-json', `the body is not JSON: ${JSON.stringify(preview(text))}`);
  }
}

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A finite number, or undefined (strings, NaN, null and absent fields are not numbers). */
export function finiteNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function stringField(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

export function booleanField(o: JsonObject, key: string): boolean | undefined {
  const v = o[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** Go's zero time: the gateway writes it for "never". */
const NEVER_RE = /^0001-01-01T00:00:00(?:\.0+)?(?:Z|[+-]00:?00)$/;
// RFC 3339 with up to nanoseconds and a mandatory zone, as Go's time.RFC3339Nano writes it.
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Epoch ms of a gateway timestamp such as `2021-12-26T13:09:22.321056599-07:00` (nanoseconds are truncated
 * to ms); null for Go's zero time `0001-01-01T00:00:00Z` (never); undefined when it is not a valid instant.
 */
export function parseGatewayTime(v: unknown): number | null | undefined {
  if (typeof v !== 'string') return undefined;
  if (NEVER_RE.test(v)) return null;
  const m = RFC3339_RE.exec(v);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60)
    return undefined;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), month - 1, day);
  if (date.getUTCDate() !== day) return undefined;
  date.setUTCHours(
    Number(h),
    Number(mi),
    Number(s),
    frac === undefined ? 0 : Number(frac.padEnd(9, '0').slice(0, 3)),
  );
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== undefined) {
    const sign = zone[0] === '-' ? -1 : 1;
    offsetMin = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  return date.getTime() - offsetMin * 60_000;
}

/** Go duration text as the gateway writes `up_time_seconds` (`230h55m59.932079901s`) in seconds. */
export function parseGoDurationS(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$/.exec(v);
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}
