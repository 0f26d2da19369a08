// The four exports as rows built from stored revisions (columns documented in docs/roofs.md). Pure.
import { EDGE_CONDITIONS } from './clean-geometry.ts';
import { planeNormal, ringVertices } from './geometry.ts';
import type { Point3 } from './model.ts';
import { FEET_PER_METER, planeMetrics, sqftToM2 } from './plane-metrics.ts';
import type { StoredRevision } from './roof-store.ts';

export type CsvCell = string | number | null;
export type CsvRecord = Record<string, CsvCell>;

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const MATERIAL_UNKNOWN = '(unknown)';

/** Data-quality flags of a revision with their counts, `flag:count` joined by `;`, sorted. */
export function qualityFlags(rev: StoredRevision): string {
  const counts = new Map<string, number>();
  const add = (f: string) => counts.set(f, (counts.get(f) ?? 0) + 1);
  for (const b of rev.document.siteModel.buildings)
    for (const p of b.mountingPlanes) p.qualityFlags.forEach(add);
  // Warnings not already carried by a plane flag (misspelled keys, assumed units, unknown edge conditions).
  for (const i of rev.issues)
    if (i.severity === 'warning' && !/^(angle-|material-)/.test(i.rule)) add(i.rule);
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([f, n]) => `${f}:${n}`)
    .join(';');
}

export const ROOF_SUMMARY_COLUMNS = [
  'installation_id',
  'revision',
  'imported_at',
  'date_created',
  'format_version',
  'buildings',
  'planes',
  'total_area_sqft',
  'total_area_m2',
  'usable_area_sqft',
  'usable_area_m2',
  'area_by_material_sqft',
  'pitch_min_deg',
  'pitch_mean_deg',
  'pitch_max_deg',
  'area_north_sqft',
  'area_east_sqft',
  'area_south_sqft',
  'area_west_sqft',
  'area_unknown_orientation_sqft',
  'obstructions',
  'penetrations',
  'quality_flags',
] as const;

export function roofSummaryRow(rev: StoredRevision): CsvRecord {
  const doc = rev.document;
  const metrics = planeMetrics(doc);
  const total = metrics.reduce((s, m) => s + m.areaSqft, 0);
  const usable = metrics.reduce((s, m) => s + m.usableAreaSqft, 0);
  const byMaterial: Record<string, number> = {};
  const byOrientation = { N: 0, E: 0, S: 0, W: 0, unknown: 0 };
  for (const m of metrics) {
    const mat = m.plane.roofMaterialType ?? MATERIAL_UNKNOWN;
    byMaterial[mat] = (byMaterial[mat] ?? 0) + m.areaSqft;
    byOrientation[m.orientation ?? 'unknown'] += m.areaSqft;
  }
  const pitches = metrics.map((m) => m.plane.pitchAngle).filter((p): p is number => p !== null);
  const sortedMaterials = Object.fromEntries(Object.entries(byMaterial).sort(([a], [b]) => (a < b ? -1 : 1)));
  const planeObstructions = metrics.reduce((s, m) => s + m.plane.obstructions.length, 0);
  return {
    installation_id: rev.installationId,
    revision: rev.revision,
    imported_at: new Date(rev.importedMs).toISOString(),
    date_created: doc.dateCreated,
    format_version: doc.version,
    buildings: doc.siteModel.buildings.length,
    planes: metrics.length,
    total_area_sqft: total,
    total_area_m2: sqftToM2(total),
    usable_area_sqft: usable,
    usable_area_m2: sqftToM2(usable),
    area_by_material_sqft: JSON.stringify(sortedMaterials),
    pitch_min_deg: pitches.length ? Math.min(...pitches) : null,
    pitch_mean_deg: mean(pitches),
    pitch_max_deg: pitches.length ? Math.max(...pitches) : null,
    area_north_sqft: byOrientation.N,
    area_east_sqft: byOrientation.E,
    area_south_sqft: byOrientation.S,
    area_west_sqft: byOrientation.W,
    area_unknown_orientation_sqft: byOrientation.unknown,
    obstructions: doc.siteModel.obstructions.length + planeObstructions,
    penetrations: metrics.reduce((s, m) => s + m.plane.penetrations.length, 0),
    quality_flags: qualityFlags(rev),
  };
}

