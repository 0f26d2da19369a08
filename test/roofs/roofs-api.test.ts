// /v1/roofs on every roof-store backend: list, one revision (latest, by number, by time), the tiling view,
// POST with its 201/200 outcomes, and bad input as 400 problem+json naming the field, nothing stored.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import type { RoofStore } from '../../src/roofs/roof-store.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import type { Store } from '../../src/store/store.ts';
import { assertProblem, errorAt, postJson } from '../api/helpers.ts';
import { roofFixture, smallDoc } from './fixtures.ts';
import { manualClock, ROOF_BACKENDS } from './roof-stores.ts';

for (const backend of ROOF_BACKENDS) {
  describe(`/v1/roofs: ${backend.name}`, () => {
    const clock = manualClock(Date.UTC(2026, 2, 1));
    let energy: Store;
    let roofs: RoofStore;
    let app: FastifyInstance;
    before(async () => {
      energy = await openDuckDbStore({ path: ':memory:' });
      roofs = await backend.open(clock.now);
      app = buildApp({ store: energy, roofStore: roofs });
    });
    after(async () => {
      await app.close();
      await roofs.close();
      await energy.close();
    });

    it('POST stores a dirty sample (201), an identical one is a no-op (200), a changed one a new revision', async () => {
      const raw = readFileSync(roofFixture('roof_2.json'), 'utf8');
      const first = await postJson(app, '/v1/roofs', raw);
      assert.equal(first.statusCode, 201, first.body);
      const body = first.json();
      assert.deepEqual(
        [body.installationId, body.status, body.revision, body.warnings],
        ['2', 'imported', 1, 5],
      );
      assert.ok(body.fixes > 0);
      clock.advance(60_000);
      const again = await postJson(app, '/v1/roofs', raw);
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().status, 'unchanged');
      const changed = JSON.parse(raw);
      changed.siteModel.buildings[0].mountingPlanes[0].pitchAngle = 20;
      const second = await postJson(app, '/v1/roofs', changed);
      assert.equal(second.statusCode, 201);
      assert.deepEqual([second.json().status, second.json().revision], ['new-revision', 2]);
    });

    it('GET one installation: latest by default, ?revision=N and ?asOf= for earlier ones', async () => {
      const latest = await app.inject(`/v1/roofs/2`);
      assert.equal(latest.statusCode, 200, latest.body);
      const l = latest.json();
      assert.equal(l.revision, 2);
      assert.equal(l.document.siteModel.buildings[0].mountingPlanes[0].pitchAngle, 20);
      assert.deepEqual(
        l.revisions.map((r: { revision: number }) => r.revision),
        [1, 2],
      );
      const r1 = (await app.inject('/v1/roofs/2?revision=1')).json();
      assert.equal(r1.document.siteModel.buildings[0].mountingPlanes[0].pitchAngle, 18.39688505962881);
      const asOf = (await app.inject('/v1/roofs/2?asOf=2026-03-01T00:00:30Z')).json();
      assert.equal(asOf.revision, 1);
      assertProblem(await app.inject('/v1/roofs/2?revision=7'), 404, 'roof-not-found');
      assertProblem(await app.inject('/v1/roofs/nope'), 404, 'roof-not-found');
      const badTime = assertProblem(await app.inject('/v1/roofs/2?asOf=yesterday'), 400, 'invalid-datetime');
      assert.equal(errorAt(badTime, '/asOf').value, 'yesterday');
      assertProblem(await app.inject('/v1/roofs/2?revision=0'), 400, 'validation-failed');
    });

    it('GET the tiling view and the list', async () => {
      await postJson(app, '/v1/roofs', smallDoc('small-api'));
      const res = await app.inject('/v1/roofs/small-api/planes');
      assert.equal(res.statusCode, 200, res.body);
      const view = res.json();
      assert.equal(view.lengthUnit, 'inch');
      assert.equal(view.planes.length, 2);
      const p = view.planes[0];
      assert.deepEqual(
        [p.planeId, p.pitchDeg, p.azimuthDeg, p.normalSource],
        ['1', 30, 180, 'coordinate-system'],
      );
      assert.deepEqual(p.vertices[2], [120, 240, 100]);
      assert.equal(view.planes[1].pitchDeg, null);
      const list = await app.inject('/v1/roofs?limit=1');
      assert.equal(list.statusCode, 200);
      assert.equal(list.json().length, 1);
      const next = /<([^>]+)>; rel="next"/.exec(String(list.headers.link))?.[1];
      assert.ok(next);
      const rest = (await app.inject(next)).json();
      assert.ok(rest.length >= 1);
      assert.notEqual(rest[0].installationId, list.json()[0].installationId);
    });

    it('bad input is a 400 naming the field and value; nothing is stored', async () => {
      const doc = smallDoc('bad-1') as {
        siteModel: { buildings: { mountingPlanes: Record<string, unknown>[] }[] };
      };
      doc.siteModel.buildings[0]!.mountingPlanes[1]!['area'] = 'lots';
      const res = await postJson(app, '/v1/roofs', doc);
      const problem = assertProblem(res, 400, 'invalid-roof-document');
      assert.equal(errorAt(problem, '/siteModel/buildings/0/mountingPlanes/1/area').value, 'lots');
      assertProblem(await app.inject('/v1/roofs/bad-1'), 404, 'roof-not-found');

      const units = structuredClone(smallDoc('bad-2')) as { siteModel: { units: Record<string, unknown> } };
      units.siteModel.units['length'] = 'furlong';
      assert.equal(
        errorAt(
          assertProblem(await postJson(app, '/v1/roofs', units), 400, 'invalid-roof-document'),
          '/siteModel/units/length',
        ).value,
        'furlong',
      );

      const broken = readFileSync(roofFixture('roof_9.json'), 'utf8');
      assertProblem(await postJson(app, '/v1/roofs', broken), 400, 'invalid-json');
      assertProblem(await postJson(app, '/v1/roofs', '[1,2]'), 400, 'invalid-roof-document');
      assertProblem(await postJson(app, '/v1/roofs', 'null'), 400, 'invalid-roof-document');

      const strict = await postJson(
        app,
        '/v1/roofs?strict=true',
        readFileSync(roofFixture('roof_6.json'), 'utf8'),
      );
      const sp = assertProblem(strict, 400, 'invalid-roof-document');
      assert.ok(errorAt(sp, '/siteModel/buildings/0/mountingPlaness'));
      assertProblem(await app.inject('/v1/roofs/6'), 404, 'roof-not-found');
    });
  });
}

describe('/v1/roofs without a roof store', () => {
  it('answers 503 roofs-unavailable', async () => {
    const energy = await openDuckDbStore({ path: ':memory:' });
    const app = buildApp({ store: energy });
    try {
      assertProblem(await app.inject('/v1/roofs'), 503, 'roofs-unavailable');
    } finally {
      await app.close();
      await energy.close();
    }
  });
});
