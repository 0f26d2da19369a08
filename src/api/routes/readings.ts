// POST /v1/readings: the generic push. Like POST /data, the batch is validated whole and stored atomically.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type FieldProblem, WattlineError } from '../../domain/errors.ts';
import type { Reading } from '../../domain/reading.ts';
import { MAX_INTERVAL_MS } from '../../domain/reading.ts';
import { formatInstant, parseInstant } from '../../domain/time.ts';
import { isPowerUnit, toBase } from '../../domain/units.ts';
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
      const parsed = parseInstant(r.end);
      if (r.kind !== 'interval-energy') {
        report({ path: `${at}/end`, message: 'only interval-energy readings have an end', value: r.end });
      } else if (parsed === undefined) {
        report({ path: `${at}/end`, message: BAD_INSTANT_MESSAGE, value: r.end });
      } else if (tMs !== undefined && parsed <= tMs) {
        report({ path: `${at}/end`, message: 'must be after t', value: r.end });
      } else if (tMs !== undefined && parsed - tMs > MAX_INTERVAL_MS) {
        report({ path: `${at}/end`, message: 'an interval may span at most 40 days', value: r.end });
      } else endMs = parsed;
    }
    if (isPowerUnit(r.unit) !== (r.kind === 'power')) {
      const expected = r.kind === 'power' ? 'W, kW or MW' : 'Wh, kWh or MWh';
      report({ path: `${at}/unit`, message: `a ${r.kind} reading takes ${expected}`, value: r.unit });
    }
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