export const ROOF_TYPE_SUMMARY_COLUMNS = [
  'roof_material_type',
  'installations',
  'planes',
  'total_area_sqft',
  'total_area_m2',
  'mean_pitch_deg',
] as const;

/** Accumulates roof-type-summary rows over revisions fed one page at a time. */
export class RoofTypeSummary {
  private readonly byType = new Map<
    string,
    { installations: Set<string>; planes: number; areaSqft: number; pitches: number[] }
  >();

  add(rev: StoredRevision): void {
    for (const m of planeMetrics(rev.document)) {
      const name = m.plane.roofMaterialType ?? MATERIAL_UNKNOWN;
      let t = this.byType.get(name);
      if (t === undefined) {
        t = { installations: new Set(), planes: 0, areaSqft: 0, pitches: [] };
        this.byType.set(name, t);
      }
      t.installations.add(rev.installationId);
      t.planes++;
      t.areaSqft += m.areaSqft;
      if (m.plane.pitchAngle !== null) t.pitches.push(m.plane.pitchAngle);
    }
  }

  rows(): CsvRecord[] {
    return [...this.byType]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, t]) => ({
        roof_material_type: name,
        installations: t.installations.size,
        planes: t.planes,
        total_area_sqft: t.areaSqft,
        total_area_m2: sqftToM2(t.areaSqft),
        mean_pitch_deg: mean(t.pitches),
      }));
  }
}

const EDGE_COLUMNS = EDGE_CONDITIONS.slice(0, 6).map((c) => `edges_${c}`);

export const PLANE_FEATURE_COLUMNS = [
  'installation_id',
  'revision',
  'building_index',
  'plane_id',
  'roof_material_type',
  'area_sqft',
  'area_m2',
  'pitch_deg',
  'azimuth_deg',
  'azimuth_sin',
  'azimuth_cos',
  'orientation',
  'perimeter_ft',
  'perimeter_m',
  'edge_count',
  ...EDGE_COLUMNS,
  'edges_other',
  'interior_rings',
  'obstructions',
  'penetrations',
  'penetration_area_sqft',
  'usable_area_sqft',
  'building_area_share',
  'solar_exposure_index',
  'quality_flags',
] as const;

export function planeFeatureRows(rev: StoredRevision): CsvRecord[] {
  return planeMetrics(rev.document).map((m) => {
    const p = m.plane;
    const az = p.azimuthAngle === null ? null : (p.azimuthAngle * Math.PI) / 180;
    const edges = p.polygon.exteriorRing.edges;
    const conditionCounts = Object.fromEntries(EDGE_COLUMNS.map((c) => [c, 0]));
    let other = 0;
    for (const e of edges) {
      const col = `edges_${e.edgeCondition ?? ''}`;
      if (col in conditionCounts) conditionCounts[col]!++;
      else other++;
    }
    return {
      installation_id: rev.installationId,
      revision: rev.revision,
      building_index: m.buildingIndex,
      plane_id: String(p.id),
      roof_material_type: p.roofMaterialType,
      area_sqft: m.areaSqft,
      area_m2: sqftToM2(m.areaSqft),
      pitch_deg: p.pitchAngle,
      azimuth_deg: p.azimuthAngle,
      azimuth_sin: az === null ? null : Math.sin(az),
      azimuth_cos: az === null ? null : Math.cos(az),
      orientation: m.orientation,
      perimeter_ft: m.perimeterFt,
      perimeter_m: m.perimeterFt / FEET_PER_METER,
      edge_count: edges.length,
      ...conditionCounts,
      edges_other: other,
      interior_rings: p.polygon.interiorRings.length,
      obstructions: p.obstructions.length,
      penetrations: p.penetrations.length,
      penetration_area_sqft: m.penetrationAreaSqft,
      usable_area_sqft: m.usableAreaSqft,
      building_area_share: m.buildingAreaShare,
      solar_exposure_index: m.solarExposureIndex,
      quality_flags: p.qualityFlags.join(';'),
    };
  });
}

