// RFC 9457 problem details, as every error of the API is rendered (DESIGN §5).
import { Type } from '@sinclair/typebox';
import { ERROR_CATALOGUE, type ErrorCode } from '../../domain/errors.ts';

const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export const FieldProblemSchema = Type.Object(
  {
    path: Type.String({ description: 'JSON pointer to the field (`/data/1/datetime`, `/start`)' }),
    message: Type.String(),
    value: Type.Optional(
      Type.Unknown({ description: 'The offending value, when it is short enough to echo' }),
    ),
  },
  { $id: 'FieldProblem', additionalProperties: false },
);

export const ProblemSchema = Type.Object(
  {
    type: Type.String({
      description: 'URI of the problem type',
      examples: ['https://wattline.dev/problems/invalid-datetime'],
    }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.Union(
      CODES.map((c) => Type.Literal(c)),
      { description: 'Stable error code from the catalogue' },
    ),
    errors: Type.Array(Type.Ref('FieldProblem')),
  },
  { $id: 'Problem', additionalProperties: false },
);

/** Shared schemas, added to the app once (they become OpenAPI components). */
export const SHARED_SCHEMAS = [FieldProblemSchema, ProblemSchema];

/** Reference to the problem schema, for response entries. */
export const ProblemRef = Type.Ref('Problem');
