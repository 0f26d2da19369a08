// Bulk writes for the PostgreSQL backend: COPY ... FROM STDIN in text format through pg-copy-streams, the
// fastest way into PostgreSQL from Node (about 2× unnest arrays, 3× multi-row VALUES; DESIGN §8). Rows
// are encoded straight to text lines and sent in chunks, with no per-row objects or parameters.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BinaryCopyWriter } from './postgres-binary-copy.ts';

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

/**
 * A binary COPY ... FROM STDIN in progress: rows go to `writer`, `send` hands the writer's filled buffers to
 * the connection (whole 64 KiB chunks: each socket write is a system call, and sending slice by slice
 * measured a sixth of the ingest's JavaScript time), `end` sends the rest, completes the COPY and waits for
 * the server, `cancel` abandons it. `settled` resolves (never rejects) once the COPY is over, whichever
 * way: the connection is free for the next statement.
 */
export interface OpenCopy {
  readonly writer: BinaryCopyWriter;
  readonly settled: Promise<void>;
  send(): void;
  end(): Promise<void>;
  cancel(): Promise<void>;
}

/**
 * Starts a binary COPY on `client`: the statement goes out now, or once `after` has settled (the
 * statements the caller runs before it on this connection). Rows may be written and sent before that: the
 * stream holds them until the server is ready for them. Until `end` or `cancel`, the connection runs
 * nothing else.
 */
export function startCopy(client: pg.ClientBase, sql: string, after?: Promise<unknown>): OpenCopy {
  const writer = new BinaryCopyWriter();
  const stream = copyFrom(sql);
  let submitted = false;
  let cancelled = false;
  let settleUnsent: () => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    settleUnsent = resolve;
  });
  // Observed by end or cancel; until then a failure must not count as unhandled.
  done.catch(() => undefined);
  const submit = () => {
    if (cancelled) return;
    submitted = true;
    client.query(stream);
  };
  if (after === undefined) submit();
  else after.then(submit, submit);
  const send = (buffers: Buffer[]) => {
    for (const b of buffers) stream.write(b);
  };
  return {
    writer,
    settled: done.catch(() => undefined),
    send: () => send(writer.takeFilled()),
    async end() {
      send(writer.finish());
      stream.end();
      await done;
    },
    async cancel() {
      cancelled = true;
      // Never sent: nothing reached the server.
      if (!submitted) settleUnsent();
      // CopyFail: the server ends the COPY with an error and the connection can take the ROLLBACK.
      else stream.destroy(new Error('COPY abandoned'));
      await done.catch(() => undefined);
    },
  };
}

/** Runs a binary COPY ... FROM STDIN of the rows a BinaryCopyWriter holds (the writer is finished here). */
export async function copyBinary(client: pg.ClientBase, sql: string, rows: BinaryCopyWriter): Promise<void> {
  await pipeline(Readable.from(rows.finish()), client.query(copyFrom(sql)));
}
