// The roof store on every backend: the three samples, --strict, revisions (identical = no-op, changed =
// new revision, earlier ones by number and by time) and all-or-nothing transactions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateSiteModel } from '../../src/roofs/generate-site-model.ts';
import { importRoofFiles, importTotals } from '../../src/roofs/import-files.ts';
import type { RoofDocument } from '../../src/roofs/model.ts';
import { prepareRoofValue } from '../../src/roofs/prepare.ts';
import type { RoofRevisionInput, RoofStore } from '../../src/roofs/roof-store.ts';
import { roofFixture } from './fixtures.ts';
import { manualClock, ROOF_BACKENDS } from './roof-stores.ts';

function prepared(doc: unknown): RoofRevisionInput {
  const p = prepareRoofValue(doc);
  assert.ok(p.ok, JSON.stringify(p.issues.filter((i) => i.severity === 'rejection')));
  return {
    installationId: p.installationId,
    contentHash: p.contentHash,
    document: p.document,
    issues: p.issues,
  };
}

type Raw = { siteModel: { buildings: { mountingPlanes: Record<string, unknown>[] }[] } };

for (const backend of ROOF_BACKENDS) {
  describe(`roof store: ${backend.name}`, () => {
    const clock = manualClock();
    let store: RoofStore;
    before(async () => {
      store = await backend.open(clock.now);
    });
    after(() => store.close());

    it('records its schema version in roof_schema_migrations', async () => {
      assert.equal(await store.schemaVersion(), 1);
    });

    it('imports the samples: dirty one with fixes, misspelled one with a warning, broken JSON rejected at its position', async () => {
      const files = [roofFixture('roof_2.json'), roofFixture('roof_6.json'), roofFixture('roof_9.json')];
      const results = await importRoofFiles(store, files);
      const [r2, r6, r9] = results;
      assert.equal(r2!.status, 'imported');
      assert.equal(r2!.installationId, '2');
      const rules = (r: typeof r2, sev: string) =>
        new Set(r!.issues.filter((i) => i.severity === sev).map((i) => i.rule));
      assert.deepEqual(rules(r2, 'fix'), new Set(['numeric-string', 'id-string', 'null-list']));
      assert.deepEqual(rules(r2, 'warning'), new Set(['angle-missing', 'angle-sentinel']));
      const pitchText = r2!.issues.find(
        (i) => i.path === '/siteModel/buildings/0/mountingPlanes/0/pitchAngle',
      );
      assert.deepEqual(
        { old: pitchText?.oldValue, new: pitchText?.newValue },
        { old: '18.39688505962881', new: 18.39688505962881 },
      );
      const sentinel = r2!.issues.find(
        (i) => i.path === '/siteModel/buildings/1/mountingPlanes/0/azimuthAngle',
      );
      assert.equal(sentinel?.rule, 'angle-sentinel');
      assert.equal(sentinel?.oldValue, -100000);

      assert.equal(r6!.status, 'imported');
      const misspelled = r6!.issues.filter((i) => i.severity === 'warning');
      assert.deepEqual(
        misspelled.map((i) => [i.rule, i.path]),
        [['misspelled-key', '/siteModel/buildings/0/mountingPlaness']],
      );

      assert.equal(r9!.status, 'rejected');
      assert.deepEqual(r9!.position, { byteOffset: 21853, line: 1, column: 21854 });
      assert.match(r9!.issues[0]!.message, /at byte 21853 \(line 1, column 21854\)/);

      const t = importTotals(results);
      assert.deepEqual([t.imported, t.rejected, t.unchanged], [2, 1, 0]);

      const stored2 = await store.getRevision('2');
      assert.ok(stored2);
      const planes = stored2.document.siteModel.buildings.flatMap((b) => b.mountingPlanes);
      assert.equal(planes.length, 37);
      assert.equal(planes[0]!.pitchAngle, 18.39688505962881, 'full precision');
      assert.equal(planes[2]!.id, 33);
      assert.equal(stored2.document.siteModel.buildings[1]!.mountingPlanes[0]!.pitchAngle, null);
      assert.deepEqual(stored2.document.siteModel.buildings[1]!.mountingPlanes[0]!.qualityFlags, [
        'pitch-sentinel',
        'azimuth-sentinel',
      ]);
      const stored6 = await store.getRevision('6');
      assert.equal(stored6!.document.siteModel.buildings[0]!.mountingPlanes.length, 18);
      assert.equal(await store.getRevision('9'), undefined);

      const again = await importRoofFiles(store, files);
      assert.deepEqual(
        again.map((r) => r.status),
        ['unchanged', 'unchanged', 'rejected'],
      );
      assert.equal((await store.revisions('2')).length, 1);
    });

    it('--strict rejects the files with warnings and stores nothing of them', async () => {
      const s = await backend.open(clock.now);
      try {
        const results = await importRoofFiles(s, [roofFixture('roof_2.json'), roofFixture('roof_6.json')], {
          strict: true,
        });
        assert.deepEqual(
          results.map((r) => r.status),
          ['rejected', 'rejected'],
        );
        assert.ok(results[1]!.issues.some((i) => i.severity === 'rejection' && i.rule === 'misspelled-key'));
        assert.deepEqual(await s.listInstallations({ limit: 10 }), []);
      } finally {
        await s.close();
      }
    });

    it('a changed document is a new revision; earlier ones stay queryable by number and by time', async () => {
      const base = generateSiteModel({ seed: 7, installationId: 700, buildings: 1, planesPerBuilding: 4 });
      const t0 = Date.UTC(2026, 1, 1);
      clock.set(t0);
      assert.deepEqual(
        (await store.importRevisions([prepared(base)])).map((o) => [o.status, o.revision]),
        [['imported', 1]],
      );
      clock.set(t0 + 1000);
      assert.equal((await store.importRevisions([prepared(structuredClone(base))]))[0]!.status, 'unchanged');

      const pitchChanged = structuredClone(base) as unknown as Raw;
      pitchChanged.siteModel.buildings[0]!.mountingPlanes[1]!['pitchAngle'] = 41.25;
      clock.set(t0 + 60_000);
      assert.deepEqual(
        (await store.importRevisions([prepared(pitchChanged)])).map((o) => [o.status, o.revision]),
        [['new-revision', 2]],
      );

      const added = structuredClone(pitchChanged);
      const extra = structuredClone(added.siteModel.buildings[0]!.mountingPlanes[0]!);
      extra['id'] = 99;
      added.siteModel.buildings[0]!.mountingPlanes.push(extra);
      clock.set(t0 + 120_000);
      assert.equal((await store.importRevisions([prepared(added)]))[0]!.revision, 3);

      const removed = structuredClone(added);
      removed.siteModel.buildings[0]!.mountingPlanes.splice(0, 2);
      clock.set(t0 + 180_000);
      assert.equal((await store.importRevisions([prepared(removed)]))[0]!.revision, 4);

      const planeCount = (d: RoofDocument) => d.siteModel.buildings[0]!.mountingPlanes.length;
      assert.equal(planeCount((await store.getRevision('700'))!.document), 3, 'latest by default');
      assert.equal(planeCount((await store.getRevision('700', { revision: 3 }))!.document), 5);
      const r1 = await store.getRevision('700', { revision: 1 });
      const r2 = await store.getRevision('700', { revision: 2 });
      const originalPitch = (base as unknown as Raw).siteModel.buildings[0]!.mountingPlanes[1]!['pitchAngle'];
      assert.equal(r1!.document.siteModel.buildings[0]!.mountingPlanes[1]!.pitchAngle, originalPitch);
      assert.equal(r2!.document.siteModel.buildings[0]!.mountingPlanes[1]!.pitchAngle, 41.25);
      assert.equal(r2!.importedMs, t0 + 60_000);
      assert.equal((await store.getRevision('700', { asOfMs: t0 + 59_999 }))!.revision, 1);
      assert.equal((await store.getRevision('700', { asOfMs: t0 + 60_000 }))!.revision, 2);
      assert.equal((await store.getRevision('700', { asOfMs: t0 + 150_000 }))!.revision, 3);
      assert.equal(await store.getRevision('700', { asOfMs: t0 - 1 }), undefined);
      assert.equal(await store.getRevision('700', { revision: 9 }), undefined);
      assert.deepEqual(
        (await store.revisions('700')).map((r) => [r.revision, r.importedMs]),
        [
          [1, t0],
          [2, t0 + 60_000],
          [3, t0 + 120_000],
          [4, t0 + 180_000],
        ],
      );
      const listed = (await store.listInstallations({ limit: 100 })).find((i) => i.installationId === '700');
      assert.deepEqual([listed?.latestRevision, listed?.planes, listed?.firstImportedMs], [4, 3, t0]);
    });

    it('one batch is one transaction: a failing document leaves nothing of the batch', async () => {
      const good = prepared(generateSiteModel({ seed: 11, installationId: 1100 }));
      const bad = prepared(generateSiteModel({ seed: 12, installationId: 1200 }));
      // Bypasses validation to make the database itself refuse a row (area is NOT NULL).
      (bad.document.siteModel.buildings[0]!.mountingPlanes[0] as { area: unknown }).area = null;
      await assert.rejects(store.importRevisions([good, bad]));
      assert.equal(await store.getRevision('1100'), undefined);
      assert.deepEqual(await store.revisions('1200'), []);
      // The store stays usable.
      assert.equal((await store.importRevisions([good]))[0]!.status, 'imported');
    });

    it('one installation twice in a batch: the second is its next revision, an identical third a no-op', async () => {
      const a = generateSiteModel({ seed: 21, installationId: 2100, buildings: 1, planesPerBuilding: 2 });
      const b = structuredClone(a) as unknown as Raw;
      b.siteModel.buildings[0]!.mountingPlanes[0]!['area'] = 1;
      const out = await store.importRevisions([prepared(a), prepared(b), prepared(structuredClone(b))]);
      assert.deepEqual(
        out.map((o) => [o.status, o.revision]),
        [
          ['imported', 1],
          ['new-revision', 2],
          ['unchanged', 2],
        ],
      );
    });

    it('stores text with tabs, newlines, backslashes and quotes exactly (COPY escapes on PostgreSQL)', async () => {
      const doc = generateSiteModel({
        seed: 31,
        installationId: 3100,
        buildings: 1,
        planesPerBuilding: 2,
      }) as Record<string, unknown>;
      const odd = 'tab\there\nnew line\r\\back\\slash "quoted" \\N \\. é ✓';
      doc['note'] = odd;
      const plane = (doc as unknown as Raw).siteModel.buildings[0]!.mountingPlanes[0]!;
      plane['id'] = odd;
      (plane['polygon'] as Record<string, unknown>)['label'] = odd;
      const input = prepared(doc);
      assert.equal((await store.importRevisions([input]))[0]!.status, 'imported');
      const back = await store.getRevision('3100');
      assert.deepEqual(back?.document, input.document);
      assert.equal(back?.document['note'], odd);
      assert.equal(back?.contentHash, input.contentHash);
      // The same document again is recognised as unchanged.
      assert.equal((await store.importRevisions([prepared(doc)]))[0]!.status, 'unchanged');
    });

    it('pages the latest revisions of every installation in id order', async () => {
      const pages: string[][] = [];
      for await (const page of store.latestRevisions(2)) pages.push(page.map((r) => r.installationId));
      const ids = pages.flat();
      assert.deepEqual(ids, [...ids].sort());
      assert.ok(ids.includes('700') && ids.includes('2'));
      assert.ok(pages.every((p) => p.length <= 2));
    });
  });
}
