// Wire shape of the seed's GET /forecast, extended with the method, per-interval values and an 80% interval.
import { type Static, Type } from '@sinclair/typebox';
import { MODEL_NAMES } from '../../analytics/forecast/models.ts';
import { InstantOut, InstantText, SpaceshipId, StringEnum } from './common.ts';

/** Longest forecast window. */
export const MAX_FORECAST_DAYS = 31;

export const ForecastQuery = Type.Object({
  spaceship_id: SpaceshipId(),
  start: InstantText('Start of the forecast window; the model sees only data before it'),
  end: InstantText(`Exclusive end of the window, after start and at most ${MAX_FORECAST_DAYS} days later`),
});
export type ForecastQuery = Static<typeof ForecastQuery>;

const Bounds = {
  lower: Type.Number({ description: 'Lower bound of the 80% interval' }),
  upper: Type.Number({ description: 'Upper bound of the 80% interval' }),
};

export const ForecastResponse = Type.Object({
  datetime: InstantOut('start'),
  expected_consumption: Type.Number({ description: 'kWh expected over [start, end)' }),
  method: StringEnum([...MODEL_NAMES, 'seasonal-profile-daily'] as const, {
    description:
      'The model used: the backtest’s choice among seasonal-naive-daily, seasonal-naive-weekly, seasonal-profile-weekly (same weekday and time of day over the last up to 4 weeks), double-seasonal-holt-winters and robust-day-type-median; with under 15 days of history seasonal-profile-weekly or seasonal-profile-daily (same time of day over the last up to 7 days)',
  }),
  units: StringEnum(['kWh'] as const),
  interval: Type.Object({ level: Type.Number({ description: 'Central coverage, 0.8' }), ...Bounds }),
  data: Type.Array(
    Type.Object({
      datetime: InstantOut('Start of the 15-minute interval'),
      value: Type.Number({ description: 'Expected kWh in the interval' }),
      ...Bounds,
    }),
  ),
});
