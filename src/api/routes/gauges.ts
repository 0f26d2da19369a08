// GET /v1/sites/{siteId}/gauges (history, JSON or CSV) and GET /v1/sites/{siteId}/gauges/latest: the
// gauge log of a site. A store without a gauge log answers like a site that reports no gauges.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { formatInstant } from '../../domain/time.ts';
import { type GaugeEntry, hasGaugeLog } from '../../store/gauge-log.ts';
import { requireSite } from '../../store/require-site.ts';
import { chooseRepresentation, sendCsv } from '../representation.ts';
import type { RouteDeps } from '../route-deps.ts';
import { json, jsonOrCsv, problems } from '../schemas/common.ts';
import {
  DEFAULT_GAUGES_SPAN_MS,
  GAUGES_CSV_FIELDS,
  GaugesQuery,
  GaugesResponse,
  LatestGaugesResponse,
  MAX_GAUGES_PER_ANSWER,
  MAX_GAUGES_SPAN_MS,
} from '../schemas/gauges.ts';
import { SiteIdParams } from '../schemas/sites.ts';
import { parseRecentWindow } from '../time-window.ts';

export const gaugeRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store, clock }) => {
  app.get(
    '/sites/:siteId/gauges/latest',
    {
      schema: {
        tags: ['sites'],
        summary: 'The newest value of each gauge of a site (state of charge, grid status)',
        params: SiteIdParams,
        response: { 200: json(LatestGaugesResponse, 'Latest gauges by name'), ...problems(400, 404, 500) },
      },
    },
    async (req) => {
      const { siteId } = req.params;
      await requireSite(store, siteId);
      const latest = hasGaugeLog(store) ? await store.latestGauges(siteId) : [];
      return {
        siteId,
        gauges: Object.fromEntries(latest.map((g) => [g.name, { t: formatInstant(g.tMs), value: g.value }])),
      };
    },
  );

  app.get(
    '/sites/:siteId/gauges',
    {
      schema: {
        tags: ['sites'],
        summary: 'A site’s gauge history in a window (state of charge, grid status), by gauge',
        description: `Gauge values with t in [from, to) (the later-received wins at one instant). The window defaults to the 24 h before now and spans at most ${MAX_GAUGES_SPAN_MS / 86_400_000} days. Gauges are stored as read and never become energy.`,
        params: SiteIdParams,
        querystring: GaugesQuery,
        response: {
          200: jsonOrCsv(
            GaugesResponse,
            'The gauges, one column pair per gauge',
            `${GAUGES_CSV_FIELDS.join(',')}\nhome,soc,2026-01-01T12:00:00Z,64.5\n`,
          ),
          ...problems(400, 404, 406, 500),
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const { siteId } = req.params;
      const { fromMs, toMs } = parseRecentWindow({
        from: q.from,
        to: q.to,
        nowMs: clock(),
        defaultSpanMs: DEFAULT_GAUGES_SPAN_MS,
        maxSpanMs: MAX_GAUGES_SPAN_MS,
      });
      const representation = chooseRepresentation(q.format, req.headers.accept);
      await requireSite(store, siteId);
      const all: GaugeEntry[] = hasGaugeLog(store)
        ? await store.gauges({
            siteId,
            ...(q.name === undefined ? {} : { name: q.name }),
            fromMs,
            toMs,
            limit: MAX_GAUGES_PER_ANSWER + 1,
          })
        : [];
      const truncated = all.length > MAX_GAUGES_PER_ANSWER;
      const values = all.slice(0, MAX_GAUGES_PER_ANSWER);
      if (representation === 'csv') {
        return sendCsv(
          reply,
          GAUGES_CSV_FIELDS,
          values.map((g) => [siteId, g.name, formatInstant(g.tMs), g.value]),
        );
      }
      const byName = new Map<string, { name: string; tMs: number[]; values: number[] }>();
      for (const g of values) {
        let s = byName.get(g.name);
        if (s === undefined) {
          s = { name: g.name, tMs: [], values: [] };
          byName.set(g.name, s);
        }
        s.tMs.push(g.tMs);
        s.values.push(g.value);
      }
      return {
        siteId,
        from: formatInstant(fromMs),
        to: formatInstant(toMs),
        truncated,
        series: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)),
      };
    },
  );
};
