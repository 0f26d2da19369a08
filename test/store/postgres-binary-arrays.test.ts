// Array parameters in binary format (the PostgreSQL backend's bucket DELETE and version bump): every value
// reads back as written (text in any script, bigints across the 32-bit boundary and negative), an empty
// array is an empty array, and a non-integer bigint is refused before anything is sent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { int8Array, textArray } from '../../src/store/postgres-binary-arrays.ts';
import { EDGE_INT8S } from '../support/postgres.ts';
import { usePostgresClient } from '../support/postgres-stores.ts';
import { selectedBackends } from '../support/store-backends.ts';

if (selectedBackends().some((b) => b.name === 'postgres')) {
  describe('binary array parameters', () => {
    const client = usePostgresClient();

    it('reads back as written', async () => {
      const ints = EDGE_INT8S;
      const texts = ['', 'home', 'Zürich ⚡ 東京', 'a,b "c" {d}\\e', 'NULL'];
      const r = await client().query({
        text: 'SELECT $1::bigint[] AS i, $2::text[] AS t, $3::bigint[] AS ei, $4::text[] AS et',
        values: [int8Array(ints), textArray(texts), int8Array([]), textArray([])],
      });
      const row = r.rows[0];
      assert.deepEqual(row.i.map(Number), ints);
      assert.deepEqual(row.t, texts);
      assert.deepEqual(row.ei, []);
      assert.deepEqual(row.et, []);
    });

    it('refuses a bigint that is not a safe integer', () => {
      assert.throws(() => int8Array([1.5]), RangeError);
      assert.throws(() => int8Array([2 ** 53]), RangeError);
    });
  });
}
