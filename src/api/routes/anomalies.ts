// GET /v1/anomalies: what is wrong with a site (or every site) over a window, from the detectors in
// src/analytics/anomalies, each finding with its explanation and severity. JSON or CSV.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ANOMALY_KINDS, type Anomaly, type AnomalyKind } from '../../analytics/anomalies/types.ts';
import { WattlineError } from '../../domain/errors.ts';
import { BUCKET_MS, DAY_MS, formatInstant } from '../../domain/time.ts';
import { findAnomalies } from '../../insights/anomaly-source.ts';
import { requireSite } from '../../insights/series-source.ts';
import { chooseRepresentation, sendCsv } from '../representation.ts';
import type { RouteDeps } from '../route-deps.ts';
import { ANOMALY_FIELDS, AnomaliesQuery, AnomaliesResponse } from '../schemas/analytics.ts';
import { jsonOrCsv, problems } from '../schemas/common.ts';
import { parseWindow } from '../time-window.ts';

/** Longest window examined in one request. */
export const MAX_ANOMALY_DAYS = 31;

/** Parses `kind=a,b`; a 400 naming every unknown kind. */
export function parseKinds(text: string | undefined): AnomalyKind[] | undefined {
  if (text === undefined) return undefined;
  const kinds = text
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  const unknown = kinds.filter((k) => !(ANOMALY_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0) {
    throw new WattlineError(
      'invalid-parameter',
      `Unknown anomaly kind ${unknown.join(', ') || '(none given)'}`,
      [{ path: '/kind', message: `must list one or more of ${ANOMALY_KINDS.join(', ')}`, value: text }],
    );
  }
  return kinds as AnomalyKind[];
}

function anomalyOut(a: Anomaly) {
  const measured: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(a.measured)) measured[k] = Number.isFinite(v) ? v : null;
  return {
    kind: a.kind,
    siteId: a.siteId,
    channel: a.channel,
    start: formatInstant(a.startMs),
    end: formatInstant(a.endMs),
    severity: a.severity,
    explanation: a.explanation,
    measured,
  };
}

export const anomalyRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { store, clock }) => {
  app.get(
    '/anomalies',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Anomalies of a site or of all sites over a window',
        description: `Detectors: ${ANOMALY_KINDS.join(', ')}. Window at most ${MAX_ANOMALY_DAYS} days, by default the 24 h before now. Forecast outliers compare consumption channels with a 98% interval forecast from the history before \`from\`.`,
        querystring: AnomaliesQuery,
        response: {
          200: jsonOrCsv(
            AnomaliesResponse,
            'Anomalies by start time',
            `${ANOMALY_FIELDS.join(',')}\nhome,negative-solar,solar,2024-06-04T01:00:00Z,2024-06-04T02:00:00Z,warning,Solar read as low as -300 W for 1 h...\n`,
          ),
          ...problems(400, 404, 406, 500),
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const representation = chooseRepresentation(q.format, req.headers.accept);
      const w = parseWindow({
        names: ['from', 'to'],
        values: [q.from, q.to],
        maxSpanMs: MAX_ANOMALY_DAYS * DAY_MS,
      });
      const kinds = parseKinds(q.kind);
      const nowMs = clock();
      const toMs = Math.ceil((w.toMs ?? nowMs) / BUCKET_MS) * BUCKET_MS;
      const fromMs = Math.floor((w.fromMs ?? toMs - DAY_MS) / BUCKET_MS) * BUCKET_MS;
      if (toMs - fromMs > MAX_ANOMALY_DAYS * DAY_MS) {
        throw new WattlineError('invalid-range', `The window may span at most ${MAX_ANOMALY_DAYS} days`, [
          {
            path: q.to === undefined ? '/from' : '/to',
            message: `must be at most ${MAX_ANOMALY_DAYS} days apart`,
            value: q.to ?? q.from,
          },
        ]);
      }
      const sites =
        q.site === undefined ? await store.listSites() : [await requireSite(store, q.site, '/site')];
      const found: Anomaly[] = [];
      for (const site of sites) {
        found.push(
          ...(await findAnomalies(
            store,
            site,
            { fromMs, toMs, nowMs },
            kinds === undefined ? {} : { kinds },
          )),
        );
      }
      const anomalies = found
        .sort((a, b) => a.startMs - b.startMs || a.siteId.localeCompare(b.siteId))
        .map(anomalyOut);
      if (representation === 'csv') {
        return sendCsv(
          reply,
          ANOMALY_FIELDS,
          anomalies.map((a) => ANOMALY_FIELDS.map((k) => a[k])),
        );
      }
      return { from: formatInstant(fromMs), to: formatInstant(toMs), anomalies };
    },
  );
};
