// POST /v1/readings: the generic push. Like POST /data, the batch is validated whole and stored atomically.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type FieldProblem, WattlineError } from '../../domain/errors.ts';
import type { Reading } from '../../domain/reading.ts';
import { checkIntervalEnd, checkUnitFitsKind } from '../../domain/reading-input.ts';
import { formatInstant, parseInstant } from '../../domain/time.ts';
import { toBase } from '../../domain/units.ts';
import type { RouteDeps } from '../route-deps.ts';
import { BODY_PROBLEMS, json, problems } from '../schemas/common.ts';
import { PostReadingsBody, PostReadingsResponse } from '../schemas/readings.ts';
import { BAD_INSTANT_MESSAGE } from '../time-window.ts';
import { MAX_FIELD_PROBLEMS } from '../validation.ts';

/** Readings of a validated body; throws naming every bad time, unit or interval end. */
export function toReadings(body: PostReadingsBody, receivedMs: number): Reading[] {
  const problems: FieldProblem[] = [];
  let bad = 0;
  const report = (p: FieldProblem) => {
    bad++;
    if (problems.length < MAX_FIELD_PROBLEMS) problems.push(p);
  };
  const readings: Reading[] = [];
  body.readings.forEach((r, i) => {
    const at = `/readings/${i}`;
    const tMs = parseInstant(r.t);
    if (tMs === undefined) report({ path: `${at}/t`, message: BAD_INSTANT_MESSAGE, value: r.t });
    let endMs: number | null = null;
    if (r.end !== undefined) {
      const parsed = r.kind === 'interval-energy' ? parseInstant(r.end) : undefined;
      if (r.kind === 'interval-energy' && parsed === undefined) {
        report({ path: `${at}/end`, message: BAD_INSTANT_MESSAGE, value: r.end });
      } else if (checkIntervalEnd(r.kind, tMs, parsed ?? 0, r.end, `${at}/end`, report)) {
        endMs = parsed ?? null;
      }
    }
    checkUnitFitsKind(r.kind, r.unit, r.unit, `${at}/unit`, report);
    if (tMs === undefined) return;
    readings.push({
      siteId: r.siteId,
      channel: r.channel,
      kind: r.kind,
      tMs,
      endMs,
      value: toBase(r.value, r.unit),
      receivedMs,
    });
  });
  if (bad > 0) {
    const shown = bad > problems.length ? ` (the first ${problems.length} are listed)` : '';
    const onlyTimes = problems.every((p) => p.message === BAD_INSTANT_MESSAGE);
    throw new WattlineError(
      onlyTimes ? 'invalid-datetime' : 'validation-failed',
      `${bad} problem${bad === 1 ? '' : 's'} in ${body.readings.length} readings${shown}; nothing was stored`,
      problems,
    );
  }
  return readings;
}

export const readingRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store, clock }) => {
  app.post(
    '/readings',
    {
      schema: {
        tags: ['readings'],
        summary: 'Push raw readings of any sites and channels',
        description:
          'Values in W/kW/MW (power) or Wh/kWh/MWh (interval-energy, counter). The whole batch is validated first and stored atomically, or rejected as a whole; repeating it changes nothing. Unknown sites are created (UTC, source push).',
        body: PostReadingsBody,
        response: { 201: json(PostReadingsResponse, 'Stored'), ...problems(...BODY_PROBLEMS) },
      },
    },
    async (req, reply) => {
      const readings = toReadings(req.body, clock());
      const s = await store.ingest(readings, { source: 'push', timezone: 'UTC' });
      return reply.status(201).send({
        accepted: s.accepted,
        stored: s.stored,
        series: s.series,
        bucketsTouched: s.bucketsTouched,
        firstBucket: s.firstBucketMs === null ? null : formatInstant(s.firstBucketMs),
        lastBucket: s.lastBucketMs === null ? null : formatInstant(s.lastBucketMs),
      });
    },
  );
};
