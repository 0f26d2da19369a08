// Pure mapping of Powerwall gateway payloads to wattline readings and gauges. Every function returns a
// typed result (MapResult) and never throws, whatever the body: firmware generations add and drop fields,
// a stopped system answers 502 with an empty body, and proxies answer `TIMEOUT!` instead of JSON.
//
// Channel and sign mapping (DESIGN §2: positive = power flowing into the home's bus):
//   power    grid (site meter, + = import), battery (+ = discharge), solar (+ = production), load (+ = consumption)
//   counter  solar = solar.energy_exported, load = load.energy_imported: on the same series as their power,
//            so counter energy wins over integrated power per bucket (DESIGN §3.5);
//            grid-import / grid-export = site.energy_imported / energy_exported,
//            battery-discharge / battery-charge = battery.energy_exported / energy_imported.
//   A net counter (import − export) is not monotonic, so grid and battery get two directional counters
//   each instead of a counter on the grid/battery series; their net energy comes from power.
// State of energy is a gauge (%), never a reading: a % integrated like power would become "energy".
import type { Reading } from '../../domain/reading.ts';
import {
  booleanField,
  decodeJsonBody,
  finiteNumber,
  isObject,
  type JsonObject,
  type MapResult,
  mapFail,
  mapOk,
  parseGatewayTime,
  parseGoDurationS,
  preview,
  stringField,
} from './map-values.ts';

export type { MapResult, PowerwallMapError, PowerwallMapErrorKind } from './map-values.ts';
export { decodeJsonBody, parseGatewayTime } from './map-values.ts';

export const METERS = ['site', 'battery', 'load', 'solar'] as const;
export type MeterName = (typeof METERS)[number];

/** The power channel of each aggregate meter. */
export const POWER_CHANNEL: Record<MeterName, string> = {
  site: 'grid',
  battery: 'battery',
  load: 'load',
  solar: 'solar',
};

/** Counter channels: which lifetime counter of which meter lands on which series. */
export const COUNTER_CHANNELS: readonly {
  meter: MeterName;
  field: 'imported' | 'exported';
  channel: string;
}[] = [
  { meter: 'solar', field: 'exported', channel: 'solar' },
  { meter: 'load', field: 'imported', channel: 'load' },
  { meter: 'site', field: 'imported', channel: 'grid-import' },
  { meter: 'site', field: 'exported', channel: 'grid-export' },
  { meter: 'battery', field: 'exported', channel: 'battery-discharge' },
  { meter: 'battery', field: 'imported', channel: 'battery-charge' },
];

/** One aggregate meter as the gateway reports it. */
export interface MeterSnapshot {
  meter: MeterName;
  powerW: number | null;
  energyImportedWh: number | null;
  energyExportedWh: number | null;
  /** When the gateway last heard from this meter (epoch ms); null when never. */
  lastCommunicationMs: number | null;
}

export interface AggregatesSnapshot {
  meters: Partial<Record<MeterName, MeterSnapshot>>;
}

function counterValue(v: unknown, name: string, warnings: string[]): number | null {
  const n = finiteNumber(v);
  if (n === undefined) {
    if (v !== undefined) warnings.push(`${name} is not a number: ${JSON.stringify(v)}`);
    return null;
  }
  if (n < 0) {
    warnings.push(`${name} is negative (${n}): ignored`);
    return null;
  }
  return n;
}

/** Maps `/api/meters/aggregates`. Meters that are absent or unusable are left out with a warning. */
export function mapAggregates(body: unknown): MapResult<AggregatesSnapshot> {
  if (!isObject(body)) return mapFail('not-an-object', 'meters/aggregates is not a JSON object');
  const warnings: string[] = [];
  const meters: AggregatesSnapshot['meters'] = {};
  for (const meter of METERS) {
    const raw = body[meter];
    if (raw === undefined) continue;
    if (!isObject(raw)) {
      warnings.push(`${meter} is not an object`);
      continue;
    }
    const powerW = finiteNumber(raw['instant_power']) ?? null;
    if (powerW === null && raw['instant_power'] !== undefined)
      warnings.push(`${meter}.instant_power is not a number: ${JSON.stringify(raw['instant_power'])}`);
    const t = parseGatewayTime(raw['last_communication_time']);
    if (t === undefined && raw['last_communication_time'] !== undefined)
      warnings.push(`${meter}.last_communication_time is not an RFC 3339 instant`);
    meters[meter] = {
      meter,
      powerW,
      energyImportedWh: counterValue(raw['energy_imported'], `${meter}.energy_imported`, warnings),
      energyExportedWh: counterValue(raw['energy_exported'], `${meter}.energy_exported`, warnings),
      lastCommunicationMs: t ?? null,
    };
  }
  if (Object.keys(meters).length === 0)
    return mapFail('missing-field', 'meters/aggregates has none of site, battery, load, solar');
  return mapOk({ meters }, warnings);
}

