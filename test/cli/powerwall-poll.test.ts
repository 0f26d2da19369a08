// `wattline poll <powerwall connector> --once` as a real process against the HTTPS gateway simulator,
// configured through the registry (source: powerwall) with the simulator's pinned certificate: it prints
// the readings and gauges it read, stores the gauges in the gauge log and nothing of them as readings.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startPowerwallSimulator } from '../../src/connectors/powerwall/simulator.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wattline.js');
const tmp = mkdtempSync(join(tmpdir(), 'wattline-pw-poll-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('wattline poll (Powerwall)', () => {
  it('--once prints readings and gauges of the gateway and stores the gauges apart', async () => {
    const sim = await startPowerwallSimulator({});
    const db = join(tmp, 'poll.duckdb');
    const config = join(tmp, 'poll.json');
    writeFileSync(
      config,
      JSON.stringify({
        connectors: [
          {
            source: 'powerwall',
            name: 'home-powerwall',
            gateways: [
              { siteId: 'home', url: sim.url, password: 'ABCDE', fingerprint256: sim.fingerprint256 },
            ],
          },
        ],
      }),
    );
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(
        process.execPath,
        [BIN, 'poll', 'home-powerwall', '--once', '--config', config, '--db', db],
        { env: { ...process.env, WATTLINE_DB: '' } },
      ));
    } finally {
      await sim.close();
    }
    assert.match(stdout, /^home-powerwall \(powerwall\): 1 sites, 1 ok, 10 readings, 10 stored$/m);
    assert.match(stdout, /home-powerwall\s+home\s+ok\s+.*grid=.*W .*soc=[\d.]+% grid-connected=1 running=1/);
    const store = await openDuckDbStore({ path: db });
    try {
      const latest = await store.latestGauges('home');
      assert.deepEqual(
        latest.map((g) => g.name),
        ['grid-connected', 'running', 'soc', 'soe-raw'],
      );
      const channels = new Set((await store.readings({ siteId: 'home' })).map((r) => r.channel));
      assert.ok(!channels.has('soc') && !channels.has('soe-raw'), [...channels].join(','));
    } finally {
      await store.close();
    }
  });
});
