// Shapes of the /v1/roofs routes.
import { type Static, Type } from '@sinclair/typebox';
import { InstantOut, InstantText } from './common.ts';

export const InstallationParams = Type.Object({
  installationId: Type.String({
    minLength: 1,
    maxLength: 128,
    description: 'The installationId of the site model',
  }),
});

export const RoofListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ description: 'From the Link rel="next" header of the previous page' })),
});

export const RevisionQuery = Type.Object({
  revision: Type.Optional(
    Type.Integer({ minimum: 1, description: 'A revision number (1 is the first import)' }),
  ),
  asOf: Type.Optional(
    InstantText('The revision current at this instant (the latest imported at or before it)'),
  ),
});
export type RevisionQuery = Static<typeof RevisionQuery>;

export const PostRoofQuery = Type.Object({
  strict: Type.Optional(
    Type.Boolean({ description: 'Reject the document when cleaning warns', default: false }),
  ),
});

const Point3 = Type.Object({ x: Type.Number(), y: Type.Number(), z: Type.Number() });
const Vertex = Type.Array(Type.Number(), {
  minItems: 3,
  maxItems: 3,
  description: '[x, y, z] in the length unit',
});

export const RoofIssueSchema = Type.Object({
  severity: Type.Union([Type.Literal('fix'), Type.Literal('warning'), Type.Literal('rejection')]),
  rule: Type.String({ description: 'Cleaning rule (docs/roofs.md)' }),
  path: Type.String({ description: 'JSON pointer into the document' }),
  message: Type.String(),
  oldValue: Type.Optional(Type.Unknown()),
  newValue: Type.Optional(Type.Unknown()),
});

export const InstallationSummarySchema = Type.Object({
  installationId: Type.String(),
  latestRevision: Type.Integer(),
  revisions: Type.Integer(),
  firstImportedAt: InstantOut(),
  lastImportedAt: InstantOut(),
  buildings: Type.Integer(),
  planes: Type.Integer(),
});

export const RevisionInfoSchema = Type.Object({
  revision: Type.Integer(),
  importedAt: InstantOut(),
  contentHash: Type.String({ description: 'SHA-256 of the cleaned document’s canonical JSON' }),
});

export const RoofRevisionSchema = Type.Object({
  installationId: Type.String(),
  revision: Type.Integer(),
  importedAt: InstantOut(),
  contentHash: Type.String(),
  formatVersion: Type.String({ description: 'Format generation: v1, v2 or v3' }),
  dateCreated: Type.String(),
  revisions: Type.Array(RevisionInfoSchema, {
    description: 'Every revision of the installation, oldest first',
  }),
  issues: Type.Array(RoofIssueSchema, {
    description: 'What cleaning fixed or warned about in this revision',
  }),
  document: Type.Record(Type.String(), Type.Unknown(), { description: 'The cleaned site-model document' }),
});

export const TilingPlaneSchema = Type.Object({
  buildingIndex: Type.Integer(),
  planeIndex: Type.Integer(),
  planeId: Type.String(),
  pitchDeg: Type.Union([Type.Number(), Type.Null()]),
  azimuthDeg: Type.Union([Type.Number(), Type.Null()], { description: 'Degrees clockwise from north' }),
  centroid: Type.Union([Point3, Type.Null()]),
  coordinateSystem: Type.Union([Type.Object({ xAxis: Point3, yAxis: Point3, zAxis: Point3 }), Type.Null()]),
  normal: Type.Union([Point3, Type.Null()], { description: 'Upward unit normal of the plane' }),
  normalSource: Type.Union([Type.Literal('coordinate-system'), Type.Literal('computed'), Type.Null()]),
  vertices: Type.Array(Vertex, { description: 'Exterior ring, in order' }),
  interiorRings: Type.Array(Type.Array(Vertex)),
});

export const TilingViewSchema = Type.Object({
  installationId: Type.String(),
  revision: Type.Integer(),
  importedAt: InstantOut(),
  lengthUnit: Type.String({ description: 'Unit of every coordinate' }),
  planes: Type.Array(TilingPlaneSchema),
});

export const PostRoofResponse = Type.Object({
  installationId: Type.String(),
  status: Type.Union([Type.Literal('imported'), Type.Literal('new-revision'), Type.Literal('unchanged')]),
  revision: Type.Integer(),
  importedAt: InstantOut(),
  fixes: Type.Integer(),
  warnings: Type.Integer(),
  issues: Type.Array(RoofIssueSchema),
});

export const PostRoofBody = Type.Unknown({
  description: 'One site-model document (format generation v1, v2 or v3), cleaned and validated as on import',
});
