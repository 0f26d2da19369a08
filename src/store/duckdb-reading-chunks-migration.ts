// Schema version 5 of the DuckDB backend: the raw log moves from one row per reading (`readings`) to
// reading chunks (duckdb-reading-chunks.ts). SQL cannot pack the chunks, so the data moves here, a batch
// of series at a time, inside the migration's transaction. Every reading keeps its sequence number: a
// chunk holds one run of consecutive sequence numbers of one series, in their order.
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  appendReadingChunks,
  READING_CHUNKS_DDL,
  READINGS_VIEW,
  type StoredChunk,
} from './duckdb-reading-chunks.ts';
import { type PackableReading, packReadings } from './reading-chunk-codec.ts';

/** Series moved per scan of the old table. */
const SERIES_PER_BATCH = 200;

async function moveReadings(conn: DuckDBConnection): Promise<void> {
  const range = (
    await conn.runAndReadAll('SELECT min(series_id), max(series_id) FROM readings')
  ).getRowsJS()[0];
  if (range === undefined || range[0] === null) return;
  const lastId = Number(range[1]);
  for (let first = Number(range[0]); first <= lastId; first += SERIES_PER_BATCH) {
    const r = await conn.runAndReadAll(
      `SELECT series_id, seq, t_ms, end_ms, value, received_ms FROM readings
       WHERE series_id >= ${first} AND series_id < ${first + SERIES_PER_BATCH} ORDER BY series_id, seq`,
    );
    const chunks: StoredChunk[] = [];
    let run: PackableReading[] = [];
    let runId = -1;
    let runSeq = 0;
    const close = () => {
      for (const c of packReadings(run, 0, run.length, runSeq)) chunks.push({ ...c, seriesId: runId });
      run = [];
    };
    for (const row of r.getRowsJS()) {
      const id = Number(row[0]);
      const seq = Number(row[1]);
      if (id !== runId || seq !== runSeq + run.length) {
        if (run.length > 0) close();
        runId = id;
        runSeq = seq;
      }
      run.push({
        tMs: Number(row[2]),
        endMs: row[3] === null ? null : Number(row[3]),
        value: row[4] as number,
        receivedMs: Number(row[5]),
      });
    }
    if (run.length > 0) close();
    await appendReadingChunks(conn, chunks);
  }
}

export const READING_CHUNKS_MIGRATION = {
  version: 5,
  name: 'raw log in reading chunks (one row per series and write, readings packed)',
  statements: [READING_CHUNKS_DDL],
  migrateData: async (conn: DuckDBConnection): Promise<void> => {
    await moveReadings(conn);
    await conn.run('DROP TABLE readings');
    for (const sql of READINGS_VIEW) await conn.run(sql);
  },
};
