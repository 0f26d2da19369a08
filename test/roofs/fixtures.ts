// The roof samples in ../shared and small hand-made documents with figures computed by hand.
import { sharedPath } from '../support/shared.ts';

export const roofFixture = (name: 'roof_2.json' | 'roof_6.json' | 'roof_9.json') =>
  sharedPath('fixtures', 'roof', name);

const edge = (a: number[], b: number[], edgeCondition: string | null = 'none') => ({
  startPoint: { x: a[0], y: a[1], z: a[2] },
  endPoint: { x: b[0], y: b[1], z: b[2] },
  edgeCondition,
});

/** A closed ring through the given vertices. */
export function ringOf(points: number[][], conditions: (string | null)[] = ['none']) {
  return {
    edges: points.map((p, i) =>
      edge(p, points[(i + 1) % points.length]!, conditions[i % conditions.length]!),
    ),
  };
}

/**
 * One building, two planes, in inches and square feet:
 * - plane 1: 120 × 240 in (10 × 20 ft = 200 sq ft, perimeter 60 ft), pitch 30°, azimuth 180° (S), CompShingle;
 * - plane 2: 100 sq ft, pitch the sentinel 100000 (so unknown), azimuth 90° (E), Tile, one 12 × 12 in
 *   penetration (1 sq ft).
 */
export function smallDoc(installationId: number | string = 'small-1'): Record<string, unknown> {
  return {
    id: 1,
    installationId,
    dateCreated: '2024-05-01T10:00:00Z',
    version: 'v3',
    externalSiteModelSourceId: 0,
    siteModel: {
      units: { length: 'inch', angle: 'degree', area: 'foot' },
      northVector: { x: 0, y: 1, z: 0 },
      obstructions: null,
      buildings: [
        {
          isPrimaryBuilding: true,
          totalRoofArea: 300,
          mountingPlanes: [
            {
              id: 1,
              area: 200,
              pitchAngle: 30,
              azimuthAngle: 180,
              azimuthVector: { x: 0, y: -1, z: 0 },
              roofMaterialType: 'CompShingle',
              centroid: { x: 60, y: 120, z: 100 },
              coordinateSystem: {
                xAxis: { x: 1, y: 0, z: 0 },
                yAxis: { x: 0, y: Math.cos(Math.PI / 6), z: 0.5 },
                zAxis: { x: 0, y: -0.5, z: Math.cos(Math.PI / 6) },
              },
              polygon: {
                exteriorRing: ringOf(
                  [
                    [0, 0, 100],
                    [120, 0, 100],
                    [120, 240, 100],
                    [0, 240, 100],
                  ],
                  ['none', 'sharedconvex', 'sharedconvexpeak', 'wallup'],
                ),
                interiorRings: [],
              },
              obstructions: null,
              penetrations: [],
            },
            {
              id: 2,
              area: 100,
              pitchAngle: 100000,
              azimuthAngle: 90,
              azimuthVector: { x: 1, y: 0, z: 0 },
              roofMaterialType: 'Tile',
              centroid: { x: 300, y: 60, z: 100 },
              coordinateSystem: {
                xAxis: { x: 0, y: 1, z: 0 },
                yAxis: { x: -1, y: 0, z: 0 },
                zAxis: { x: 0, y: 0, z: 1 },
              },
              polygon: {
                exteriorRing: ringOf([
                  [240, 0, 100],
                  [360, 0, 100],
                  [360, 120, 100],
                  [240, 120, 100],
                ]),
                interiorRings: [],
              },
              obstructions: [],
              penetrations: [
                {
                  id: 0,
                  obstructionId: 0,
                  ring: ringOf([
                    [300, 60, 100],
                    [312, 60, 100],
                    [312, 72, 100],
                    [300, 72, 100],
                  ]),
                },
              ],
            },
          ],
        },
      ],
    },
  };
}
