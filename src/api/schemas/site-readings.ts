// Shapes of a site's raw readings (GET /v1/sites/{siteId}/readings) and of its live power feed
// (GET /v1/sites/{siteId}/live, server-sent events).
import { type Static, Type } from '@sinclair/typebox';
import { READING_KINDS } from '../../domain/reading.ts';
import { FormatSchema, InstantOut, InstantText, StringEnum } from './common.ts';

/** Longest window one readings request may span: 31 days. */
export const MAX_READINGS_SPAN_MS = 31 * 86_400_000;
/** Default window when `from` is absent: the 24 hours before `to`. */
export const DEFAULT_READINGS_SPAN_MS = 86_400_000;
/** Most readings one answer holds; beyond it the answer says `truncated`. */
export const MAX_READINGS_PER_ANSWER = 1_000_000;

export const SiteReadingsQuery = Type.Object({
  channel: Type.Optional(Type.String({ minLength: 1, description: 'One channel; all channels when absent' })),
  kind: Type.Optional(
    StringEnum(READING_KINDS, { description: 'Reading kind (default power)', default: 'power' }),
  ),
  from: Type.Optional(InstantText('Inclusive start; default 24 h before `to`')),
  to: Type.Optional(InstantText('Exclusive end; default now')),
  format: Type.Optional(FormatSchema),
});
export type SiteReadingsQuery = Static<typeof SiteReadingsQuery>;

export const READINGS_CSV_FIELDS = ['site', 'channel', 't', 'value', 'unit', 'kind'] as const;

export const SiteReadingsResponse = Type.Object({
  siteId: Type.String(),
  kind: StringEnum(READING_KINDS),
  unit: StringEnum(['W', 'Wh'] as const, { description: 'Unit of every value: W for power, else Wh' }),
  from: InstantOut('Inclusive start of the window'),
  to: InstantOut('Exclusive end of the window'),
  truncated: Type.Boolean({
    description: `True when the window held more than ${MAX_READINGS_PER_ANSWER} readings and only the first were returned; ask for a shorter window`,
  }),
  series: Type.Array(
    Type.Object({
      channel: Type.String(),
      tMs: Type.Array(Type.Number(), { description: 'Instants, epoch milliseconds UTC, ascending' }),
      values: Type.Array(Type.Number(), { description: 'Values in `unit`, one per instant' }),
    }),
    { description: 'One entry per channel, by channel; columns rather than rows to stay small' },
  ),
});
export type SiteReadingsResponse = Static<typeof SiteReadingsResponse>;

export const LiveUpdateSchema = Type.Object({
  siteId: Type.String(),
  latest: Type.Union([InstantOut('Latest instant seen on any channel'), Type.Null()]),
  latestPowerW: Type.Record(Type.String(), Type.Number(), {
    description: 'Latest power per channel (W, + = into the home’s bus)',
  }),
  socPercent: Type.Union([Type.Number(), Type.Null()], { description: 'Latest state of charge (%)' }),
  gauges: Type.Record(Type.String(), Type.Number(), {
    description:
      'Latest value of each gauge: `soc` (% on the app scale), `soe-raw` (%), `grid-connected` (1/0), `running` (1/0); {} when none',
  }),
  points: Type.Array(Type.Object({ channel: Type.String(), tMs: Type.Number(), powerW: Type.Number() }), {
    description: 'Power samples stored since the previous event',
  }),
});
export type LiveUpdateWire = Static<typeof LiveUpdateSchema>;
