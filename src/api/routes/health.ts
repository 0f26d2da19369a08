// Liveness and readiness for orchestrators: /healthz says the process answers, /readyz that the store does.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WattlineError } from '../../domain/errors.ts';
import type { RouteDeps } from '../route-deps.ts';
import { json, problems } from '../schemas/common.ts';
import { HealthResponse } from '../schemas/health.ts';

export const healthRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store }) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness',
        response: { 200: json(HealthResponse, 'The process answers'), ...problems(500) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the store answers',
        response: { 200: json(HealthResponse, 'Ready'), ...problems(500, 503) },
      },
    },
    async () => {
      const ok = await store.ping().catch(() => false);
      if (!ok) throw new WattlineError('not-ready', `The ${store.backend} store does not answer`);
      return { status: 'ok' as const };
    },
  );
};
