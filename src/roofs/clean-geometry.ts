// Cleaning of the geometric parts: points, rings, polygons, obstructions and penetrations. Pure.
import {
  cleanId,
  cleanList,
  cleanNumber,
  type IssueLog,
  isObject,
  type Json,
  pointer,
} from './clean-values.ts';
import { looseKey } from './units.ts';

/** Edge conditions the design tools use, by their loose key. */
export const EDGE_CONDITIONS = [
  'none',
  'sharedconvex',
  'sharedconvexpeak',
  'sharedconcave',
  'wallup',
  'transition',
  'eave',
  'rake',
  'ridge',
  'hip',
  'valley',
] as const;
const KNOWN_EDGE_CONDITIONS = new Set<string>(EDGE_CONDITIONS);

/** Rule `numeric-string` on x, y and z of a point. */
export function cleanPoint(log: IssueLog, value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const out: Json = { ...value };
  for (const axis of ['x', 'y', 'z']) {
    if (axis in out) out[axis] = cleanNumber(log, out[axis], pointer(path, axis));
  }
  return out;
}

/**
 * Rules `edge-condition-case` (any case, spaces, underscores or hyphens become the lower-case name) and
 * `edge-condition-unknown` (an unknown name is kept, lower case, with a warning).
 */
function cleanEdgeCondition(log: IssueLog, value: unknown, path: string): unknown {
  if (typeof value !== 'string') return value;
  const key = looseKey(value);
  if (key !== value) log.fix('edge-condition-case', path, 'edge condition normalised', value, key);
  if (!KNOWN_EDGE_CONDITIONS.has(key))
    log.warn('edge-condition-unknown', path, `unknown edge condition "${key}" kept`, value);
  return key;
}

function cleanEdge(log: IssueLog, value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const out: Json = { ...value };
  if ('id' in out) out['id'] = cleanId(log, out['id'], pointer(path, 'id'));
  for (const k of ['startPoint', 'endPoint']) {
    if (k in out) out[k] = cleanPoint(log, out[k], pointer(path, k));
  }
  if ('edgeCondition' in out)
    out['edgeCondition'] = cleanEdgeCondition(log, out['edgeCondition'], pointer(path, 'edgeCondition'));
  return out;
}

export function cleanRing(log: IssueLog, value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const out: Json = { ...value };
  const edges = cleanList(log, out['edges'], pointer(path, 'edges'));
  out['edges'] = Array.isArray(edges)
    ? edges.map((e, i) => cleanEdge(log, e, pointer(pointer(path, 'edges'), i)))
    : edges;
  return out;
}

export function cleanPolygon(log: IssueLog, value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const out: Json = { ...value };
  if ('exteriorRing' in out)
    out['exteriorRing'] = cleanRing(log, out['exteriorRing'], pointer(path, 'exteriorRing'));
  const interior = cleanList(log, out['interiorRings'], pointer(path, 'interiorRings'));
  out['interiorRings'] = Array.isArray(interior)
    ? interior.map((r, i) => cleanRing(log, r, pointer(pointer(path, 'interiorRings'), i)))
    : interior;
  return out;
}

function cleanObstruction(log: IssueLog, value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const out: Json = { ...value };
  if ('id' in out) out['id'] = cleanId(log, out['id'], pointer(path, 'id'));
  if ('radius' in out) out['radius'] = cleanNumber(log, out['radius'], pointer(path, 'radius'));
  if (isObject(out['center'])) out['center'] = cleanPoint(log, out['center'], pointer(path, 'center'));
  if (isObject(out['ring'])) out['ring'] = cleanRing(log, out['ring'], pointer(path, 'ring'));
  return out;
}

function cleanPenetration(log: IssueLog, value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const out: Json = { ...value };
  if ('id' in out) out['id'] = cleanId(log, out['id'], pointer(path, 'id'));
  if ('obstructionId' in out)
    out['obstructionId'] = cleanId(log, out['obstructionId'], pointer(path, 'obstructionId'));
  if (isObject(out['ring'])) out['ring'] = cleanRing(log, out['ring'], pointer(path, 'ring'));
  return out;
}

/** A list of obstructions (`null-list` when null). */
export function cleanObstructions(log: IssueLog, value: unknown, path: string): unknown {
  const list = cleanList(log, value, path);
  return Array.isArray(list) ? list.map((o, i) => cleanObstruction(log, o, pointer(path, i))) : list;
}

/** A list of penetrations (`null-list` when null). */
export function cleanPenetrations(log: IssueLog, value: unknown, path: string): unknown {
  const list = cleanList(log, value, path);
  return Array.isArray(list) ? list.map((p, i) => cleanPenetration(log, p, pointer(path, i))) : list;
}
