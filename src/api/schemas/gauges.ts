// Shapes of a site's gauges (GET /v1/sites/{siteId}/gauges and /gauges/latest): non-energy values such
// as the battery's state of charge and the grid status, stored as read and never integrated.
import { type Static, Type } from '@sinclair/typebox';
import { FormatSchema, InstantOut, InstantText } from './common.ts';

/** Longest window one gauges request may span: 31 days. */
export const MAX_GAUGES_SPAN_MS = 31 * 86_400_000;
/** Default window when `from` is absent: the 24 hours before `to`. */
export const DEFAULT_GAUGES_SPAN_MS = 86_400_000;
/** Most values one answer holds; beyond it the answer says `truncated`. */
export const MAX_GAUGES_PER_ANSWER = 200_000;

export const GAUGE_NAMES_DESCRIPTION =
  'Powerwall gauges: `soc` (state of charge, %, on the Tesla app’s scale (raw − 5) / 0.95), `soe-raw` (state of energy as the gateway reports it, %), `grid-connected` (1 connected, 0 islanded), `running` (1 when the system runs)';

export const GaugesQuery = Type.Object({
  name: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: `One gauge; all when absent. ${GAUGE_NAMES_DESCRIPTION}`,
    }),
  ),
  from: Type.Optional(InstantText('Inclusive start; default 24 h before `to`')),
  to: Type.Optional(InstantText('Exclusive end; default now')),
  format: Type.Optional(FormatSchema),
});
export type GaugesQuery = Static<typeof GaugesQuery>;

export const GAUGES_CSV_FIELDS = ['site', 'name', 't', 'value'] as const;

export const GaugesResponse = Type.Object({
  siteId: Type.String(),
  from: InstantOut('Inclusive start of the window'),
  to: InstantOut('Exclusive end of the window'),
  truncated: Type.Boolean({
    description: `True when the window held more than ${MAX_GAUGES_PER_ANSWER} values and only the first were returned`,
  }),
  series: Type.Array(
    Type.Object({
      name: Type.String(),
      tMs: Type.Array(Type.Number(), { description: 'Instants, epoch milliseconds UTC, ascending' }),
      values: Type.Array(Type.Number(), { description: 'One value per instant' }),
    }),
    { description: `One entry per gauge, by name. ${GAUGE_NAMES_DESCRIPTION}` },
  ),
});
export type GaugesResponse = Static<typeof GaugesResponse>;

export const LatestGaugesResponse = Type.Object({
  siteId: Type.String(),
  gauges: Type.Record(
    Type.String(),
    Type.Object({ t: InstantOut('When the value was read'), value: Type.Number() }),
    {
      description: `The newest value of each gauge; {} when the site reports none. ${GAUGE_NAMES_DESCRIPTION}`,
    },
  ),
});
export type LatestGaugesResponse = Static<typeof LatestGaugesResponse>;
