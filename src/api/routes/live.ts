// GET /v1/sites/{siteId}/live: server-sent events with the latest power per channel, state of charge and
// every new power sample, as readings are stored. EventSource reconnects by itself (retry: 2 s).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { formatInstant } from '../../domain/time.ts';
import { requireSite } from '../../store/require-site.ts';
import type { LiveFeed, LiveUpdate } from '../live-feed.ts';
import type { RouteDeps } from '../route-deps.ts';
import { problems } from '../schemas/common.ts';
import { LiveUpdateSchema, type LiveUpdateWire } from '../schemas/site-readings.ts';
import { SiteIdParams } from '../schemas/sites.ts';

export interface LiveRouteDeps extends RouteDeps {
  live: LiveFeed;
  /** Comment lines sent this often keep proxies from closing an idle stream (ms). */
  heartbeatMs?: number;
}

function toWire(u: LiveUpdate): LiveUpdateWire {
  return {
    siteId: u.siteId,
    latest: u.latestMs === null ? null : formatInstant(u.latestMs),
    latestPowerW: u.latestPowerW,
    socPercent: u.socPercent,
    gauges: u.gauges,
    points: u.points,
  };
}

export const liveRoutes: FastifyPluginAsyncTypebox<LiveRouteDeps> = async (app, deps) => {
  const { store, live } = deps;
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const open = new Set<() => void>();
  // Streams never end by themselves: close them first so that app.close() does not wait for clients.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get(
    '/sites/:siteId/live',
    {
      schema: {
        tags: ['sites'],
        summary: 'Live power of a site (server-sent events)',
        description:
          'A text/event-stream of `power` events. The first event carries the latest values with no points; each later one the power samples stored since the previous event, the latest power per channel (W), the state of charge (%) and the latest gauges (`soc` %, `grid-connected` 1/0, ...). Data of each event: ' +
          JSON.stringify(Object.keys(LiveUpdateSchema.properties)),
        params: SiteIdParams,
        response: {
          200: {
            description: 'An endless event stream; each event’s data is a LiveUpdate (JSON)',
            content: {
              'text/event-stream': {
                schema: Type.String({
                  examples: [
                    'event: power\ndata: {"siteId":"home","latest":"2026-01-01T12:00:05Z","latestPowerW":{"grid":420,"solar":2100,"battery":-300,"load":2220},"socPercent":64.5,"gauges":{"soc":64.5,"soe-raw":66.3,"grid-connected":1,"running":1},"points":[{"channel":"grid","tMs":1767268805000,"powerW":420}]}\n\n',
                  ],
                }),
              },
            },
          },
          ...problems(400, 404, 500),
        },
      },
    },
    async (req, reply) => {
      const { siteId } = req.params;
      await requireSite(store, siteId);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      const unsubscribe = live.subscribe(siteId, (u) => {
        res.write(`event: power\ndata: ${JSON.stringify(toWire(u))}\n\n`);
      });
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
      const end = () => {
        if (!open.delete(end)) return;
        clearInterval(heartbeat);
        unsubscribe();
        res.end();
      };
      open.add(end);
      req.raw.on('close', end);
      res.on('close', end);
    },
  );
};
