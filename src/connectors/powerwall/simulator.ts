// A simulated Tesla Energy Gateway (Powerwall 2 local API) over HTTPS with a certificate generated at
// start: the real routes and shapes of several firmware generations, the real auth (login returns cookies
// and a token; tokens expire; a wrong password is 401; too many logins are 429; /api/status needs no
// auth), a physically consistent household, and faults switchable at run time. Its clock is injectable,
// so a test can run simulated hours in seconds.
import { randomBytes, X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { generate } from 'selfsigned';
import { DEFAULT_HOUSEHOLD, Household, type HouseholdOptions } from './sim-household.ts';
import {
  aggregatesBody,
  ERROR_BODIES,
  type FirmwareGeneration,
  gridStatusBody,
  NOT_FOUND_TEXT,
  siteInfoBody,
  sitemasterBody,
  statusBody,
} from './sim-payloads.ts';

export type { FirmwareGeneration } from './sim-payloads.ts';

export interface SimCertificate {
  cert: string;
  key: string;
}

/** A self-signed certificate for 127.0.0.1/localhost, like the gateway's own. */
export async function generateGatewayCertificate(): Promise<SimCertificate> {
  const pems = await generate([{ name: 'commonName', value: 'teg' }], {
    // EC P-256: generated in milliseconds (an RSA key takes seconds), and accepted by every TLS client.
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  } as Parameters<typeof generate>[1]);
  return { cert: pems.cert, key: pems.private };
}

export interface PowerwallSimulatorOptions {
  firmware: FirmwareGeneration;
  email: string;
  password: string;
  /** Epoch ms; the simulated gateway's clock. Defaults to Date.now. */
  clock: () => number;
  timeZone: string;
  siteName: string;
  household: Partial<HouseholdOptions>;
  /** How long a login token stays valid (simulated ms). */
  tokenTtlMs: number;
  /** More than this many login attempts within loginWindowMs are answered 429. */
  loginLimit: number;
  loginWindowMs: number;
  /** Reuse a certificate (e.g. across 1,000 simulated gateways); generated at start otherwise. */
  certificate?: SimCertificate;
  host: string;
  port: number;
  /** Routes this firmware does not have (answered 404). */
  absentRoutes: string[];
}

/** Faults switchable at run time. */
export type PowerwallFault =
  | { kind: 'stopped'; on: boolean }
  | { kind: 'rate-limit'; forMs: number }
  | { kind: 'expire-tokens' }
  | { kind: 'counter-reset' }
  | { kind: 'stale'; on: boolean }
  | { kind: 'negative-night-solar'; on: boolean }
  | { kind: 'drop-connections'; on: boolean }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'absent-route'; route: string; on: boolean };

export interface SimulatorStats {
  /** Login attempts (accepted or not), with the simulated instant of each. */
  logins: number;
  loginTimesMs: number[];
  requests: number;
  byStatus: Record<number, number>;
  byPath: Record<string, number>;
}

export interface PowerwallSimulator {
  url: string;
  fingerprint256: string;
  household: Household;
  setFault(fault: PowerwallFault): void;
  stats(): SimulatorStats;
  close(): Promise<void>;
}

const AUTH_FREE = new Set(['/api/status', '/api/login/Basic']);

