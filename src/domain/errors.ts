// The one error catalogue (DESIGN §5). Every error a user can see has a stable code from here; the API
// renders them as application/problem+json and the CLI prints title and details.

export const ERROR_CATALOGUE = {
  'invalid-json': { status: 400, title: 'The body is not valid JSON' },
  'validation-failed': { status: 400, title: 'The request failed validation' },
  'invalid-datetime': { status: 400, title: 'A date-time could not be parsed' },
  'invalid-range': { status: 400, title: 'The time range is empty or reversed' },
  'invalid-value': { status: 400, title: 'A value is not a finite number' },
  'unknown-unit': { status: 400, title: 'The unit is not known' },
  'invalid-time-zone': { status: 400, title: 'The time zone is not an IANA zone' },
  'invalid-parameter': { status: 400, title: 'A parameter has a value that is not allowed' },
  'payload-too-large': { status: 413, title: 'The body is larger than allowed' },
  'unsupported-media-type': { status: 415, title: 'The content type is not supported' },
  'not-acceptable': { status: 406, title: 'No representation matches the Accept header' },
  'route-not-found': { status: 404, title: 'No such route' },
  'site-not-found': { status: 404, title: 'No such site' },
  'invalid-roof-document': { status: 400, title: 'The site-model document was rejected' },
  'roof-not-found': { status: 404, title: 'No such roof installation or revision' },
  'roofs-unavailable': { status: 503, title: 'No roof store is configured' },
  'series-not-found': { status: 404, title: 'The site has no data on this channel' },
  'insufficient-history': { status: 422, title: 'Not enough history to forecast' },
  'not-ready': { status: 503, title: 'The service is not ready' },
  'store-failure': { status: 500, title: 'The store failed' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** One problem with one field, named by its JSON pointer (`/data/1/datetime`). */
export interface FieldProblem {
  path: string;
  message: string;
  value?: unknown;
}

/** An error from the catalogue, carrying field problems when it is about input. */
export class WattlineError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly errors: FieldProblem[];

  constructor(code: ErrorCode, detail: string, errors: FieldProblem[] = []) {
    super(detail);
    this.name = 'WattlineError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.title = ERROR_CATALOGUE[code].title;
    this.errors = errors;
  }
}
