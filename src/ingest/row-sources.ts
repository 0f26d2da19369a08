// Streams reading rows out of files: CSV (header row, common column aliases), NDJSON, and JSON documents
// (an array of rows, {readings: [...]}, or seed-style {spaceship_id, units, data} payloads). Each row
// comes with its line (or index) so that problems can be reported where they are; rows are handed over
// in arrays.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type Options, parse } from 'csv-parse';
import { WattlineError } from '../domain/errors.ts';
import type { ReadingRow } from '../domain/reading-input.ts';

export interface SourcedRow {
  row: ReadingRow;
  /** Where the row is: a line number, or a JSON pointer such as `/data/3` (see whereOf). */
  at: number | string;
}

/** `line 12` or `/data/3`: built only for a row that is reported, not for every row. */
export function whereOf(row: SourcedRow): string {
  return typeof row.at === 'number' ? `line ${row.at}` : row.at;
}

/** Rows handed over per array: one await per row cost more than parsing it. */
const ROWS_PER_YIELD = 1_024;

export interface RowDefaults {
  channel?: string;
  unit?: string;
  kind?: string;
}

const ALIASES: Record<keyof ReadingRow, string[]> = {
  site: ['site', 'site_id', 'siteid', 'spaceship_id', 'muid', 'meter', 'device'],
  channel: ['channel', 'series'],
  kind: ['kind', 'type'],
  t: ['t', 'time', 'datetime', 'timestamp', 'ts', 'start'],
  end: ['end', 'end_time', 'until'],
  value: ['value', 'val', 'reading'],
  unit: ['unit', 'units'],
};

/** Maps an object with any of the known column names to a ReadingRow. */
export function toReadingRow(obj: Record<string, unknown>, defaults: RowDefaults): ReadingRow {
  const lower = new Map(Object.entries(obj).map(([k, v]) => [k.toLowerCase(), v]));
  const pick = (field: keyof ReadingRow) => {
    for (const name of ALIASES[field]) if (lower.has(name)) return lower.get(name);
    return undefined;
  };
  return {
    site: pick('site'),
    channel: pick('channel') ?? defaults.channel,
    kind: pick('kind') ?? defaults.kind,
    t: pick('t'),
    end: pick('end'),
    value: pick('value'),
    unit: pick('unit') ?? defaults.unit,
  };
}

/** File format from its name. */
export function formatOf(path: string): 'csv' | 'ndjson' | 'json' {
  if (/\.(ndjson|jsonl)$/i.test(path)) return 'ndjson';
  if (/\.json$/i.test(path)) return 'json';
  return 'csv';
}

/** Rows of a file in the format its name says, in arrays, reporting bytes read as it goes. */
export function readRows(
  path: string,
  defaults: RowDefaults,
  onBytes: (n: number) => void,
): AsyncIterable<SourcedRow[]> {
  const format = formatOf(path);
  if (format === 'json') return inArrays(jsonRows(path, defaults, onBytes));
  const input = createReadStream(path);
  input.on('data', (chunk) => onBytes(chunk.length));
  return format === 'csv' ? csvRows(input, defaults) : inArrays(ndjsonRows(input, defaults));
}

