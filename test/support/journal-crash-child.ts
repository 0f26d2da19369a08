// Ingests the batches of journalCrashBatches() one at a time into the DuckDB file named by argv, reports
// each acknowledgement on stdout, then waits to be killed: the parent checks that every acknowledged batch
// survives a SIGKILL (no close, no final commit).
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import { journalCrashBatches } from './journal-crash-batches.ts';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: journal-crash-child.ts DB_PATH');
// Nothing is committed to DuckDB before the kill: every batch lives only in the journal.
const store = await openDuckDbStore({ path, journalLimits: { maxReadings: 1e9, maxWaitMs: 3_600_000 } });
for (const [i, batch] of journalCrashBatches().entries()) {
  await store.ingest(batch, { source: 'push', timezone: 'Europe/Berlin' });
  process.stdout.write(`acked ${i}\n`);
}
process.stdout.write('done\n');
setInterval(() => undefined, 60_000);
