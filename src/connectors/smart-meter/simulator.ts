// Two smart meters serving a month of 15-minute OBIS registers over HTTP in the Exnaton document shape
// (../shared/fixtures/exnaton): a household that only imports, and a prosumer with solar that imports at
// night and exports around noon. Daily and weekly patterns; the newest interval is the last complete one,
// so new data appears every 15 minutes. `GET /data.json` (all meters) and `GET /meters/<muid>.json`,
// newest first, with `?from=<ISO>` (records starting at or after it) and an ETag.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type GeoLocation, sunElevationDeg } from '../../analytics/sun-position.ts';
import { DAY_MS, parseInstant } from '../../domain/time.ts';
import { noise } from '../site-signal/household-model.ts';
import { METER_INTERVAL_MS } from './map.ts';

export interface SimMeter {
  muid: string;
  /** Solar peak (W), 0 for a consumer. */
  pvPeakW: number;
  baseLoadW: number;
  seed: number;
}

export const SIM_METERS: readonly SimMeter[] = [
  { muid: '5e1a1f0c-7d3b-4c8e-9a41-0b7f2d9c1e01', pvPeakW: 0, baseLoadW: 180, seed: 11 },
  { muid: '5e1a1f0c-7d3b-4c8e-9a41-0b7f2d9c1e02', pvPeakW: 6500, baseLoadW: 260, seed: 12 },
];

const METER_LOCATION: GeoLocation = { latitude: 47.38, longitude: 8.54 }; // Zürich

export interface MeterInterval {
  muid: string;
  startMs: number;
  importKwh: number;
  exportKwh: number;
}

/** Energy of one meter in the 15-minute interval starting at `startMs` (kWh, 4 decimals like the source). */
export function meterInterval(m: SimMeter, startMs: number): MeterInterval {
  const mid = startMs + METER_INTERVAL_MS / 2;
  const localHour = (((mid / 3_600_000 + 1) % 24) + 24) % 24; // CET, near enough for a load shape
  const weekday = new Date(mid + 3_600_000).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const slot = Math.floor(startMs / METER_INTERVAL_MS);
  const morning = Math.exp(-((localHour - (weekend ? 9 : 7)) ** 2) / 1.5);
  const midday = weekend ? Math.exp(-((localHour - 12.5) ** 2) / 2) : 0;
  const evening = Math.exp(-((localHour - 19) ** 2) / 3);
  const loadW =
    m.baseLoadW * (1 + 2 * morning + 1.5 * midday + 3.5 * evening) * (0.8 + 0.4 * noise(m.seed, slot));
  const elevation = sunElevationDeg(mid, METER_LOCATION);
  const clouds = 0.5 + 0.5 * noise(m.seed + 1, Math.floor(startMs / DAY_MS));
  const solarW = elevation > 0 ? m.pvPeakW * Math.sin((elevation * Math.PI) / 180) * clouds : 0;
  const netW = loadW - solarW;
  const kwh = (w: number) => Math.round(((Math.max(0, w) * 0.25) / 1000) * 1e4) / 1e4;
  return { muid: m.muid, startMs, importKwh: kwh(netW), exportKwh: kwh(-netW) };
}

/** Records of the intervals in [fromMs, toMs) in the document shape, newest first. */
export function meterRecords(meters: readonly SimMeter[], fromMs: number, toMs: number): unknown[] {
  const out: unknown[] = [];
  const first = Math.ceil(fromMs / METER_INTERVAL_MS) * METER_INTERVAL_MS;
  for (let t = toMs - METER_INTERVAL_MS; t >= first; t -= METER_INTERVAL_MS) {
    for (const m of meters) {
      const iv = meterInterval(m, t);
      const base = {
        measurement: 'energy',
        timestamp: new Date(t).toISOString(),
        tags: { muid: m.muid, quality: 'measured' },
      };
      out.push({ ...base, '0100011D00FF': iv.importKwh });
      if (m.pvPeakW > 0) out.push({ ...base, '0100021D00FF': iv.exportKwh });
    }
  }
  return out;
}

export interface SmartMeterSimulatorOptions {
  /** Days of history before now (default 30). */
  days?: number;
  clock?: () => number;
  host?: string;
  port?: number;
  /** Answer 503 to every request while true (switchable at run time through `setDown`). */
  down?: boolean;
}

export interface SmartMeterSimulator {
  readonly url: string;
  /** URL of the document with every meter. */
  readonly documentUrl: string;
  readonly meters: readonly SimMeter[];
  readonly requests: { path: string; from: string | null; records: number }[];
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** Starts the meter server; resolves once it listens. */
export async function startSmartMeterSimulator(
  opts: SmartMeterSimulatorOptions = {},
): Promise<SmartMeterSimulator> {
  const clock = opts.clock ?? Date.now;
  const startMs = Math.floor(clock() / METER_INTERVAL_MS) * METER_INTERVAL_MS - (opts.days ?? 30) * DAY_MS;
  let down = opts.down ?? false;
  const requests: SmartMeterSimulator['requests'] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(status === 304 ? undefined : JSON.stringify(body));
    };
    if (down) return send(503, { message: 'Service Unavailable' });
    let meters: readonly SimMeter[] = SIM_METERS;
    const m = /^\/meters\/([^/]+)\.json$/.exec(url.pathname);
    if (m) meters = SIM_METERS.filter((x) => x.muid === m[1]);
    else if (url.pathname !== '/data.json') return send(404, { message: 'Not Found' });
    if (meters.length === 0) return send(404, { message: 'no such meter' });
    const fromText = url.searchParams.get('from');
    const fromMs = fromText === null ? startMs : parseInstant(fromText);
    if (fromMs === undefined) return send(400, { message: `from: not a date-time: ${fromText}` });
    const toMs = Math.floor(clock() / METER_INTERVAL_MS) * METER_INTERVAL_MS;
    const etag = `"${toMs.toString(36)}-${Math.max(fromMs, startMs).toString(36)}-${meters.length}"`;
    if (req.headers['if-none-match'] === etag) {
      requests.push({ path: url.pathname, from: fromText, records: 0 });
      return send(304, null, { etag });
    }
    const data = meterRecords(meters, Math.max(fromMs, startMs), toMs);
    requests.push({ path: url.pathname, from: fromText, records: data.length });
    send(200, { data }, { etag });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    documentUrl: `${url}/data.json`,
    meters: SIM_METERS,
    requests,
    setDown(d) {
      down = d;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