/** Groups single rows into arrays of up to ROWS_PER_YIELD. */
async function* inArrays(rows: AsyncIterable<SourcedRow>): AsyncGenerator<SourcedRow[]> {
  let out: SourcedRow[] = [];
  for await (const r of rows) {
    out.push(r);
    if (out.length >= ROWS_PER_YIELD) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/** Which field of a record each ReadingRow field is read from (by the header), as toReadingRow picks. */
type ColumnIndex = { [K in keyof ReadingRow]: number | undefined };

function columnIndex(header: readonly string[]): ColumnIndex {
  // The last of equal names wins, as when the record was an object keyed by the header.
  const byName = new Map<string, number>();
  for (const [i, name] of header.entries()) byName.set(name.toLowerCase(), i);
  const pick = (field: keyof ReadingRow) => {
    for (const name of ALIASES[field]) if (byName.has(name)) return byName.get(name);
    return undefined;
  };
  return {
    site: pick('site'),
    channel: pick('channel'),
    kind: pick('kind'),
    t: pick('t'),
    end: pick('end'),
    value: pick('value'),
    unit: pick('unit'),
  };
}

/** A CSV record with the line it ends on. */
interface CsvRecord {
  fields: string[];
  line: number;
}

/** Streams rows of a CSV file with a header row. */
async function* csvRows(input: Readable, defaults: RowDefaults): AsyncGenerator<SourcedRow[]> {
  // Records as arrays, each tagged with its line by on_record: csv-parse's `info` option builds a large
  // object per record, a third of the import's time when it was on.
  const options: Options<CsvRecord, string[]> = {
    skip_empty_lines: true,
    trim: true,
    bom: true,
    on_record: (fields, { lines }) => ({ fields, line: lines }),
  };
  // csv-parse types on_record for object records only (with `columns`); array records are fine at run time.
  const parser = parse(options as unknown as Options);
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let columns: ColumnIndex | undefined;
  for await (const records of readableBatches<CsvRecord>(parser)) {
    const out: SourcedRow[] = [];
    for (const { fields, line } of records) {
      if (columns === undefined) {
        columns = columnIndex(fields);
        continue;
      }
      const c = columns;
      const row: ReadingRow = {
        site: c.site === undefined ? undefined : fields[c.site],
        channel: c.channel === undefined ? defaults.channel : fields[c.channel],
        kind: c.kind === undefined ? defaults.kind : fields[c.kind],
        t: c.t === undefined ? undefined : fields[c.t],
        end: c.end === undefined ? undefined : fields[c.end],
        value: c.value === undefined ? undefined : fields[c.value],
        unit: c.unit === undefined ? defaults.unit : fields[c.unit],
      };
      out.push({ row, at: line });
    }
    if (out.length > 0) yield out;
  }
}

/** The objects of a readable object stream, in arrays of what is buffered (one await per array, not per
 * object). */
async function* readableBatches<T>(stream: Readable): AsyncGenerator<T[]> {
  for (;;) {
    if (stream.errored) throw stream.errored;
    const out: T[] = [];
    while (out.length < ROWS_PER_YIELD) {
      const item = stream.read() as T | null;
      if (item === null) break;
      out.push(item);
    }
    if (out.length > 0) {
      yield out;
      continue;
    }
    if (stream.readableEnded) return;
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        stream.off('readable', done).off('end', done).off('error', settle);
        if (error) reject(error);
        else resolve();
      };
      const done = () => settle();
      stream.on('readable', done).on('end', done).on('error', settle);
    });
  }
}

/** Streams rows of a newline-delimited JSON file. */
async function* ndjsonRows(input: Readable, defaults: RowDefaults): AsyncGenerator<SourcedRow> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (text.trim() === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new WattlineError('invalid-json', `line ${line}: not valid JSON (${(e as Error).message})`);
    }
    yield { row: toReadingRow((obj ?? {}) as Record<string, unknown>, defaults), at: line };
  }
}

/** Rows of a whole JSON document (read at once: use CSV or NDJSON for very large files). */
async function* jsonRows(
  path: string,
  defaults: RowDefaults,
  onBytes: (n: number) => void,
): AsyncGenerator<SourcedRow> {
  const text = await readFile(path, 'utf8');
  onBytes(Buffer.byteLength(text));
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new WattlineError('invalid-json', `${path}: not valid JSON (${(e as Error).message})`);
  }
  const docs = Array.isArray(doc) && doc.every(isSeedPayload) ? doc : [doc];
  for (const [d, item] of docs.entries()) {
    const prefix = docs.length > 1 ? `/${d}` : '';
    if (isSeedPayload(item)) {
      for (const [i, p] of item.data.entries()) {
        const row = toReadingRow(
          { site: item.spaceship_id, t: p.datetime, value: p.value, unit: item.units },
          {
            ...defaults,
            channel: defaults.channel ?? 'consumption',
          },
        );
        yield { row, at: `${prefix}/data/${i}` };
      }
      continue;
    }
    const list = Array.isArray(item) ? item : ((item as { readings?: unknown[] })?.readings ?? []);
    for (const [i, r] of list.entries()) {
      yield { row: toReadingRow((r ?? {}) as Record<string, unknown>, defaults), at: `${prefix}/${i}` };
    }
  }
}

interface SeedPayload {
  spaceship_id: unknown;
  units: unknown;
  data: { datetime: unknown; value: unknown }[];
}

function isSeedPayload(x: unknown): x is SeedPayload {
  return typeof x === 'object' && x !== null && 'spaceship_id' in x && Array.isArray((x as SeedPayload).data);
}
