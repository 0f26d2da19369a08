// The dashboard's static files: only files of the build, gzip when asked, immutable hashed assets, a
// content security policy that keeps the page on its own origin, and a hint while nothing is built.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { assertProblem, openApi, type TestApi } from './helpers.ts';

describe('dashboard at /', () => {
  let dir: string;
  let api: TestApi;
  const js = `console.log(${JSON.stringify('x'.repeat(2000))});`;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wattline-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>wattline</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), js);
    writeFileSync(join(dir, 'secret.txt'), 'not part of the served routes');
    api = await openApi({ webRoot: dir });
  });
  after(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with a same-origin content security policy', async () => {
    const res = await api.app.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.body, '<!doctype html><title>wattline</title>');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.match(String(res.headers['content-security-policy']), /connect-src 'self'/);
    assert.equal(res.headers['cache-control'], 'no-cache');
  });

  it('serves hashed assets gzip-compressed when accepted, cached for good', async () => {
    const plain = await api.app.inject({ url: '/assets/index-abc123.js' });
    assert.equal(plain.body, js);
    assert.match(String(plain.headers['content-type']), /^text\/javascript/);
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    const zipped = await api.app.inject({
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(zipped.rawPayload).toString(), js);
    assert.ok(zipped.rawPayload.length < js.length / 10);
  });

  it('answers anything else as a problem: no path from the URL reaches the file system', async () => {
    for (const url of [
      '/assets/nope.js',
      '/assets/../secret.txt',
      '/assets/%2e%2e/secret.txt',
      '/secret.txt',
    ]) {
      const res = await api.app.inject({ url });
      assertProblem(res, 404, 'route-not-found');
    }
    assertProblem(await api.app.inject({ url: '/v1/nope' }), 404, 'route-not-found');
  });

  it('says how to build the dashboard when it is not built, and picks the build up once it exists', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wattline-web-empty-'));
    const other = await openApi({ webRoot: empty });
    try {
      const res = await other.app.inject({ url: '/' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /npm run build:web/);
      writeFileSync(join(empty, 'index.html'), '<!doctype html><title>built</title>');
      assert.equal((await other.app.inject({ url: '/' })).body, '<!doctype html><title>built</title>');
    } finally {
      await other.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
