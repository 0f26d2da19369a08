// GET /v1/status: device health of the fleet (up, last seen, poller state, solar condition).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../route-deps.ts';
import { json, problems } from '../schemas/common.ts';
import { FleetStatusSchema } from '../schemas/status.ts';

export const statusRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { status, clock }) => {
  app.get(
    '/status',
    {
      schema: {
        tags: ['health'],
        summary: 'Device health: which devices are up, their poller state and solar condition',
        description:
          'A device is up when a reading succeeded within upWindowMs (pushed sites: when data was received in it). ' +
          'Solar is judged over the past hour: negative, zero while the sun is up (from the site’s latitude/longitude), or missing.',
        response: { 200: json(FleetStatusSchema, 'The fleet’s health'), ...problems(500) },
      },
    },
    async () => status.fleet(clock()),
  );
};
