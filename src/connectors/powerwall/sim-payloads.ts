// The payload shapes of the simulated gateway, per firmware generation, copied from the recorded
// responses in ../shared/fixtures/powerwall (field names, order, Go-style timestamps, zero times).
import type { Counters, Powers, SimMeter } from './sim-household.ts';
import { SIM_METERS } from './sim-household.ts';

/**
 * '1.20': the 2018 generation (vloschiavo samples: extra busway/frequency/generator meters, no
 * num_meters_aggregated); '21.44': foogod's dumps; '23.28': pypowerwall's captures (teg_type, can_reboot,
 * panel_max_current).
 */
export type FirmwareGeneration = '1.20' | '21.44' | '23.28';
export const FIRMWARE_GENERATIONS: readonly FirmwareGeneration[] = ['1.20', '21.44', '23.28'];

const VERSION: Record<FirmwareGeneration, { version: string; git: string }> = {
  '1.20': { version: '1.20.0', git: '0a2cba7a4bd1c8bb2bbf5a2ea20ee4e8d4f4d5c8' },
  '21.44': { version: '21.44 223a56cd', git: '223a56cd575b7b19bad7e12a4ebad0eb52d1f50a' },
  '23.28': { version: '23.28.2 27626f98', git: '27626f98a66cad5c665bbe1d4d788cdb3e94fd33' },
};

export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