export interface ReadingContext {
  siteId: string;
  /** When we asked (epoch ms): used as the instant of a meter that never communicated. */
  askedMs: number;
  /** When the answer arrived (epoch ms). */
  receivedMs: number;
}

/** The instant a meter's values belong to: its last communication, else the time we asked. */
export function meterInstantMs(m: MeterSnapshot, askedMs: number): number {
  return m.lastCommunicationMs ?? askedMs;
}

/** Power and counter readings of one aggregates snapshot (see the channel mapping at the top). */
export function aggregatesToReadings(
  snap: AggregatesSnapshot,
  ctx: ReadingContext,
  include: (m: MeterSnapshot) => boolean = () => true,
): Reading[] {
  const out: Reading[] = [];
  const push = (channel: string, kind: 'power' | 'counter', tMs: number, value: number) =>
    out.push({ siteId: ctx.siteId, channel, kind, tMs, endMs: null, value, receivedMs: ctx.receivedMs });
  for (const meter of METERS) {
    const m = snap.meters[meter];
    if (m === undefined || !include(m)) continue;
    const tMs = meterInstantMs(m, ctx.askedMs);
    if (m.powerW !== null) push(POWER_CHANNEL[meter], 'power', tMs, m.powerW);
  }
  for (const c of COUNTER_CHANNELS) {
    const m = snap.meters[c.meter];
    if (m === undefined || !include(m)) continue;
    const v = c.field === 'imported' ? m.energyImportedWh : m.energyExportedWh;
    if (v !== null) push(c.channel, 'counter', meterInstantMs(m, ctx.askedMs), v);
  }
  return out;
}

/** State of energy: the gateway's raw % and the Tesla app's scale, which hides the 5 % reserve. */
export interface SoeGauge {
  rawPercent: number;
  /** (raw − 5) / 0.95, clamped to 0..100: what the Tesla app shows. */
  appPercent: number;
}

/** The app's state of charge from the gateway's raw percentage. */
export function appSocPercent(rawPercent: number): number {
  return Math.min(100, Math.max(0, (rawPercent - 5) / 0.95));
}

/** Maps `/api/system_status/soe`. */
export function mapSoe(body: unknown): MapResult<SoeGauge> {
  if (!isObject(body)) return mapFail('not-an-object', 'system_status/soe is not a JSON object');
  const p = finiteNumber(body['percentage']);
  if (p === undefined)
    return body['percentage'] === undefined
      ? mapFail('missing-field', 'system_status/soe has no percentage')
      : mapFail('bad-value', `percentage is not a number: ${JSON.stringify(body['percentage'])}`);
  if (p < 0 || p > 100) return mapFail('bad-value', `percentage ${p} is outside 0..100`);
  return mapOk({ rawPercent: p, appPercent: appSocPercent(p) });
}

export interface GridStatus {
  /** e.g. SystemGridConnected, SystemIslandedActive, SystemTransitionToGrid. */
  gridStatus: string;
  /** True only for SystemGridConnected. */
  gridConnected: boolean;
  gridServicesActive: boolean | null;
}

/** Maps `/api/system_status/grid_status`. */
export function mapGridStatus(body: unknown): MapResult<GridStatus> {
  if (!isObject(body)) return mapFail('not-an-object', 'grid_status is not a JSON object');
  const gridStatus = stringField(body, 'grid_status');
  if (gridStatus === undefined) return mapFail('missing-field', 'grid_status has no grid_status string');
  return mapOk({
    gridStatus,
    gridConnected: gridStatus === 'SystemGridConnected',
    gridServicesActive: booleanField(body, 'grid_services_active') ?? null,
  });
}

export interface SitemasterStatus {
  running: boolean;
  /** StatusUp / StatusDown. */
  status: string | null;
  connectedToTesla: boolean | null;
}

