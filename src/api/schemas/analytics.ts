// Shapes of the /v1 analytics reads: rollups, profiles, histogram, ACF, forecast, backtest, anomalies.
import { type Static, Type } from '@sinclair/typebox';
import { ANOMALY_KINDS } from '../../analytics/anomalies/types.ts';
import { MODEL_NAMES } from '../../analytics/forecast/models.ts';
import { ROLLUP_INTERVALS } from '../../analytics/rollup.ts';
import { FormatSchema, InstantOut, InstantText, StringEnum } from './common.ts';

export const SeriesParams = Type.Object({
  siteId: Type.String({ minLength: 1, maxLength: 128, description: 'Site id' }),
  channel: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'Channel: load, grid, solar, battery, consumption, ...',
  }),
});

const Tz = Type.Optional(
  Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'IANA zone for local days and weekdays; the site’s by default',
  }),
);
const From = Type.Optional(InstantText('Inclusive start; the series’ first data by default'));
const To = Type.Optional(InstantText('Exclusive end; after the series’ last data by default'));
const Format = Type.Optional(FormatSchema);

/** A number that may be missing (no data): null in JSON. */
const NumOrNull = (description?: string) =>
  Type.Union([Type.Number(), Type.Null()], description ? { description } : {});

const WindowOut = {
  siteId: Type.String(),
  channel: Type.String(),
  timeZone: Type.String(),
  from: InstantOut('Start of the window (inclusive)'),
  to: InstantOut('End of the window (exclusive)'),
};

export const RollupQuery = Type.Object({
  from: From,
  to: To,
  tz: Tz,
  interval: Type.Optional(
    StringEnum(ROLLUP_INTERVALS, { description: 'Grouping (default day)', default: 'day' }),
  ),
  format: Format,
});
export type RollupQuery = Static<typeof RollupQuery>;

export const ROLLUP_FIELDS = [
  'period',
  'start',
  'energyWh',
  'meanWh',
  'minWh',
  'maxWh',
  'count',
  'expected',
  'coverage',
] as const;

export const RollupResponse = Type.Object({
  ...WindowOut,
  interval: StringEnum(ROLLUP_INTERVALS),
  rows: Type.Array(
    Type.Object({
      period: Type.String({ description: 'Label: instant, 2024-03-31, 2024-W13, 2024-03, Mon, 07' }),
      start: Type.Union([InstantOut('First instant of the period'), Type.Null()]),
      energyWh: Type.Number({ description: 'Sum of slot energy' }),
      meanWh: NumOrNull('Mean energy per slot with data'),
      minWh: NumOrNull(),
      maxWh: NumOrNull(),
      count: Type.Integer({ description: 'Slots with data' }),
      expected: Type.Integer({ description: 'Slots the window holds in the period' }),
      coverage: Type.Number({ description: 'Share of the period backed by data (0..1)' }),
    }),
  ),
});

export const ProfileQuery = Type.Object({
  from: From,
  to: To,
  tz: Tz,
  kind: Type.Optional(
    StringEnum(['daily', 'weekly'] as const, {
      description: 'Per time of day, or per weekday and time of day (default daily)',
      default: 'daily',
    }),
  ),
  format: Format,
});
export type ProfileQuery = Static<typeof ProfileQuery>;

export const PROFILE_FIELDS = [
  'slot',
  'isoWeekday',
  'time',
  'meanWh',
  'p10Wh',
  'medianWh',
  'p90Wh',
  'count',
] as const;

export const ProfileResponse = Type.Object({
  ...WindowOut,
  kind: StringEnum(['daily', 'weekly'] as const),
  features: Type.Object({
    baselineWh: NumOrNull('10th percentile of night-time (00:00–05:00) slot energy'),
    baselinePowerW: NumOrNull(),
    meanDailyWh: NumOrNull(),
    peakHours: Type.Array(Type.Integer(), { description: 'Local hours with the highest mean energy' }),
    peakWh: NumOrNull(),
    peakAt: Type.Union([InstantOut(), Type.Null()]),
    weekendWeekdayRatio: NumOrNull(),
    peakToMeanRatio: NumOrNull(),
    negativeShare: Type.Number(),
  }),
  slots: Type.Array(
    Type.Object({
      slot: Type.Integer(),
      isoWeekday: Type.Union([Type.Integer({ minimum: 1, maximum: 7 }), Type.Null()]),
      time: Type.String({ description: 'Local HH:MM' }),
      meanWh: NumOrNull(),
      p10Wh: NumOrNull(),
      medianWh: NumOrNull(),
      p90Wh: NumOrNull(),
      count: Type.Integer(),
    }),
  ),
});

export const HistogramQuery = Type.Object({
  from: From,
  to: To,
  tz: Tz,
  bins: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, description: 'Bin count; Freedman–Diaconis by default' }),
  ),
  format: Format,
});
export type HistogramQuery = Static<typeof HistogramQuery>;

const SummarySchema = Type.Object({
  count: Type.Integer(),
  mean: NumOrNull(),
  standardDeviation: NumOrNull(),
  min: NumOrNull(),
  p10: NumOrNull(),
  p25: NumOrNull(),
  median: NumOrNull(),
  p75: NumOrNull(),
  p90: NumOrNull(),
  max: NumOrNull(),
  skewness: NumOrNull(),
});

export const HISTOGRAM_FIELDS = ['lowerWh', 'upperWh', 'count'] as const;

export const HistogramResponse = Type.Object({
  ...WindowOut,
  rule: StringEnum(['freedman-diaconis', 'sturges', 'single-value', 'empty', 'fixed'] as const),
  binWidthWh: Type.Number(),
  summary: SummarySchema,
  bins: Type.Array(Type.Object({ lowerWh: Type.Number(), upperWh: Type.Number(), count: Type.Integer() })),
});