// Building an Intl formatter costs far more than using one: one per zone, for 1,000 simulated gateways.
const OFFSET_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** UTC offset (minutes) of a time zone at an instant. */
export function offsetMinutes(tMs: number, timeZone: string): number {
  let fmt = OFFSET_FORMATS.get(timeZone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    OFFSET_FORMATS.set(timeZone, fmt);
  }
  const name = fmt.formatToParts(tMs).find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** Go's RFC3339Nano in the site's zone, as the gateway writes it: `2021-12-26T13:09:22.321056599-07:00`. */
export function formatGoTime(tMs: number, timeZone: string, nanoSalt = 0): string {
  const off = offsetMinutes(tMs, timeZone);
  const local = new Date(tMs + off * 60_000).toISOString().slice(0, 19);
  const sub =
    String(tMs % 1000).padStart(3, '0') + String((nanoSalt * 7919 + tMs) % 1_000_000).padStart(6, '0');
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${local}.${sub}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

export interface AggregatesInput {
  powers: Powers;
  counters: Counters;
  /** Gateway time of the meters' last communication (epoch ms). */
  tMs: number;
  timeZone: string;
  voltageV: number;
  frequencyHz: number;
}

function meterBody(
  gen: FirmwareGeneration,
  m: SimMeter,
  x: AggregatesInput,
  i: number,
): Record<string, unknown> {
  const p = x.powers[m];
  const reactive = m === 'battery' ? 10 : -0.2 * Math.abs(p);
  const current = Math.abs(p) / x.voltageV;
  const common = {
    last_communication_time: formatGoTime(x.tMs, x.timeZone, i),
    instant_power: p,
    instant_reactive_power: reactive,
    instant_apparent_power: Math.hypot(p, reactive),
    frequency: m === 'battery' ? x.frequencyHz : 0,
    energy_exported: x.counters[m].exportedWh,
    energy_imported: x.counters[m].importedWh,
    instant_average_voltage: x.voltageV,
  };
  if (gen === '1.20')
    return {
      ...common,
      frequency: x.frequencyHz,
      instant_total_current: current,
      i_a_current: 0,
      i_b_current: 0,
      i_c_current: 0,
    };
  return {
    ...common,
    instant_average_current: current,
    i_a_current: 0,
    i_b_current: 0,
    i_c_current: 0,
    last_phase_voltage_communication_time: GO_ZERO_TIME,
    last_phase_power_communication_time: GO_ZERO_TIME,
    last_phase_energy_communication_time: GO_ZERO_TIME,
    timeout: 1500000000,
    ...(m === 'load' ? {} : { num_meters_aggregated: m === 'site' ? 2 : 1 }),
    instant_total_current: current,
  };
}

const IDLE_METER = {
  last_communication_time: GO_ZERO_TIME,
  instant_power: 0,
  instant_reactive_power: 0,
  instant_apparent_power: 0,
  frequency: 0,
  energy_exported: 0,
  energy_imported: 0,
  instant_average_voltage: 0,
  instant_total_current: 0,
  i_a_current: 0,
  i_b_current: 0,
  i_c_current: 0,
};

/** `/api/meters/aggregates`. */
export function aggregatesBody(gen: FirmwareGeneration, x: AggregatesInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  SIM_METERS.forEach((m, i) => {
    out[m] = meterBody(gen, m, x, i);
  });
  if (gen === '1.20') {
    out['busway'] = IDLE_METER;
    out['frequency'] = IDLE_METER;
    out['generator'] = IDLE_METER;
  }
  return out;
}

/** `/api/status` (served without authentication). */
export function statusBody(
  gen: FirmwareGeneration,
  din: string,
  startMs: number,
  nowMs: number,
): Record<string, unknown> {
  const up = Math.max(0, nowMs - startMs) / 1000;
  const upText = `${Math.floor(up / 3600)}h${Math.floor((up % 3600) / 60)}m${(up % 60).toFixed(9)}s`;
  const start = `${new Date(startMs + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')} +0800`;
  const v = VERSION[gen];
  const base = {
    din,
    start_time: start,
    up_time_seconds: upText,
    is_new: false,
    version: v.version,
    git_hash: v.git,
  };
  if (gen === '1.20') return base;
  if (gen === '21.44')
    return {
      ...base,
      commission_count: 11,
      device_type: 'teg',
      sync_type: 'v2.1',
      leader: '',
      followers: null,
      cellular_disabled: false,
    };
  return {
    ...base,
    commission_count: 0,
    device_type: 'teg',
    teg_type: 'unknown',
    sync_type: 'v2.1',
    cellular_disabled: false,
    can_reboot: true,
  };
}

export interface SiteInfoInput {
  siteName: string;
  timeZone: string;
  capacityKWh: number;
  powerKW: number;
}

/** `/api/site_info`. */
export function siteInfoBody(gen: FirmwareGeneration, s: SiteInfoInput): Record<string, unknown> {
  return {
    max_system_energy_kWh: s.capacityKWh,
    max_system_power_kW: s.powerKW,
    site_name: s.siteName,
    timezone: s.timeZone,
    max_site_meter_power_kW: 1000000000,
    min_site_meter_power_kW: -1000000000,
    nominal_system_energy_kWh: s.capacityKWh,
    nominal_system_power_kW: s.powerKW,
    ...(gen === '23.28' ? { panel_max_current: 100 } : {}),
    grid_code: {
      grid_code: '60Hz_240V_s_UL1741SA:2019_California',
      grid_voltage_setting: 240,
      grid_freq_setting: 60,
      grid_phase_setting: 'Split',
      country: 'United States',
      state: 'California',
      utility: 'Pacific Gas and Electric Company',
    },
  };
}

export function sitemasterBody(running: boolean): Record<string, unknown> {
  return running
    ? {
        status: 'StatusUp',
        running: true,
        connected_to_tesla: true,
        power_supply_mode: false,
        can_reboot: 'Yes',
      }
    : {
        status: 'StatusDown',
        running: false,
        connected_to_tesla: true,
        power_supply_mode: false,
        can_reboot: '',
      };
}

export function gridStatusBody(): Record<string, unknown> {
  return { grid_status: 'SystemGridConnected', grid_services_active: false };
}

/** The gateway's error bodies: `{code, error, message}` (as in the recorded .err replies). */
export const ERROR_BODIES = {
  badCredentials: { code: 401, error: 'bad credentials', message: 'Login Error' },
  forbidden: {
    code: 403,
    error: 'Unable to GET to resource',
    message: 'User does not have adequate access rights',
  },
  // No recorded 429 body is in the fixtures; this follows the gateway's {code, error, message} convention.
  tooManyRequests: { code: 429, error: 'Too Many Requests', message: 'Your request has been rate limited' },
} as const;

/** The gateway is a Go server: an unknown route gets Go's default plain-text 404. */
export const NOT_FOUND_TEXT = '404 page not found\n';
