// The committed OpenAPI document (openapi.json) is generated from the routes of a real app instance,
// built over a store that is never called: generating the document needs no database.
import type { Store } from '../store/store.ts';
import { buildApp } from './app.ts';
import { serializeOpenApi } from './openapi.ts';

function offlineStore(): Store {
  const unavailable = () => Promise.reject(new Error('the OpenAPI generator has no store'));
  return {
    backend: 'none',
    schemaVersion: unavailable,
    upsertSites: unavailable,
    getSite: unavailable,
    listSites: unavailable,
    ingest: unavailable,
    buckets: unavailable,
    energy: unavailable,
    rollup: unavailable,
    topSites: unavailable,
    channels: unavailable,
    readings: unavailable,
    timeRange: unavailable,
    ping: () => Promise.resolve(false),
    close: () => Promise.resolve(),
  };
}

/** openapi.json as it must be committed: sorted keys, pretty-printed, final newline. */
export async function generateOpenApiDocument(): Promise<string> {
  const app = buildApp({ store: offlineStore() });
  try {
    await app.ready();
    return serializeOpenApi(app.swagger());
  } finally {
    await app.close();
  }
}
