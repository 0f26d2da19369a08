// Pure mapping of a smart-meter JSON document (the Exnaton shape, ../shared/fixtures/exnaton) to readings:
//   {"data": [{"measurement": "energy", "timestamp": "2023-02-28T23:45:00.000Z",
//              "tags": {"muid": "95ce3367-…", "quality": "measured"}, "0100011D00FF": 0.0117}, …]}
// Each record is the energy of one 15-minute interval in kWh under its OBIS register; `timestamp` is the
// interval's start (a month of data runs 00:00 … 23:45 of its days). The meter id is the site.
import type { FieldProblem } from '../../domain/errors.ts';
import type { Reading } from '../../domain/reading.ts';
import { BUCKET_MS, parseInstant } from '../../domain/time.ts';

/** OBIS register → channel: 1.29.0 active energy imported per period, 2.29.0 exported. */
export const OBIS_CHANNELS = {
  '0100011D00FF': 'import',
  '0100021D00FF': 'export',
} as const;

export type ObisCode = keyof typeof OBIS_CHANNELS;
const OBIS_CODES = Object.keys(OBIS_CHANNELS) as ObisCode[];

/** Length of one register period: 15 minutes. */
export const METER_INTERVAL_MS = BUCKET_MS;

/** One register value of one interval, as the document gave it. */
export interface MeterRecord {
  muid: string;
  obis: ObisCode;
  channel: (typeof OBIS_CHANNELS)[ObisCode];
  startMs: number;
  energyWh: number;
  /** The source's quality tag (`measured`, `estimated`, …), kept as given. */
  quality: string;
  /** Index of the record in the document, to keep the raw record. */
  row: number;
}

export type MeterDocumentResult =
  | { ok: true; records: MeterRecord[]; rows: unknown[] }
  | { ok: false; problems: FieldProblem[] };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const MAX_PROBLEMS = 20;

/** Reads a whole document (parsed JSON): every record or, when any is bad, the problems by JSON pointer. */
export function parseMeterDocument(doc: unknown): MeterDocumentResult {
  const rows = Array.isArray(doc) ? doc : isRecord(doc) ? doc['data'] : undefined;
  const base = Array.isArray(doc) ? '' : '/data';
  if (!Array.isArray(rows)) {
    return { ok: false, problems: [{ path: '/data', message: 'must be an array of readings' }] };
  }
  const problems: FieldProblem[] = [];
  const records: MeterRecord[] = [];
  rows.forEach((row: unknown, i) => {
    if (problems.length >= MAX_PROBLEMS) return;
    const at = `${base}/${i}`;
    if (!isRecord(row)) {
      problems.push({ path: at, message: 'must be an object', value: row });
      return;
    }
    const startMs = typeof row['timestamp'] === 'string' ? parseInstant(row['timestamp']) : undefined;
    if (startMs === undefined) {
      problems.push({
        path: `${at}/timestamp`,
        message: 'is not an ISO 8601 date-time with a zone',
        value: row['timestamp'],
      });
    }
    const tags = row['tags'];
    const muid = isRecord(tags) ? tags['muid'] : undefined;
    if (typeof muid !== 'string' || muid === '') {
      problems.push({ path: `${at}/tags/muid`, message: 'must be a non-empty string', value: muid });
    }
    const q = isRecord(tags) ? tags['quality'] : undefined;
    if (q !== undefined && typeof q !== 'string') {
      problems.push({ path: `${at}/tags/quality`, message: 'must be a string', value: q });
    }
    const codes = OBIS_CODES.filter((c) => c in row);
    if (codes.length === 0) {
      problems.push({ path: at, message: `has no register value (${OBIS_CODES.join(' or ')})` });
    }
    for (const obis of codes) {
      const v = row[obis];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        problems.push({ path: `${at}/${obis}`, message: 'must be a non-negative number (kWh)', value: v });
        continue;
      }
      if (startMs === undefined || typeof muid !== 'string' || muid === '') continue;
      records.push({
        muid,
        obis,
        channel: OBIS_CHANNELS[obis],
        startMs,
        energyWh: v * 1000,
        quality: typeof q === 'string' ? q : 'unknown',
        row: i,
      });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, records, rows };
}

/** Interval-energy readings of records: Wh in [start, start + 15 min), received at `receivedMs`. */
export function meterReadings(records: readonly MeterRecord[], receivedMs: number): Reading[] {
  return records.map((r) => ({
    siteId: r.muid,
    channel: r.channel,
    kind: 'interval-energy',
    tMs: r.startMs,
    endMs: r.startMs + METER_INTERVAL_MS,
    value: r.energyWh,
    receivedMs,
  }));
}

/** The key of a meter's register series, for high-water marks. */
export function meterSeriesKey(muid: string, channel: string): string {
  return `${muid}\u0000${channel}`;
}
