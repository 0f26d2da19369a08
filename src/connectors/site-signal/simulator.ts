// A fleet "site-signal" API on a local port, speaking the wire format the seed's collector read
// (`GET /api/sites?token=` → {"sites": [...]}, `GET /api/signals?token=&site=` → {site, timestamp (HTTP
// date), signals: {SITE_SM_*InstPower}}), with N households and faults switchable at run time.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GeoLocation } from '../../analytics/sun-position.ts';
import type { Reading } from '../../domain/reading.ts';
import type { Site } from '../../domain/site.ts';
import { type Household, household, householdPower } from './household-model.ts';
import { signalReadings } from './map.ts';

/** What can go wrong with one site. */
export type SiteFault =
  | 'timeout' // the API never answers for this site
  | 'error' // the API answers 500
  | 'negative-solar' // reversed CT: solar reads below zero
  | 'zero-solar' // inverter off: zero solar, even at noon
  | 'stale' // the API repeats an old payload with its old timestamp
  | 'nan'; // the API sends NaN for every signal
export const SITE_FAULTS: readonly SiteFault[] = [
  'timeout',
  'error',
  'negative-solar',
  'zero-solar',
  'stale',
  'nan',
];

export interface SiteSignalSimulatorOptions {
  /** Number of sites (default 50). */
  sites?: number;
  /** 'default': sites 1-5 get timeout, error, negative-solar, zero-solar, stale; 'none'; or by site id. */
  faults?: 'default' | 'none' | Record<string, SiteFault>;
  /** Required `token` query parameter, when set. */
  token?: string;
  /** Centre of the fleet (default: the San Francisco Bay Area). */
  centre?: GeoLocation;
  clock?: () => number;
  host?: string;
  port?: number;
}

export interface SiteSignalSimulator {
  /** Base URL, e.g. http://127.0.0.1:43123 */
  readonly url: string;
  readonly households: readonly Household[];
  /** Sites with their locations, as a connector configured for this fleet reports them. */
  sites(): Site[];
  faultOf(siteId: string): SiteFault | null;
  setFault(siteId: string, fault: SiteFault | null): void;
  /** Requests answered or held so far, by path. */
  readonly requests: Map<string, number>;
  /** Readings of the physical model every `stepMs` in [fromMs, toMs), as a poller would have read them
   * (each received at its own instant). */
  history(fromMs: number, toMs: number, stepMs: number): Reading[];
  close(): Promise<void>;
}

export const DEFAULT_FLEET_CENTRE: GeoLocation = { latitude: 37.5, longitude: -122.1 };
const DEFAULT_FAULTS: readonly SiteFault[] = ['timeout', 'error', 'negative-solar', 'zero-solar', 'stale'];

/** The RFC 7231 date the API answers with (second precision). */
function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Power values of a household at `tMs` as the API reports them, with its fault applied. */
function signalsAt(h: Household, fault: SiteFault | null, tMs: number): Record<string, number> {
  const p = householdPower(h, tMs);
  let solarW = p.solarW;
  let batteryW = p.batteryW;
  if (fault === 'zero-solar') {
    solarW = 0;
    batteryW = p.loadW > 0 && p.batteryW > 0 ? p.batteryW : 0;
  }
  const gridW = p.loadW - solarW - batteryW;
  if (fault === 'negative-solar') solarW = -p.solarW - 20; // CT clamp reversed, plus its offset
  return { SITE_SM_batteryInstPower: batteryW, SITE_SM_siteInstPower: gridW, SITE_SM_solarInstPower: solarW };
}

