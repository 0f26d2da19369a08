// Polls one gateway: the meters every poll, status routes and site_info when due, each through the
// client's session and cool-down, and turns the answers into one PollOutcome with gauges and drift.

import { isValidTimeZone } from '../../domain/time-zone.ts';
import type { PollerState, PollOutcome, Gauge as StoredGauge } from '../connector.ts';
import type { FetchResult, PowerwallClient } from './client.ts';
import type { PowerwallConfig, PowerwallGatewayConfig } from './config.ts';
import { type DriftFigure, DriftTracker } from './drift.ts';
import {
  aggregatesToReadings,
  type GatewayStatus,
  type GridStatus,
  type MeterSnapshot,
  mapBody,
  type PolledRoute,
  type SiteInfo,
  type SitemasterStatus,
  type SoeGauge,
} from './map.ts';

/** A non-energy value of a site at an instant. Kept out of Store.ingest: a % must never become energy. */
export interface Gauge extends StoredGauge {
  /** soe-raw (% as the gateway reports it), soc (% on the Tesla app's scale), grid-connected (1/0), running (1/0). */
  name: 'soe-raw' | 'soc' | 'grid-connected' | 'running';
  tMs: number;
  value: number;
  unit: '%' | 'bool';
}

/** What is known about the gateway itself, from its slower routes. */
export interface GatewayInfo {
  status: GatewayStatus | null;
  siteInfo: SiteInfo | null;
  gridStatus: GridStatus | null;
  sitemaster: SitemasterStatus | null;
  soe: SoeGauge | null;
  /** Routes that answered 404 on this firmware: never asked again (until the firmware version changes). */
  absentRoutes: string[];
}

/** A poll outcome with the Powerwall extras: gauges, counter/power drift and mapping warnings. */
export interface PowerwallPollOutcome extends PollOutcome {
  gauges: Gauge[];
  drift: DriftFigure[];
  warnings: string[];
}

const STATUS_ROUTES: { route: PolledRoute; auth: boolean }[] = [
  { route: '/api/system_status/soe', auth: true },
  { route: '/api/system_status/grid_status', auth: true },
  { route: '/api/sitemaster', auth: true },
  { route: '/api/status', auth: false },
];

function failureState(r: Exclude<FetchResult, { kind: 'ok' }>): PollerState {
  switch (r.kind) {
    case 'stopped':
      return 'stopped';
    case 'rate-limited':
      return 'rate-limited';
    case 'auth-failed':
      return 'auth-failed';
    default:
      return 'unreachable';
  }
}

function failureDetail(r: Exclude<FetchResult, { kind: 'ok' }>): string {
  switch (r.kind) {
    case 'stopped':
      return 'the Powerwall system is stopped (502 with an empty body): no meter data';
    case 'absent':
      return '/api/meters/aggregates does not exist on this gateway (404)';
    case 'rate-limited':
      return `rate limited (429): cooling down until ${new Date(r.untilMs).toISOString()}`;
    default:
      return r.detail;
  }
}

export class GatewayPoller {
  private readonly drift: DriftTracker;
  private readonly lastMeterMs = new Map<string, number>();
  private readonly absent = new Set<string>();
  /** When each route last answered usefully (epoch ms): gauges are reported once, when fetched. */
  private readonly fetchedAtMs = new Map<PolledRoute, number>();
  private statusDueMs = 0;
  private siteInfoDueMs = 0;
  readonly info: GatewayInfo = {
    status: null,
    siteInfo: null,
    gridStatus: null,
    sitemaster: null,
    soe: null,
    absentRoutes: [],
  };

  constructor(
    readonly gateway: PowerwallGatewayConfig,
    readonly client: PowerwallClient,
    private readonly cfg: PowerwallConfig,
    private readonly clock: () => number,
  ) {
    this.drift = new DriftTracker(cfg.maxGapMs);
  }

  get siteId(): string {
    return this.gateway.siteId;
  }

  /** The site's time zone: the gateway's own once known, else the configured one, else UTC. */
  timezone(): string {
    const tz = this.info.siteInfo?.timezone;
    if (tz && isValidTimeZone(tz)) return tz;
    return this.gateway.timezone ?? 'UTC';
  }

  /** Fetches site_info now unless already known (used before the first ingest, for the time zone). */
  async loadSiteInfo(nowMs: number): Promise<void> {
    if (this.info.siteInfo !== null || this.absent.has('/api/site_info')) return;
    await this.fetchRoute('/api/site_info', true, nowMs, []);
    this.siteInfoDueMs = nowMs + this.cfg.siteInfoIntervalMs;
  }

  driftReport(): DriftFigure[] {
    return this.drift.report();
  }