interface Token {
  token: string;
  expiresMs: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      text += c;
      if (text.length > 65_536) req.destroy();
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** Starts a simulated gateway on HTTPS. */
export async function startPowerwallSimulator(
  options: Partial<PowerwallSimulatorOptions> = {},
): Promise<PowerwallSimulator> {
  const o: PowerwallSimulatorOptions = {
    firmware: '21.44',
    email: 'owner@example.com',
    password: 'ABCDE',
    clock: Date.now,
    timeZone: 'America/Los_Angeles',
    siteName: 'Home Energy Gateway',
    household: {},
    tokenTtlMs: 3_600_000,
    loginLimit: 10,
    loginWindowMs: 300_000,
    host: '127.0.0.1',
    port: 0,
    absentRoutes: [],
    ...options,
  };
  const cert = o.certificate ?? (await generateGatewayCertificate());
  const startMs = o.clock();
  const hh: HouseholdOptions = { ...DEFAULT_HOUSEHOLD, ...o.household };
  const household = new Household(startMs, hh);
  const din = `1232100-00-E--TG${randomBytes(5).toString('hex').toUpperCase()}`;
  const tokens = new Map<string, Token>();
  const absent = new Set(o.absentRoutes);
  const stats: SimulatorStats = { logins: 0, loginTimesMs: [], requests: 0, byStatus: {}, byPath: {} };
  const sockets = new Set<Socket>();
  let rateLimitUntilMs = 0;
  let dropConnections = false;
  let slowMs = 0;
  let stale: { body: Record<string, unknown> } | null = null;

  const now = () => {
    const t = o.clock();
    household.advanceTo(t);
    return t;
  };

  const aggregates = (t: number) =>
    aggregatesBody(o.firmware, {
      powers: household.powers(),
      counters: household.counters(),
      tMs: t,
      timeZone: o.timeZone,
      voltageV: 240,
      frequencyHz: 60,
    });

  function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string | string[]> = {},
  ) {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'cache-control': 'no-cache, no-store',
      ...(body === undefined
        ? {}
        : { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' }),
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  function authorized(req: IncomingMessage, t: number): boolean {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = cookieValue(req, 'AuthCookie') ?? bearer;
    const entry = token === undefined ? undefined : tokens.get(token);
    return entry !== undefined && entry.expiresMs > t;
  }

  async function login(req: IncomingMessage, res: ServerResponse, t: number) {
    stats.logins++;
    stats.loginTimesMs.push(t);
    const recent = stats.loginTimesMs.filter((x) => x > t - o.loginWindowMs).length;
    if (recent > o.loginLimit) return send(res, 429, ERROR_BODIES.tooManyRequests);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return send(res, 400, { code: 400, error: 'bad request', message: 'Login Error' });
    }
    const userOk = body['username'] === 'customer' || body['username'] === 'installer';
    const emailOk = body['email'] === o.email || body['email'] === '' || body['email'] === undefined;
    if (!userOk || !emailOk || body['password'] !== o.password)
      return send(res, 401, ERROR_BODIES.badCredentials);
    const token = randomBytes(48).toString('base64');
    tokens.set(token, { token, expiresMs: t + o.tokenTtlMs });
    const loginTime = new Date(t).toISOString();
    const record = Buffer.from(
      JSON.stringify({
        email: o.email,
        firstname: 'Tesla',
        lastname: 'Energy',
        roles: ['Home_Owner'],
        token,
        provider: 'Basic',
        loginTime,
      }),
    ).toString('base64');
    send(
      res,
      200,
      {
        email: o.email,
        firstname: 'Tesla',
        lastname: 'Energy',
        roles: ['Home_Owner'],
        token,
        provider: 'Basic',
        loginTime,
      },
      {
        'set-cookie': [
          `AuthCookie=${token}; Path=/; HttpOnly; Secure`,
          `UserRecord=${record}; Path=/; Secure`,
        ],
      },
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0]!;
    stats.requests++;
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    if (dropConnections) {
      req.socket.destroy();
      return;
    }
    if (slowMs > 0) await new Promise((r) => setTimeout(r, slowMs));
    const t = now();
    if (t < rateLimitUntilMs) return send(res, 429, ERROR_BODIES.tooManyRequests);
    if (path === '/api/login/Basic' && req.method === 'POST') return login(req, res, t);
    if (req.method !== 'GET' || absent.has(path)) return send(res, 404, NOT_FOUND_TEXT);
    if (!AUTH_FREE.has(path) && !authorized(req, t)) return send(res, 401, ERROR_BODIES.badCredentials);
    const stopped = household.stopped;
    switch (path) {
      case '/api/meters/aggregates':
        if (stopped) return send(res, 502, undefined);
        return send(res, 200, stale?.body ?? aggregates(t));
      case '/api/system_status/soe':
        if (stopped) return send(res, 502, undefined);
        return send(res, 200, { percentage: household.soePercent() });
      case '/api/system_status/grid_status':
        if (stopped) return send(res, 502, undefined);
        return send(res, 200, gridStatusBody());
      case '/api/sitemaster':
        return send(res, 200, sitemasterBody(!stopped));
      case '/api/status':
        return send(res, 200, statusBody(o.firmware, din, startMs, t));
      case '/api/site_info':
        return send(
          res,
          200,
          siteInfoBody(o.firmware, {
            siteName: o.siteName,
            timeZone: o.timeZone,
            capacityKWh: hh.batteryCapacityWh / 1000,
            powerKW: hh.batteryMaxPowerW / 1000,
          }),
        );
      default:
        return send(res, 404, NOT_FOUND_TEXT);
    }
  }

  const server: Server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { code: 500, error: 'internal', message: 'simulator failure' });
    });
  });
  // Longer than a client's keep-alive, so a poll every 5 s never races the server closing the socket.
  server.keepAliveTimeout = 65_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {}); // a client refusing our certificate is not our failure
  await new Promise<void>((resolve) => server.listen(o.port, o.host, resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `https://${o.host}:${port}`,
    fingerprint256: new X509Certificate(cert.cert).fingerprint256,
    household,
    setFault(f: PowerwallFault) {
      const t = now();
      switch (f.kind) {
        case 'stopped':
          household.stopped = f.on;
          break;
        case 'rate-limit':
          rateLimitUntilMs = t + f.forMs;
          break;
        case 'expire-tokens':
          tokens.clear();
          break;
        case 'counter-reset':
          household.resetCounters();
          break;
        case 'stale':
          stale = f.on ? { body: aggregates(t) } : null;
          break;
        case 'negative-night-solar':
          household.negativeNightSolar = f.on;
          break;
        case 'drop-connections':
          dropConnections = f.on;
          if (f.on) for (const s of sockets) s.destroy();
          break;
        case 'slow':
          slowMs = f.delayMs;
          break;
        case 'absent-route':
          if (f.on) absent.add(f.route);
          else absent.delete(f.route);
          break;
      }
    },
    stats: () => structuredClone(stats),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
