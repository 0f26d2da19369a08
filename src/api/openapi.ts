// OpenAPI 3 from the route schemas (@fastify/swagger), served at /openapi.json with interactive docs at
// /docs (@fastify/swagger-ui, assets from the package: nothing is fetched from the network). The same
// document, with keys sorted, is committed as openapi.json and checked for drift by a test.
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

export const OPENAPI_INFO = {
  title: 'wattline',
  version: '1.0.0',
  description:
    'Energy telemetry normalized to correct 15-minute energy. The seed routes (/data, /topusers, /forecast) keep their original wire shapes; everything new lives under /v1. Errors are application/problem+json with a stable code.',
};

/**
 * Registers the OpenAPI generator, /openapi.json and /docs on the root instance. Call before registering
 * routes: the generator sees the routes registered after it.
 */
export function registerOpenApi(app: FastifyInstance): void {
  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: OPENAPI_INFO,
      tags: [
        { name: 'seed', description: 'The original spaceship API, wire-compatible' },
        { name: 'sites', description: 'Sites and their 15-minute buckets' },
        { name: 'readings', description: 'Generic push of raw readings' },
        { name: 'health', description: 'Liveness and readiness' },
      ],
    },
    // Shared schemas keep their $id as component name (components/schemas/Problem).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json['$id'] ?? `def-${i}`) },
    // Documentation plumbing (/docs/*, /openapi.json) carries no tag and stays out of the document.
    hideUntagged: true,
    transformObject: (doc) =>
      toOpenApi30(('openapiObject' in doc ? doc.openapiObject : doc.swaggerObject) as unknown),
  });
  app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, validatorUrl: null },
  });
  app.register(openApiDocumentRoute);
}

const openApiDocumentRoute: FastifyPluginAsync = async (app) => {
  let cached: string | undefined;
  const schema = {
    hide: true,
    response: { 200: Type.Object({ openapi: Type.String() }, { additionalProperties: true }) },
  };
  app.get('/openapi.json', { schema }, async (_req, reply) => {
    cached ??= serializeOpenApi(app.swagger());
    return reply.type('application/json; charset=utf-8').send(cached);
  });
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Rewrites JSON Schema idioms that OpenAPI 3.0 lacks: TypeBox's union of string literals (anyOf of
 * single-value enums after @fastify/swagger's const conversion) becomes one `enum`, and `examples`
 * becomes `example`.
 */
function toOpenApi30(value: unknown): Record<string, unknown> {
  const walk = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    const members = out['anyOf'];
    if (
      Array.isArray(members) &&
      members.length > 0 &&
      members.every((m) => isSingleEnum(m) && m['type'] === (members[0] as Record<string, Json>)['type'])
    ) {
      const { anyOf: _, ...rest } = out;
      return {
        ...rest,
        type: (members[0] as Record<string, Json>)['type']!,
        enum: members.map((m) => ((m as Record<string, Json[]>)['enum'] as Json[])[0]!),
      };
    }
    // @fastify/swagger renders `Type.Null()` as a nullable object; fold it into its sibling instead.
    if (Array.isArray(members) && members.length === 2 && members.some(isNullOnly)) {
      const { anyOf: _, ...rest } = out;
      const other = members.find((m) => !isNullOnly(m)) as Record<string, Json>;
      return { ...other, ...rest, nullable: true };
    }
    if (Array.isArray(out['examples'])) {
      const { examples, ...rest } = out;
      return { ...rest, example: (examples as Json[])[0]! };
    }
    return out;
  };
  return walk(value as Json) as Record<string, unknown>;
}

function isNullOnly(m: Json): boolean {
  return (
    isObject(m) &&
    m['nullable'] === true &&
    Array.isArray(m['enum']) &&
    m['enum'].length === 1 &&
    m['enum'][0] === null
  );
}

function isObject(m: Json): m is Record<string, Json> {
  return m !== null && typeof m === 'object' && !Array.isArray(m);
}

function isSingleEnum(m: Json): m is Record<string, Json> {
  if (!isObject(m)) return false;
  const keys = Object.keys(m).sort().join(',');
  return keys === 'enum,type' && Array.isArray(m['enum']) && m['enum'].length === 1;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** The document as committed: keys sorted at every level, two-space indent, final newline. */
export function serializeOpenApi(doc: unknown): string {
  return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
}
