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

/** Appends the rows `fill` writes to `table`, inside the connection's current transaction. */
export async function appendTo(
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
  conn: DuckDBConnection,
  table: string,
  typesOf: (from: number, count: number) => readonly DuckDBType[],
  rowCount: number,
  fill: FillColumns,
): Promise<void> {
  if (rowCount === 0) return Promise.resolve();
  return appendTo(conn, table, (a) => {
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
