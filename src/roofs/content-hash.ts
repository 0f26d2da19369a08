// Content identity of a cleaned document: SHA-256 of its canonical JSON (keys sorted at every level), so
// key order and whitespace never make a new revision. The canonical text is also what the stores keep as the
// document (and, captured on the way, as the polygon and ring columns): one serialisation per document.
import { createHash } from 'node:crypto';

/** Object keys that name a sub-object whose canonical text the stores keep in a column of its own. */
export const CAPTURED_KEYS: ReadonlySet<string> = new Set([
  'polygon',
  'ring',
  'center',
  'azimuthVector',
  'coordinateSystem',
]);

/**
 * The reference definition of the canonical text, in plain JavaScript: kept for values that JSON.stringify
 * would write differently (a function or symbol property, an object with toJSON) and to test the fast path.
 */
export function canonicalJsonReference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${Array.from(value, (v) => (v === undefined ? 'null' : canonicalJsonReference(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJsonReference(obj[k])}`).join(',')}}`;
}

/** Thrown inside sortedView when a value is one JSON.stringify would not write canonically. */
const NOT_PLAIN = Symbol('not plain JSON');

/**
 * What sortedView does with the objects under CAPTURED_KEYS: the outermost ones are written on their own
 * (`texts`) and stand in the view as a marker string "\u0001<index>\u0001", so the document's text is
 * assembled from the parts without writing them twice; the ones nested inside those keep their view
 * (`views`) to be written if a store asks.
 */
interface Capture {
  texts: Map<object, string>;
  placed: string[];
  views: Map<object, object>;
  depth: number;
}

/**
 * A plain object to copy `obj` into. An own "__proto__" key (JSON.parse makes one) would set the copy's
 * prototype instead; such an object takes the reference path. (A prototype-less copy would do, but V8 keeps
 * those in slow dictionary mode, which costs on every edge of every document.)
 */
function copyTarget(obj: object): Record<string, unknown> {
  if (Object.hasOwn(obj, '__proto__')) throw NOT_PLAIN;
  return {};
}

/**
 * The value with every object's keys in sorted order, sharing every part that already is (most of a
 * document: points are {x, y, z}), so that native JSON.stringify writes the canonical text.
 */
function sortedView(v: unknown, capture: Capture | undefined): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw NOT_PLAIN;
    return v;
  }
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') throw NOT_PLAIN;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const c = sortedView(x, capture);
      if (out === undefined && c !== x) out = v.slice(0, i);
      if (out !== undefined) out.push(c);
    }
    return out ?? v;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      sorted = false;
      keys.sort();
      break;
    }
  }
  // An object always lists integer-like keys first, in numeric order: a new object cannot hold them sorted
  // as text ("10" before "9", "" before "0"), so such an object takes the reference path.
  if (!sorted && keys.some((k) => k.length > 0 && k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57))
    throw NOT_PLAIN;
  let out: Record<string, unknown> | undefined = sorted ? undefined : copyTarget(obj);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const x = obj[k];
    let c: unknown;
    if (capture !== undefined && x !== null && typeof x === 'object' && CAPTURED_KEYS.has(k)) {
      capture.depth++;
      const view = sortedView(x, capture) as object;
      capture.depth--;
      if (capture.depth === 0) {
        const text = JSON.stringify(view);
        capture.texts.set(x, text);
        c = `\u0001${capture.placed.push(text) - 1}\u0001`;
      } else {
        capture.views.set(x, view);
        c = view;
      }
    } else c = sortedView(x, capture);
    if (out === undefined && c !== x) {
      out = copyTarget(obj);
      for (let j = 0; j < i; j++) out[keys[j]!] = obj[keys[j]!];
    }
    if (out !== undefined) out[k] = c;
  }
  return out ?? obj;
}

/** A marker as JSON.stringify writes it. */
const MARKER = /"\\u0001(\d+)\\u0001"/g;

/** JSON text with object keys sorted at every level (undefined properties left out, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  try {
    return JSON.stringify(sortedView(value, undefined)) ?? 'null';
  } catch (e) {
    if (e !== NOT_PLAIN) throw e;
    return canonicalJsonReference(value);
  }
}

/** Hex SHA-256 of canonical JSON text. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Hex SHA-256 of the canonical JSON of `value`. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** A document's canonical text, its hash, and the canonical text of its polygons, rings and vectors. */
export interface CanonicalDocument {
  json: string;
  contentHash: string;
  /** The canonical text of a sub-object held under one of CAPTURED_KEYS (undefined for one not captured). */
  textOf(part: object): string | undefined;
}

/**
 * Serialises a document once for hashing and storage: the text to store, the hash of it, and the texts of its
 * polygons, rings and vectors. Native JSON.stringify on a key-sorted view does the writing (several times
 * faster than writing in JavaScript); each captured part is written once and spliced into the document's text.
 */
export function canonicalDocument(value: unknown): CanonicalDocument {
  const capture: Capture = { texts: new Map(), placed: [], views: new Map(), depth: 0 };
  let json: string | undefined;
  try {
    const skeleton = JSON.stringify(sortedView(value, capture)) ?? 'null';
    let found = 0;
    json = skeleton.replace(MARKER, (_, i: string) => {
      found++;
      return capture.placed[Number(i)]!;
    });
    // A string of the document that itself reads like a marker would be replaced too: the count tells, and
    // such a (hardly real) document is written without markers.
    if (found !== capture.placed.length) json = undefined;
  } catch (e) {
    if (e !== NOT_PLAIN) throw e;
  }
  if (json === undefined) {
    const text = canonicalJson(value);
    return { json: text, contentHash: sha256Hex(text), textOf: (part) => canonicalJson(part) };
  }
  const { texts, views } = capture;
  return {
    json,
    contentHash: sha256Hex(json),
    textOf: (part) => {
      const text = texts.get(part);
      if (text !== undefined) return text;
      const view = views.get(part);
      return view === undefined ? undefined : JSON.stringify(view);
    },
  };
}
