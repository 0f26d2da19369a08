// Schema migrations of the roof tables, per backend, recorded in roof_schema_migrations (the energy store
// keeps its own schema_migrations; one database or file may hold both). Each migration runs once, in order.

export interface RoofMigration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const ROOF_MIGRATIONS_TABLE = 'roof_schema_migrations';

type Dialect = {
  text: string;
  double: string;
  json: string;
  fk: (parent: string) => string;
  materialRef: string;
};

function v1(d: Dialect): RoofMigration {
  const key = `installation_id ${d.text} NOT NULL, revision INTEGER NOT NULL`;
  const child = d.fk('roof_revisions');
  return {
    version: 1,
    name: 'roof material types, installations, revisions, buildings, mounting planes, obstructions, penetrations',
    statements: [
      `CREATE TABLE roof_material_types (material_type_id INTEGER PRIMARY KEY, name ${d.text} NOT NULL UNIQUE)`,
      // One row per installation: its latest revision and content hash, so an import decides in one lookup.
      `CREATE TABLE roof_installations (
        installation_id ${d.text} PRIMARY KEY,
        latest_revision INTEGER NOT NULL,
        latest_hash ${d.text} NOT NULL,
        first_imported_ms BIGINT NOT NULL,
        last_imported_ms BIGINT NOT NULL,
        buildings INTEGER NOT NULL,
        planes INTEGER NOT NULL
      )`,
      // Every revision keeps its whole cleaned document (the source of truth for reads and exports) and the
      // fixes and warnings of its cleaning; the tables below hold the same content relationally.
      `CREATE TABLE roof_revisions (
        ${key},
        imported_ms BIGINT NOT NULL,
        content_hash ${d.text} NOT NULL,
        format_version ${d.text} NOT NULL,
        date_created ${d.text} NOT NULL,
        document_id ${d.text},
        external_source_id ${d.text},
        document ${d.json} NOT NULL,
        issues ${d.json} NOT NULL,
        PRIMARY KEY (installation_id, revision)
      )`,
      `CREATE TABLE roof_buildings (
        ${key}, building_index INTEGER NOT NULL, is_primary BOOLEAN, total_roof_area ${d.double},
        plane_count INTEGER NOT NULL, polygon ${d.json}${child}
      )`,
      `CREATE TABLE roof_mounting_planes (
        ${key}, building_index INTEGER NOT NULL, plane_index INTEGER NOT NULL, plane_id ${d.text} NOT NULL,
        area ${d.double} NOT NULL, pitch_deg ${d.double}, azimuth_deg ${d.double},
        material_type_id INTEGER${d.materialRef},
        centroid_x ${d.double}, centroid_y ${d.double}, centroid_z ${d.double},
        azimuth_vector ${d.json}, coordinate_system ${d.json}, polygon ${d.json} NOT NULL, quality_flags ${d.json} NOT NULL${child}
      )`,
      // Site-level obstructions have no building or plane.
      `CREATE TABLE roof_obstructions (
        ${key}, building_index INTEGER, plane_index INTEGER, obstruction_index INTEGER NOT NULL,
        obstruction_id ${d.text}, shape_type ${d.text}, feature_name ${d.text}, radius ${d.double},
        center ${d.json}, ring ${d.json}${child}
      )`,
      `CREATE TABLE roof_penetrations (
        ${key}, building_index INTEGER NOT NULL, plane_index INTEGER NOT NULL, penetration_index INTEGER NOT NULL,
        penetration_id ${d.text}, obstruction_id ${d.text}, ring ${d.json}${child}
      )`,
    ],
  };
}

// DuckDB checks foreign keys row by row on append, which the bulk appender path cannot afford; the
// revision key is written by the same transaction, so integrity holds by construction there.
export const DUCKDB_ROOF_MIGRATIONS: readonly RoofMigration[] = [
  v1({ text: 'VARCHAR', double: 'DOUBLE', json: 'JSON', fk: () => '', materialRef: '' }),
];

export const POSTGRES_ROOF_MIGRATIONS: readonly RoofMigration[] = [
  (() => {
    const m = v1({
      text: 'TEXT',
      double: 'DOUBLE PRECISION',
      json: 'JSON',
      materialRef: ' REFERENCES roof_material_types (material_type_id)',
      fk: (parent) =>
        `, FOREIGN KEY (installation_id, revision) REFERENCES ${parent} (installation_id, revision)`,
    });
    return {
      ...m,
      statements: [
        ...m.statements,
        ...['roof_buildings', 'roof_mounting_planes', 'roof_obstructions', 'roof_penetrations'].map(
          (t) => `CREATE INDEX ${t}_revision_idx ON ${t} (installation_id, revision)`,
        ),
        'CREATE INDEX roof_revisions_asof_idx ON roof_revisions (installation_id, imported_ms)',
      ],
    };
  })(),
];
