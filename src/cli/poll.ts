// `wattline poll`: runs the configured connectors. With --once each polls once and prints what it read;
// without, the scheduler runs until Ctrl-C/SIGTERM and prints one line per durable poll round.
import type { Command } from 'commander';
import { WattlineError } from '../domain/errors.ts';
import { DeviceHealth } from '../ingest/device-health.ts';
import { buildConnectors, createScheduler } from '../main.ts';
import { openStore } from '../store/open-stores.ts';
import { batchJson, OUTCOME_HEADER, outcomeRows, table } from './poll-output.ts';
import { closeOnSignals } from './serve.ts';
import { configFrom, type StoreFlags, withStoreOptions } from './shared-options.ts';

interface PollFlags extends StoreFlags {
  once?: boolean;
  json?: boolean;
}

export function registerPoll(program: Command): void {
  withStoreOptions(
    program
      .command('poll')
      .description(
        'poll the configured connectors (the `connectors` list of --config) and store what they read',
      )
      .argument('[connector...]', 'connector names (default: all configured)')
      .option('--once', 'poll each connector once, print what it read and exit')
      .option('--json', 'print JSON (one object per poll round) instead of a table'),
  ).action(async (names: string[], flags: PollFlags) => {
    const config = configFrom(flags);
    if (config.connectors.length === 0) {
      throw new WattlineError(
        'validation-failed',
        'no connectors configured: add a `connectors` list to the --config file',
      );
    }
    const store = await openStore(config.db, config);
    const health = new DeviceHealth();
    let connectors: ReturnType<typeof buildConnectors>;
    try {
      connectors = buildConnectors(config, store, names);
    } catch (e) {
      await store.close();
      throw e;
    }
    if (flags.once) {
      const scheduler = createScheduler(connectors, store, health);
      try {
        for (const c of connectors) {
          const batch = await scheduler.pollOnce(c);
          if (flags.json) console.log(JSON.stringify(batchJson(batch)));
          else {
            const ok = batch.outcomes.filter((o) => o.state === 'ok').length;
            console.log(
              `${c.name} (${c.source}): ${batch.outcomes.length} sites, ${ok} ok, ${batch.readings.length} readings, ${batch.summary?.stored ?? 0} stored`,
            );
            console.log(`${table(OUTCOME_HEADER, outcomeRows(batch))}\n`);
          }
        }
      } finally {
        await scheduler.stop();
        await store.close();
      }
      return;
    }
    // Each line is printed only after its readings are committed: a line on stdout is an acknowledgement.
    const scheduler = createScheduler(connectors, store, health, {
      onAck: (b) => {
        if (flags.json) console.log(JSON.stringify(batchJson(b)));
        else {
          const ok = b.outcomes.filter((o) => o.state === 'ok').length;
          console.log(
            `${new Date(b.askedMs).toISOString()} ${b.connector}: ${ok}/${b.outcomes.length} sites ok, ${b.readings.length} readings, ${b.summary?.stored ?? 0} stored`,
          );
        }
      },
      onError: (name, e) => console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`),
    });
    scheduler.start();
    console.error(
      `polling ${connectors.map((c) => `${c.name} every ${c.intervalMs / 1000} s`).join(', ')} into ${config.db}; Ctrl-C to stop`,
    );
    closeOnSignals(async () => {
      await scheduler.stop();
      await store.close();
    });
  });
}
