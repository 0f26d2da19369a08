// The site-signal connector against its simulator: each fault is seen as the right poller state, every poll
// is logged raw with both times, and device health (GET /v1/status) counts up devices and judges solar.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { buildApp } from '../../src/api/app.ts';
import { createSiteSignalConnector } from '../../src/connectors/site-signal/client.ts';
import { type SiteSignalConfig, SiteSignalConfigSchema } from '../../src/connectors/site-signal/config.ts';
import {
  type SiteSignalSimulator,
  startSiteSignalSimulator,
} from '../../src/connectors/site-signal/simulator.ts';
import type { FleetStatus } from '../../src/domain/device-status.ts';
import { formatInstant } from '../../src/domain/time.ts';
import { DeviceHealth } from '../../src/ingest/device-health.ts';
import { createStatusService } from '../../src/ingest/fleet-status-service.ts';
import { PollScheduler } from '../../src/ingest/poll-scheduler.ts';
import { type DuckDbStore, openDuckDbStore } from '../../src/store/duckdb-store.ts';

const T0 = Date.UTC(2026, 5, 21, 20, 0); // 13:00 in California in June: the sun is high
let now = T0;
const clock = () => now;

function config(sim: SiteSignalSimulator, extra: Partial<SiteSignalConfig> = {}): SiteSignalConfig {
  return Value.Parse(SiteSignalConfigSchema, {
    source: 'site-signal',
    name: 'fleet',
    baseUrl: sim.url,
    timeoutMs: 1000,
    concurrency: 4,
    location: { latitude: 37.5, longitude: -122.1 },
    ...extra,
  });
}

describe('site-signal poller against the simulator', () => {
  let sim: SiteSignalSimulator;
  let store: DuckDbStore;
  const health = new DeviceHealth();
  let ids: string[];
  before(async () => {
    sim = await startSiteSignalSimulator({ sites: 8, clock, token: 'secret' });
    store = await openDuckDbStore({ path: ':memory:' });
    ids = sim.households.map((h) => h.siteId);
  });
  after(async () => {
    await sim.close();
    await store.close();
  });

  it('sees each fault as its poller state and logs every poll raw with both times', async () => {
    const connector = createSiteSignalConnector(config(sim, { token: 'secret' }), { clock });
    const scheduler = new PollScheduler([connector], { store, pollLog: store, health, clock });
    for (let round = 0; round < 5; round++) {
      const batch = await scheduler.pollOnce(connector);
      const state = Object.fromEntries(batch.outcomes.map((o) => [o.siteId, o]));
      assert.equal(batch.outcomes.length, 8);
      assert.equal(state[ids[1]!]!.state, 'unreachable'); // timeout
      assert.match(state[ids[1]!]!.detail!, /timeout/);
      assert.equal(state[ids[2]!]!.state, 'unreachable'); // 500
      assert.equal(state[ids[2]!]!.detail, 'HTTP 500');
      assert.equal(state[ids[5]!]!.state, 'unreachable'); // stale
      assert.match(state[ids[5]!]!.detail!, /^stale/);
      for (const i of [0, 3, 4, 6, 7]) assert.equal(state[ids[i]!]!.state, 'ok', `site ${i}`);
      now += 60_000;
    }
    await scheduler.stop();
    const healthy = await store.polls({ siteId: ids[0]! });
    assert.equal(healthy.length, 5);
    for (const [i, p] of healthy.entries()) {
      assert.equal(p.eventMs, T0 + i * 60_000); // event_timestamp: when we asked
      assert.equal(p.payloadMs, T0 + i * 60_000); // the payload's timestamp (second precision)
      assert.equal(p.state, 'ok');
      assert.equal((p.payload as { site: string }).site, ids[0]);
    }
    const failed = await store.polls({ siteId: ids[2]! });
    assert.deepEqual(
      failed.map((p) => [p.state, p.payloadMs, p.detail]),
      Array(5).fill(['unreachable', null, 'HTTP 500']),
    );
    const stale = await store.polls({ siteId: ids[5]! });
    assert.ok(stale.every((p) => p.payloadMs !== null && p.eventMs - p.payloadMs >= 2 * 3_600_000));
    // A stale repeat is logged every time but stored once in the readings' raw log.
    assert.equal((await store.readings({ siteId: ids[5]!, channel: 'grid' })).length, 1);
  });

  it('GET /v1/status: devices up, states, consecutive errors and solar conditions', async () => {
    now -= 30_000; // half a minute after the last round started... within the up window
    const app = buildApp({ store, clock, status: createStatusService({ store, health }) });
    const res = await app.inject({ url: '/v1/status' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as FleetStatus;
    const by = Object.fromEntries(body.sites.map((s) => [s.siteId, s]));
    assert.equal(body.devicesTotal, 8);
    assert.equal(body.devicesUp, 5);
    assert.equal(by[ids[1]!]!.up, false);
    assert.equal(by[ids[1]!]!.pollerState, 'unreachable');
    assert.equal(by[ids[1]!]!.consecutiveErrors, 5);
    assert.equal(by[ids[1]!]!.lastSeen, null);
    assert.equal(by[ids[0]!]!.consecutiveErrors, 0);
    assert.equal(by[ids[0]!]!.lastSeen, formatInstant(T0 + 4 * 60_000));
    assert.equal(by[ids[0]!]!.solar.condition, 'ok');
    assert.equal(by[ids[3]!]!.solar.condition, 'negative');
    assert.ok(by[ids[3]!]!.solar.minPowerW! < -20);
    assert.equal(by[ids[3]!]!.solar.negativeShare, 1);
    assert.equal(by[ids[4]!]!.solar.condition, 'zero-in-daylight');
    assert.equal(by[ids[4]!]!.solar.minPowerW, 0);
    assert.equal(by[ids[2]!]!.solar.condition, 'missing');
    assert.equal(by[ids[2]!]!.solar.expected, true);
    // The site list carries the same health.
    const sites = (await app.inject({ url: '/v1/sites' })).json() as {
      siteId: string;
      health: { up: boolean; solar: string };
    }[];
    assert.equal(sites.filter((s) => s.health.up).length, 5);
    assert.equal(sites.find((s) => s.siteId === ids[4])!.health.solar, 'zero-in-daylight');
    // Two minutes later with no poll, nothing is up.
    now += 120_000;
    const later = (await app.inject({ url: '/v1/status' })).json() as FleetStatus;
    assert.equal(later.devicesUp, 0);
    await app.close();
  });

  it('a wrong token is auth-failed for every site', async () => {
    const connector = createSiteSignalConnector(config(sim, { token: 'wrong', sites: ids.slice(0, 3) }), {
      clock,
    });
    const outcomes = await connector.poll(now);
    assert.deepEqual(
      outcomes.map((o) => o.state),
      ['auth-failed', 'auth-failed', 'auth-failed'],
    );
    await connector.close();
  });

  it('faults switch at run time', async () => {
    sim.setFault(ids[0]!, 'error');
    sim.setFault(ids[2]!, null);
    const connector = createSiteSignalConnector(config(sim, { token: 'secret', sites: [ids[0]!, ids[2]!] }), {
      clock,
    });
    const outcomes = await connector.poll(now);
    assert.deepEqual(
      outcomes.map((o) => o.state),
      ['unreachable', 'ok'],
    );
    await connector.close();
  });
});
