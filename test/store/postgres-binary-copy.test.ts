// COPY's binary format as the PostgreSQL backend writes it: every value reads back as written (text in any
// script, bigints across the 32-bit boundary and negative, doubles with their special values, NULL array
// elements), -0 reads back as 0 as it did in the text format, and a non-integer bigint is refused.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { BinaryCopyWriter } from '../../src/store/postgres-binary-copy.ts';
import { copyBinary } from '../../src/store/postgres-copy.ts';
import { EDGE_INT8S } from '../support/postgres.ts';
import { usePostgresClient } from '../support/postgres-stores.ts';
import { selectedBackends } from '../support/store-backends.ts';

if (selectedBackends().some((b) => b.name === 'postgres')) {
  describe('binary COPY', () => {
    const client = usePostgresClient();
    before(async () => {
      await client().query(`CREATE TABLE t (s text, n2 smallint, n4 integer, n8 bigint, d double precision,
                            a8 bigint[], ad double precision[])`);
    });

    it('writes every value so that it reads back the same', async () => {
      const ints = EDGE_INT8S;
      const doubles = [
        0,
        -0,
        1.5,
        -1e-300,
        1e300,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        Number.NaN,
      ];
      // A buffer much smaller than the rows, so that rows and arrays cross buffer boundaries.
      const w = new BinaryCopyWriter(64);
      ints.forEach((n, i) => {
        w.row(7);
        w.text(`site ${i} ⚡ zähler\ttab\\`);
        w.int2(i - 4);
        w.int4(i * 100_000 - 500_000);
        w.int8(n);
        w.float8(doubles[i]!);
        const a8 = w.int8ArrayStart(ints.length);
        ints.forEach((n, k) => {
          if (k === i) w.nullElement();
          else w.int8Element(n);
        });
        w.arrayEnd(a8, true);
        const ad = w.float8ArrayStart(doubles.length);
        for (const d of doubles) w.float8Element(d);
        w.arrayEnd(ad, false);
      });
      await copyBinary(client(), 'COPY t FROM STDIN (FORMAT binary)', w);
      const r = await client().query(
        'SELECT s, n2, n4, n8, d, a8::text AS a8, ad::text AS ad FROM t ORDER BY n2',
      );
      assert.equal(r.rows.length, ints.length);
      r.rows.forEach((row, i) => {
        assert.equal(row.s, `site ${i} ⚡ zähler\ttab\\`);
        assert.equal(row.n2, i - 4);
        assert.equal(row.n4, i * 100_000 - 500_000);
        assert.equal(row.n8, ints[i]);
        assert.ok(Object.is(row.d, Object.is(doubles[i], -0) ? 0 : doubles[i]));
        assert.equal(row.a8, `{${ints.map((n, k) => (k === i ? 'NULL' : String(n))).join(',')}}`);
        assert.equal(row.ad, '{0,0,1.5,-1e-300,1e+300,Infinity,-Infinity,NaN}');
      });
    });

    it('refuses a bigint that is not an integer', () => {
      const w = new BinaryCopyWriter();
      w.row(1);
      assert.throws(() => w.int8(1.5), RangeError);
      w.int8ArrayStart(1);
      assert.throws(() => w.int8Element(2 ** 53), RangeError);
    });
  });
}
