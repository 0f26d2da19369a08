// Renders every failure as application/problem+json from the one catalogue (DESIGN §5): our own
// WattlineErrors, Fastify's body-parsing and routing errors, and anything unexpected (as a 500 that
// says nothing about internals).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, type FieldProblem, WattlineError } from '../domain/errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://wattline.dev/problems/';

/** The wire form of a problem. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors: FieldProblem[];
}

/** The problem+json body of a WattlineError. */
export function toProblem(err: WattlineError): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${err.code}`,
    title: err.title,
    status: err.status,
    detail: err.message,
    code: err.code,
    errors: err.errors.map((e) => ({
      ...e,
      ...(e.value === undefined ? {} : { value: echoValue(e.value) }),
    })),
  };
}

const MAX_ECHO_CHARS = 200;

/**
 * A value as it can be echoed in JSON: non-finite numbers as text (JSON has no Infinity), long strings
 * cut, and objects or arrays left out (they may be the whole body).
 */
export function echoValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string')
    return value.length > MAX_ECHO_CHARS ? `${value.slice(0, MAX_ECHO_CHARS)}…` : value;
  if (typeof value === 'boolean' || value === null) return value;
  return undefined;
}

/** Maps Fastify's own errors (body parsing, limits, routing) to catalogue errors. */
function fromFastifyError(
  err: FastifyError,
  req: FastifyRequest,
  bodyLimit: number,
): WattlineError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new WattlineError('invalid-json', err.message, [{ path: '', message: err.message }]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new WattlineError(
        'payload-too-large',
        `The body is larger than the limit of ${bodyLimit} bytes`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const ct = req.headers['content-type'] ?? '(none)';
      return new WattlineError(
        'unsupported-media-type',
        `Content-Type ${ct} is not supported; send application/json`,
      );
    }
  }
  const status = err.statusCode ?? 500;
  const byStatus: Record<number, ErrorCode> = {
    400: 'validation-failed',
    404: 'route-not-found',
    406: 'not-acceptable',
    413: 'payload-too-large',
    415: 'unsupported-media-type',
  };
  const code = byStatus[status];
  return code === undefined ? undefined : new WattlineError(code, err.message);
}

/** Sends a WattlineError as problem+json. */
export function sendProblem(reply: FastifyReply, err: WattlineError): FastifyReply {
  return reply.status(err.status).type(PROBLEM_CONTENT_TYPE).send(toProblem(err));
}

/** Fastify error handler: everything becomes a catalogue problem. */
export function makeErrorHandler(bodyLimit: number) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const known = err instanceof WattlineError ? err : fromFastifyError(err, req, bodyLimit);
    if (known !== undefined) {
      if (known.status >= 500) req.log.error({ err }, known.message);
      return sendProblem(reply, known);
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(
      reply,
      new WattlineError('internal', 'The server failed to answer; the error was logged'),
    );
  };
}

/** Not-found handler: an unknown route is a problem too. */
export function notFoundHandler(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = req.url.split('?')[0] ?? req.url;
  return sendProblem(reply, new WattlineError('route-not-found', `No route ${req.method} ${path}`));
}

/** Errors Fastify raises before routing (a malformed URL, an overlong path parameter). */
export function frameworkErrorHandler(
  err: FastifyError,
  _req: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  return sendProblem(
    reply,
    new WattlineError('validation-failed', err.message, [{ path: '', message: err.message }]),
  );
}
