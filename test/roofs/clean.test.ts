// The cleaner's rules one by one, and its invariants as properties: it never throws on any JSON, never
// changes its input, and cleaning a cleaned document changes nothing (idempotent).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cleanRoofDocument } from '../../src/roofs/clean.ts';
import { contentHash } from '../../src/roofs/content-hash.ts';
import { generateSiteModel } from '../../src/roofs/generate-site-model.ts';
import { parseJsonWithPosition } from '../../src/roofs/parse-json.ts';
import { prepareRoofValue } from '../../src/roofs/prepare.ts';
import { smallDoc } from './fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests reach into raw documents freely
type Doc = Record<string, any>;

function issueAt(doc: unknown, path: string) {
  return cleanRoofDocument(doc).issues.filter((i) => i.path === path);
}

describe('cleaning rules', () => {
  it('maps out-of-range angles to null with a flag; keeps the bounds', () => {
    const d: Doc = smallDoc();
    const planes = d.siteModel.buildings[0].mountingPlanes;
    planes[0].pitchAngle = 91;
    planes[0].azimuthAngle = 360;
    planes[1].pitchAngle = 0;
    planes[1].azimuthAngle = -5;
    const out = cleanRoofDocument(d).document as Doc;
    const [a, b] = out.siteModel.buildings[0].mountingPlanes;
    assert.deepEqual([a.pitchAngle, a.azimuthAngle, a.qualityFlags], [null, 360, ['pitch-out-of-range']]);
    assert.deepEqual([b.pitchAngle, b.azimuthAngle, b.qualityFlags], [0, null, ['azimuth-out-of-range']]);
  });

  it('normalises unit names and edge conditions in any case; rejects unknown units', () => {
    const d: Doc = smallDoc();
    d.siteModel.units = { length: 'Inches', angle: 'DEGREES', area: 'Square Feet' };
    d.siteModel.buildings[0].mountingPlanes[0].polygon.exteriorRing.edges[1].edgeCondition = 'Shared_Convex';
    const r = cleanRoofDocument(d);
    const out = r.document as Doc;
    assert.deepEqual(out.siteModel.units, { length: 'inch', angle: 'degree', area: 'foot' });
    assert.equal(
      out.siteModel.buildings[0].mountingPlanes[0].polygon.exteriorRing.edges[1].edgeCondition,
      'sharedconvex',
    );
    assert.equal(r.issues.filter((i) => i.rule === 'unit-name').length, 3);
    d.siteModel.units.area = 'acre';
    assert.equal(issueAt(d, '/siteModel/units/area')[0]?.severity, 'rejection');
  });

  it('converts radians to degrees', () => {
    const d: Doc = smallDoc();
    d.siteModel.units.angle = 'rad';
    d.siteModel.buildings[0].mountingPlanes[0].pitchAngle = Math.PI / 6;
    const p = prepareRoofValue(d);
    assert.ok(p.ok);
    assert.ok(Math.abs(p.document.siteModel.buildings[0]!.mountingPlanes[0]!.pitchAngle! - 30) < 1e-12);
    assert.equal(p.document.siteModel.units.angle, 'degree');
  });

  it('rejects an unknown format generation, a bad date and a missing installationId, naming each path', () => {
    const d: Doc = smallDoc();
    d.version = 'v9';
    d.dateCreated = 'last tuesday';
    delete d.installationId;
    const p = prepareRoofValue(d);
    assert.equal(p.ok, false);
    const paths = p.issues.filter((i) => i.severity === 'rejection').map((i) => i.path);
    assert.ok(paths.includes('/version') && paths.includes('/dateCreated'), JSON.stringify(paths));
    const v1: Doc = smallDoc();
    v1.version = 'V1';
    delete v1.installationId;
    const p1 = prepareRoofValue(v1);
    assert.ok(!p1.ok && p1.issues.some((i) => i.path === '/installationId'));
  });

  it('accepts v1 and v2 without the derived geometry v3 requires', () => {
    const d: Doc = smallDoc();
    for (const p of d.siteModel.buildings[0].mountingPlanes) {
      delete p.coordinateSystem;
      delete p.centroid;
    }
    assert.equal(prepareRoofValue({ ...d, version: 'v3' }).ok, false);
    assert.equal(prepareRoofValue({ ...d, version: 'v2' }).ok, true);
    assert.equal(prepareRoofValue({ ...d, version: 1 }).ok, true);
  });

  it('content hash ignores key order', () => {
    const d: Doc = smallDoc();
    const reordered = Object.fromEntries(Object.entries(d).reverse());
    const a = prepareRoofValue(d);
    const b = prepareRoofValue(reordered);
    assert.ok(a.ok && b.ok);
    assert.equal(a.contentHash, b.contentHash);
  });

  it('reports byte offset, line and column of broken JSON (multi-byte text before it)', () => {
    const r = parseJsonWithPosition('{\n  "name": "Zürich",\n  "x": ]\n}');
    assert.equal(r.ok, false);
    // "ü" is two bytes: character 29, byte 30.
    if (!r.ok) assert.deepEqual(r.position, { byteOffset: 30, line: 3, column: 8 });
    if (!r.ok) assert.match(r.message, /^Unexpected token '\]' at byte 30 \(line 3, column 8\)$/);
    const cut = parseJsonWithPosition('{"a": [1, 2');
    assert.ok(!cut.ok && cut.position.byteOffset === 11);
  });
});

