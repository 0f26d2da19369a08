// Shapes of device health: GET /v1/status and the `health` of GET /v1/sites (src/domain/device-status.ts).
import { type Static, Type } from '@sinclair/typebox';
import type { DeviceStatus, FleetStatus } from '../../domain/device-status.ts';
import { InstantOut, StringEnum } from './common.ts';

export const PollerStateSchema = StringEnum(
  ['ok', 'auth-failed', 'rate-limited', 'stopped', 'unreachable'] as const,
  {
    description: 'What the poller knows after its latest attempt',
  },
);

const NullableNumber = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

export const SolarHealthSchema = Type.Object({
  condition: StringEnum(['ok', 'negative', 'zero-in-daylight', 'missing'] as const, {
    description:
      'Solar over the solar window: negative (below zero beyond meter noise), zero while the sun is up, or no samples',
  }),
  minPowerW: NullableNumber('Lowest solar power in the window (W)'),
  negativeShare: NullableNumber('Share (0..1) of solar samples below the noise threshold'),
  samples: Type.Integer(),
  expected: Type.Boolean({
    description: 'The source reports solar; false means `missing` is "not measured here"',
  }),
});

export const AnomalySummarySchema = Type.Object(
  {
    windowMs: Type.Integer({ description: 'Length of the window examined, ending now (ms)' }),
    total: Type.Integer({ minimum: 0 }),
    byKind: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
      description: 'Findings per kind (see GET /v1/anomalies); kinds with none are absent',
    }),
    recent: Type.Array(
      Type.Object({
        kind: Type.String(),
        channel: Type.String(),
        severity: StringEnum(['info', 'warning', 'critical'] as const),
        start: InstantOut(),
        end: InstantOut(),
        explanation: Type.String(),
      }),
      { description: 'The most severe findings, the most recent first within a severity' },
    ),
  },
  {
    description:
      'Anomalies of the recent window (negative solar, solar missing in daylight, device down, flat line, energy balance, counter drift; not the forecast check)',
  },
);

export const DeviceStatusSchema = Type.Object({
  siteId: Type.String(),
  source: Type.String(),
  up: Type.Boolean({ description: 'A reading succeeded within upWindowMs' }),
  lastSeen: Type.Union([InstantOut('Last successful reading'), Type.Null()]),
  consecutiveErrors: Type.Integer({ minimum: 0 }),
  pollerState: Type.Union([PollerStateSchema, Type.Null()], {
    description: 'null for pushed sites (no poller)',
  }),
  solar: SolarHealthSchema,
  upWindowMs: Type.Integer({
    description: 'Window of `up`: the fleet’s, or two poll intervals for slow pullers',
  }),
  detail: Type.Union([Type.String(), Type.Null()], { description: 'Why the last poll failed' }),
  anomalies: Type.Optional(AnomalySummarySchema),
});

export const FleetStatusSchema = Type.Object({
  generatedAt: InstantOut(),
  upWindowMs: Type.Integer(),
  devicesUp: Type.Integer({ minimum: 0 }),
  devicesTotal: Type.Integer({ minimum: 0 }),
  sites: Type.Array(DeviceStatusSchema),
});

/** The per-site health shown in the site list. */
export const SiteHealthSchema = Type.Object({
  up: Type.Boolean(),
  lastSeen: Type.Union([InstantOut(), Type.Null()]),
  consecutiveErrors: Type.Integer({ minimum: 0 }),
  pollerState: Type.Union([PollerStateSchema, Type.Null()]),
  solar: StringEnum(['ok', 'negative', 'zero-in-daylight', 'missing'] as const),
});

// The domain types and the wire schemas must stay the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const STATUS_SCHEMA_MATCHES: Same<Static<typeof FleetStatusSchema>, FleetStatus> &
  Same<Static<typeof DeviceStatusSchema>, DeviceStatus> = true;
