// Request validation with the same TypeBox schemas that type the handlers and generate OpenAPI.
// Bodies are checked as sent: JSON types are never coerced (a "5" is not an integer). Query strings and
// path parameters are text by nature, so plain numbers and booleans in them are converted first, strictly
// ("3" becomes 3, "1.5" stays 1.5 and fails an integer check, "abc" stays text). Every problem is reported,
// each at its JSON pointer, so one round trip shows the client all it has to fix.
import { type TSchema, TypeGuard } from '@sinclair/typebox';
import { TypeCompiler, type ValueError } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';
import { type ErrorCode, type FieldProblem, WattlineError } from '../domain/errors.ts';

/** At most this many field problems are reported for one request. */
export const MAX_FIELD_PROBLEMS = 100;

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

type ScalarKind = 'number' | 'boolean' | 'text';

function scalarKind(schema: TSchema): ScalarKind {
  if (TypeGuard.IsInteger(schema) || TypeGuard.IsNumber(schema)) return 'number';
  if (TypeGuard.IsBoolean(schema)) return 'boolean';
  return 'text';
}

function coerceScalar(kind: ScalarKind, value: unknown): unknown {
  if (typeof value !== 'string' || kind === 'text') return value;
  if (kind === 'number') return NUMERIC.test(value) ? Number(value) : value;
  return value === 'true' ? true : value === 'false' ? false : value;
}

/**
 * Converts the text fields of a flat query or params object to the scalar types its schema declares, and
 * fills in the defaults of absent fields. The schema is read once, here, not on every request.
 */
function textCoercer(schema: TSchema): (data: unknown) => unknown {
  if (!TypeGuard.IsObject(schema)) return (data) => data;
  const properties = Object.entries(schema.properties);
  const fields = properties
    .map(([key, prop]) => ({ key, kind: scalarKind(prop) }))
    .filter((f) => f.kind !== 'text');
  // Defaults of top-level fields are set directly; a default deeper down (not seen in query strings or
  // paths so far) falls back to TypeBox's general walk.
  const defaults = properties
    .filter(([, prop]) => prop.default !== undefined)
    .map(([key, prop]) => ({ key, value: prop.default as unknown }));
  const deepDefaults = properties.some(([, prop]) =>
    Object.entries(prop).some(([k, v]) => k !== 'default' && declaresDefaults(v)),
  );
  return (data) => {
    if (data === null || typeof data !== 'object') return data;
    const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    for (const { key, kind } of fields) if (key in out) out[key] = coerceScalar(kind, out[key]);
    for (const { key, value } of defaults) {
      if (out[key] === undefined) out[key] = typeof value === 'object' ? structuredClone(value) : value;
    }
    return deepDefaults ? Value.Default(schema, out) : out;
  };
}

/** True when a schema declares a default anywhere. */
function declaresDefaults(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return false;
  if ('default' in schema) return true;
  return Object.values(schema).some(declaresDefaults);
}

function literalValues(schema: TSchema): string[] | undefined {
  if (!TypeGuard.IsUnion(schema) || !schema.anyOf.every((s) => TypeGuard.IsLiteral(s))) return undefined;
  return schema.anyOf.map((s) => String(s.const));
}

interface Classified {
  problem: FieldProblem;
  code: ErrorCode;
}

function classify(e: ValueError): Classified {
  const problem: FieldProblem = { path: e.path, message: e.message };
  if (e.value !== undefined) problem.value = e.value;
  if (typeof e.value === 'number' && !Number.isFinite(e.value)) {
    problem.message = 'must be a finite number';
    return { problem, code: 'invalid-value' };
  }
  if (e.value === undefined && e.message === 'Expected required property') {
    problem.message = 'is required';
    return { problem, code: 'validation-failed' };
  }
  const allowed = literalValues(e.schema);
  if (allowed !== undefined) {
    problem.message = `must be one of ${allowed.join(', ')}`;
    return { problem, code: /\/units?$/.test(e.path) ? 'unknown-unit' : 'validation-failed' };
  }
  return { problem, code: 'validation-failed' };
}

const PART_NAMES: Record<string, string> = {
  body: 'body',
  querystring: 'query string',
  params: 'path',
  headers: 'headers',
};

/** Collects the problems of a value that failed its check: one per field, in document order. */
export function validationError(errors: Iterable<ValueError>, part: string): WattlineError {
  const seen = new Set<string>();
  const found: Classified[] = [];
  for (const e of errors) {
    // TypeBox reports a missing property twice (required, then its type); the first says it best.
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    found.push(classify(e));
    if (found.length >= MAX_FIELD_PROBLEMS) break;
  }
  const codes = new Set(found.map((f) => f.code));
  const code: ErrorCode = codes.size === 1 ? [...codes][0]! : 'validation-failed';
  const where = PART_NAMES[part] ?? part;
  const list = found
    .slice(0, 3)
    .map((f) => `${f.problem.path || '(root)'} ${f.problem.message}`)
    .join('; ');
  const more = found.length > 3 ? ` (and ${found.length - 3} more)` : '';
  return new WattlineError(
    code,
    `The ${where} has ${found.length} invalid field${found.length === 1 ? '' : 's'}: ${list}${more}`,
    found.map((f) => f.problem),
  );
}

/** Fastify validator compiler: TypeBox checks, text coercion outside the body, catalogue errors. */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const coerce = httpPart === 'body' ? undefined : textCoercer(schema);
  return (data: unknown) => {
    const value = coerce ? coerce(data) : data;
    if (check.Check(value)) return { value };
    return { error: validationError(check.Errors(value), httpPart ?? 'body') };
  };
};
