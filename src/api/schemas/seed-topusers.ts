// Wire shape of the seed's GET /topusers.
import { type Static, Type } from '@sinclair/typebox';
import { InstantOut, InstantText } from './common.ts';

export const TopUsersQuery = Type.Object({
  count: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, default: 3, description: 'How many ships' }),
  ),
  start: Type.Optional(InstantText('Inclusive start of the window; whole stored range when absent')),
  end: Type.Optional(InstantText('Exclusive end of the window; whole stored range when absent')),
});
export type TopUsersQuery = Static<typeof TopUsersQuery>;

export const TopUsersResponse = Type.Object({
  datetime: Type.Union(
    [InstantOut('start, or the first stored bucket when no start was given'), Type.Null()],
    {
      description: 'null when nothing is stored',
    },
  ),
  ships: Type.Array(
    Type.Object({
      spaceship_id: Type.Integer(),
      consumption: Type.Number({ description: 'kWh in the window' }),
    }),
    { description: 'Most consumption first; ties by spaceship_id ascending' },
  ),
});
