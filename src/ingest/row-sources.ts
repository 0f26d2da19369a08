// Streams reading rows out of files: CSV (header row, common column aliases), NDJSON, and JSON documents
// (an array of rows, {readings: [...]}, or seed-style {spaceship_id, units, data} payloads). Each row
// comes with its line (or index) so that problems can be reported where they are.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { WattlineError } from '../domain/errors.ts';
import type { ReadingRow } from '../domain/reading-input.ts';

export interface SourcedRow {
  row: ReadingRow;
  /** Where the row is: `line 12` or `/data/3`. */
  where: string;
}

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

/** Rows of a file in the format its name says, reporting bytes read as it goes. */
export function readRows(
  path: string,
  defaults: RowDefaults,
  onBytes: (n: number) => void,
): AsyncIterable<SourcedRow> {
  const format = formatOf(path);
  if (format === 'json') return jsonRows(path, defaults, onBytes);
  const input = createReadStream(path);
  input.on('data', (chunk) => onBytes(chunk.length));
  return format === 'csv' ? csvRows(input, defaults) : ndjsonRows(input, defaults);
}

/** Streams rows of a CSV file with a header row. */
async function* csvRows(input: Readable, defaults: RowDefaults): AsyncGenerator<SourcedRow> {
  const parser = input.pipe(
    parse({ columns: true, skip_empty_lines: true, trim: true, bom: true, info: true }),
  );
  for await (const rec of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield { row: toReadingRow(rec.record, defaults), where: `line ${rec.info.lines}` };
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
    yield { row: toReadingRow((obj ?? {}) as Record<string, unknown>, defaults), where: `line ${line}` };
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
        yield { row, where: `${prefix}/data/${i}` };
      }
      continue;
    }
    const list = Array.isArray(item) ? item : ((item as { readings?: unknown[] })?.readings ?? []);
    for (const [i, r] of list.entries()) {
      yield { row: toReadingRow((r ?? {}) as Record<string, unknown>, defaults), where: `${prefix}/${i}` };
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
