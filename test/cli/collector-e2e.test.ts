// End to end with real processes: `wattline poll` against the simulators is killed with SIGKILL and every
// reading it acknowledged (a line on stdout is printed only after the commit) is in the DuckDB file; and
// `npm run demo` starts, serves devices up in GET /v1/status (the fleet and the Powerwall gateways, with
// their gauges), and stops cleanly on SIGINT.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { startSiteSignalSimulator } from '../../src/connectors/site-signal/simulator.ts';
import { startSmartMeterSimulator } from '../../src/connectors/smart-meter/simulator.ts';
import type { FleetStatus } from '../../src/domain/device-status.ts';
import { parseInstant } from '../../src/domain/time.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'wattline.js');
const tmp = mkdtempSync(join(tmpdir(), 'wattline-e2e-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Calls `onLine` for each stdout line until it returns true; resolves then (or rejects when the process ends). */
function waitForLines(proc: ChildProcess, onLine: (line: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    let done = false;
    rl.on('line', (line) => {
      if (!done && onLine(line)) {
        done = true;
        resolve();
      }
    });
    proc.on('exit', (code, signal) => {
      if (!done) reject(new Error(`the process ended (${code ?? signal}) before the expected output`));
    });
  });
}

interface AckLine {
  event: string;
  outcomes: { siteId: string; readings: { channel: string; kind: string; t: string; value: number }[] }[];
}

describe('collector processes', () => {
  it('SIGKILL of a running `wattline poll` loses no acknowledged reading', async () => {
    const fleet = await startSiteSignalSimulator({ sites: 6 });
    const meters = await startSmartMeterSimulator({ days: 2 });
    const db = join(tmp, 'kill.duckdb');
    const config = join(tmp, 'kill.json');
    writeFileSync(
      config,
      JSON.stringify({
        connectors: [
          { source: 'site-signal', name: 'fleet', baseUrl: fleet.url, intervalMs: 200, timeoutMs: 500 },
          { source: 'smart-meter', name: 'meters', url: meters.documentUrl, intervalMs: 300 },
        ],
      }),
    );
    const proc = spawn(process.execPath, [BIN, 'poll', '--json', '--config', config, '--db', db], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, WATTLINE_DB: '' },
    });
    const acked: AckLine[] = [];
    try {
      let fleetRounds = 0;
      await waitForLines(proc, (line) => {
        const ack = JSON.parse(line) as AckLine & { connector: string };
        acked.push(ack);
        if (ack.connector === 'fleet') fleetRounds += 1;
        return fleetRounds >= 6;
      });
      proc.kill('SIGKILL');
      await new Promise((r) => proc.once('exit', r));
    } finally {
      await fleet.close();
      await meters.close();
    }
    // Two answers with the same payload time (the API's timestamps have whole seconds) are one instant;
    // the later-received wins (DESIGN §3.1), so what must be stored is the last acknowledged value per instant.
    const expected = new Map<string, number>();
    for (const a of acked) {
      for (const o of a.outcomes)
        for (const r of o.readings)
          expected.set(`${o.siteId}|${r.channel}|${r.kind}|${parseInstant(r.t)}`, r.value);
    }
    assert.ok(expected.size > 100, `${expected.size} acknowledged readings`);
    const store = await openDuckDbStore({ path: db });
    try {
      const stored = new Map<string, number>();
      for (const site of await store.listSites()) {
        for (const r of await store.readings({ siteId: site.siteId }))
          stored.set(`${r.siteId}|${r.channel}|${r.kind}|${r.tMs}`, r.value);
      }
      const missing = [...expected].filter(([key, value]) => stored.get(key) !== value);
      assert.deepEqual(missing, []);
    } finally {
      await store.close();
    }
  });

  it('`npm run demo` starts, shows devices up in GET /v1/status and stops on SIGINT', async () => {
    const db = join(tmp, 'demo.duckdb');
    const proc = spawn('npm', ['run', 'demo', '--', '--port', '0', '--db', db, '--history-days', '1'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WATTLINE_DB: '' },
      detached: true, // its own process group, so SIGINT reaches npm's child as Ctrl-C would
    });
    let stderr = '';
    proc.stderr!.on('data', (d) => {
      stderr += String(d);
    });
    let url = '';
    try {
      proc.once('exit', (code) => {
        if (code !== 0) console.error(`demo exited ${code}: ${stderr}`);
      });
      await waitForLines(proc, (line) => {
        const m = /wattline demo on (http:\/\/\S+)/.exec(line);
        if (m) url = m[1]!;
        return url !== '';
      });
      // The pollers' first rounds land within seconds; wait for them (no timed assertion: the test's
      // own timeout is the limit).
      let status: FleetStatus;
      for (;;) {
        status = (await (await fetch(`${url}/v1/status`)).json()) as FleetStatus;
        const polled = status.sites.filter((s) => s.source === 'site-signal' && s.pollerState !== null);
        // A device is up once a poll of it is durable; on a busy machine the first round can commit
        // after the backfill, so wait for the healthy part of the fleet rather than the first round.
        const fleetUp = status.sites.filter((s) => s.source === 'site-signal' && s.up).length;
        const gateways = status.sites.filter((s) => s.source === 'powerwall' && s.pollerState !== null);
        if (
          polled.length >= 50 &&
          fleetUp >= 47 &&
          gateways.length >= 2 &&
          status.sites.some((s) => s.source === 'smart-meter')
        )
          break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const fleetSites = status.sites.filter((s) => s.source === 'site-signal');
      assert.equal(fleetSites.length, 50);
      // The default faults: a timeout, a 500 and a stale site are down; the rest of the fleet is up.
      assert.equal(fleetSites.filter((s) => s.up).length, 47);
      assert.equal(fleetSites.filter((s) => s.pollerState === 'unreachable').length, 3);
      // The Powerwall gateways (HTTPS, self-signed, pinned by fingerprint) are polled and up, and their
      // state of charge and grid status are served as gauges.
      const gateways = status.sites.filter((s) => s.source === 'powerwall');
      assert.ok(gateways.length >= 2, `${gateways.length} gateways`);
      for (const g of gateways) assert.deepEqual([g.siteId, g.up, g.pollerState], [g.siteId, true, 'ok']);
      const latest = (await (await fetch(`${url}/v1/sites/${gateways[0]!.siteId}/gauges/latest`)).json()) as {
        gauges: Record<string, { t: string; value: number }>;
      };
      assert.ok(latest.gauges['soc'] !== undefined && latest.gauges['grid-connected']?.value === 1);
      assert.ok(status.devicesUp >= 47 + gateways.length);
      process.kill(-proc.pid!, 'SIGINT');
      const [code, signal] = await new Promise<[number | null, string | null]>((r) =>
        proc.once('exit', (c, s) => r([c, s])),
      );
      // The demo stops itself with 0; npm, which got the SIGINT too, may report it as its own end.
      assert.ok(code === 0 || signal === 'SIGINT', `exit ${code} ${signal}: ${stderr}`);
      assert.match(stderr, /SIGINT: stopping, flushing acknowledged data/);
      assert.doesNotMatch(stderr, /Error/);
      // The file is closed (DuckDB locks it while open) and holds what the pollers wrote.
      const store = await openDuckDbStore({ path: db });
      try {
        assert.ok((await store.polls({ connector: 'demo-site-signal' })).length >= 50);
      } finally {
        await store.close();
      }
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) process.kill(-proc.pid!, 'SIGKILL');
    }
  });
});
