// End to end, session and transport: the connector against the HTTPS simulator's real auth semantics.
// 429 → cool-down with at most one login per cool-down; token expiry → exactly one re-login; 404 → the
// route is skipped without re-login; a wrong password never becomes a login storm; TLS is accepted only
// when pinned or explicitly insecure; firmware generations all map; drops and slow answers are unreachable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startPowerwallSimulator } from '../../../src/connectors/powerwall/simulator.ts';
import { MIN, startRig } from './rig.ts';

describe('powerwall end to end: session', () => {
  it('after token expiry logs in again exactly once and keeps reading', async () => {
    const rig = await startRig({ sim: { tokenTtlMs: 30 * MIN } });
    try {
      await rig.run(3);
      assert.equal(rig.sim.stats().logins, 1);
      rig.sim.setFault({ kind: 'expire-tokens' });
      const [o] = await rig.run(1);
      assert.equal(o!.state, 'ok');
      assert.equal(o!.readings.length, 10);
      assert.equal(rig.sim.stats().logins, 2);
      // Natural expiry: 30 simulated minutes later, one more login; no more in between.
      await rig.run(6 * 40, 10_000);
      assert.equal(rig.sim.stats().logins, 3);
      assert.equal(rig.sim.stats().byStatus[429], undefined);
    } finally {
      await rig.close();
    }
  });

  it('under 429 backs off: no request while cooling down, at most one login per cool-down', async () => {
    const coolDownMs = 2 * MIN;
    const rig = await startRig({ connector: { coolDownMs, maxCoolDownMs: 8 * MIN } });
    try {
      await rig.run(2);
      // A 429 burst of 20 minutes, and the session is gone too, so every retry has to log in.
      rig.sim.setFault({ kind: 'rate-limit', forMs: 20 * MIN });
      rig.sim.setFault({ kind: 'expire-tokens' });
      const before = rig.sim.stats();
      const limited = await rig.run(12 * 20);
      const during = rig.sim.stats();
      assert.ok(limited.every((o) => o.state === 'rate-limited' && o.readings.length === 0));
      assert.match(limited[0]!.detail ?? '', /cooling down until/);
      // Back-off 2, 4, 8, 8 min: a handful of attempts in 240 polls, not 240.
      const attempts = during.requests - before.requests;
      assert.ok(attempts >= 3 && attempts <= 6, `${attempts} requests during the burst`);
      const logins = during.loginTimesMs.slice(before.logins);
      for (let i = 1; i < logins.length; i++)
        assert.ok(logins[i]! - logins[i - 1]! >= coolDownMs, `logins ${logins[i - 1]} and ${logins[i]}`);
      // After the burst (and the current cool-down), back to normal with one login.
      const recovered = await rig.run(12 * 10);
      assert.equal(recovered.at(-1)!.state, 'ok');
      assert.equal(rig.sim.stats().logins - during.logins, 1);
      assert.equal(rig.connector.clientStats('home')!.rateLimited, attempts);
    } finally {
      await rig.close();
    }
  });

  it('too many logins answer 429 at the gateway; a wrong password is auth-failed without a login storm', async () => {
    const rig = await startRig({ gateway: { password: 'WRONG' }, connector: { loginRetryMs: 5 * MIN } });
    try {
      const out = await rig.run(12 * 30);
      assert.ok(out.every((o) => o.state === 'auth-failed'));
      assert.match(out[0]!.detail ?? '', /login refused \(HTTP 401\)/);
      const s = rig.sim.stats();
      assert.ok(s.logins <= 7, `${s.logins} login attempts in 30 min`);
      assert.equal(s.byStatus[429], undefined);
      assert.equal(s.requests, s.logins, 'nothing but logins');
    } finally {
      await rig.close();
    }
    // The gateway's own lock-out, for clients that do storm.
    let t = Date.now();
    const sim = await startPowerwallSimulator({ clock: () => t, loginLimit: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        t += 1000;
        const res = await fetch(`${sim.url}/api/status`).catch(() => null); // self-signed: rejected by fetch
        assert.equal(res, null);
        statuses.push(...(await loginStatuses(sim.url, 1)));
      }
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    } finally {
      await sim.close();
    }
  });

  it('skips a 404 endpoint (absent on this firmware) without re-login, and asks no more', async () => {
    const rig = await startRig({
      sim: { firmware: '1.20', absentRoutes: ['/api/system_status/grid_status'] },
      connector: { statusIntervalMs: MIN },
    });
    try {
      const out = await rig.run(12 * 5);
      assert.ok(out.every((o) => o.state === 'ok'));
      const s = rig.sim.stats();
      assert.equal(s.byPath['/api/system_status/grid_status'], 1);
      assert.ok((s.byPath['/api/system_status/soe'] ?? 0) >= 5);
      assert.equal(s.logins, 1);
      assert.deepEqual(rig.connector.gatewayInfo('home')!.absentRoutes, ['/api/system_status/grid_status']);
      const gauges = out.flatMap((o) => o.gauges);
      assert.ok(gauges.some((g) => g.name === 'soc') && !gauges.some((g) => g.name === 'grid-connected'));
    } finally {
      await rig.close();
    }
  });

  it('maps every simulated firmware generation, with gauges for state of charge on both scales', async () => {
    for (const firmware of ['1.20', '21.44', '23.28'] as const) {
      const rig = await startRig({ sim: { firmware } });
      try {
        const [o] = await rig.run(1);
        assert.equal(o!.state, 'ok', firmware);
        assert.equal(o!.readings.filter((r) => r.kind === 'power').length, 4, firmware);
        assert.equal(o!.readings.filter((r) => r.kind === 'counter').length, 6, firmware);
        const raw = o!.gauges.find((g) => g.name === 'soe-raw')!.value;
        const app = o!.gauges.find((g) => g.name === 'soc')!.value;
        assert.ok(Math.abs(app - (raw - 5) / 0.95) < 1e-9);
        assert.equal(
          rig.connector.gatewayInfo('home')!.status!.version.split(/[ .]/)[0],
          firmware.split('.')[0],
        );
        const [site] = await rig.connector.sites();
        assert.equal(site!.timezone, 'America/Los_Angeles');
      } finally {
        await rig.close();
      }
    }
  });
});

