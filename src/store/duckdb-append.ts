// Appending rows to a DuckDB table from one place, because the failure path matters: when a flush fails
// (a constraint), the appender still holds the rejected rows, and if it is merely dropped its finalizer
// flushes them again later, on whatever transaction the connection then runs, aborting it. So on failure
// the buffer is cleared before the appender is closed.
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBVector,
  SQLNULL,
} from '@duckdb/node-api';

/**
 * A connection's appenders, one per table, kept open across transactions. Creating an appender is a
 * round trip through the thread pool, and on a busy server each round trip also waits for the event loop:
 * two of them per group commit cost more than the appends themselves. A flush appends into whatever
 * transaction the connection runs then. An appender whose flush failed is cleared and dropped, so the
 * next append starts from a fresh one.
 */
export class TableAppenders {
  private readonly open = new Map<string, DuckDBAppender>();

  constructor(private readonly conn: DuckDBConnection) {}

  /** Appends the rows `fill` writes to `table`, inside the connection's current transaction. */
  async append(table: string, fill: (a: DuckDBAppender) => void): Promise<void> {
    let a = this.open.get(table);
    if (a === undefined) {
      a = await this.conn.createAppender(table);
      this.open.set(table, a);
    }
    try {
      fill(a);
      a.flushSync();
    } catch (e) {
      this.open.delete(table);
      a.clear();
      a.closeSync();
      throw e;
    }
  }

  /** Closes every appender (each holds nothing: every append was flushed). */
  close(): void {
    for (const a of this.open.values()) a.closeSync();
    this.open.clear();
  }
}

/** Where rows go: a connection (a new appender per call) or its kept appenders. */
export type AppendTarget = DuckDBConnection | TableAppenders;

/** Appends the rows `fill` writes to `table`, inside the connection's current transaction. */
export async function appendTo(
  target: AppendTarget,
  table: string,
  fill: (a: DuckDBAppender) => void,
): Promise<void> {
  if (target instanceof TableAppenders) return target.append(table, fill);
  return appendOnce(target, table, fill);
}

async function appendOnce(
  conn: DuckDBConnection,
  table: string,
  fill: (a: DuckDBAppender) => void,
): Promise<void> {
  const a = await conn.createAppender(table);
  try {
    fill(a);
    a.flushSync();
  } catch (e) {
    a.clear();
    throw e;
  } finally {
    a.closeSync();
  }
}

/** Rows per data chunk: DuckDB's vector size, the most one chunk may hold. */
export const CHUNK_ROWS = 2_048;

/**
 * Writes rows [from, from + count) of the caller's data into one column vector each (`setItem` only
 * touches a JS-side typed array; the vector is copied to DuckDB in one call per column). A column whose
 * chunk type is SQLNULL has no vector (undefined): all its rows are NULL.
 */
export type FillColumns = (
  vectors: readonly (DuckDBVector | undefined)[],
  from: number,
  count: number,
) => void;

/**
 * Appends `rowCount` rows to `table` column by column, in data chunks whose column types `typesOf` gives
 * for rows [from, from + count) (the table's columns, in order; the appender casts each chunk column to
 * the table's type: DOUBLE to BIGINT, SQLNULL to a NULL of any type). One native call per column per
 * 2,048 rows instead of one per value: the row appender's per-value calls were a quarter of ingest CPU.
 */
export function appendColumns(
  target: AppendTarget,
  table: string,
  typesOf: (from: number, count: number) => readonly DuckDBType[],
  rowCount: number,
  fill: FillColumns,
): Promise<void> {
  if (rowCount === 0) return Promise.resolve();
  return appendTo(target, table, (a) => {
    for (let from = 0; from < rowCount; from += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, rowCount - from);
      const types = typesOf(from, count);
      const chunk = DuckDBDataChunk.create(types, count);
      const vectors: (DuckDBVector | undefined)[] = [];
      for (let c = 0; c < types.length; c++)
        vectors.push(types[c] === SQLNULL ? undefined : chunk.getColumnVector(c));
      fill(vectors, from, count);
      for (const v of vectors) v?.flush();
      a.appendDataChunk(chunk);
    }
  });
}
