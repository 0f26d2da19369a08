// The site-signal mapping against the seed's logged rows (../shared/fixtures/site-signal) and the wire
// shape of the seed's collector: field names, both times, signs (DESIGN §2), load = grid + battery + solar.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { mapSiteSignal, parseSignalTime } from '../../src/connectors/site-signal/map.ts';
import { sharedPath } from '../support/shared.ts';

const rows = parse(
  readFileSync(sharedPath('fixtures', 'site-signal', 'energy_telemetry_logging_preview.csv')),
  {
    columns: true,
  },
) as Record<string, string>[];

describe('site-signal map', () => {
  it('maps every logged row of the fixture: payload time, channels, signs and derived load', () => {
    assert.equal(rows.length, 10);
    for (const row of rows) {
      const askedMs = parseSignalTime(row['event_timestamp']);
      assert.equal(askedMs, Date.UTC(2020, 10, 26, 21, 20, 0));
      const m = mapSiteSignal(row, askedMs!);
      assert.ok(m.ok, JSON.stringify(m));
      assert.equal(m.payload.site, row['site']);
      assert.equal(m.payload.payloadMs, Date.UTC(2020, 10, 26, 21, 20, 1));
      const by = Object.fromEntries(m.readings.map((r) => [r.channel, r]));
      assert.deepEqual(Object.keys(by).sort(), ['battery', 'grid', 'load', 'solar']);
      assert.equal(by['battery']!.value, Number(row['SITE_SM_batteryInstPower']));
      assert.equal(by['grid']!.value, Number(row['SITE_SM_siteInstPower']));
      assert.equal(by['solar']!.value, Number(row['SITE_SM_solarInstPower']));
      assert.ok(
        Math.abs(by['load']!.value - (by['grid']!.value + by['battery']!.value + by['solar']!.value)) < 1e-9,
      );
      for (const r of m.readings) {
        assert.equal(r.kind, 'power');
        assert.equal(r.tMs, m.payload.payloadMs); // the payload's time, not ours
        assert.equal(r.receivedMs, askedMs); // when we asked
      }
    }
    // Negative solar is kept as reported (it is a fault to show, not to hide): 61bff705 reads -251 W.
    const bad = mapSiteSignal(
      rows.find((r) => r['site'] === '61bff705'),
      0,
    );
    assert.ok(bad.ok);
    assert.ok(bad.readings.find((r) => r.channel === 'solar')!.value < -250);
  });

  it('reads the API answer with nested signals and an HTTP date, as the seed collector did', () => {
    const m = mapSiteSignal(
      {
        site: '4b78aae6',
        timestamp: 'Wed, 25 Nov 2020 18:19:24 GMT',
        signals: {
          SITE_SM_batteryInstPower: -129.2,
          SITE_SM_siteInstPower: 37.7,
          SITE_SM_solarInstPower: 784.3,
        },
      },
      5,
    );
    assert.ok(m.ok);
    assert.equal(m.payload.payloadMs, Date.UTC(2020, 10, 25, 18, 19, 24));
    assert.equal(m.readings.length, 4);
  });

  it('drops NaN signals (and load) and refuses answers without site, time or signals', () => {
    const m = mapSiteSignal(
      {
        site: 'a',
        timestamp: '2020-11-26T21:20:01Z',
        signals: { SITE_SM_batteryInstPower: 'NaN', SITE_SM_siteInstPower: 5, SITE_SM_solarInstPower: null },
      },
      0,
    );
    assert.ok(m.ok);
    assert.deepEqual(
      m.readings.map((r) => r.channel),
      ['grid'],
    );
    assert.equal(mapSiteSignal({ timestamp: 'x' }, 0).ok, false);
    assert.equal(mapSiteSignal({ site: 'a', timestamp: 'yesterday', SITE_SM_siteInstPower: 1 }, 0).ok, false);
    assert.equal(mapSiteSignal({ site: 'a', timestamp: '2020-11-26T21:20:01Z', signals: {} }, 0).ok, false);
    assert.equal(mapSiteSignal('<h1>Internal Server Error</h1>', 0).ok, false);
  });

  it('never throws, whatever the answer (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const m = mapSiteSignal(body, 0);
        if (m.ok) for (const r of m.readings) assert.ok(Number.isFinite(r.value) && Number.isFinite(r.tMs));
      }),
    );
  });
});
