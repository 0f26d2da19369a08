// The roof site model as wattline keeps it after cleaning (docs/roofs.md). Shapes follow the design tools'
// JSON; extra keys the tools add (bearingVector, sidingMaterial, ...) are kept as they came.

/** Format generation of a site-model document (not a revision). */
export type FormatVersion = 'v1' | 'v2' | 'v3';
export const FORMAT_VERSIONS: readonly FormatVersion[] = ['v1', 'v2', 'v3'];

export interface Point3 {
  x: number;
  y: number;
  z: number;
}

export interface CoordinateSystem {
  xAxis: Point3;
  yAxis: Point3;
  zAxis: Point3;
}

export interface RoofEdge {
  id?: number | string;
  startPoint: Point3;
  endPoint: Point3;
  /** Lower case (`none`, `sharedconvex`, `wallup`, ...) or null where the tool gives none. */
  edgeCondition?: string | null;
  [key: string]: unknown;
}

export interface RoofRing {
  edges: RoofEdge[];
  [key: string]: unknown;
}

export interface RoofPolygon {
  exteriorRing: RoofRing;
  interiorRings: RoofRing[];
  [key: string]: unknown;
}

export interface RoofObstruction {
  id?: number | string;
  shapeType?: string | null;
  featureName?: string | null;
  radius?: number | null;
  center?: Point3 | null;
  ring?: RoofRing | null;
  [key: string]: unknown;
}

export interface RoofPenetration {
  id?: number | string;
  obstructionId?: number | string | null;
  ring?: RoofRing | null;
  [key: string]: unknown;
}

export interface MountingPlane {
  id: number | string;
  /** In the document's area unit (`units.area`). */
  area: number;
  /** Degrees from horizontal, 0–90; null when missing or unusable (see qualityFlags). */
  pitchAngle: number | null;
  /** Degrees clockwise from north, 0–360; null when missing or unusable (see qualityFlags). */
  azimuthAngle: number | null;
  azimuthVector?: Point3;
  roofMaterialType: string | null;
  centroid?: Point3;
  coordinateSystem?: CoordinateSystem;
  polygon: RoofPolygon;
  obstructions: RoofObstruction[];
  penetrations: RoofPenetration[];
  /** Data-quality flags the cleaner set (`pitch-missing`, `azimuth-sentinel`, ...). */
  qualityFlags: string[];
  [key: string]: unknown;
}

export interface Building {
  mountingPlanes: MountingPlane[];
  isPrimaryBuilding?: boolean;
  totalRoofArea?: number | null;
  polygon?: RoofPolygon | null;
  [key: string]: unknown;
}

export type LengthUnit = 'inch' | 'foot' | 'meter' | 'centimeter' | 'millimeter';
export type AngleUnit = 'degree';
/** Area units are named by their length unit, as the tools do (`foot` = square feet). */
export type AreaUnit = 'inch' | 'foot' | 'meter';

export interface RoofUnits {
  length: LengthUnit;
  angle: AngleUnit;
  area: AreaUnit;
}

export interface SiteModel {
  buildings: Building[];
  units: RoofUnits;
  northVector?: Point3;
  headingVector?: Point3;
  version?: string;
  obstructions: RoofObstruction[];
  [key: string]: unknown;
}

export interface RoofDocument {
  id: number | string;
  installationId: number | string;
  dateCreated: string;
  version: FormatVersion;
  externalSiteModelSourceId?: number | string | null;
  siteModel: SiteModel;
  [key: string]: unknown;
}

export type IssueSeverity = 'fix' | 'warning' | 'rejection';

/** One thing the pipeline changed or refused, at a JSON pointer into the document. */
export interface RoofIssue {
  severity: IssueSeverity;
  /** Stable rule name (docs/roofs.md lists them). */
  rule: string;
  path: string;
  message: string;
  oldValue?: unknown;
  newValue?: unknown;
}

/** The installation key: the document's installationId as text. */
export function installationKey(doc: Pick<RoofDocument, 'installationId'>): string {
  return String(doc.installationId);
}
