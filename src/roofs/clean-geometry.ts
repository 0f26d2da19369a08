// Cleaning of the geometric parts: points, rings, polygons, obstructions and penetrations. Pure.
import {
  cleanId,
  cleanList,
  cleanNumber,
  Draft,
  type IssueLog,
  isObject,
  mapList,
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
  const out = new Draft(value);
  for (const axis of ['x', 'y', 'z']) {
    // Only text changes here; the pointer is built just for it.
    const v = value[axis];
    if (typeof v === 'string') out.set(axis, cleanNumber(log, v, pointer(path, axis)));
  }
  return out.result();
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
  const out = new Draft(value);
  if ('id' in value) out.set('id', cleanId(log, value['id'], pointer(path, 'id')));
  for (const k of ['startPoint', 'endPoint']) {
    if (k in value) out.set(k, cleanPoint(log, value[k], pointer(path, k)));
  }
  if ('edgeCondition' in value)
    out.set('edgeCondition', cleanEdgeCondition(log, value['edgeCondition'], pointer(path, 'edgeCondition')));
  return out.result();
}

export function cleanRing(log: IssueLog, value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const out = new Draft(value);
  const edgesPath = pointer(path, 'edges');
  const edges = cleanList(log, value['edges'], edgesPath);
  out.set(
    'edges',
    Array.isArray(edges) ? mapList(edges, (e, i) => cleanEdge(log, e, pointer(edgesPath, i))) : edges,
  );
  return out.result();
}

export function cleanPolygon(log: IssueLog, value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const out = new Draft(value);
  if ('exteriorRing' in value)
    out.set('exteriorRing', cleanRing(log, value['exteriorRing'], pointer(path, 'exteriorRing')));
  const ringsPath = pointer(path, 'interiorRings');
  const interior = cleanList(log, value['interiorRings'], ringsPath);
  out.set(
    'interiorRings',
    Array.isArray(interior)
      ? mapList(interior, (r, i) => cleanRing(log, r, pointer(ringsPath, i)))
      : interior,
  );
  return out.result();
}

function cleanObstruction(log: IssueLog, value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const out = new Draft(value);
  if ('id' in value) out.set('id', cleanId(log, value['id'], pointer(path, 'id')));
  if ('radius' in value) out.set('radius', cleanNumber(log, value['radius'], pointer(path, 'radius')));
  if (isObject(value['center'])) out.set('center', cleanPoint(log, value['center'], pointer(path, 'center')));
  if (isObject(value['ring'])) out.set('ring', cleanRing(log, value['ring'], pointer(path, 'ring')));
  return out.result();
}

function cleanPenetration(log: IssueLog, value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const out = new Draft(value);
  if ('id' in value) out.set('id', cleanId(log, value['id'], pointer(path, 'id')));
  if ('obstructionId' in value)
    out.set('obstructionId', cleanId(log, value['obstructionId'], pointer(path, 'obstructionId')));
  if (isObject(value['ring'])) out.set('ring', cleanRing(log, value['ring'], pointer(path, 'ring')));
  return out.result();
}

/** A list of obstructions (`null-list` when null). */
export function cleanObstructions(log: IssueLog, value: unknown, path: string): unknown {
  const list = cleanList(log, value, path);
  return Array.isArray(list) ? mapList(list, (o, i) => cleanObstruction(log, o, pointer(path, i))) : list;
}

/** A list of penetrations (`null-list` when null). */
export function cleanPenetrations(log: IssueLog, value: unknown, path: string): unknown {
  const list = cleanList(log, value, path);
  return Array.isArray(list) ? mapList(list, (p, i) => cleanPenetration(log, p, pointer(path, i))) : list;
}