export const AcfQuery = Type.Object({
  from: From,
  to: To,
  tz: Tz,
  lag: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 3000,
      default: 700,
      description: 'Largest lag in 15-minute slots (672 = a week)',
    }),
  ),
  format: Format,
});
export type AcfQuery = Static<typeof AcfQuery>;

export const ACF_FIELDS = ['lag', 'acf', 'pacf'] as const;
/** PACF is computed up to this lag at most: its recursion is quadratic in the lag. */
export const MAX_PACF_LAG = 700;

export const AcfResponse = Type.Object({
  ...WindowOut,
  n: Type.Integer({ description: 'Slots with data' }),
  band: Type.Number({ description: '95% band: ±1.96/√n' }),
  periods: Type.Array(
    Type.Object({
      lagSlots: Type.Integer(),
      acf: Type.Number(),
      name: Type.Union([StringEnum(['day', 'week'] as const), Type.Null()]),
    }),
  ),
  lags: Type.Array(
    Type.Object({
      lag: Type.Integer(),
      acf: Type.Number(),
      pacf: NumOrNull('null beyond the PACF’s largest lag'),
    }),
  ),
});

export const ModelSchema = StringEnum(MODEL_NAMES);

export const SeriesForecastQuery = Type.Object({
  from: Type.Optional(
    InstantText('Forecast start; the model sees only data before it. Default: the end of the data'),
  ),
  to: Type.Optional(InstantText('Exclusive end, at most 31 days after from. Default: from + 1 day')),
  tz: Tz,
  level: Type.Optional(
    Type.Number({
      minimum: 0.5,
      maximum: 0.99,
      default: 0.8,
      description: 'Central coverage of the intervals',
    }),
  ),
  model: Type.Optional(ModelSchema),
  format: Format,
});
export type SeriesForecastQuery = Static<typeof SeriesForecastQuery>;

export const FORECAST_FIELDS = ['t', 'valueWh', 'lowerWh', 'upperWh'] as const;

const ScoreSchema = Type.Object({
  model: ModelSchema,
  mase: NumOrNull(
    'MAE over the in-sample weekly seasonal-naive MAE (lower is better, 1 = as good as last week)',
  ),
  smapePct: NumOrNull('Symmetric MAPE, percent'),
  coverage: NumOrNull('Share of actuals inside the interval'),
  maeWh: NumOrNull(),
  points: Type.Integer(),
});

const BacktestSchema = Type.Object({
  origins: Type.Array(InstantOut()),
  horizonSlots: Type.Integer(),
  level: Type.Number(),
  chosen: ModelSchema,
  scores: Type.Array(ScoreSchema),
});

export const SeriesForecastResponse = Type.Object({
  ...WindowOut,
  model: ModelSchema,
  chosenBy: StringEnum(['backtest', 'requested', 'short-history'] as const),
  level: Type.Number(),
  total: Type.Object({ valueWh: Type.Number(), lowerWh: Type.Number(), upperWh: Type.Number() }),
  points: Type.Array(
    Type.Object({
      t: InstantOut('Slot start'),
      valueWh: Type.Number(),
      lowerWh: Type.Number(),
      upperWh: Type.Number(),
    }),
  ),
  backtest: Type.Union([BacktestSchema, Type.Null()]),
});

export const BacktestQuery = Type.Object({
  to: Type.Optional(InstantText('End of the history tested; the end of the data by default')),
  tz: Tz,
  folds: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 28, default: 7, description: 'Origins, one horizon apart' }),
  ),
  horizon: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 672, default: 96, description: 'Slots forecast from each origin' }),
  ),
  format: Format,
});
export type BacktestQuery = Static<typeof BacktestQuery>;

export const BACKTEST_FIELDS = ['model', 'mase', 'smapePct', 'coverage', 'maeWh', 'points'] as const;

export const BacktestResponse = Type.Object({
  siteId: Type.String(),
  channel: Type.String(),
  timeZone: Type.String(),
  to: InstantOut(),
  ...BacktestSchema.properties,
});

export const AnomaliesQuery = Type.Object({
  site: Type.Optional(
    Type.String({ minLength: 1, maxLength: 128, description: 'One site; all sites when absent' }),
  ),
  from: Type.Optional(InstantText('Inclusive start; 24 h before to by default')),
  to: Type.Optional(InstantText('Exclusive end; now by default')),
  kind: Type.Optional(
    Type.String({
      description: `Comma-separated kinds: ${ANOMALY_KINDS.join(', ')} (all by default)`,
      examples: ['negative-solar,device-down'],
    }),
  ),
  format: Format,
});
export type AnomaliesQuery = Static<typeof AnomaliesQuery>;

export const ANOMALY_FIELDS = [
  'siteId',
  'kind',
  'channel',
  'start',
  'end',
  'severity',
  'explanation',
] as const;

export const AnomalySchema = Type.Object({
  kind: StringEnum(ANOMALY_KINDS),
  siteId: Type.String(),
  channel: Type.String(),
  start: InstantOut(),
  end: InstantOut(),
  severity: StringEnum(['info', 'warning', 'critical'] as const),
  explanation: Type.String(),
  measured: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
});

export const AnomaliesResponse = Type.Object({
  from: InstantOut(),
  to: InstantOut(),
  anomalies: Type.Array(AnomalySchema),
});

/** Response headers of the forecast routes. */
export const FORECAST_HEADERS = {
  'x-forecast-model': Type.String({ description: 'The model that produced the forecast' }),
};
