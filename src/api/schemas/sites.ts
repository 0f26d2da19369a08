// Shapes of the /v1 site and bucket reads.
import { type Static, Type } from '@sinclair/typebox';
import { BUCKET_QUALITIES } from '../../domain/bucket.ts';
import { FormatSchema, InstantOut, InstantText, StringEnum } from './common.ts';
import { SiteHealthSchema } from './status.ts';

export const SiteIdParams = Type.Object({
  siteId: Type.String({ minLength: 1, maxLength: 128, description: 'Site id (a spaceship’s is its number)' }),
});

export const SiteSchema = Type.Object({
  siteId: Type.String(),
  name: Type.String(),
  timezone: Type.String({ description: 'IANA time zone of local days and weekdays' }),
  source: Type.String({ description: 'Source kind: push, spaceship, powerwall, ...' }),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  health: Type.Optional(SiteHealthSchema),
});

export const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ description: 'From the Link rel="next" header of the previous page' })),
});
export type ListQuery = Static<typeof ListQuery>;

/** Most buckets one page may hold. */
export const MAX_BUCKETS_PER_PAGE = 50_000;

export const BucketsQuery = Type.Object({
  channel: Type.Optional(Type.String({ minLength: 1, description: 'One channel; all channels when absent' })),
  from: Type.Optional(InstantText('Inclusive start: buckets starting at or after it')),
  to: Type.Optional(InstantText('Exclusive end: buckets starting before it')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BUCKETS_PER_PAGE, default: 5000 })),
  cursor: Type.Optional(Type.String({ description: 'From the Link rel="next" header of the previous page' })),
  format: Type.Optional(FormatSchema),
});
export type BucketsQuery = Static<typeof BucketsQuery>;

export const BUCKET_FIELDS = [
  'channel',
  'bucketStart',
  'energyWh',
  'positiveWh',
  'negativeWh',
  'coverage',
  'samples',
  'minPowerW',
  'maxPowerW',
  'quality',
] as const;

export const BucketSchema = Type.Object({
  channel: Type.String(),
  bucketStart: InstantOut('Start of the 15-minute bucket [bucketStart, bucketStart + 15 min)'),
  energyWh: Type.Number({ description: 'Net signed energy' }),
  positiveWh: Type.Number(),
  negativeWh: Type.Number({ description: 'Energy of the negative parts, non-negative' }),
  coverage: Type.Number({ minimum: 0, maximum: 1, description: 'Share of the bucket backed by data' }),
  samples: Type.Integer(),
  minPowerW: Type.Union([Type.Number(), Type.Null()], { description: 'Lowest power seen in the bucket (W)' }),
  maxPowerW: Type.Union([Type.Number(), Type.Null()], {
    description: 'Highest power seen in the bucket (W)',
  }),
  quality: StringEnum(BUCKET_QUALITIES),
});

export const PAGING_HEADERS = {
  link: Type.String({ description: 'rel="next" link to the next page, when there is one' }),
};
