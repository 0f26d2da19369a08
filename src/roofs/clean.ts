// The cleaner: explicit rules that turn a design tool's raw site model into the document wattline keeps.
// Pure and total: any JSON value goes in, a document and the list of what changed comes out; it never
// throws and never changes its input. Each rule is named in docs/roofs.md ("Cleaning rules").
import { parseInstant } from '../domain/time.ts';
import { cleanObstructions, cleanPenetrations, cleanPoint, cleanPolygon } from './clean-geometry.ts';
import {
  cleanId,
  cleanList,
  cleanNumber,
  IssueLog,
  isObject,
  type Json,
  numberFrom,
  pointer,
} from './clean-values.ts';
import type { RoofIssue } from './model.ts';
import { angleUnitOf, areaUnitOf, lengthUnitOf, looseKey } from './units.ts';

export interface CleanResult {
  /** The cleaned document: still to be checked against its generation's schema. */
  document: unknown;
  issues: RoofIssue[];
}

/** Angle values some tools write for "unknown". */
export const ANGLE_SENTINELS: ReadonlySet<number> = new Set([100000, -100000]);

/** Known misspellings of keys, by the key they stand for. */
const KEY_MISSPELLINGS: Record<string, string> = { mountingplaness: 'mountingPlanes' };

/** Roof materials by loose key; an unknown material is kept as written (trimmed). */
const MATERIALS: Record<string, string> = Object.fromEntries(
  [
    'CompShingle',
    'Tile',
    'ClayTile',
    'ConcreteTile',
    'Metal',
    'StandingSeamMetal',
    'Slate',
    'Wood',
    'TarAndGravel',
    'Membrane',
    'Other',
  ].map((m) => [looseKey(m), m]),
);

/** The default units of the generations seen so far: coordinates in inches, angles in degrees, square feet. */
export const DEFAULT_UNITS = { length: 'inch', angle: 'degree', area: 'foot' } as const;

interface AngleRule {
  key: 'pitchAngle' | 'azimuthAngle';
  name: 'pitch' | 'azimuth';
  maxDeg: number;
}
const PITCH: AngleRule = { key: 'pitchAngle', name: 'pitch', maxDeg: 90 };
const AZIMUTH: AngleRule = { key: 'azimuthAngle', name: 'azimuth', maxDeg: 360 };

/**
 * Rules `angle-missing`, `angle-not-a-number`, `angle-sentinel`, `angle-out-of-range`: an angle that cannot be
 * used becomes null and the plane gets a flag (`pitch-missing`, `azimuth-sentinel`, ...). A plane already
 * flagged for that angle is not flagged again, so cleaning a cleaned document changes nothing.
 */
function cleanAngle(
  log: IssueLog,
  plane: Json,
  rule: AngleRule,
  path: string,
  flags: string[],
  radians: boolean,
): number | null {
  const at = pointer(path, rule.key);
  const flagged = flags.some((f) => f.startsWith(`${rule.name}-`));
  const nullWith = (ruleName: string, flag: string, message: string, old?: unknown): null => {
    if (!flagged) {
      flags.push(flag);
      log.warn(ruleName, at, message, old, null);
    }
    return null;
  };
  const raw = plane[rule.key];
  if (raw === undefined || raw === null)
    return nullWith('angle-missing', `${rule.name}-missing`, `${rule.name} is missing; kept as null`, raw);
  const n = numberFrom(raw);
  if (n === undefined)
    return nullWith(
      'angle-not-a-number',
      `${rule.name}-invalid`,
      `${rule.name} is not a number; kept as null`,
      raw,
    );
  if (typeof raw === 'string') log.fix('numeric-string', at, 'number given as text; converted', raw, n);
  if (ANGLE_SENTINELS.has(n))
    return nullWith(
      'angle-sentinel',
      `${rule.name}-sentinel`,
      `${rule.name} ${n} is a sentinel for "unknown"; kept as null`,
      n,
    );
  let deg = n;
  if (radians) {
    deg = (n * 180) / Math.PI;
    log.fix('angle-unit-radian', at, 'angle in radians converted to degrees', n, deg);
  }
  if (deg < 0 || deg > rule.maxDeg)
    return nullWith(
      'angle-out-of-range',
      `${rule.name}-out-of-range`,
      `${rule.name} ${deg}° is outside 0–${rule.maxDeg}°; kept as null`,
      n,
    );
  return deg;
}

