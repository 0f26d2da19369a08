// Turning loosely typed input rows (CSV, JSON, push bodies) into readings, with every problem named by
// its field path. Pure: used by the API, the importer and the connectors alike.
import type { FieldProblem } from './errors.ts';
import { MAX_INTERVAL_MS, READING_KINDS, type Reading, type ReadingKind } from './reading.ts';
import { INSTANT_FORMATS, parseInstant } from './time.ts';
import { isPowerUnit, toBase, UNITS, type Unit } from './units.ts';

/** Receives one field problem. */
export type ReportProblem = (problem: FieldProblem) => void;

/**
 * Checks the rules of an interval end that parsed: only interval-energy readings have one, it comes after
 * t, and spans at most MAX_INTERVAL_MS. Reports each broken rule at `path`; true when the end is usable.
 */
export function checkIntervalEnd(
  kind: ReadingKind | undefined,
  tMs: number | undefined,
  endMs: number,
  value: unknown,
  path: string,
  report: ReportProblem,
): boolean {
  let message: string | undefined;
  if (kind !== undefined && kind !== 'interval-energy') message = 'only interval-energy readings have an end';
  else if (tMs !== undefined && endMs <= tMs) message = 'must be after t';
  else if (tMs !== undefined && endMs - tMs > MAX_INTERVAL_MS)
    message = 'an interval may span at most 40 days';
  if (message !== undefined) report({ path, message, value });
  return message === undefined;
}

/** Reports a unit that does not fit the kind: power takes W, kW or MW; the energy kinds Wh, kWh or MWh. */
export function checkUnitFitsKind(
  kind: ReadingKind,
  unit: Unit,
  value: unknown,
  path: string,
  report: ReportProblem,
): void {
  if (isPowerUnit(unit) === (kind === 'power')) return;
  const expected = kind === 'power' ? 'W, kW or MW' : 'Wh, kWh or MWh';
  report({ path, message: `a ${kind} reading takes ${expected}`, value });
}

/** Parses a date-time field or records a problem at `path`. */
export function readInstant(value: unknown, path: string, problems: FieldProblem[]): number | undefined {
  const ms = typeof value === 'string' ? parseInstant(value.trim()) : undefined;
  if (ms === undefined)
    problems.push({ path, message: `not a valid date-time: expected ${INSTANT_FORMATS}`, value });
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
  const report: ReportProblem = (p) => problems.push(p);
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
    if (UNITS.includes(unit)) checkUnitFitsKind(kind, unit, row.unit, `${basePath}/unit`, report);
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
    const parsed = readInstant(row.end, `${basePath}/end`, problems);
    if (parsed !== undefined && checkIntervalEnd(kind, tMs, parsed, row.end, `${basePath}/end`, report)) {
      endMs = parsed;
    }
  }
  const value = readNumber(row.value, `${basePath}/value`, problems);
  if (problems.length > before || kind === undefined || tMs === undefined || value === undefined)
    return undefined;
  return { siteId, channel, kind, tMs, endMs, value: toBase(value, unit), receivedMs };
}