describe('powerwall end to end: TLS and transport', () => {
  it('accepts the pinned certificate and rejects another before sending the password', async () => {
    const other = await startPowerwallSimulator();
    const good = await startRig();
    const wrongPin = await startRig({ gateway: { fingerprint256: other.fingerprint256 } });
    const noTrust = await startRig({ gateway: { fingerprint256: undefined } });
    const insecure = await startRig({ gateway: { fingerprint256: undefined, insecure: true } });
    try {
      assert.equal((await good.run(1))[0]!.state, 'ok');
      assert.equal((await insecure.run(1))[0]!.state, 'ok');
      const [w] = await wrongPin.run(1);
      assert.equal(w!.state, 'unreachable');
      assert.match(w!.detail ?? '', /fingerprint .* does not match the pinned/);
      assert.equal(wrongPin.sim.stats().requests, 0, 'no request (and no password) reached the impostor');
      const [n] = await noTrust.run(1);
      assert.equal(n!.state, 'unreachable');
      assert.match(n!.detail ?? '', /self[- ]signed/i);
      assert.equal(noTrust.sim.stats().requests, 0);
    } finally {
      await Promise.all([good.close(), wrongPin.close(), noTrust.close(), insecure.close(), other.close()]);
    }
  });

  it('reports dropped connections and slow answers as unreachable, then recovers', async () => {
    const rig = await startRig({ connector: { requestTimeoutMs: 300 } });
    try {
      await rig.run(1);
      rig.sim.setFault({ kind: 'drop-connections', on: true });
      const [dropped] = await rig.run(1);
      assert.equal(dropped!.state, 'unreachable');
      rig.sim.setFault({ kind: 'drop-connections', on: false });
      rig.sim.setFault({ kind: 'slow', delayMs: 1_000 });
      const [slow] = await rig.run(1);
      assert.equal(slow!.state, 'unreachable');
      rig.sim.setFault({ kind: 'slow', delayMs: 0 });
      const [ok] = await rig.run(1);
      assert.equal(ok!.state, 'ok');
      assert.equal(ok!.readings.length, 10);
    } finally {
      await rig.close();
    }
  });
});

/** Posts `n` logins with a wrong password straight at the simulator (trusting its certificate). */
async function loginStatuses(url: string, n: number): Promise<number[]> {
  const { Agent, request } = await import('undici');
  const agent = new Agent({ connect: { rejectUnauthorized: false } });
  const out: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const res = await request(`${url}/api/login/Basic`, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'customer', email: '', password: 'nope' }),
      });
      await res.body.text();
      out.push(res.statusCode);
    }
  } finally {
    await agent.close();
  }
  return out;
}
