// All configuration in one TypeBox schema (DESIGN §4). Sources, lowest precedence first: defaults, an
// optional JSON file, environment variables (WATTLINE_*), command-line flags. Unknown keys are errors.
import { readFileSync } from 'node:fs';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from './config-error.ts';
import { type ConnectorConfig, validateConnectorConfigs } from './connectors/registry.ts';

export const ConfigSchema = Type.Object(
  {
    /** Database: a DuckDB file path, ':memory:', or a postgres:// URL. */
    db: Type.String({ minLength: 1, default: './data/wattline.duckdb' }),
    server: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
        bodyLimitBytes: Type.Integer({ minimum: 1024, default: 10 * 1024 * 1024 }),
        logger: Type.Boolean({ default: false }),
      },
      { additionalProperties: false, default: {} },
    ),
    duckdb: Type.Object(
      {
        /** DuckDB's buffer pool limit; unset means DuckDB's own default (80% of RAM). */
        memoryLimitMb: Type.Optional(Type.Integer({ minimum: 64 })),
        /** WAL size that triggers a checkpoint; unset means 256 (16, DuckDB's own default, for import). */
        checkpointMb: Type.Optional(Type.Integer({ minimum: 1 })),
        /** Memory for the cache of bucket energy that serves GET /data; unset means 512, 0 disables it. */
        cacheMb: Type.Optional(Type.Integer({ minimum: 0 })),
      },
      { additionalProperties: false, default: {} },
    ),
    normalize: Type.Object(
      {
        maxGapMs: Type.Integer({ minimum: 1000, default: 900_000 }),
        integration: Type.Union([Type.Literal('step'), Type.Literal('trapezoid')], { default: 'step' }),
        maxPowerW: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Sources to collect from; each entry is validated by its source's schema (src/connectors/registry.ts). */
    connectors: Type.Array(Type.Unknown(), { default: [] }),
    health: Type.Object(
      {
        /** A device is up when a reading succeeded within this window. */
        upWindowMs: Type.Integer({ minimum: 1000, default: 60_000 }),
        /** Window of the solar condition. */
        solarWindowMs: Type.Integer({ minimum: 60_000, default: 3_600_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type Config = Omit<Static<typeof ConfigSchema>, 'connectors'> & { connectors: ConnectorConfig[] };

export { ConfigError };

type Partialish = { [k: string]: unknown };

function merge(base: Partialish, over: Partialish): Partialish {
  const out: Partialish = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] =
      v !== null && typeof v === 'object' && !Array.isArray(v) && b !== null && typeof b === 'object'
        ? merge(b as Partialish, v as Partialish)
        : v;
  }
  return out;
}

/** Configuration from the environment: WATTLINE_DB, WATTLINE_HOST, WATTLINE_PORT, WATTLINE_MAX_GAP_MS. */
export function configFromEnv(env: NodeJS.ProcessEnv): Partialish {
  const server: Partialish = {};
  if (env['WATTLINE_HOST']) server['host'] = env['WATTLINE_HOST'];
  if (env['WATTLINE_PORT']) server['port'] = Number(env['WATTLINE_PORT']);
  const normalize: Partialish = {};
  if (env['WATTLINE_MAX_GAP_MS']) normalize['maxGapMs'] = Number(env['WATTLINE_MAX_GAP_MS']);
  return { db: env['WATTLINE_DB'] || undefined, server, normalize };
}

/** Validates layered configuration, filling defaults; throws ConfigError listing each problem. */
export function resolveConfig(...layers: Partialish[]): Config {
  const merged = layers.reduce((acc, l) => merge(acc, l), {} as Partialish);
  const withDefaults = Value.Default(ConfigSchema, Value.Clone(merged));
  const problems = [...Value.Errors(ConfigSchema, withDefaults)].map(
    (e) =>
      `${e.path || '/'}: ${e.message}${e.value === undefined ? '' : ` (got ${JSON.stringify(e.value)})`}`,
  );
  const list = (withDefaults as { connectors?: unknown }).connectors;
  const connectors = Array.isArray(list) ? validateConnectorConfigs(list) : { configs: [], problems: [] };
  problems.push(...connectors.problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...(withDefaults as Static<typeof ConfigSchema>), connectors: connectors.configs };
}

/** Reads a JSON configuration file. */
export function readConfigFile(path: string): Partialish {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Partialish;
  } catch (e) {
    throw new ConfigError([`${path}: ${(e as Error).message}`]);
  }
}
