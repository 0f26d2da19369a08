// The canonical text that is hashed and stored: the fast path (native JSON.stringify on a key-sorted view)
// writes exactly the reference definition, the captured polygon and ring texts are that same text, and the
// hashes of the samples are those the first implementation stored, so re-importing an unchanged file into an
// existing database stays a no-op.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cleanRoofDocument } from '../../src/roofs/clean.ts';
import {
  CAPTURED_KEYS,
  canonicalDocument,
  canonicalJson,
  canonicalJsonReference,
  contentHash,
} from '../../src/roofs/content-hash.ts';
import { generateSiteModel } from '../../src/roofs/generate-site-model.ts';
import { prepareRoofText, prepareRoofValue } from '../../src/roofs/prepare.ts';
import { roofFixture, smallDoc } from './fixtures.ts';

/** Every object held under a CAPTURED_KEYS key, anywhere in `value`. */
function capturedParts(value: unknown, out: object[] = []): object[] {
  if (value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    for (const v of value) capturedParts(v, out);
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object' && CAPTURED_KEYS.has(k)) out.push(v);
    capturedParts(v, out);
  }
  return out;
}

describe('canonical JSON', () => {
  it('keeps the content hashes stored by the first implementation (samples and a hand-made document)', () => {
    const hashOf = (name: 'roof_2.json' | 'roof_6.json') => {
      const p = prepareRoofText(readFileSync(roofFixture(name), 'utf8'));
      assert.ok(p.ok);
      return p.contentHash;
    };
    assert.equal(hashOf('roof_2.json'), 'd55ebb95f2c935fc71fcad217fecad6f9ce73fe4abd47cb3cf480562f2881e91');
    assert.equal(hashOf('roof_6.json'), 'b365369e500c68abe8311d3292bb03b06e246d8f4e39e5863847333832860966');
    const small = prepareRoofValue(smallDoc());
    assert.ok(small.ok);
    assert.equal(small.contentHash, '65cf78ae1b887d3e562dda9e69668efd25f5db09aaf789b3b8cd9fce2c472cc2');
  });

  it('writes the reference definition for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const reference = canonicalJsonReference(v);
        assert.equal(canonicalJson(v), reference);
        assert.equal(canonicalDocument(v).json, reference);
        assert.equal(canonicalDocument(v).contentHash, contentHash(v));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts keys at every level and leaves undefined properties out', () => {
    assert.equal(
      canonicalJson({ b: [{ z: 1, a: undefined, m: 'é"' }, undefined], a: -0, c: { y: null, x: 2 } }),
      '{"a":0,"b":[{"m":"é\\"","z":1},null],"c":{"x":2,"y":null}}',
    );
  });

  it('keeps a "__proto__" key and integer-like keys in text order, as parsed JSON holds them', () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"y":2,"x":1},"10":0,"9":0,"":null}');
    assert.equal(canonicalJson(parsed), canonicalJsonReference(parsed));
    assert.equal(canonicalJson(parsed), '{"":null,"10":0,"9":0,"__proto__":{"x":1,"y":2},"b":1}');
  });

  it('is not fooled by a string that reads like the marker a captured part stands in for', () => {
    const doc = { note: '\u00010\u0001', polygon: { b: 1, a: [2] }, ring: { z: '\u00011\u0001' } };
    const c = canonicalDocument(doc);
    assert.equal(c.json, canonicalJsonReference(doc));
    assert.equal(c.textOf(doc.polygon), '{"a":[2],"b":1}');
  });

  it('takes the reference path for values JSON.stringify would write differently', () => {
    const withDate = { b: new Date(0), a: 1 };
    const withFunction = { b: () => 1, a: [() => 2] };
    assert.equal(canonicalJson(withDate), '{"a":1,"b":{}}');
    assert.equal(canonicalJson(withFunction), '{"a":[null],"b":null}');
    assert.equal(canonicalDocument(withFunction).json, canonicalJsonReference(withFunction));
  });

  it('gives each polygon, ring and vector of a document the canonical text of that part', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.boolean(), (seed, dirty) => {
        const p = prepareRoofValue(generateSiteModel({ seed, dirty, buildings: 2, planesPerBuilding: 3 }));
        assert.ok(p.ok);
        assert.equal(p.canonical.json, canonicalJson(p.document));
        const parts = capturedParts(p.document);
        assert.ok(parts.length > 0);
        for (const part of parts) assert.equal(p.canonical.textOf(part), canonicalJson(part));
        assert.equal(p.canonical.textOf({}), undefined);
      }),
      { numRuns: 25 },
    );
  });

  it('the cleaner shares what it does not change and copies what it does', () => {
    const d = smallDoc() as { siteModel: { buildings: { mountingPlanes: { polygon: unknown }[] }[] } };
    const plane = d.siteModel.buildings[0]!.mountingPlanes[0]!;
    const out = cleanRoofDocument(d).document as typeof d;
    assert.equal(out.siteModel.buildings[0]!.mountingPlanes[0]!.polygon, plane.polygon);
    (plane.polygon as { exteriorRing: { edges: { edgeCondition: string }[] } }).exteriorRing
      .edges[0]!.edgeCondition = 'Ridge';
    const fixed = cleanRoofDocument(d).document as typeof d;
    assert.notEqual(fixed.siteModel.buildings[0]!.mountingPlanes[0]!.polygon, plane.polygon);
    assert.equal(
      (plane.polygon as { exteriorRing: { edges: { edgeCondition: string }[] } }).exteriorRing.edges[0]!
        .edgeCondition,
      'Ridge',
    );
  });
});
