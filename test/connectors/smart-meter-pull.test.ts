// Smart-meter documents (../shared/fixtures/exnaton): the mapping, and `wattline pull` from a file and from
// the simulator. Energy per 15-minute bucket equals the fixture's values (DESIGN §3.4); a second pull
// fetches and stores nothing new.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Value } from '@sinclair/typebox/value';
import { createSmartMeterConnector } from '../../src/connectors/smart-meter/client.ts';
import { SmartMeterConfigSchema } from '../../src/connectors/smart-meter/config.ts';
import { parseMeterDocument } from '../../src/connectors/smart-meter/map.ts';
import { startSmartMeterSimulator } from '../../src/connectors/smart-meter/simulator.ts';
import { DeviceHealth } from '../../src/ingest/device-health.ts';
import { createScheduler, storeDeps } from '../../src/main.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import type { Store } from '../../src/store/store.ts';
import { readSharedJson, sharedPath } from '../support/shared.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wattline.js');
const tmp = mkdtempSync(join(tmpdir(), 'wattline-pull-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const wattline = (...args: string[]) =>
  run(process.execPath, [BIN, ...args], { env: { ...process.env, WATTLINE_DB: '' } });

const IMPORT_METER = '95ce3367-cbce-4a4d-bbe3-da082831d7bd';
const EXPORT_METER = '1db7649e-9342-4e04-97c7-f0ebb88ed1f8';
type Doc = { data: { timestamp: string; tags: { muid: string; quality: string }; [k: string]: unknown }[] };

/** A second pull as `wattline pull` does it (high-water marks from the store); returns the new readings. */
async function pullAgain(store: Store, url: string, sinceParam?: string): Promise<number> {
  const config = Value.Parse(SmartMeterConfigSchema, {
    source: 'smart-meter',
    name: 'pull',
    url,
    ...(sinceParam ? { sinceParam } : {}),
  });
  const connector = createSmartMeterConnector(config, storeDeps(store));
  const scheduler = createScheduler([connector], store, new DeviceHealth());
  const batch = await scheduler.pollOnce(connector);
  await scheduler.stop();
  return batch.readings.length;
}

describe('smart-meter map', () => {
  it('maps both fixture files: OBIS code picks the channel, kWh become Wh over [t, t + 15 min)', () => {
    for (const [muid, code, channel] of [
      [IMPORT_METER, '0100011D00FF', 'import'],
      [EXPORT_METER, '0100021D00FF', 'export'],
    ] as const) {
      const doc = readSharedJson<Doc>('fixtures', 'exnaton', `${muid}.json`);
      const r = parseMeterDocument(doc);
      assert.ok(r.ok);
      assert.equal(r.records.length, 2688);
      for (const [i, rec] of r.records.entries()) {
        assert.equal(rec.muid, muid);
        assert.equal(rec.channel, channel);
        assert.equal(rec.quality, 'measured');
        assert.equal(rec.startMs, Date.parse(doc.data[i]!.timestamp));
        assert.equal(rec.energyWh, (doc.data[i]![code] as number) * 1000);
      }
    }
  });

  it('rejects a document with a bad record whole, naming the field', () => {
    const r = parseMeterDocument({
      data: [
        {
          measurement: 'energy',
          timestamp: '2023-02-01T00:00:00Z',
          tags: { muid: 'm', quality: 'measured' },
          '0100011D00FF': 1,
        },
        { measurement: 'energy', timestamp: '2023-02-31T00:00:00Z', tags: { muid: 'm' }, '0100011D00FF': -1 },
      ],
    });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.problems.map((p) => p.path),
      ['/data/1/timestamp', '/data/1/0100011D00FF'],
    );
  });
});

describe('wattline pull', () => {
  it('imports a fixture file: one bucket per record with the record’s energy; pulling again adds nothing', async () => {
    const db = join(tmp, 'file.duckdb');
    const file = sharedPath('fixtures', 'exnaton', `${IMPORT_METER}.json`);
    const first = JSON.parse((await wattline('pull', file, '--db', db, '--json')).stdout);
    assert.equal(first.intervals, 2688);
    assert.equal(first.stored, 2688);
    assert.equal(first.channels[0].from, '2023-02-01T00:00:00Z');
    assert.equal(first.channels[0].to, '2023-03-01T00:00:00Z');
    assert.deepEqual(first.channels[0].qualities, { measured: 2688 });
    const store = await openDuckDbStore({ path: db });
    try {
      // Pulling again (the same code path as the command, in process to keep the suite quick) adds nothing.
      assert.equal(await pullAgain(store, file), 0);
      const buckets = await store.buckets({ siteId: IMPORT_METER, channel: 'import' });
      const doc = readSharedJson<Doc>('fixtures', 'exnaton', `${IMPORT_METER}.json`);
      const want = new Map(
        doc.data.map((d) => [Date.parse(d.timestamp), (d['0100011D00FF'] as number) * 1000]),
      );
      assert.equal(buckets.length, 2688);
      for (const b of buckets) {
        assert.ok(Math.abs(b.energyWh - want.get(b.bucketStartMs)!) < 1e-9, `bucket ${b.bucketStartMs}`);
        assert.equal(b.coverage, 1);
      }
      const site = await store.getSite(IMPORT_METER);
      assert.equal(site?.source, 'smart-meter');
      // The quality tags are in the raw poll log with the records as received.
      const polls = await store.polls({ siteId: IMPORT_METER });
      assert.equal(polls.length, 2);
      assert.deepEqual((polls[1]!.payload as { records: unknown[] }).records, []);
      assert.equal((polls[0]!.payload as { records: unknown[] }).records.length, 2688);
    } finally {
      await store.close();
    }
  });

  it('pulls the simulator: a month for two meters, then only what is new (asked with `from`)', async () => {
    const sim = await startSmartMeterSimulator({ days: 30 });
    try {
      const db = join(tmp, 'sim.duckdb');
      const first = JSON.parse(
        (await wattline('pull', sim.documentUrl, '--since-param', 'from', '--db', db, '--json')).stdout,
      );
      assert.equal(first.meters, 2);
      // Meter 1 imports only; meter 2 imports and exports: 3 registers × 30 days × 96 intervals.
      assert.equal(first.intervals, 3 * 30 * 96);
      const again = JSON.parse(
        (await wattline('pull', sim.documentUrl, '--since-param', 'from', '--db', db, '--json')).stdout,
      );
      assert.equal(again.intervals, 0);
      assert.equal(sim.requests.length, 2);
      assert.equal(sim.requests[0]!.from, null);
      assert.ok(sim.requests[1]!.from !== null, 'the second pull asks from its high-water mark');
      assert.ok(sim.requests[1]!.records <= 3, `the second answer holds ${sim.requests[1]!.records} records`);
      const store = await openDuckDbStore({ path: db });
      try {
        const exp = await store.buckets({ siteId: sim.meters[1]!.muid, channel: 'export' });
        assert.equal(exp.length, 30 * 96);
        assert.ok(
          exp.some((b) => b.energyWh > 0),
          'the prosumer exports around noon',
        );
      } finally {
        await store.close();
      }
    } finally {
      await sim.close();
    }
  });
});
