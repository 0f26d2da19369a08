// Realistic generated site models for tests and benchmarks: consistent geometry (each plane's polygon,
// area, pitch, azimuth, coordinate system and normal agree) and, on request, the dirt the real files carry.
// Deterministic for a seed. Pure.
import { prng } from '../domain/prng.ts';
import type { FormatVersion, Point3 } from './model.ts';

/** Small fast seeded PRNG (mulberry32), uniform in [0, 1). */
export const seededRandom = prng;

export interface GenerateOptions {
  seed: number;
  installationId?: number;
  /** Buildings (default 1–3). */
  buildings?: number;
  /** Planes per building (default 3–14). */
  planesPerBuilding?: number;
  version?: FormatVersion;
  /** Add the known dirt: numbers and ids as text, sentinels, missing angles, null lists, odd case, `mountingPlaness`. */
  dirty?: boolean;
}

const EDGE_CONDITIONS = ['none', 'sharedconvex', 'sharedconvexpeak', 'sharedconcave', 'wallup', 'transition'];
const RAD = Math.PI / 180;

type Rand = () => number;
const between = (r: Rand, lo: number, hi: number) => lo + (hi - lo) * r();
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function edge(id: number, a: Point3, b: Point3, condition: string | null) {
  return {
    id,
    startPoint: a,
    endPoint: b,
    bearingVector: null,
    angleBetweenBearingVectorAndUpVector: 0.0,
    angleBetweenBearingVectorAndRightVector: 0.0,
    edgeCondition: condition,
    sidingMaterial: 'None',
  };
}

function ring(points: Point3[], conditions: (string | null)[], firstId: number) {
  return {
    windingDirection: null,
    edges: points.map((p, i) =>
      edge(firstId + i, p, points[(i + 1) % points.length]!, conditions[i % conditions.length]!),
    ),
  };
}

/** A convex outline in plane coordinates: a rectangle, some corners cut (4–8 vertices), counter-clockwise. */
function outline(r: Rand, w: number, h: number): [number, number][] {
  const corners: [number, number][] = [
    [-w / 2, -h / 2],
    [w / 2, -h / 2],
    [w / 2, h / 2],
    [-w / 2, h / 2],
  ];
  const out: [number, number][] = [];
  corners.forEach(([x, y], i) => {
    if (r() < 0.3) {
      const cut = Math.min(w, h) * between(r, 0.1, 0.3);
      const [px, py] = corners[(i + 3) % 4]!;
      const [nx, ny] = corners[(i + 1) % 4]!;
      const toward = (tx: number, ty: number): [number, number] => {
        const len = Math.hypot(tx - x, ty - y);
        return [x + ((tx - x) / len) * cut, y + ((ty - y) / len) * cut];
      };
      out.push(toward(px, py), toward(nx, ny));
    } else out.push([x, y]);
  });
  return out;
}

