// One TypeBox schema per format generation, checked against the CLEANED document (so numbers sent as text
// are already numbers). Only v3 samples exist; v1 and v2 are taken to be v3 without the derived geometry
// the later tools added (azimuthVector, centroid, coordinateSystem, northVector are optional there).
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FormatVersion } from './model.ts';

const Id = Type.Union([Type.Integer(), Type.String({ minLength: 1 })]);
const Point3 = Type.Object({ x: Type.Number(), y: Type.Number(), z: Type.Number() });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

const Edge = Type.Object({
  id: Type.Optional(Id),
  startPoint: Point3,
  endPoint: Point3,
  edgeCondition: Type.Optional(Nullable(Type.String())),
});
const Ring = Type.Object({ edges: Type.Array(Edge) });
const Polygon = Type.Object({ exteriorRing: Ring, interiorRings: Type.Array(Ring) });
const Obstruction = Type.Object({
  id: Type.Optional(Id),
  radius: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
  center: Type.Optional(Nullable(Point3)),
  ring: Type.Optional(Nullable(Ring)),
});
const Penetration = Type.Object({
  id: Type.Optional(Id),
  obstructionId: Type.Optional(Nullable(Id)),
  ring: Type.Optional(Nullable(Ring)),
});
const CoordinateSystem = Type.Object({ xAxis: Point3, yAxis: Point3, zAxis: Point3 });
const Units = Type.Object({
  length: Type.Union(['inch', 'foot', 'meter', 'centimeter', 'millimeter'].map((u) => Type.Literal(u))),
  angle: Type.Literal('degree'),
  area: Type.Union(['inch', 'foot', 'meter'].map((u) => Type.Literal(u))),
});

function documentSchema(version: FormatVersion, derivedGeometry: boolean) {
  const derived = <T extends TSchema>(t: T) => (derivedGeometry ? t : Type.Optional(t));
  const Plane = Type.Object({
    id: Id,
    area: Type.Number({ minimum: 0 }),
    pitchAngle: Nullable(Type.Number({ minimum: 0, maximum: 90 })),
    azimuthAngle: Nullable(Type.Number({ minimum: 0, maximum: 360 })),
    azimuthVector: Type.Optional(derived(Point3)),
    roofMaterialType: Nullable(Type.String()),
    centroid: derived(Point3),
    coordinateSystem: derived(CoordinateSystem),
    polygon: Polygon,
    obstructions: Type.Array(Obstruction),
    penetrations: Type.Array(Penetration),
    qualityFlags: Type.Array(Type.String()),
  });
  const Building = Type.Object({
    mountingPlanes: Type.Array(Plane),
    isPrimaryBuilding: Type.Optional(Type.Boolean()),
    totalRoofArea: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
    polygon: Type.Optional(Nullable(Polygon)),
  });
  return Type.Object({
    id: Id,
    installationId: Id,
    dateCreated: Type.String(),
    version: Type.Literal(version),
    externalSiteModelSourceId: Type.Optional(Nullable(Id)),
    siteModel: Type.Object({
      buildings: Type.Array(Building),
      units: Units,
      northVector: derived(Point3),
      headingVector: Type.Optional(Point3),
      version: Type.Optional(Type.String()),
      obstructions: Type.Array(Obstruction),
    }),
  });
}

export const ROOF_SCHEMAS = {
  v1: documentSchema('v1', false),
  v2: documentSchema('v2', false),
  v3: documentSchema('v3', true),
} as const satisfies Record<FormatVersion, TSchema>;

export type RoofDocumentV3 = Static<(typeof ROOF_SCHEMAS)['v3']>;