/** Rules `material-name` (case and spacing of a known material) and `material-missing`. */
function cleanMaterial(log: IssueLog, value: unknown, path: string, flags: string[]): unknown {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (!flags.includes('material-missing')) {
      flags.push('material-missing');
      log.warn('material-missing', path, 'roof material is missing; kept as null', value ?? null, null);
    }
    return null;
  }
  if (typeof value !== 'string') return value;
  const canonical = MATERIALS[looseKey(value)] ?? value.trim();
  if (canonical !== value) log.fix('material-name', path, 'roof material name normalised', value, canonical);
  return canonical;
}

/** Rule `boolean-string`: "true"/"false" in any case become booleans. */
function cleanBoolean(log: IssueLog, value: unknown, path: string): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim().toLowerCase();
  if (t !== 'true' && t !== 'false') return value;
  log.fix('boolean-string', path, 'boolean given as text; converted', value, t === 'true');
  return t === 'true';
}

function cleanPlane(log: IssueLog, value: unknown, path: string, radians: boolean): unknown {
  if (!isObject(value)) return value;
  const out: Json = { ...value };
  const given = out['qualityFlags'];
  const flags = Array.isArray(given) ? given.filter((f): f is string => typeof f === 'string') : [];
  out['id'] = cleanId(log, out['id'], pointer(path, 'id'));
  out['area'] = cleanNumber(log, out['area'], pointer(path, 'area'));
  out['pitchAngle'] = cleanAngle(log, out, PITCH, path, flags, radians);
  out['azimuthAngle'] = cleanAngle(log, out, AZIMUTH, path, flags, radians);
  for (const k of ['azimuthVector', 'centroid'])
    if (k in out) out[k] = cleanPoint(log, out[k], pointer(path, k));
  if (isObject(out['coordinateSystem'])) {
    const cs: Json = { ...out['coordinateSystem'] };
    for (const axis of ['xAxis', 'yAxis', 'zAxis'])
      if (axis in cs) cs[axis] = cleanPoint(log, cs[axis], pointer(pointer(path, 'coordinateSystem'), axis));
    out['coordinateSystem'] = cs;
  }
  out['roofMaterialType'] = cleanMaterial(
    log,
    out['roofMaterialType'],
    pointer(path, 'roofMaterialType'),
    flags,
  );
  if ('polygon' in out) out['polygon'] = cleanPolygon(log, out['polygon'], pointer(path, 'polygon'));
  out['obstructions'] = cleanObstructions(log, out['obstructions'], pointer(path, 'obstructions'));
  out['penetrations'] = cleanPenetrations(log, out['penetrations'], pointer(path, 'penetrations'));
  out['qualityFlags'] = flags;
  return out;
}

/** Rule `misspelled-key`: a known misspelling (`mountingPlaness`) is read as the key it stands for. */
function recoverKeys(log: IssueLog, obj: Json, path: string): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    const meant =
      KEY_MISSPELLINGS[looseKey(k)] ?? (looseKey(k) === 'mountingplanes' ? 'mountingPlanes' : undefined);
    if (meant === undefined || meant === k) {
      out[k] = v;
    } else if (meant in obj) {
      log.reject(
        'conflicting-keys',
        pointer(path, k),
        `both "${k}" and "${meant}" are present; cannot tell which holds the data`,
      );
      out[k] = v;
    } else {
      log.warn('misspelled-key', pointer(path, k), `key "${k}" read as "${meant}"`, k, meant);
      out[meant] = v;
    }
  }
  return out;
}

function cleanBuilding(log: IssueLog, value: unknown, path: string, radians: boolean): unknown {
  if (!isObject(value)) return value;
  const out = recoverKeys(log, value, path);
  const planesPath = pointer(path, 'mountingPlanes');
  const planes = cleanList(log, out['mountingPlanes'], planesPath);
  out['mountingPlanes'] = Array.isArray(planes)
    ? planes.map((p, i) => cleanPlane(log, p, pointer(planesPath, i), radians))
    : planes;
  if ('totalRoofArea' in out)
    out['totalRoofArea'] = cleanNumber(log, out['totalRoofArea'], pointer(path, 'totalRoofArea'));
  if ('isPrimaryBuilding' in out)
    out['isPrimaryBuilding'] = cleanBoolean(
      log,
      out['isPrimaryBuilding'],
      pointer(path, 'isPrimaryBuilding'),
    );
  if (isObject(out['polygon'])) out['polygon'] = cleanPolygon(log, out['polygon'], pointer(path, 'polygon'));
  return out;
}