function shoelace(pts: [number, number][]): number {
  let s = 0;
  for (let i = 0; i < pts.length; i++) {
    const [x1, y1] = pts[i]!;
    const [x2, y2] = pts[(i + 1) % pts.length]!;
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

function plane(r: Rand, id: number, origin: Point3, edgeIdStart: number) {
  const pitch = between(r, 5, 45);
  const azimuth = Math.round(between(r, 0, 359));
  const ax = Math.sin(azimuth * RAD);
  const ay = Math.cos(azimuth * RAD);
  const sp = Math.sin(pitch * RAD);
  const cp = Math.cos(pitch * RAD);
  const xAxis = { x: -ay, y: ax, z: 0 };
  const yAxis = { x: -ax * cp, y: -ay * cp, z: sp };
  const zAxis = { x: ax * sp, y: ay * sp, z: cp };
  const w = between(r, 120, 480);
  const h = between(r, 80, 300);
  const flat = outline(r, w, h);
  const at = ([u, v]: [number, number]): Point3 => ({
    x: origin.x + u * xAxis.x + v * yAxis.x,
    y: origin.y + u * xAxis.y + v * yAxis.y,
    z: origin.z + u * xAxis.z + v * yAxis.z,
  });
  const conditions = flat.map(() => pick(r, EDGE_CONDITIONS));
  const penetrations =
    r() < 0.25
      ? [
          {
            id: 0,
            obstructionId: Math.floor(r() * 5),
            ring: ring(
              outline(r, 20, 20).map(([u, v]) => at([u, v])),
              ['none'],
              0,
            ),
          },
        ]
      : [];
  return {
    id,
    area: shoelace(flat) / 144,
    pitchAngle: pitch,
    azimuthAngle: azimuth,
    azimuthVector: { x: ax, y: ay, z: 0 },
    roofMaterialType: r() < 0.85 ? 'CompShingle' : pick(r, ['Tile', 'Metal', 'Slate']),
    centroid: origin,
    coordinateSystem: { xAxis, yAxis, zAxis },
    polygon: { exteriorRing: ring(flat.map(at), conditions, edgeIdStart), interiorRings: [] },
    obstructions: null,
    penetrations,
  };
}

/** One site-model document as the design tools write it. */
export function generateSiteModel(opts: GenerateOptions): Record<string, unknown> {
  const r = seededRandom(opts.seed);
  const installationId = opts.installationId ?? opts.seed;
  let planeId = 0;
  let edgeId = 0;
  const nBuildings = opts.buildings ?? 1 + Math.floor(r() * 3);
  const buildings = Array.from({ length: nBuildings }, (_, bi) => {
    const n = opts.planesPerBuilding ?? 3 + Math.floor(r() * 12);
    const base = { x: between(r, -1000, 1000), y: between(r, -1000, 1000), z: between(r, 100, 300) };
    const planes = Array.from({ length: n }, () => {
      const origin = {
        x: base.x + between(r, -300, 300),
        y: base.y + between(r, -300, 300),
        z: base.z + between(r, 0, 80),
      };
      const p = plane(r, planeId++, origin, edgeId);
      edgeId += p.polygon.exteriorRing.edges.length;
      return p;
    });
    const footprint = outline(r, between(r, 400, 900), between(r, 300, 700)).map(([u, v]) => ({
      x: base.x + u,
      y: base.y + v,
      z: 0,
    }));
    return {
      mountingPlanes: planes,
      isPrimaryBuilding: bi === 0,
      totalRoofArea: planes.reduce((s, p) => s + p.area, 0),
      polygon: { exteriorRing: ring(footprint, [null], 0), interiorRings: [] },
    };
  });
  const doc = {
    id: installationId,
    installationId,
    siteModel: {
      buildings,
      units: { length: 'inch', angle: 'degree', area: 'foot' },
      northVector: { x: 0, y: 1, z: 0 },
      headingVector: { x: between(r, -1, 1), y: between(r, -1, 1), z: 0 },
      version: opts.version ?? 'v3',
      obstructions: r() < 0.5 ? null : [],
    },
    dateCreated: new Date(Date.UTC(2021, 0, 1) + Math.floor(r() * 3e10))
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    version: opts.version ?? 'v3',
    externalSiteModelSourceId: 0,
  };
  if (opts.dirty) addDirt(r, doc as unknown as Record<string, unknown>);
  return doc;
}

/** The dirt of the real files, a little of each kind. */
function addDirt(r: Rand, doc: Record<string, unknown>): void {
  const site = doc['siteModel'] as Record<string, unknown>;
  const buildings = site['buildings'] as Record<string, unknown>[];
  const planes = buildings.flatMap((b) => b['mountingPlanes'] as Record<string, unknown>[]);
  const some = () => pick(r, planes);
  some()['pitchAngle'] = String(some()['pitchAngle']);
  some()['azimuthAngle'] = `${some()['azimuthAngle']}.0`;
  some()['id'] = String(some()['id']);
  delete some()['azimuthAngle'];
  const sentinel = some();
  sentinel['pitchAngle'] = 100000;
  sentinel['azimuthAngle'] = -100000;
  some()['penetrations'] = null;
  site['units'] = { length: 'Inch', angle: 'DEGREE', area: 'Foot' };
  const e = (
    (some()['polygon'] as Record<string, unknown>)['exteriorRing'] as { edges: Record<string, unknown>[] }
  ).edges[0]!;
  e['edgeCondition'] = String(e['edgeCondition']).toUpperCase();
  const b = pick(r, buildings);
  b['mountingPlaness'] = b['mountingPlanes'];
  delete b['mountingPlanes'];
}
