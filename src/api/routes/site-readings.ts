// GET /v1/sites/{siteId}/readings: a site's de-duplicated raw readings in a window, as columns per
// channel (what a chart wants) or as CSV rows that `wattline import` takes back.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { formatInstant } from '../../domain/time.ts';
import { requireSite } from '../../store/require-site.ts';
import { chooseRepresentation, sendCsv } from '../representation.ts';
import type { RouteDeps } from '../route-deps.ts';
import { jsonOrCsv, problems } from '../schemas/common.ts';
import {
  DEFAULT_READINGS_SPAN_MS,
  MAX_READINGS_PER_ANSWER,
  MAX_READINGS_SPAN_MS,
  READINGS_CSV_FIELDS,
  SiteReadingsQuery,
  SiteReadingsResponse,
} from '../schemas/site-readings.ts';
import { SiteIdParams } from '../schemas/sites.ts';
import { parseRecentWindow } from '../time-window.ts';

export const siteReadingRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store, clock }) => {
  app.get(
    '/sites/:siteId/readings',
    {
      schema: {
        tags: ['sites'],
        summary: 'A site’s raw readings in a window (power by default), by channel',
        description: `De-duplicated raw readings (the later-received wins at one instant) with t in [from, to). The window defaults to the 24 h before now and spans at most ${MAX_READINGS_SPAN_MS / 86_400_000} days.`,
        params: SiteIdParams,
        querystring: SiteReadingsQuery,
        response: {
          200: jsonOrCsv(
            SiteReadingsResponse,
            'The readings, one column pair per channel',
            `${READINGS_CSV_FIELDS.join(',')}\nhome,grid,2018-08-24T00:00:00Z,1250,W,power\n`,
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
        defaultSpanMs: DEFAULT_READINGS_SPAN_MS,
        maxSpanMs: MAX_READINGS_SPAN_MS,
      });
      const representation = chooseRepresentation(q.format, req.headers.accept);
      await requireSite(store, siteId);
      const kind = q.kind ?? 'power';
      const all = await store.readings({
        siteId,
        ...(q.channel === undefined ? {} : { channel: q.channel }),
        fromMs,
        toMs,
        limit: MAX_READINGS_PER_ANSWER + 1,
      });
      const truncated = all.length > MAX_READINGS_PER_ANSWER;
      const readings = all.slice(0, MAX_READINGS_PER_ANSWER).filter((r) => r.kind === kind);
      const unit: 'W' | 'Wh' = kind === 'power' ? 'W' : 'Wh';
      if (representation === 'csv') {
        return sendCsv(
          reply,
          READINGS_CSV_FIELDS,
          readings.map((r) => [siteId, r.channel, formatInstant(r.tMs), r.value, unit, kind]),
        );
      }
      const series: { channel: string; tMs: number[]; values: number[] }[] = [];
      for (const r of readings) {
        let s = series[series.length - 1];
        if (s === undefined || s.channel !== r.channel) {
          s = { channel: r.channel, tMs: [], values: [] };
          series.push(s);
        }
        s.tMs.push(r.tMs);
        s.values.push(r.value);
      }
      return {
        siteId,
        kind,
        unit,
        from: formatInstant(fromMs),
        to: formatInstant(toMs),
        truncated,
        series,
      };
    },
  );
};
