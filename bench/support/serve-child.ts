// The API under load, in its own process so that the load generator does not share its event loop:
// opens the store at BENCH_DB (a DuckDB file or a postgres:// URL), listens on an ephemeral port, reports it over IPC, and on 'stop'
// closes the app and the store (waiting for acknowledged writes) before exiting.
import { buildApp } from '../../src/api/app.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import { isPostgresUrl, openPostgresStore } from '../../src/store/postgres-store.ts';

const path = process.env['BENCH_DB'];
if (path === undefined || process.send === undefined) {
  console.error('serve-child: needs BENCH_DB and an IPC channel');
  process.exit(2);
}
const send = process.send.bind(process);
const store = isPostgresUrl(path) ? await openPostgresStore({ url: path }) : await openDuckDbStore({ path });
// As `wattline serve` does, the read cache fills first; here serving waits for it, so that the load
// measures the steady state (the warm-up time is reported).
const warmStartMs = performance.now();
const warmBlocks = 'warmCache' in store ? await store.warmCache() : 0;
const warmS = (performance.now() - warmStartMs) / 1000;
const app = buildApp({ store });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;
send({ type: 'ready', port, warmS, warmBlocks });
process.on('message', (m: { type?: string }) => {
  if (m?.type !== 'stop') return;
  void (async () => {
    await app.close();
    await store.close();
    send({ type: 'stopped' }, () => process.exit(0));
  })();
});
