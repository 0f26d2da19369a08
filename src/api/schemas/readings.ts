// Shape of POST /v1/readings: raw readings of any site, channel and kind.
import { type Static, Type } from '@sinclair/typebox';
import { READING_KINDS } from '../../domain/reading.ts';
import { InstantOut, InstantText, StringEnum, UnitSchema } from './common.ts';

/** Most readings one POST /v1/readings may carry. */
export const MAX_READINGS_PER_POST = 100_000;

export const ReadingIn = Type.Object(
  {
    siteId: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$',
      description: 'Created on first use',
    }),
    channel: Type.String({
      pattern: '^[a-z][a-z0-9_-]{0,63}$',
      examples: ['grid', 'solar', 'battery', 'load'],
    }),
    kind: StringEnum(READING_KINDS, {
      description:
        'power: W at t; interval-energy: Wh in [t, end) (end defaults to the next t); counter: lifetime Wh at t',
    }),
    t: InstantText(),
    end: Type.Optional(InstantText('End of an interval-energy reading (exclusive)')),
    value: Type.Number(),
    unit: UnitSchema,
  },
  { additionalProperties: false },
);

export const PostReadingsBody = Type.Object(
  { readings: Type.Array(ReadingIn, { minItems: 1, maxItems: MAX_READINGS_PER_POST }) },
  { additionalProperties: false },
);
export type PostReadingsBody = Static<typeof PostReadingsBody>;

export const PostReadingsResponse = Type.Object({
  accepted: Type.Integer({ description: 'Readings in the request' }),
  stored: Type.Integer({ description: 'Readings that were new or changed a stored value' }),
  series: Type.Integer({ description: 'Series (site, channel, kind) touched' }),
  bucketsTouched: Type.Integer(),
  firstBucket: Type.Union([InstantOut(), Type.Null()]),
  lastBucket: Type.Union([InstantOut(), Type.Null()]),
});
