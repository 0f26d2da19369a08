// The relational rows of one revision, for both backends: column lists with their kinds, and the rows of
// every table in those columns' order. Geometry stays at full precision (doubles; polygons as JSON text).
// JSON cells are the canonical text of the document (content-hash.ts): each document is serialised once, and
// its polygons, rings and vectors are cut from that same serialisation rather than written again.
import { type CanonicalDocument, canonicalDocument, canonicalJson } from './content-hash.ts';
import type { PlannedWrite } from './roof-store.ts';

export type ColumnKind = 'text' | 'int' | 'bigint' | 'double' | 'bool' | 'json';
export type Cell = string | number | boolean | null;

export interface TableSpec {
  name: string;
  columns: readonly (readonly [string, ColumnKind])[];
}

const key = [
  ['installation_id', 'text'],
  ['revision', 'int'],
] as const;

export const REVISIONS: TableSpec = {
  name: 'roof_revisions',
  columns: [
    ...key,
    ['imported_ms', 'bigint'],
    ['content_hash', 'text'],
    ['format_version', 'text'],
    ['date_created', 'text'],
    ['document_id', 'text'],
    ['external_source_id', 'text'],
    ['document', 'json'],
    ['issues', 'json'],
  ],
};

export const BUILDINGS: TableSpec = {
  name: 'roof_buildings',
  columns: [
    ...key,
    ['building_index', 'int'],
    ['is_primary', 'bool'],
    ['total_roof_area', 'double'],
    ['plane_count', 'int'],
    ['polygon', 'json'],
  ],
};

export const PLANES: TableSpec = {
  name: 'roof_mounting_planes',
  columns: [
    ...key,
    ['building_index', 'int'],
    ['plane_index', 'int'],
    ['plane_id', 'text'],
    ['area', 'double'],
    ['pitch_deg', 'double'],
    ['azimuth_deg', 'double'],
    ['material_type_id', 'int'],
    ['centroid_x', 'double'],
    ['centroid_y', 'double'],
    ['centroid_z', 'double'],
    ['azimuth_vector', 'json'],
    ['coordinate_system', 'json'],
    ['polygon', 'json'],
    ['quality_flags', 'json'],
  ],
};

export const OBSTRUCTIONS: TableSpec = {
  name: 'roof_obstructions',
  columns: [
    ...key,
    ['building_index', 'int'],
    ['plane_index', 'int'],
    ['obstruction_index', 'int'],
    ['obstruction_id', 'text'],
    ['shape_type', 'text'],
    ['feature_name', 'text'],
    ['radius', 'double'],
    ['center', 'json'],
    ['ring', 'json'],
  ],
};

export const PENETRATIONS: TableSpec = {
  name: 'roof_penetrations',
  columns: [
    ...key,
    ['building_index', 'int'],
    ['plane_index', 'int'],
    ['penetration_index', 'int'],
    ['penetration_id', 'text'],
    ['obstruction_id', 'text'],
    ['ring', 'json'],
  ],
};

export const CHILD_TABLES = [REVISIONS, BUILDINGS, PLANES, OBSTRUCTIONS, PENETRATIONS] as const;

export type TableRows = Map<TableSpec, Cell[][]>;

/** A JSON cell: the part's text from the document's serialisation (or its own when not captured there). */
function jsonOf(canonical: CanonicalDocument, v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return (typeof v === 'object' ? canonical.textOf(v) : undefined) ?? canonicalJson(v);
}
const text = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Material names of the writes (distinct, sorted), to resolve their ids first. */
export function materialNames(writes: readonly PlannedWrite[]): string[] {
  const names = new Set<string>();
  for (const w of writes)
    for (const b of w.input.document.siteModel.buildings)
      for (const p of b.mountingPlanes) if (p.roofMaterialType !== null) names.add(p.roofMaterialType);
  return [...names].sort();
}

/** Rows of every table for the planned writes; `materialIds` must hold every material name. */
export function revisionRows(
  writes: readonly PlannedWrite[],
  importedMs: number,
  materialIds: ReadonlyMap<string, number>,
): TableRows {
  const rows: TableRows = new Map(CHILD_TABLES.map((t) => [t, []]));
  const push = (t: TableSpec, row: Cell[]) => rows.get(t)!.push(row);
  for (const { input, revision } of writes) {
    const doc = input.document;
    const canonical = input.canonical ?? canonicalDocument(doc);
    const json = (v: unknown) => jsonOf(canonical, v);
    const k = [input.installationId, revision];
    push(REVISIONS, [
      ...k,
      importedMs,
      input.contentHash,
      doc.version,
      doc.dateCreated,
      text(doc.id),
      text(doc.externalSiteModelSourceId),
      canonical.json,
      JSON.stringify(input.issues),
    ]);
    doc.siteModel.obstructions.forEach((o, oi) => {
      push(OBSTRUCTIONS, [
        ...k,
        null,
        null,
        oi,
        text(o.id),
        str(o.shapeType),
        str(o.featureName),
        num(o.radius),
        json(o.center),
        json(o.ring),
      ]);
    });
    doc.siteModel.buildings.forEach((b, bi) => {
      push(BUILDINGS, [
        ...k,
        bi,
        b.isPrimaryBuilding ?? null,
        num(b.totalRoofArea),
        b.mountingPlanes.length,
        json(b.polygon),
      ]);
      b.mountingPlanes.forEach((p, pi) => {
        push(PLANES, [
          ...k,
          bi,
          pi,
          String(p.id),
          p.area,
          p.pitchAngle,
          p.azimuthAngle,
          p.roofMaterialType === null ? null : materialIds.get(p.roofMaterialType)!,
          num(p.centroid?.x),
          num(p.centroid?.y),
          num(p.centroid?.z),
          json(p.azimuthVector),
          json(p.coordinateSystem),
          json(p.polygon),
          JSON.stringify(p.qualityFlags),
        ]);
        p.obstructions.forEach((o, oi) => {
          push(OBSTRUCTIONS, [
            ...k,
            bi,
            pi,
            oi,
            text(o.id),
            str(o.shapeType),
            str(o.featureName),
            num(o.radius),
            json(o.center),
            json(o.ring),
          ]);
        });
        p.penetrations.forEach((n, ni) => {
          push(PENETRATIONS, [...k, bi, pi, ni, text(n.id), text(n.obstructionId), json(n.ring)]);
        });
      });
    });
  }
  return rows;
}
