// Shared set-up of the API tests: a real in-memory DuckDB store behind a fresh app, and small request helpers.
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type AppDeps, buildApp } from '../../src/api/app.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import type { Store } from '../../src/store/store.ts';
import { readSharedJson } from '../support/shared.ts';

export interface TestApi {
  app: FastifyInstance;
  store: Store;
  close: () => Promise<void>;
}

/** A fresh app over a fresh in-memory DuckDB store. */
export async function openApi(deps: Partial<Omit<AppDeps, 'store'>> = {}): Promise<TestApi> {
  const store = await openDuckDbStore({ path: ':memory:' });
  const app = buildApp({ store, clock: () => Date.UTC(2026, 0, 1), ...deps });
  return {
    app,
    store,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

/** One of the spaceship fixtures in ../shared. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return readSharedJson<T>('fixtures', 'spaceship', name);
}

/** POSTs a JSON body (an object, or raw text sent as application/json). */
export function postJson(app: FastifyInstance, url: string, body: unknown): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors: { path: string; message: string; value?: unknown }[];
}

/** Asserts a problem+json answer with this status and code, and returns its body. */
export function assertProblem(res: LightMyRequestResponse, status: number, code: string): ProblemBody {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as ProblemBody;
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(body.type, `https://wattline.dev/problems/${code}`);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.ok(Array.isArray(body.errors));
  return body;
}

/** The field problem at `path`, failing when there is none. */
export function errorAt(
  problem: ProblemBody,
  path: string,
): { path: string; message: string; value?: unknown } {
  const e = problem.errors.find((x) => x.path === path);
  assert.ok(e, `no error at ${path} in ${JSON.stringify(problem.errors)}`);
  return e;
}

/** Asserts that nothing at all was stored. */
export async function assertNothingStored(api: TestApi): Promise<void> {
  assert.deepEqual(await api.store.listSites(), []);
  assert.equal(await api.store.timeRange(), null);
}