  async poll(askedMs: number): Promise<PowerwallPollOutcome> {
    const warnings: string[] = [];
    const outcome: PowerwallPollOutcome = {
      siteId: this.siteId,
      askedMs,
      state: 'ok',
      readings: [],
      gauges: [],
      drift: [],
      warnings,
    };
    const res = await this.client.get('/api/meters/aggregates', askedMs);
    if (res.kind !== 'ok') {
      outcome.state = failureState(res);
      outcome.detail = failureDetail(res);
    } else {
      const mapped = mapBody('/api/meters/aggregates', res.body);
      if (!mapped.ok) {
        outcome.state = 'unreachable';
        outcome.detail = `unusable meters/aggregates answer (${mapped.error.kind}): ${mapped.error.detail}`;
      } else {
        warnings.push(...mapped.warnings);
        const receivedMs = this.clock();
        const fresh = (m: MeterSnapshot) => this.isFresh(m, askedMs, warnings);
        outcome.readings = aggregatesToReadings(
          mapped.value,
          { siteId: this.siteId, askedMs, receivedMs },
          fresh,
        );
        for (const m of Object.values(mapped.value.meters))
          if (m.lastCommunicationMs !== null) this.lastMeterMs.set(m.meter, m.lastCommunicationMs);
        this.drift.add(mapped.value, askedMs);
      }
    }
    // Status routes still answer while the system is stopped (sitemaster says so); not while locked out.
    if (outcome.state === 'ok' || outcome.state === 'stopped') await this.pollSlowRoutes(askedMs, warnings);
    outcome.gauges = this.gauges(askedMs);
    outcome.drift = this.drift.report();
    if (outcome.state === 'ok' && this.info.sitemaster?.running === false)
      warnings.push('sitemaster reports the system is not running');
    if (outcome.detail === undefined && warnings.length > 0) outcome.detail = warnings.join('; ');
    return outcome;
  }

  /** A meter is stored only when it communicated since the last poll and recently (DESIGN: no stale zeros). */
  private isFresh(m: MeterSnapshot, askedMs: number, warnings: string[]): boolean {
    if (m.lastCommunicationMs === null) return true;
    const prev = this.lastMeterMs.get(m.meter);
    if (prev !== undefined && m.lastCommunicationMs <= prev) {
      if (askedMs - m.lastCommunicationMs > this.cfg.staleAfterMs)
        warnings.push(
          `${m.meter} meter stale: last communication ${new Date(m.lastCommunicationMs).toISOString()}`,
        );
      return false;
    }
    if (askedMs - m.lastCommunicationMs > this.cfg.staleAfterMs) {
      warnings.push(
        `${m.meter} meter stale: last communication ${new Date(m.lastCommunicationMs).toISOString()}`,
      );
      return false;
    }
    return true;
  }

  private async pollSlowRoutes(nowMs: number, warnings: string[]): Promise<void> {
    const due: { route: PolledRoute; auth: boolean }[] = [];
    if (nowMs >= this.statusDueMs) {
      due.push(...STATUS_ROUTES);
      this.statusDueMs = nowMs + this.cfg.statusIntervalMs;
    }
    if (nowMs >= this.siteInfoDueMs) {
      due.push({ route: '/api/site_info', auth: true });
      this.siteInfoDueMs = nowMs + this.cfg.siteInfoIntervalMs;
    }
    for (const { route, auth } of due) {
      if (this.absent.has(route)) continue;
      const stop = await this.fetchRoute(route, auth, nowMs, warnings);
      if (stop) break;
    }
  }

  /** Fetches and maps one slow route into `info`; true when polling should stop for now (429, auth, down). */
  private async fetchRoute(
    route: PolledRoute,
    auth: boolean,
    nowMs: number,
    warnings: string[],
  ): Promise<boolean> {
    const res = await this.client.get(route, nowMs, auth);
    if (res.kind === 'absent') {
      this.absent.add(route);
      this.info.absentRoutes = [...this.absent];
      return false;
    }
    if (res.kind === 'stopped' || res.kind === 'gateway-error') return false;
    if (res.kind !== 'ok') return true;
    const mapped = mapBody(route, res.body);
    if (!mapped.ok) {
      warnings.push(`${route}: ${mapped.error.kind}: ${mapped.error.detail}`);
      return false;
    }
    warnings.push(...mapped.warnings.map((w) => `${route}: ${w}`));
    const v = mapped.value as unknown;
    this.fetchedAtMs.set(route, nowMs);
    switch (route) {
      case '/api/system_status/soe':
        this.info.soe = v as SoeGauge;
        break;
      case '/api/system_status/grid_status':
        this.info.gridStatus = v as GridStatus;
        break;
      case '/api/sitemaster':
        this.info.sitemaster = v as SitemasterStatus;
        break;
      case '/api/status': {
        const status = v as GatewayStatus;
        // A firmware update may bring back routes that were absent.
        if (this.info.status !== null && this.info.status.version !== status.version) {
          this.absent.clear();
          this.info.absentRoutes = [];
        }
        this.info.status = status;
        break;
      }
      case '/api/site_info':
        this.info.siteInfo = v as SiteInfo;
        break;
      default:
        break;
    }
    return false;
  }

  /** Gauges of the routes fetched in this poll (each value is reported once, at the instant it was asked). */
  private gauges(tMs: number): Gauge[] {
    const out: Gauge[] = [];
    const fresh = (route: PolledRoute) => this.fetchedAtMs.get(route) === tMs;
    const add = (name: Gauge['name'], value: number, unit: Gauge['unit']) =>
      out.push({ siteId: this.siteId, name, tMs, value, unit });
    if (this.info.soe !== null && fresh('/api/system_status/soe')) {
      add('soe-raw', this.info.soe.rawPercent, '%');
      add('soc', this.info.soe.appPercent, '%');
    }
    if (this.info.gridStatus !== null && fresh('/api/system_status/grid_status'))
      add('grid-connected', this.info.gridStatus.gridConnected ? 1 : 0, 'bool');
    if (this.info.sitemaster !== null && fresh('/api/sitemaster'))
      add('running', this.info.sitemaster.running ? 1 : 0, 'bool');
    return out;
  }
}
