// Appending rows to a DuckDB table from one place, because the failure path matters: when a flush fails
// (a constraint), the appender still holds the rejected rows, and if it is merely dropped its finalizer
// flushes them again later, on whatever transaction the connection then runs, aborting it. So on failure
// the buffer is cleared before the appender is closed.
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';

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
