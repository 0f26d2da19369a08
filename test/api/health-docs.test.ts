// Liveness, readiness, the served OpenAPI document and the interactive docs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertProblem, openApi, type TestApi } from './helpers.ts';

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
  components: { schemas: Record<string, unknown> };
}

describe('health, OpenAPI and docs', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi();
  });
  after(() => api.close());

  test('/healthz answers ok', async () => {
    const res = await api.app.inject({ url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  test('/readyz answers ok while the store answers', async () => {
    const res = await api.app.inject({ url: '/readyz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  test('/openapi.json is OpenAPI 3 with every route, each with problem+json error responses', async () => {
    const res = await api.app.inject({ url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as OpenApiDoc;
    assert.match(doc.openapi, /^3\./);
    for (const [path, method] of [
      ['/data', 'post'],
      ['/data', 'get'],
      ['/topusers', 'get'],
      ['/forecast', 'get'],
      ['/healthz', 'get'],
      ['/readyz', 'get'],
      ['/v1/sites', 'get'],
      ['/v1/sites/{siteId}', 'get'],
      ['/v1/sites/{siteId}/buckets', 'get'],
      ['/v1/readings', 'post'],
    ] as const) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method} ${path} is documented`);
      const codes = Object.keys(op.responses);
      assert.ok(
        codes.some((c) => c.startsWith('2')),
        `${method} ${path} documents its success`,
      );
      assert.ok(codes.includes('500'), `${method} ${path} documents 500`);
      for (const c of codes.filter((x) => !x.startsWith('2'))) {
        assert.deepEqual(
          Object.keys(op.responses[c]!.content ?? {}),
          ['application/problem+json'],
          `${method} ${path} ${c}`,
        );
      }
    }
    assert.ok(doc.components.schemas['Problem']);
    assert.deepEqual(Object.keys(doc.paths['/data']!['get']!.responses['200']!.content ?? {}).sort(), [
      'application/json',
      'text/csv',
    ]);
  });

  test('/docs serves Swagger UI from local assets only', async () => {
    const page = await api.app.inject({ url: '/docs' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.doesNotMatch(page.body, /https?:\/\//);
    const assets = [...page.body.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(assets.length > 0);
    for (const a of assets) {
      const res = await api.app.inject({ url: a.startsWith('/') ? a : `/docs/${a.replace(/^\.\//, '')}` });
      assert.equal(res.statusCode, 200, a);
    }
  });
});

describe('/readyz when the store does not answer', () => {
  test('is a 503 not-ready problem', async () => {
    const api = await openApi();
    await api.store.close();
    try {
      assertProblem(await api.app.inject({ url: '/readyz' }), 503, 'not-ready');
      assert.equal((await api.app.inject({ url: '/healthz' })).statusCode, 200);
    } finally {
      await api.app.close();
    }
  });
});