/** One plane as the tiling service needs it (also the API's tiling view). */
export interface TilingPlane {
  buildingIndex: number;
  planeIndex: number;
  planeId: string;
  pitchDeg: number | null;
  azimuthDeg: number | null;
  centroid: Point3 | null;
  coordinateSystem: { xAxis: Point3; yAxis: Point3; zAxis: Point3 } | null;
  normal: Point3 | null;
  normalSource: 'coordinate-system' | 'computed' | null;
  vertices: [number, number, number][];
  interiorRings: [number, number, number][][];
}

const xyz = (p: Point3): [number, number, number] => [p.x, p.y, p.z];

export function tilingPlanes(rev: StoredRevision): TilingPlane[] {
  const site = rev.document.siteModel;
  return site.buildings.flatMap((b, buildingIndex) =>
    b.mountingPlanes.map((p, planeIndex) => {
      const n = planeNormal(p, site.northVector);
      return {
        buildingIndex,
        planeIndex,
        planeId: String(p.id),
        pitchDeg: p.pitchAngle,
        azimuthDeg: p.azimuthAngle,
        centroid: p.centroid ?? null,
        coordinateSystem: p.coordinateSystem ?? null,
        normal: n?.normal ?? null,
        normalSource: n?.source ?? null,
        vertices: ringVertices(p.polygon.exteriorRing).map(xyz),
        interiorRings: p.polygon.interiorRings.map((r) => ringVertices(r).map(xyz)),
      };
    }),
  );
}

export const PLANE_GEOMETRY_COLUMNS = [
  'installation_id',
  'revision',
  'building_index',
  'plane_index',
  'plane_id',
  'pitch_deg',
  'azimuth_deg',
  'length_unit',
  'centroid_x',
  'centroid_y',
  'centroid_z',
  'x_axis_x',
  'x_axis_y',
  'x_axis_z',
  'y_axis_x',
  'y_axis_y',
  'y_axis_z',
  'z_axis_x',
  'z_axis_y',
  'z_axis_z',
  'normal_x',
  'normal_y',
  'normal_z',
  'normal_source',
  'vertices',
  'interior_rings',
] as const;

export function planeGeometryRows(rev: StoredRevision): CsvRecord[] {
  return tilingPlanes(rev).map((t) => {
    const cs = t.coordinateSystem;
    const axis = (a: Point3 | undefined, k: 'x' | 'y' | 'z') => (a === undefined ? null : a[k]);
    return {
      installation_id: rev.installationId,
      revision: rev.revision,
      building_index: t.buildingIndex,
      plane_index: t.planeIndex,
      plane_id: t.planeId,
      pitch_deg: t.pitchDeg,
      azimuth_deg: t.azimuthDeg,
      length_unit: rev.document.siteModel.units.length,
      centroid_x: t.centroid?.x ?? null,
      centroid_y: t.centroid?.y ?? null,
      centroid_z: t.centroid?.z ?? null,
      x_axis_x: axis(cs?.xAxis, 'x'),
      x_axis_y: axis(cs?.xAxis, 'y'),
      x_axis_z: axis(cs?.xAxis, 'z'),
      y_axis_x: axis(cs?.yAxis, 'x'),
      y_axis_y: axis(cs?.yAxis, 'y'),
      y_axis_z: axis(cs?.yAxis, 'z'),
      z_axis_x: axis(cs?.zAxis, 'x'),
      z_axis_y: axis(cs?.zAxis, 'y'),
      z_axis_z: axis(cs?.zAxis, 'z'),
      normal_x: t.normal?.x ?? null,
      normal_y: t.normal?.y ?? null,
      normal_z: t.normal?.z ?? null,
      normal_source: t.normalSource,
      vertices: JSON.stringify(t.vertices),
      interior_rings: JSON.stringify(t.interiorRings),
    };
  });
}
