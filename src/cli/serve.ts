import type { Command } from 'commander';
import { createRuntime } from '../main.ts';
import { configFrom, portArg, type StoreFlags, withStoreOptions } from './shared-options.ts';

/** Stops the runtime cleanly on SIGINT/SIGTERM, flushing acknowledged writes. */
export function closeOnSignals(close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    console.error(`\n${signal}: stopping, flushing acknowledged data...`);
    close().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

export function registerServe(program: Command): void {
  withStoreOptions(
    program
      .command('serve')
      .description('run the HTTP API (and docs at /docs) on the configured store')
      .option('-p, --port <port>', 'port to listen on (default 8080)', portArg)
      .option('--host <host>', 'address to bind (default 127.0.0.1)'),
  ).action(async (flags: StoreFlags & { port?: number; host?: string }) => {
    const config = configFrom(flags);
    const runtime = await createRuntime(config);
    const url = await runtime.listen();
    console.log(`wattline API on ${url}  (docs ${url}/docs, store ${config.db})`);
    closeOnSignals(() => runtime.close());
  });
}
