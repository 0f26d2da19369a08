// Wire shapes of the seed's POST /data and GET /data (snake_case, kept as the seed defined them).
import { type Static, Type } from '@sinclair/typebox';
import { UNITS } from '../../domain/units.ts';
import { FormatSchema, InstantOut, InstantText, SpaceshipId, StringEnum, UnitSchema } from './common.ts';

/** Most points one POST /data may carry. */
export const MAX_POINTS_PER_POST = 100_000;

export const DataPointIn = Type.Object({
  datetime: InstantText(),
  value: Type.Number({ description: 'Power or energy in `units`; a finite number' }),
});

export const PostDataBody = Type.Object({
  spaceship_id: SpaceshipId(),
  units: UnitSchema,
  data: Type.Array(DataPointIn, {
    minItems: 1,
    maxItems: MAX_POINTS_PER_POST,
    description:
      'Power units: samples held until the next one. Energy units: the energy from this datetime to the next one.',
  }),
});
export type PostDataBody = Static<typeof PostDataBody>;

export const PostDataResponse = Type.Object({
  spaceship_id: Type.Integer(),
  units: UnitSchema,
  points_accepted: Type.Integer({ description: 'Points in the request' }),
  buckets_touched: Type.Integer({ description: '15-minute buckets recomputed' }),
  first_bucket: Type.Union([InstantOut('First bucket touched'), Type.Null()]),
  last_bucket: Type.Union([InstantOut('Last bucket touched'), Type.Null()]),
});

export const GetDataQuery = Type.Object({
  spaceship_id: SpaceshipId(),
  start: Type.Optional(InstantText('Inclusive start of the window; whole range when absent')),
  end: Type.Optional(InstantText('Exclusive end of the window; whole range when absent')),
  units: Type.Optional(
    StringEnum(UNITS, {
      description:
        'Energy units (Wh, kWh, MWh): energy per bucket. Power units (W, kW, MW): mean power over the part of the bucket covered by data.',
      default: 'kWh',
    }),
  ),
  format: Type.Optional(FormatSchema),
});
export type GetDataQuery = Static<typeof GetDataQuery>;

export const DataPointOut = Type.Object({
  datetime: InstantOut('Start of the 15-minute bucket'),
  value: Type.Number(),
});

export const GetDataResponse = Type.Object({
  spaceship_id: Type.Integer(),
  units: UnitSchema,
  data: Type.Array(DataPointOut, { description: 'One entry per 15-minute bucket with data, in time order' }),
});
