// Builds the HTTP API: one Fastify instance with its dependencies passed in, routes registered here one
// module at a time, not listening (callers listen, tests inject).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { createStatusService, type StatusService } from '../ingest/fleet-status-service.ts';
import type { RoofStore } from '../roofs/roof-store.ts';
import type { Store } from '../store/store.ts';
import { frameworkErrorHandler, makeErrorHandler, notFoundHandler } from './errors.ts';
import { LiveFeed } from './live-feed.ts';
import { registerOpenApi } from './openapi.ts';
import type { RouteDeps } from './route-deps.ts';
import { anomalyRoutes } from './routes/anomalies.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { gaugeRoutes } from './routes/gauges.ts';
import { healthRoutes } from './routes/health.ts';
import { liveRoutes } from './routes/live.ts';
import { readingRoutes } from './routes/readings.ts';
import { roofRoutes } from './routes/roofs.ts';
import { seedDataRoutes } from './routes/seed-data.ts';
import { seedForecastRoutes } from './routes/seed-forecast.ts';
import { seedTopUsersRoutes } from './routes/seed-topusers.ts';
import { seriesAnalyticsRoutes } from './routes/series-analytics.ts';
import { seriesForecastRoutes } from './routes/series-forecast.ts';
import { siteReadingRoutes } from './routes/site-readings.ts';
import { siteRoutes } from './routes/sites.ts';
import { statusRoutes } from './routes/status.ts';
import { SHARED_SCHEMAS } from './schemas/problem.ts';
import { validatorCompiler } from './validation.ts';

/** Default largest request body: 10 MiB (a 100 000-point POST /data is about 6 MB). */
export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export interface AppDeps {
  store: Store;
  /** Current time (epoch ms); Date.now by default. */
  clock?: () => number;
  /** Fastify's request logging; off by default. */
  logger?: boolean;
  /** Largest accepted request body in bytes. */
  bodyLimitBytes?: number;
  /** Roof site models (/v1/roofs); those routes answer 503 without it. */
  roofStore?: RoofStore;
  /** Device health; by default judged from the store alone (every site as pushed). */
  status?: StatusService;
  /** Directory of the built web dashboard, served at `/`; no dashboard when absent. */
  webRoot?: string;
  /** How often the live feed looks for new readings of a watched site (ms); 1000 by default. */
  livePollMs?: number;
}

/** The API as a Fastify instance, ready for inject() or listen(). */
export function buildApp(deps: AppDeps): FastifyInstance {
  const bodyLimit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit,
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Only JSON bodies: without this, a text/plain body would reach validation as a string instead of a 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(makeErrorHandler(bodyLimit));
  app.setNotFoundHandler(notFoundHandler);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  const routeDeps: RouteDeps = {
    store: deps.store,
    clock: deps.clock ?? Date.now,
    status: deps.status ?? createStatusService({ store: deps.store }),
  };
  registerOpenApi(app);
  app.register(healthRoutes, routeDeps);
  app.register(seedDataRoutes, routeDeps);
  app.register(seedTopUsersRoutes, routeDeps);
  app.register(seedForecastRoutes, routeDeps);
  app.register(siteRoutes, { ...routeDeps, prefix: '/v1' });
  app.register(readingRoutes, { ...routeDeps, prefix: '/v1' });
  app.register(roofRoutes, { roofStore: deps.roofStore, prefix: '/v1' });
  app.register(statusRoutes, { ...routeDeps, prefix: '/v1' });
  app.register(siteReadingRoutes, { ...routeDeps, prefix: '/v1' });
  app.register(gaugeRoutes, { ...routeDeps, prefix: '/v1' });
  const live = new LiveFeed({ store: deps.store, clock: routeDeps.clock, pollMs: deps.livePollMs ?? 1000 });
  app.addHook('onClose', async () => live.close());
  app.register(liveRoutes, { ...routeDeps, live, prefix: '/v1' });
  if (deps.webRoot !== undefined) app.register(dashboardRoutes, { webRoot: deps.webRoot });
  app.register(seriesAnalyticsRoutes, { ...routeDeps, prefix: '/v1' });
  app.register(seriesForecastRoutes, { ...routeDeps, prefix: '/v1' });
  app.register(anomalyRoutes, { ...routeDeps, prefix: '/v1' });
  return app;
}
