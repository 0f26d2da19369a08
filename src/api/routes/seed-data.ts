// POST /data and GET /data: the seed's push and read of one spaceship's 15-minute consumption.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WattlineError } from '../../domain/errors.ts';
import type { Reading } from '../../domain/reading.ts';
import { BUCKET_MS, bucketInstantFormatter, formatInstant, parseInstant } from '../../domain/time.ts';
import { fromBase, isPowerUnit, toBase } from '../../domain/units.ts';
import { chooseRepresentation, sendCsv } from '../representation.ts';
import type { RouteDeps } from '../route-deps.ts';
import { BODY_PROBLEMS, json, jsonOrCsv, problems } from '../schemas/common.ts';
import { GetDataQuery, GetDataResponse, PostDataBody, PostDataResponse } from '../schemas/seed-data.ts';
import { requireShip, SHIP_CHANNEL, shipSiteDefaults, shipSiteId } from '../spaceship.ts';
import { BAD_INSTANT_MESSAGE, parseWindow } from '../time-window.ts';
import { MAX_FIELD_PROBLEMS } from '../validation.ts';

const BUCKET_HOURS = BUCKET_MS / 3_600_000;

/** Turns a validated POST /data body into readings; throws invalid-datetime naming every bad datetime. */
export function shipReadings(body: PostDataBody, receivedMs: number): Reading[] {
  const siteId = shipSiteId(body.spaceship_id);
  const power = isPowerUnit(body.units);
  const readings: Reading[] = [];
  const problems: { path: string; message: string; value: string }[] = [];
  let bad = 0;
  body.data.forEach((point, i) => {
    const tMs = parseInstant(point.datetime);
    if (tMs === undefined) {
      bad++;
      if (problems.length < MAX_FIELD_PROBLEMS) {
        problems.push({ path: `/data/${i}/datetime`, message: BAD_INSTANT_MESSAGE, value: point.datetime });
      }
      return;
    }
    readings.push({
      siteId,
      channel: SHIP_CHANNEL,
      kind: power ? 'power' : 'interval-energy',
      tMs,
      endMs: null,
      value: toBase(point.value, body.units),
      receivedMs,
    });
  });
  if (bad > 0) {
    const shown = bad > problems.length ? ` (the first ${problems.length} are listed)` : '';
    throw new WattlineError(
      'invalid-datetime',
      `${bad} of ${body.data.length} datetimes could not be parsed${shown}; nothing was stored`,
      problems,
    );
  }
  return readings;
}

/** The GET /data body as JSON text: `{"spaceship_id", "units", "data": [{"datetime", "value"}]}`. */
export function dataJson(
  shipId: number,
  units: string,
  datetimes: readonly string[],
  values: readonly number[],
): string {
  const parts = new Array<string>(datetimes.length);
  // String(n) is JSON's number text for every finite n (and -0 prints as 0 in both).
  for (let i = 0; i < datetimes.length; i++) parts[i] = `{"datetime":"${datetimes[i]}","value":${values[i]}}`;
  return `{"spaceship_id":${shipId},"units":${JSON.stringify(units)},"data":[${parts.join(',')}]}`;
}

export const seedDataRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store, clock }) => {
  app.post(
    '/data',
    {
      schema: {
        tags: ['seed'],
        summary: 'Push one spaceship’s power or energy readings',
        description:
          'The whole batch is validated first and stored atomically, or rejected as a whole. Repeating a request changes nothing.',
        body: PostDataBody,
        response: { 201: json(PostDataResponse, 'Stored'), ...problems(...BODY_PROBLEMS) },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const readings = shipReadings(body, clock());
      const summary = await store.ingest(readings, shipSiteDefaults(body.spaceship_id));
      return reply.status(201).send({
        spaceship_id: body.spaceship_id,
        units: body.units,
        points_accepted: readings.length,
        buckets_touched: summary.bucketsTouched,
        first_bucket: summary.firstBucketMs === null ? null : formatInstant(summary.firstBucketMs),
        last_bucket: summary.lastBucketMs === null ? null : formatInstant(summary.lastBucketMs),
      });
    },
  );

  app.get(
    '/data',
    {
      schema: {
        tags: ['seed'],
        summary: 'One spaceship’s consumption per 15-minute bucket',
        description:
          'Buckets whose start lies in [start, end). In an energy unit, the energy of the bucket; in a power unit, its mean power over the part of the bucket covered by data.',
        querystring: GetDataQuery,
        response: {
          200: jsonOrCsv(GetDataResponse, 'Buckets with data', 'datetime,value\n2018-08-24T00:00:00Z,3\n'),
          ...problems(400, 404, 406, 500),
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const window = parseWindow({ names: ['start', 'end'], values: [q.start, q.end] });
      const representation = chooseRepresentation(q.format, req.headers.accept);
      await requireShip(store, q.spaceship_id);
      const units = q.units ?? 'kWh';
      const power = isPowerUnit(units);
      const buckets = await store.energy({
        siteId: shipSiteId(q.spaceship_id),
        channel: SHIP_CHANNEL,
        ...window,
      });
      const format = bucketInstantFormatter();
      const datetimes: string[] = [];
      const values: number[] = [];
      for (const b of buckets) {
        // Mean power over the covered part only: a half-covered bucket is not half the power.
        if (power && b.coverage <= 0) continue;
        const base = power ? b.energyWh / (b.coverage * BUCKET_HOURS) : b.energyWh;
        datetimes.push(format(b.bucketStartMs));
        values.push(fromBase(base, units));
      }
      if (representation === 'csv') {
        return sendCsv(
          reply,
          ['datetime', 'value'],
          datetimes.map((d, i) => [d, values[i]]),
        );
      }
      // The hottest response of the API, written directly: its strings are ISO instants (nothing to
      // escape) and its numbers finite, so this is the JSON the schema serializer would produce, at a
      // fraction of the cost (test/api/seed-data.test.ts compares the two).
      return reply
        .type('application/json; charset=utf-8')
        .send(dataJson(q.spaceship_id, units, datetimes, values));
    },
  );
};
