// /v1/sites: the sites, one site, and a site's 15-minute buckets (JSON or CSV, paged).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { SeriesBucket } from '../../domain/bucket.ts';
import type { Site } from '../../domain/site.ts';
import { BUCKET_MS, formatInstant } from '../../domain/time.ts';
import { requireSite } from '../../store/require-site.ts';
import { decodeCursor, encodeCursor, nextLink } from '../paging.ts';
import { chooseRepresentation, sendCsv } from '../representation.ts';
import type { RouteDeps } from '../route-deps.ts';
import { json, jsonOrCsv, problems } from '../schemas/common.ts';
import {
  BUCKET_FIELDS,
  BucketSchema,
  BucketsQuery,
  ListQuery,
  PAGING_HEADERS,
  SiteIdParams,
  SiteSchema,
} from '../schemas/sites.ts';
import { parseWindow } from '../time-window.ts';

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function bucketOut(b: SeriesBucket) {
  return {
    channel: b.channel,
    bucketStart: formatInstant(b.bucketStartMs),
    energyWh: b.energyWh,
    positiveWh: b.positiveWh,
    negativeWh: b.negativeWh,
    coverage: b.coverage,
    samples: b.samples,
    minPowerW: finiteOrNull(b.minPowerW),
    maxPowerW: finiteOrNull(b.maxPowerW),
    quality: b.quality,
  };
}

export const siteRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store, status, clock }) => {
  /** Sites with their device health. */
  const withHealth = async (sites: Site[]) => {
    const devices = await status.devices(sites, clock());
    return sites.map((site, i) => {
      const d = devices[i]!;
      const health = {
        up: d.up,
        lastSeen: d.lastSeen,
        consecutiveErrors: d.consecutiveErrors,
        pollerState: d.pollerState,
        solar: d.solar.condition,
      };
      return { ...site, health };
    });
  };

  app.get(
    '/sites',
    {
      schema: {
        tags: ['sites'],
        summary: 'Sites, by id',
        querystring: ListQuery,
        response: {
          200: { ...json(Type.Array(SiteSchema), 'A page of sites'), headers: PAGING_HEADERS },
          ...problems(400, 500),
        },
      },
    },
    async (req, reply) => {
      const { limit = 100, cursor } = req.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor, { siteId: 'string' }).siteId;
      const all = await store.listSites();
      const rest = after === undefined ? all : all.filter((s) => s.siteId > after);
      const page = rest.slice(0, limit);
      const last = page[page.length - 1];
      if (rest.length > limit && last !== undefined) {
        reply.header('link', nextLink(req.url, encodeCursor({ siteId: last.siteId })));
      }
      return withHealth(page);
    },
  );

  app.get(
    '/sites/:siteId',
    {
      schema: {
        tags: ['sites'],
        summary: 'One site',
        params: SiteIdParams,
        response: { 200: json(SiteSchema, 'The site'), ...problems(400, 404, 500) },
      },
    },
    async (req) => {
      const site = await requireSite(store, req.params.siteId);
      return (await withHealth([site]))[0]!;
    },
  );

  app.get(
    '/sites/:siteId/buckets',
    {
      schema: {
        tags: ['sites'],
        summary: 'A site’s 15-minute buckets, by channel then time',
        description:
          'Buckets whose start lies in [from, to). Where several reading kinds cover a bucket, counter energy wins over interval energy over integrated power.',
        params: SiteIdParams,
        querystring: BucketsQuery,
        response: {
          200: {
            ...jsonOrCsv(
              Type.Array(BucketSchema),
              'A page of buckets',
              `${BUCKET_FIELDS.join(',')}\nload,2018-08-24T00:00:00Z,250,250,0,1,3,900,1100,measured\n`,
            ),
            headers: PAGING_HEADERS,
          },
          ...problems(400, 404, 406, 500),
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const { siteId } = req.params;
      const window = parseWindow({ names: ['from', 'to'], values: [q.from, q.to] });
      const representation = chooseRepresentation(q.format, req.headers.accept);
      const after =
        q.cursor === undefined ? undefined : decodeCursor(q.cursor, { channel: 'string', t: 'number' });
      await requireSite(store, siteId);
      const limit = q.limit ?? 5000;
      let fromMs = window.fromMs;
      // With one channel the cursor is a time, so the store need not read what earlier pages had.
      if (after !== undefined && q.channel !== undefined)
        fromMs = Math.max(fromMs ?? -Infinity, after.t + BUCKET_MS);
      const buckets = await store.buckets({
        siteId,
        ...(q.channel === undefined ? {} : { channel: q.channel }),
        ...(fromMs === undefined ? {} : { fromMs }),
        ...(window.toMs === undefined ? {} : { toMs: window.toMs }),
      });
      const rest =
        after === undefined
          ? buckets
          : buckets.filter(
              (b) => b.channel > after.channel || (b.channel === after.channel && b.bucketStartMs > after.t),
            );
      const page = rest.slice(0, limit).map(bucketOut);
      const last = rest[Math.min(limit, rest.length) - 1];
      if (rest.length > limit && last !== undefined) {
        reply.header(
          'link',
          nextLink(req.url, encodeCursor({ channel: last.channel, t: last.bucketStartMs })),
        );
      }
      if (representation === 'csv') {
        return sendCsv(
          reply,
          BUCKET_FIELDS,
          page.map((b) => BUCKET_FIELDS.map((f) => b[f])),
        );
      }
      return page;
    },
  );
};
