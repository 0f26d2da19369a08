// Bulk writes for the PostgreSQL backend: COPY ... FROM STDIN in text format through pg-copy-streams, the
// fastest way into PostgreSQL from Node (about 2× unnest arrays, 3× multi-row VALUES; DESIGN §8). Rows
// are encoded straight to text lines and sent in chunks, with no per-row objects or parameters.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BinaryCopyWriter } from './postgres-binary-copy.ts';

/** Characters COPY's text format gives a meaning: the backslash, the column and row separators. */
const SPECIAL = /[\\\t\n\r]/;

/** A text value escaped for COPY's text format. */
export function copyText(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** A number for COPY: JavaScript's shortest round-trip form, which PostgreSQL parses back exactly
 * (Infinity, -Infinity and NaN included); null is COPY's NULL. */
export function copyNumber(value: number | null): string {
  return value === null ? '\\N' : String(value);
}

/** About how many characters go to the server per write. */
const CHUNK_CHARS = 1 << 16;

/** Runs a COPY ... FROM STDIN statement, feeding it `count` rows, row i encoded by `line(i)` (no newline). */
export async function copyRows(
  client: pg.ClientBase,
  sql: string,
  count: number,
  line: (i: number) => string,
): Promise<void> {
  if (count === 0) return;
  function* chunks(): Generator<string> {
    let buf = '';
    for (let i = 0; i < count; i++) {
      buf += `${line(i)}\n`;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
    if (buf.length > 0) yield buf;
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), client.query(copyFrom(sql)));
}

/** Runs a binary COPY ... FROM STDIN of the rows a BinaryCopyWriter holds (the writer is finished here). */
export async function copyBinary(client: pg.ClientBase, sql: string, rows: BinaryCopyWriter): Promise<void> {
  await pipeline(Readable.from(rows.finish()), client.query(copyFrom(sql)));
}
