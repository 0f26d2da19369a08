// GET /v1/status carries per site a compact anomaly summary of the last hour (issue 5: "the anomalies
// appear in the status"): counts by kind and the most severe recent findings; quiet on clean data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { summarizeAnomalies } from '../../src/analytics/anomalies/summary.ts';
import type { Anomaly } from '../../src/analytics/anomalies/types.ts';
import type { FleetStatus } from '../../src/domain/device-status.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { STATUS_ANOMALY_KINDS } from '../../src/ingest/status-anomalies.ts';
import { openApi, type TestApi } from './helpers.ts';

const NOW = Date.UTC(2026, 0, 1); // the app clock in openApi (16:00 in California)
const MIN = 60_000;

function power(siteId: string, channel: string, tMs: number, value: number): Reading {
  return { siteId, channel, kind: 'power', tMs, endMs: null, value, receivedMs: tMs };
}

describe('GET /v1/status anomalies', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi();
    const site = { timezone: 'America/Los_Angeles', source: 'site-signal' };
    const metadata = { latitude: 37.4, longitude: -122.1 };
    await api.store.upsertSites([
      { siteId: 'reversed', name: 'CT clamp reversed', ...site, metadata },
      { siteId: 'clean', name: 'Clean', ...site, metadata },
    ]);
    const rows: Reading[] = [];
    for (let t = NOW - 90 * MIN; t < NOW; t += MIN) {
      // 'reversed' reports −400 W of solar (a reversed clamp), far beyond night-time inverter draw.
      rows.push(
        power('reversed', 'solar', t, -400),
        power('reversed', 'grid', t, 900),
        power('reversed', 'load', t, 500),
      );
      rows.push(
        power('clean', 'solar', t, 300),
        power('clean', 'grid', t, 200),
        power('clean', 'load', t, 500),
      );
    }
    await api.store.ingest(rows);
  });
  after(() => api.close());

  it('counts findings by kind and lists the most severe; a clean site has none', async () => {
    const res = await api.app.inject({ url: '/v1/status' });
    assert.equal(res.statusCode, 200);
    const status = res.json() as FleetStatus;
    const bySite = new Map(status.sites.map((s) => [s.siteId, s]));
    const bad = bySite.get('reversed')?.anomalies;
    assert.ok(bad, JSON.stringify(bySite.get('reversed')));
    assert.equal(bad.windowMs, 3_600_000);
    assert.ok((bad.byKind['negative-solar'] ?? 0) >= 1, JSON.stringify(bad));
    assert.equal(
      bad.total,
      Object.values(bad.byKind).reduce((a, b) => a + b, 0),
    );
    assert.ok(bad.recent.some((a) => a.kind === 'negative-solar' && a.channel === 'solar'));
    assert.deepEqual(bySite.get('clean')?.anomalies, {
      windowMs: 3_600_000,
      total: 0,
      byKind: {},
      recent: [],
    });
  });

  it('the status skips the forecast check (a full-history backtest per request)', () => {
    assert.ok(!STATUS_ANOMALY_KINDS.includes('forecast-outlier'));
    assert.equal(STATUS_ANOMALY_KINDS.length, 6);
  });

  it('summary: the most severe first, then the most recent, at most three', () => {
    const a = (kind: Anomaly['kind'], severity: Anomaly['severity'], endMs: number): Anomaly => ({
      kind,
      siteId: 's',
      channel: 'solar',
      startMs: endMs - MIN,
      endMs,
      severity,
      explanation: kind,
      measured: {},
    });
    const s = summarizeAnomalies(
      [
        a('flatline', 'info', NOW),
        a('negative-solar', 'warning', NOW - MIN),
        a('device-down', 'critical', NOW - 9 * MIN),
        a('negative-solar', 'warning', NOW),
      ],
      3_600_000,
    );
    assert.equal(s.total, 4);
    assert.deepEqual(s.byKind, { flatline: 1, 'negative-solar': 2, 'device-down': 1 });
    assert.deepEqual(
      s.recent.map((r) => [r.kind, r.end]),
      [
        ['device-down', new Date(NOW - 9 * MIN).toISOString().replace('.000Z', 'Z')],
        ['negative-solar', new Date(NOW).toISOString().replace('.000Z', 'Z')],
        ['negative-solar', new Date(NOW - MIN).toISOString().replace('.000Z', 'Z')],
      ],
    );
  });
});
