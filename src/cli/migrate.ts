import type { Command } from 'commander';
import { openStore } from '../store/open-stores.ts';
import { configFrom, type StoreFlags, withStoreOptions } from './shared-options.ts';

export function registerMigrate(program: Command): void {
  withStoreOptions(program.command('migrate').description('create or upgrade the database schema')).action(
    async (flags: StoreFlags) => {
      const config = configFrom(flags);
      const store = await openStore(config.db, config, { ingests: false });
      try {
        console.log(`${store.backend} ${config.db}: schema version ${await store.schemaVersion()}`);
      } finally {
        await store.close();
      }
    },
  );
}
