// The backends the store conformance suite runs on. A new backend is one entry in STORE_BACKENDS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NormalizeOptions } from '../../src/normalize/options.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';
import { createTestDatabase } from './postgres.ts';

export interface StoreOpenOptions {
  normalize?: Partial<NormalizeOptions>;
}

/** One backend's test environment, for the length of a suite. */
export interface BackendHarness {
  /** A new, empty database location (a file, a schema...); `persistent` when it will be reopened. */
  freshLocation(persistent?: boolean): Promise<string>;
  /** Opens a store at a location (creating and migrating it when empty). */
  open(location: string, opts?: StoreOpenOptions): Promise<Store>;
  /** Whether a second store may be open on the same location at once (several processes). */
  sharedLocation: boolean;
  teardown(): Promise<void>;
}

export interface StoreBackend {
  name: string;
  /** Fails when the backend's server is unreachable. */
  setup(): Promise<BackendHarness>;
}

function duckdb(): StoreBackend {
  return {
    name: 'duckdb',
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'wattline-conformance-'));
      let n = 0;
      return {
        // In memory unless reopened: a file commits with an fsync per transaction, which only slows the suite.
        freshLocation: async (persistent = false) =>
          persistent ? join(dir, `store-${++n}.duckdb`) : ':memory:',
        open: (path, opts = {}) => openDuckDbStore({ path, normalize: opts.normalize }),
        // DuckDB locks its file to one process: one store instance is the only writer.
        sharedLocation: false,
        teardown: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  };
}

function postgres(): StoreBackend {
  return {
    name: 'postgres',
    async setup() {
      const db = await createTestDatabase();
      return {
        freshLocation: () => db.freshSchemaUrl(),
        open: (url, opts = {}) => openPostgresStore({ url, normalize: opts.normalize, readers: 2 }),
        sharedLocation: true,
        teardown: () => db.drop(),
      };
    },
  };
}

export const STORE_BACKENDS: readonly StoreBackend[] = [duckdb(), postgres()];

/**
 * The backends to run: all of them under CI=true; else those named in STORES (comma-separated), or all.
 * A backend that is selected and unreachable fails its suite; it is never skipped.
 */
export function selectedBackends(env: NodeJS.ProcessEnv = process.env): StoreBackend[] {
  const wanted = env['STORES']
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (env['CI'] === 'true' || wanted === undefined || wanted.length === 0) return [...STORE_BACKENDS];
  const unknown = wanted.filter((w) => !STORE_BACKENDS.some((b) => b.name === w));
  if (unknown.length > 0) throw new Error(`STORES names unknown backends: ${unknown.join(', ')}`);
  return STORE_BACKENDS.filter((b) => wanted.includes(b.name));
}
