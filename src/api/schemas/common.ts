// Building blocks shared by the route schemas: instants as text, units, and the response wrappers that
// put JSON, CSV and problem+json under the right media type for validation, serialization and OpenAPI.
import { type TLiteral, type TSchema, type TUnion, Type } from '@sinclair/typebox';
import { INSTANT_FORMATS } from '../../domain/time.ts';
import { ENERGY_UNITS, UNITS } from '../../domain/units.ts';
import { ProblemRef } from './problem.ts';

/** A union of string literals: TypeBox validates it and OpenAPI lists the allowed values. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
}

export const INSTANT_DESCRIPTION = INSTANT_FORMATS;

/** An instant as text, parsed by the handler so that errors name the value (see parseInstant). */
export const InstantText = (description = INSTANT_DESCRIPTION) =>
  Type.String({ description, examples: ['2018-08-24T00:00:00Z'] });

/** An instant in answers: ISO 8601 UTC. */
export const InstantOut = (description?: string) =>
  Type.String({ description: description ?? 'ISO 8601 UTC instant', examples: ['2018-08-24T00:00:00Z'] });

export const UnitSchema = StringEnum(UNITS, { description: 'Power (W, kW, MW) or energy (Wh, kWh, MWh)' });
export const EnergyUnitSchema = StringEnum(ENERGY_UNITS);

/** Ship number; the site id is its decimal text. */
export const SpaceshipId = (description = 'Spaceship number') =>
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description, examples: [1] });

export const FormatSchema = StringEnum(['json', 'csv'] as const, {
  description: 'Representation; `Accept: text/csv` works too. JSON by default.',
});

/** Response entry for a JSON body. */
export function json<T extends TSchema>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** Response entry for a JSON body that may also be asked for as CSV (`format=csv` or `Accept: text/csv`). */
export function jsonOrCsv<T extends TSchema>(schema: T, description: string, csvExample: string) {
  return {
    description,
    content: {
      'application/json': { schema },
      'text/csv': { schema: Type.String({ description: 'CSV with a header row', examples: [csvExample] }) },
    },
  };
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (validation-failed, invalid-json, invalid-datetime, invalid-range, invalid-value, unknown-unit)',
  404: 'Not found (site-not-found)',
  406: 'No representation matches the Accept header',
  413: 'The body is larger than the limit',
  415: 'The content type is not application/json',
  422: 'Not enough history (insufficient-history)',
  500: 'Internal error',
  503: 'Not ready',
};

/** Problem+json response entries for the given status codes. */
export function problems(...statuses: number[]) {
  const out: Record<
    number,
    { description: string; content: { 'application/problem+json': { schema: typeof ProblemRef } } }
  > = {};
  for (const s of statuses) {
    out[s] = {
      description: PROBLEM_DESCRIPTIONS[s] ?? 'Problem',
      content: { 'application/problem+json': { schema: ProblemRef } },
    };
  }
  return out;
}

/** Problems any route may answer. */
export const COMMON_PROBLEMS = [400, 500] as const;
/** Problems of routes that take a JSON body. */
export const BODY_PROBLEMS = [400, 413, 415, 500] as const;
