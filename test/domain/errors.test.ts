// The one error catalogue (DESIGN §5): every error has a stable code, an HTTP status and a title.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_CATALOGUE, type ErrorCode, WattlineError } from '../../src/domain/errors.ts';

describe('§5 error catalogue', () => {
  it('every entry has an HTTP error status and a title', () => {
    for (const [code, e] of Object.entries(ERROR_CATALOGUE)) {
      assert.match(code, /^[a-z]+(-[a-z]+)*$/, `code ${code} is kebab-case`);
      assert.ok(e.status >= 400 && e.status <= 599, `${code}: status ${e.status}`);
      assert.ok(e.title.length > 0, `${code}: title`);
    }
    assert.equal(ERROR_CATALOGUE['invalid-datetime'].status, 400);
  });

  it('WattlineError carries the code, status, title, detail and field problems', () => {
    const code: ErrorCode = 'invalid-datetime';
    const err = new WattlineError(code, 'not a date-time: "2019-02-30T00:00:00Z"', [
      { path: '/data/1/datetime', message: 'impossible date', value: '2019-02-30T00:00:00Z' },
    ]);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'WattlineError');
    assert.equal(err.code, 'invalid-datetime');
    assert.equal(err.status, 400);
    assert.equal(err.title, ERROR_CATALOGUE['invalid-datetime'].title);
    assert.equal(err.message, 'not a date-time: "2019-02-30T00:00:00Z"');
    assert.equal(err.errors[0]!.path, '/data/1/datetime');
    assert.deepEqual(new WattlineError('internal', 'x').errors, []);
  });
});
