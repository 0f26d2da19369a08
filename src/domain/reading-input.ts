// Turning loosely typed input rows (CSV, JSON, push bodies) into readings, with every problem named by
// its field path. Pure: used by the API, the importer and the connectors alike.
import type { FieldProblem } from './errors.ts';
import { MAX_INTERVAL_MS, READING_KINDS, type Reading, type ReadingKind } from './reading.ts';
import { parseInstant } from './time.ts';
import { isPowerUnit, toBase, UNITS, type Unit } from './units.ts';

export const DATETIME_HINT =
  'expected ISO 8601 with Z or an offset (2018-08-24T00:00:00Z) or 2018-08-24T00-00-00Z';

/** Parses a date-time field or records a problem at `path`. */
export function readInstant(value: unknown, path: string, problems: FieldProblem[]): number | undefined {
  const ms = typeof value === 'string' ? parseInstant(value.trim()) : undefined;
  if (ms === undefined) problems.push({ path, message: `not a valid date-time: ${DATETIME_HINT}`, value });
  return ms;
}

/** Parses a finite number (numbers or numeric strings) or records a problem at `path`. */
export function readNumber(value: unknown, path: string, problems: FieldProblem[]): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(n)) {
    problems.push({ path, message: 'not a finite number', value });
    return undefined;
  }
  return n;
}

/** A generic reading row: site, channel, time, value and unit; kind inferred from the unit unless given. */
export interface ReadingRow {
  site?: unknown;
  channel?: unknown;
  kind?: unknown;
  t?: unknown;
  end?: unknown;
  value?: unknown;
  unit?: unknown;
}

/**
 * Converts one row to a reading, or pushes problems (paths under `basePath`). Power units give a power
 * reading; energy units give interval energy unless kind is 'counter'.
 */
export function rowToReading(
  row: ReadingRow,
  basePath: string,
  receivedMs: number,
  problems: FieldProblem[],
): Reading | undefined {
  const before = problems.length;
  const siteId = typeof row.site === 'string' || typeof row.site === 'number' ? String(row.site).trim() : '';
  if (siteId === '') problems.push({ path: `${basePath}/site`, message: 'missing site id', value: row.site });
  const channel = typeof row.channel === 'string' ? row.channel.trim() : '';
  if (channel === '')
    problems.push({ path: `${basePath}/channel`, message: 'missing channel', value: row.channel });
  const unit = row.unit as Unit;
  if (!UNITS.includes(unit)) {
    problems.push({
      path: `${basePath}/unit`,
      message: `unknown unit; expected one of ${UNITS.join(', ')}`,
      value: row.unit,
    });
  }
  let kind: ReadingKind | undefined;
  if (row.kind === undefined || row.kind === null || row.kind === '') {
    kind = UNITS.includes(unit) ? (isPowerUnit(unit) ? 'power' : 'interval-energy') : undefined;
  } else if (READING_KINDS.includes(row.kind as ReadingKind)) {
    kind = row.kind as ReadingKind;
    if (UNITS.includes(unit) && isPowerUnit(unit) !== (kind === 'power')) {
      problems.push({
        path: `${basePath}/unit`,
        message: `unit ${unit} does not fit kind ${kind}`,
        value: row.unit,
      });
    }
  } else {
    problems.push({
      path: `${basePath}/kind`,
      message: `unknown kind; expected ${READING_KINDS.join(', ')}`,
      value: row.kind,
    });
  }
  const tMs = readInstant(row.t, `${basePath}/t`, problems);
  let endMs: number | null = null;
  if (row.end !== undefined && row.end !== null && row.end !== '') {
    endMs = readInstant(row.end, `${basePath}/end`, problems) ?? null;
    if (endMs !== null && tMs !== undefined && endMs <= tMs) {
      problems.push({ path: `${basePath}/end`, message: 'end must be after t', value: row.end });
    }
    if (endMs !== null && tMs !== undefined && endMs - tMs > MAX_INTERVAL_MS) {
      problems.push({
        path: `${basePath}/end`,
        message: 'an interval may span at most 40 days',
        value: row.end,
      });
    }
    if (kind !== undefined && kind !== 'interval-energy') {
      problems.push({
        path: `${basePath}/end`,
        message: 'only interval-energy readings have an end',
        value: row.end,
      });
    }
  }
  const value = readNumber(row.value, `${basePath}/value`, problems);
  if (problems.length > before || kind === undefined || tMs === undefined || value === undefined)
    return undefined;
  return { siteId, channel, kind, tMs, endMs, value: toBase(value, unit), receivedMs };
}
