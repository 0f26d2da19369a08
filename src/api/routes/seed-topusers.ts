// GET /topusers: the ships that consumed the most energy in a window.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { formatInstant } from '../../domain/time.ts';
import type { SiteEnergy, Store, TopQuery } from '../../store/store.ts';
import type { RouteDeps } from '../route-deps.ts';
import { json, problems } from '../schemas/common.ts';
import { TopUsersQuery, TopUsersResponse } from '../schemas/seed-topusers.ts';
import { SHIP_CHANNEL, shipNumberOf } from '../spaceship.ts';
import { parseWindow } from '../time-window.ts';

interface ShipEnergy {
  ship: number;
  energyWh: number;
}

/**
 * The `count` ships with the most energy, ties by number ascending. Sites whose id is not a ship number
 * share the channel's ranking, so the store is asked for more rows until enough ships are found, or
 * until it has no more, and until the ships tied at the cut are all in.
 */
export async function topShips(store: Store, q: Omit<TopQuery, 'channel'>): Promise<ShipEnergy[]> {
  let asked = q.count;
  for (;;) {
    const rows: SiteEnergy[] = await store.topSites({ ...q, count: asked, channel: SHIP_CHANNEL });
    const ships = rows.flatMap((r) => {
      const ship = shipNumberOf(r.siteId);
      return ship === undefined ? [] : [{ ship, energyWh: r.energyWh }];
    });
    const exhausted = rows.length < asked;
    const cut = ships[q.count - 1];
    const last = rows[rows.length - 1];
    if (exhausted || (cut !== undefined && last !== undefined && last.energyWh < cut.energyWh)) {
      ships.sort((a, b) => b.energyWh - a.energyWh || a.ship - b.ship);
      return ships.slice(0, q.count);
    }
    asked *= 2;
  }
}

export const seedTopUsersRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store }) => {
  app.get(
    '/topusers',
    {
      schema: {
        tags: ['seed'],
        summary: 'The spaceships with the most consumption',
        description:
          'Consumption is the energy (kWh) of the buckets whose start lies in [start, end), or of everything stored when no window is given.',
        querystring: TopUsersQuery,
        response: { 200: json(TopUsersResponse, 'Ranking'), ...problems(400, 500) },
      },
    },
    async (req) => {
      const q = req.query;
      const window = parseWindow({ names: ['start', 'end'], values: [q.start, q.end] });
      const ships = await topShips(store, { count: q.count ?? 3, ...window });
      const firstMs = window.fromMs ?? (await store.timeRange())?.firstMs;
      return {
        datetime: firstMs === undefined ? null : formatInstant(firstMs),
        ships: ships.map((s) => ({ spaceship_id: s.ship, consumption: s.energyWh / 1000 })),
      };
    },
  );
};
