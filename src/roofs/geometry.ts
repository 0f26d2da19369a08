// Plane geometry for the exports and the tiling view: vertices, perimeter, areas, normal, orientation and
// the solar-exposure index (formulas in docs/roofs.md). Pure; lengths in the document's length unit.
import type { MountingPlane, Point3, RoofRing } from './model.ts';

/** The ring's vertices in order: each edge's start point (edges are given head to tail). */
export function ringVertices(ring: RoofRing | null | undefined): Point3[] {
  return (ring?.edges ?? []).map((e) => ({ x: e.startPoint.x, y: e.startPoint.y, z: e.startPoint.z }));
}

/** Sum of the 3-D lengths of the ring's edges. */
export function ringPerimeter(ring: RoofRing | null | undefined): number {
  let sum = 0;
  for (const e of ring?.edges ?? [])
    sum += Math.hypot(
      e.endPoint.x - e.startPoint.x,
      e.endPoint.y - e.startPoint.y,
      e.endPoint.z - e.startPoint.z,
    );
  return sum;
}

/** Area of a planar 3-D polygon (Newell's method): half the length of the summed cross products. */
export function polygonArea(vertices: readonly Point3[]): number {
  let nx = 0;
  let ny = 0;
  let nz = 0;
  for (let i = 0; i < vertices.length; i++) {
    const a = vertices[i]!;
    const b = vertices[(i + 1) % vertices.length]!;
    nx += (a.y - b.y) * (a.z + b.z);
    ny += (a.z - b.z) * (a.x + b.x);
    nz += (a.x - b.x) * (a.y + b.y);
  }
  return Math.hypot(nx, ny, nz) / 2;
}

export type Orientation = 'N' | 'E' | 'S' | 'W';

/** Compass class of an azimuth (degrees clockwise from north): N [315, 45), E [45, 135), S [135, 225), W [225, 315). */
export function orientationOf(azimuthDeg: number | null): Orientation | null {
  if (azimuthDeg === null) return null;
  const a = ((azimuthDeg % 360) + 360) % 360;
  if (a >= 315 || a < 45) return 'N';
  if (a < 135) return 'E';
  if (a < 225) return 'S';
  return 'W';
}

const RAD = Math.PI / 180;

/** Reference sun for the exposure index: solar noon at an equinox at 35° N (due south, 55° up). */
export const REFERENCE_SUN = { azimuthDeg: 180, elevationDeg: 55 } as const;

/**
 * Solar-exposure index in [0, 1]: the cosine of the angle between the plane's normal and the reference sun,
 * clamped at 0: cos(pitch)·sin(elevation) + sin(pitch)·cos(elevation)·cos(azimuth − sunAzimuth).
 * 1 faces the sun squarely; a flat roof scores sin 55° ≈ 0.819. Null when pitch or azimuth is unknown.
 */
export function solarExposureIndex(pitchDeg: number | null, azimuthDeg: number | null): number | null {
  if (pitchDeg === null || azimuthDeg === null) return null;
  const p = pitchDeg * RAD;
  const e = REFERENCE_SUN.elevationDeg * RAD;
  const cosIncidence =
    Math.cos(p) * Math.sin(e) +
    Math.sin(p) * Math.cos(e) * Math.cos((azimuthDeg - REFERENCE_SUN.azimuthDeg) * RAD);
  return Math.max(0, cosIncidence);
}

export type NormalSource = 'coordinate-system' | 'computed';

/**
 * The plane's upward unit normal in site coordinates: the tool's coordinateSystem.zAxis when present, else
 * computed from pitch and azimuth with north as given by `northVector` (default +y):
 * horizontal part sin(pitch) toward the azimuth, vertical part cos(pitch).
 */
export function planeNormal(
  plane: MountingPlane,
  northVector?: Point3,
): { normal: Point3; source: NormalSource } | null {
  const z = plane.coordinateSystem?.zAxis;
  if (z !== undefined) return { normal: { x: z.x, y: z.y, z: z.z }, source: 'coordinate-system' };
  if (plane.pitchAngle === null || plane.azimuthAngle === null) return null;
  // Site axes: north n = (nx, ny) in the xy plane, east = n rotated clockwise = (ny, -nx).
  const len = northVector ? Math.hypot(northVector.x, northVector.y) : 0;
  const nx = len > 0 ? northVector!.x / len : 0;
  const ny = len > 0 ? northVector!.y / len : 1;
  const p = plane.pitchAngle * RAD;
  const a = plane.azimuthAngle * RAD;
  const north = Math.sin(p) * Math.cos(a);
  const east = Math.sin(p) * Math.sin(a);
  return {
    normal: { x: north * nx + east * ny, y: north * ny - east * nx, z: Math.cos(p) },
    source: 'computed',
  };
}