/** Rules `unit-name` (case and synonyms), `unit-unknown` (rejected) and `units-missing` (default assumed). */
function cleanUnits(log: IssueLog, value: unknown, path: string): { units: Json; radians: boolean } {
  if (!isObject(value)) {
    log.warn(
      'units-missing',
      path,
      'units are missing; assumed inch, degree and square foot',
      value ?? null,
      DEFAULT_UNITS,
    );
    return { units: { ...DEFAULT_UNITS }, radians: false };
  }
  const units: Json = { ...value };
  const parsers = { length: lengthUnitOf, angle: angleUnitOf, area: areaUnitOf } as const;
  let radians = false;
  for (const key of ['length', 'angle', 'area'] as const) {
    const at = pointer(path, key);
    const given = units[key];
    if (given === undefined || given === null) {
      log.warn(
        'units-missing',
        at,
        `${key} unit is missing; assumed ${DEFAULT_UNITS[key]}`,
        given ?? null,
        DEFAULT_UNITS[key],
      );
      units[key] = DEFAULT_UNITS[key];
      continue;
    }
    const canonical = typeof given === 'string' ? parsers[key](given) : undefined;
    if (canonical === undefined) {
      log.reject('unit-unknown', at, `unknown ${key} unit`, given);
      continue;
    }
    if (canonical === 'radian') {
      radians = true;
      log.fix('angle-unit-radian', at, 'angles are stored in degrees', given, 'degree');
      units[key] = 'degree';
    } else {
      if (canonical !== given) log.fix('unit-name', at, `${key} unit name normalised`, given, canonical);
      units[key] = canonical;
    }
  }
  return { units, radians };
}

/** Rules `version-name` ("V3", 3 and "3" are "v3") and `version-unknown` (rejected). */
function cleanVersion(log: IssueLog, value: unknown, path: string, required: boolean): unknown {
  if (value === undefined && !required) return value;
  const text =
    typeof value === 'number' || typeof value === 'string' ? String(value).trim().toLowerCase() : '';
  const canonical = /^v?[123]$/.test(text) ? `v${text.replace('v', '')}` : undefined;
  if (canonical === undefined) {
    log.reject('version-unknown', path, 'format generation must be v1, v2 or v3', value);
    return value;
  }
  if (canonical !== value)
    log.fix('version-name', path, 'format generation name normalised', value, canonical);
  return canonical;
}

function cleanSiteModel(log: IssueLog, value: unknown, path: string): unknown {
  if (!isObject(value)) return value;
  const out: Json = { ...value };
  const { units, radians } = cleanUnits(log, out['units'], pointer(path, 'units'));
  out['units'] = units;
  const bPath = pointer(path, 'buildings');
  const buildings = cleanList(log, out['buildings'], bPath);
  out['buildings'] = Array.isArray(buildings)
    ? buildings.map((b, i) => cleanBuilding(log, b, pointer(bPath, i), radians))
    : buildings;
  for (const k of ['northVector', 'headingVector'])
    if (isObject(out[k])) out[k] = cleanPoint(log, out[k], pointer(path, k));
  if ('version' in out) out['version'] = cleanVersion(log, out['version'], pointer(path, 'version'), false);
  out['obstructions'] = cleanObstructions(log, out['obstructions'], pointer(path, 'obstructions'));
  return out;
}

/** Cleans one parsed document. Never throws; rejections are issues with severity `rejection`. */
export function cleanRoofDocument(raw: unknown): CleanResult {
  const log = new IssueLog();
  if (!isObject(raw)) {
    log.reject(
      'not-an-object',
      '',
      'a site-model document must be a JSON object',
      Array.isArray(raw) ? '(array)' : raw,
    );
    return { document: raw, issues: log.issues };
  }
  const out: Json = { ...raw };
  out['id'] = cleanId(log, out['id'], '/id');
  out['installationId'] = cleanId(log, out['installationId'], '/installationId');
  out['externalSiteModelSourceId'] = cleanId(
    log,
    out['externalSiteModelSourceId'],
    '/externalSiteModelSourceId',
  );
  if (out['externalSiteModelSourceId'] === undefined) delete out['externalSiteModelSourceId'];
  out['version'] = cleanVersion(log, out['version'], '/version', true);
  const created = out['dateCreated'];
  if (typeof created === 'string' && parseInstant(created) === undefined)
    log.reject(
      'date-invalid',
      '/dateCreated',
      'not a date-time; expected ISO 8601 with Z or an offset',
      created,
    );
  out['siteModel'] = cleanSiteModel(log, out['siteModel'], '/siteModel');
  return { document: out, issues: log.issues };
}