const anyJson = fc.jsonValue({ maxDepth: 6 });
/** Generated site models, clean or with the known dirt, with arbitrary JSON spliced in somewhere. */
const siteModels = fc
  .record({ seed: fc.integer({ min: 1, max: 1e6 }), dirty: fc.boolean(), junk: anyJson, where: fc.nat() })
  .map(({ seed, dirty, junk, where }) => {
    const doc = generateSiteModel({ seed, dirty, buildings: 1, planesPerBuilding: 3 }) as Doc;
    const plane =
      doc.siteModel.buildings[0]?.mountingPlanes?.[where % 3] ??
      doc.siteModel.buildings[0]?.mountingPlaness?.[0];
    const keys = ['area', 'pitchAngle', 'polygon', 'penetrations', 'roofMaterialType', 'id'];
    if (plane && where % 4 === 0) plane[keys[where % keys.length]!] = junk;
    return doc;
  });

describe('cleaner properties', () => {
  it('never throws on arbitrary JSON, and rejects what is not a document', () => {
    fc.assert(
      fc.property(anyJson, (v) => {
        const p = prepareRoofValue(v);
        assert.equal(p.ok, false);
      }),
      { numRuns: 300 },
    );
  });

  it('never changes its input', () => {
    fc.assert(
      fc.property(siteModels, (doc) => {
        const before = JSON.stringify(doc);
        cleanRoofDocument(doc);
        assert.equal(JSON.stringify(doc), before);
      }),
      { numRuns: 60 },
    );
  });

  it('is idempotent: cleaning a cleaned document changes nothing and reports no fix or warning', () => {
    fc.assert(
      fc.property(siteModels, (doc) => {
        const once = cleanRoofDocument(doc);
        const twice = cleanRoofDocument(once.document);
        assert.deepEqual(twice.document, once.document);
        assert.deepEqual(
          twice.issues.filter((i) => i.severity !== 'rejection'),
          [],
        );
        assert.equal(contentHash(twice.document), contentHash(once.document));
      }),
      { numRuns: 60 },
    );
  });

  it('generated dirty models import with fixes and warnings; clean ones with none', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const clean = prepareRoofValue(generateSiteModel({ seed }));
        assert.ok(clean.ok);
        assert.deepEqual(
          clean.issues.filter((i) => i.rule !== 'null-list'),
          [],
        );
        const dirty = prepareRoofValue(generateSiteModel({ seed, dirty: true }));
        assert.ok(dirty.ok, JSON.stringify(dirty.issues.filter((i) => i.severity === 'rejection')));
        assert.ok(dirty.issues.some((i) => i.rule === 'misspelled-key'));
        assert.ok(dirty.issues.some((i) => i.rule === 'angle-sentinel'));
      }),
      { numRuns: 25 },
    );
  });
});
