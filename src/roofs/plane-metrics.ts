// Per-plane figures the exports share, in feet and metres whatever the document's units. Pure.
import {
  type Orientation,
  orientationOf,
  polygonArea,
  ringPerimeter,
  ringVertices,
  solarExposureIndex,
} from './geometry.ts';
import type { MountingPlane, RoofDocument } from './model.ts';
import { M2_PER_SQFT, METERS_PER, SQFT_PER, sqftPerSquareLength } from './units.ts';

/** Largest pitch a plane may have to count as usable for panels, in degrees. */
export const USABLE_MAX_PITCH_DEG = 60;

export interface PlaneMetrics {
  buildingIndex: number;
  plane: MountingPlane;
  areaSqft: number;
  orientation: Orientation | null;
  perimeterFt: number;
  penetrationAreaSqft: number;
  /** Known pitch ≤ 60°, known azimuth, not facing north: its area less its penetrations. 0 otherwise. */
  usableAreaSqft: number;
  /** This plane's share of its building's summed plane area (0–1). */
  buildingAreaShare: number;
  solarExposureIndex: number | null;
}

export const sqftToM2 = (sqft: number): number => sqft * M2_PER_SQFT;
export const FEET_PER_METER = 1 / METERS_PER.foot;

/** Metrics of every plane of a document, in document order. */
export function planeMetrics(doc: RoofDocument): PlaneMetrics[] {
  const { units } = doc.siteModel;
  const sqftPerArea = SQFT_PER[units.area];
  const ftPerLength = METERS_PER[units.length] / METERS_PER.foot;
  const sqftPerLength2 = sqftPerSquareLength(units.length);
  const out: PlaneMetrics[] = [];
  doc.siteModel.buildings.forEach((b, buildingIndex) => {
    const buildingSqft = b.mountingPlanes.reduce((s, p) => s + p.area * sqftPerArea, 0);
    for (const plane of b.mountingPlanes) {
      const areaSqft = plane.area * sqftPerArea;
      const orientation = orientationOf(plane.azimuthAngle);
      const penetrationAreaSqft = plane.penetrations.reduce(
        (s, n) => s + polygonArea(ringVertices(n.ring)) * sqftPerLength2,
        0,
      );
      const usable =
        plane.pitchAngle !== null &&
        plane.pitchAngle <= USABLE_MAX_PITCH_DEG &&
        orientation !== null &&
        orientation !== 'N';
      out.push({
        buildingIndex,
        plane,
        areaSqft,
        orientation,
        perimeterFt: ringPerimeter(plane.polygon.exteriorRing) * ftPerLength,
        penetrationAreaSqft,
        usableAreaSqft: usable ? Math.max(0, areaSqft - penetrationAreaSqft) : 0,
        buildingAreaShare: buildingSqft > 0 ? areaSqft / buildingSqft : 0,
        solarExposureIndex: solarExposureIndex(plane.pitchAngle, plane.azimuthAngle),
      });
    }
  });
  return out;
}
