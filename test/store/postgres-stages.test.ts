// A large batch reaches PostgreSQL in stages (PostgresSeriesIo.stage): each stage's bucket DELETE, version
// bump and bucket COPY are queued on the writer connection while the engine normalizes the next slices, and
// reads for late data queue behind them. The batch must still be one transaction (DESIGN §5: accepted or
// rejected as a whole) whose buckets equal a full recomputation by the pure normalizer (§3.1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import type { Reading } from '../../src/domain/reading.ts';
import { normalizeKind } from '../../src/normalize/normalize-series.ts';
import { assertSameBuckets, MIN, reading, T0 } from '../support/bucket-asserts.ts';
import { usePostgresStores } from '../support/postgres-stores.ts';
import { selectedBackends } from '../support/store-backends.ts';

/** One power reading a minute for `site` over minutes [from, to), plus `offsetMs` (late data between). */
function minutes(site: string, from: number, to: number, offsetMs = 0): Reading[] {
  return Array.from({ length: to - from }, (_, i) => {
    const m = from + i;
    return reading(
      'power',
      T0 + m * MIN + offsetMs,
      ((m * 7919 + site.length * 131) % 4000) - 500,
      0,
      'grid',
      site,
    );
  });
}

/** Every site's readings in one batch, site after site (more than one stage's worth in all). */
function batchOf(sites: readonly string[], from: number, to: number): Reading[] {
  return sites.flatMap((s) => minutes(s, from, to));
}

if (selectedBackends().some((b) => b.name === 'postgres')) {
  describe('PostgreSQL store: a batch written in stages', () => {
    const { db, open } = usePostgresStores();

    it('equals the pure normalizer for extended, late and new series (§3.1)', async () => {
      const store = await open(await db().freshSchemaUrl());
      const known = Array.from({ length: 60 }, (_, i) => `s${i}`);
      const added = Array.from({ length: 10 }, (_, i) => `n${i}`);
      const all = new Map<string, Reading[]>();
      const first = batchOf(known, 0, 100);
      await store.ingest(first);
      // 21,000 readings: extensions of every known series, late readings (half a minute off the stored
      // ones) in every third, and ten series the database has not seen.
      const second: Reading[] = [];
      for (const [i, s] of known.entries()) {
        second.push(...minutes(s, 100, 400));
        if (i % 3 === 0) second.push(...minutes(s, 10, 40, 30_000));
      }
      second.push(...batchOf(added, 0, 300));
      const summary = await store.ingest(second);
      assert.equal(summary.stored, second.length);
      for (const r of [...first, ...second]) {
        const list = all.get(r.siteId);
        if (list) list.push(r);
        else all.set(r.siteId, [r]);
      }
      for (const [site, rows] of all) {
        const want = normalizeKind(
          'power',
          [...rows].sort((a, b) => a.tMs - b.tMs),
        ).buckets;
        assertSameBuckets(await store.buckets({ siteId: site }), want);
        assert.equal((await store.readings({ siteId: site })).length, rows.length, site);
      }
    });

    it('rejects the whole batch when one stage fails, naming that failure (§5)', async () => {
      const url = await db().freshSchemaUrl();
      const store = await open(url);
      const sites = Array.from({ length: 40 }, (_, i) => `f${i}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        // A bucket no process wrote, where the first stage will put one of a series the store takes for
        // new (no DELETE first): that stage's COPY fails on the primary key.
        await client.query(
          `INSERT INTO buckets (site_id, channel, bucket_start_ms, kind, kind_rank, energy_wh, positive_wh,
             negative_wh, coverage, samples, min_power_w, max_power_w, quality)
           VALUES ('f0', 'grid', $1, 'power', 0, 1, 1, 0, 1, 1, 1, 1, 'measured')`,
          [T0],
        );
        const batch = batchOf(sites, 0, 400);
        await assert.rejects(store.ingest(batch), (e: { code?: string }) => e.code === '23505');
        const counts = await client.query(
          `SELECT (SELECT count(*) FROM reading_chunks) AS chunks, (SELECT count(*) FROM buckets) AS buckets,
                  (SELECT count(*) FROM series) AS series`,
        );
        assert.deepEqual(counts.rows[0], { chunks: '0', buckets: '1', series: '0' });
        // The connection and the store go on: without the stray bucket, the same batch is stored.
        await client.query('DELETE FROM buckets');
        assert.equal((await store.ingest(batch)).stored, batch.length);
        const want = normalizeKind('power', minutes('f39', 0, 400)).buckets;
        assertSameBuckets(await store.buckets({ siteId: 'f39' }), want);
      } finally {
        await client.end();
      }
    });

    it('rolls back the whole batch when it fails in JavaScript with a COPY open, and goes on (§5)', async () => {
      const url = await db().freshSchemaUrl();
      const store = await open(url);
      const sites = Array.from({ length: 40 }, (_, i) => `j${i}`);
      const batch = batchOf(sites, 0, 400);
      // A time that is no bigint, in a series after the first stage: the raw log's encoder refuses it while
      // that stage's statements are on their way and the next COPY is open.
      const bad = batch.map((r, i) => (i === 30 * 400 + 7 ? { ...r, tMs: r.tMs + 0.5 } : r));
      await assert.rejects(store.ingest(bad), RangeError);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const counts = await client.query(
          `SELECT (SELECT count(*) FROM reading_chunks) AS chunks, (SELECT count(*) FROM buckets) AS buckets,
                  (SELECT count(*) FROM series) AS series`,
        );
        assert.deepEqual(counts.rows[0], { chunks: '0', buckets: '0', series: '0' });
      } finally {
        await client.end();
      }
      assert.equal((await store.ingest(batch)).stored, batch.length);
      const want = normalizeKind('power', minutes('j30', 0, 400)).buckets;
      assertSameBuckets(await store.buckets({ siteId: 'j30' }), want);
    });
  });
}