/** Starts the simulator; resolves once it listens. */
export async function startSiteSignalSimulator(
  opts: SiteSignalSimulatorOptions = {},
): Promise<SiteSignalSimulator> {
  const clock = opts.clock ?? Date.now;
  const centre = opts.centre ?? DEFAULT_FLEET_CENTRE;
  const households = Array.from({ length: opts.sites ?? 50 }, (_, i) => household(i, centre));
  const byId = new Map(households.map((h) => [h.siteId, h]));
  const faults = new Map<string, SiteFault>();
  if (opts.faults === undefined || opts.faults === 'default') {
    DEFAULT_FAULTS.forEach((f, i) => {
      const h = households[i + 1];
      if (h) faults.set(h.siteId, f);
    });
  } else if (opts.faults !== 'none') {
    for (const [site, f] of Object.entries(opts.faults)) faults.set(site, f);
  }
  // A stale site repeats what it said when it went stale.
  const staleSince = new Map<string, number>();
  const startedMs = clock();
  const staleAt = (siteId: string) => staleSince.get(siteId) ?? startedMs - 2 * 3_600_000;
  const requests = new Map<string, number>();
  const held = new Set<ServerResponse>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    requests.set(url.pathname, (requests.get(url.pathname) ?? 0) + 1);
    if (req.method !== 'GET') return send(res, 405, { error: 'method not allowed' });
    if (opts.token !== undefined && url.searchParams.get('token') !== opts.token) {
      return send(res, 401, { error: 'invalid token' });
    }
    if (url.pathname === '/api/sites') return send(res, 200, { sites: households.map((h) => h.siteId) });
    if (url.pathname !== '/api/signals') return send(res, 404, { error: 'not found' });
    const siteId = url.searchParams.get('site') ?? '';
    const h = byId.get(siteId);
    if (!h) return send(res, 404, { error: `unknown site ${siteId}` });
    const fault = faults.get(siteId) ?? null;
    if (fault === 'timeout') {
      held.add(res); // never answered; released on close
      res.on('close', () => held.delete(res));
      return;
    }
    if (fault === 'error') {
      res.writeHead(500, { 'content-type': 'text/html' });
      return res.end('<h1>Internal Server Error</h1>');
    }
    const tMs = fault === 'stale' ? staleAt(siteId) : clock();
    const signals =
      fault === 'nan'
        ? { SITE_SM_batteryInstPower: 'NaN', SITE_SM_siteInstPower: 'NaN', SITE_SM_solarInstPower: 'NaN' }
        : signalsAt(h, fault, tMs);
    send(res, 200, { site: siteId, timestamp: httpDate(tMs), signals });
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    households,
    requests,
    sites: () =>
      households.map((h) => ({
        siteId: h.siteId,
        name: `site ${h.siteId}`,
        timezone: 'America/Los_Angeles',
        source: 'site-signal',
        metadata: { ...h.location },
      })),
    faultOf: (siteId) => faults.get(siteId) ?? null,
    setFault(siteId, fault) {
      if (fault === null) faults.delete(siteId);
      else faults.set(siteId, fault);
      if (fault === 'stale') staleSince.set(siteId, clock());
    },
    history(fromMs, toMs, stepMs) {
      const out: Reading[] = [];
      for (const h of households) {
        const fault = faults.get(h.siteId) ?? null;
        // Broken sites have history up to when they broke: an hour ago, or when they went stale.
        const endMs =
          fault === 'timeout' || fault === 'error'
            ? Math.min(toMs, startedMs - 3_600_000)
            : fault === 'stale'
              ? Math.min(toMs, staleAt(h.siteId))
              : toMs;
        for (let t = Math.ceil(fromMs / stepMs) * stepMs; t < endMs; t += stepMs) {
          const s = signalsAt(h, fault === 'nan' ? null : fault, t);
          out.push(
            ...signalReadings(
              {
                site: h.siteId,
                payloadMs: t,
                signals: {
                  SITE_SM_batteryInstPower: s['SITE_SM_batteryInstPower'] ?? null,
                  SITE_SM_siteInstPower: s['SITE_SM_siteInstPower'] ?? null,
                  SITE_SM_solarInstPower: s['SITE_SM_solarInstPower'] ?? null,
                },
              },
              t,
            ),
          );
        }
      }
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