/** Maps `/api/sitemaster`. */
export function mapSitemaster(body: unknown): MapResult<SitemasterStatus> {
  if (!isObject(body)) return mapFail('not-an-object', 'sitemaster is not a JSON object');
  const running = booleanField(body, 'running');
  if (running === undefined) return mapFail('missing-field', 'sitemaster has no boolean running');
  return mapOk({
    running,
    status: stringField(body, 'status') ?? null,
    connectedToTesla: booleanField(body, 'connected_to_tesla') ?? null,
  });
}

export interface GatewayStatus {
  din: string | null;
  /** Firmware, e.g. `21.44 223a56cd`. */
  version: string;
  upTimeS: number | null;
}

/** Maps `/api/status` (answered without authentication). */
export function mapStatus(body: unknown): MapResult<GatewayStatus> {
  if (!isObject(body)) return mapFail('not-an-object', 'status is not a JSON object');
  const version = stringField(body, 'version');
  if (version === undefined) return mapFail('missing-field', 'status has no version string');
  return mapOk({
    din: stringField(body, 'din') ?? null,
    version,
    upTimeS: parseGoDurationS(body['up_time_seconds']) ?? null,
  });
}

export interface SiteInfo {
  siteName: string | null;
  /** IANA time zone, e.g. America/Los_Angeles. */
  timezone: string | null;
  nominalEnergyWh: number | null;
  nominalPowerW: number | null;
}

const kilo = (o: JsonObject, key: string): number | null => {
  const v = finiteNumber(o[key]);
  return v === undefined ? null : v * 1000;
};

/** Maps `/api/site_info`: the time zone and the nameplate. */
export function mapSiteInfo(body: unknown): MapResult<SiteInfo> {
  if (!isObject(body)) return mapFail('not-an-object', 'site_info is not a JSON object');
  const timezone = stringField(body, 'timezone') ?? null;
  if (timezone === null && stringField(body, 'site_name') === undefined)
    return mapFail('missing-field', 'site_info has neither timezone nor site_name');
  return mapOk({
    siteName: stringField(body, 'site_name') ?? null,
    timezone,
    nominalEnergyWh: kilo(body, 'nominal_system_energy_kWh') ?? kilo(body, 'max_system_energy_kWh'),
    nominalPowerW: kilo(body, 'nominal_system_power_kW') ?? kilo(body, 'max_system_power_kW'),
  });
}

/** What an HTTP reply of the gateway means, before its body is mapped. */
export type ReplyClass =
  | { kind: 'ok' }
  | { kind: 'stopped' }
  | { kind: 'absent' }
  | { kind: 'auth' }
  | { kind: 'rate-limited' }
  | { kind: 'gateway-error'; detail: string };

/**
 * Classifies a status and body: 502 with an empty body = the system is stopped; 404 = the endpoint does
 * not exist on this firmware; 401/403 = the session is not (or no longer) valid; 429 = rate limited.
 */
export function classifyReply(status: number, bodyText: string): ReplyClass {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status === 502 && bodyText.trim() === '') return { kind: 'stopped' };
  if (status === 404) return { kind: 'absent' };
  if (status === 401 || status === 403) return { kind: 'auth' };
  if (status === 429) return { kind: 'rate-limited' };
  const body = decodeJsonBody(bodyText);
  const message =
    body.ok && isObject(body.value)
      ? [stringField(body.value, 'error'), stringField(body.value, 'message')].filter(Boolean).join(': ')
      : preview(bodyText);
  return { kind: 'gateway-error', detail: `HTTP ${status}${message ? ` ${message}` : ''}` };
}

/** The mappers of the routes the connector polls, by path. */
export const ROUTE_MAPPERS = {
  '/api/meters/aggregates': mapAggregates,
  '/api/system_status/soe': mapSoe,
  '/api/system_status/grid_status': mapGridStatus,
  '/api/sitemaster': mapSitemaster,
  '/api/status': mapStatus,
  '/api/site_info': mapSiteInfo,
} as const;

export type PolledRoute = keyof typeof ROUTE_MAPPERS;

/** Decodes and maps one successful body of a polled route. */
export function mapBody<R extends PolledRoute>(
  route: R,
  text: string,
): ReturnType<(typeof ROUTE_MAPPERS)[R]> | MapResult<never> {
  const decoded = decodeJsonBody(text);
  if (!decoded.ok) return decoded as MapResult<never>;
  return ROUTE_MAPPERS[route](decoded.value) as ReturnType<(typeof ROUTE_MAPPERS)[R]>;
}
