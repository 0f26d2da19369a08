// HTTP session with one gateway: login, cookies or bearer token, at most one re-login per 401/403,
// exponential cool-down after 429 (no request at all while cooling down, so no login storm), and the
// meaning of the gateway's replies (502 empty = stopped, 404 = absent on this firmware).

import type { Agent } from 'undici';
import { request } from 'undici';
import { withDeadline } from '../deadline.ts';
import { classifyReply, decodeJsonBody } from './map.ts';
import { isObject } from './map-values.ts';
import { createGatewayAgent } from './tls.ts';

export interface PowerwallClientOptions {
  baseUrl: string;
  email: string;
  password: string;
  insecure: boolean;
  fingerprint256?: string | undefined;
  requestTimeoutMs: number;
  coolDownMs: number;
  maxCoolDownMs: number;
  loginRetryMs: number;
}

export type FetchResult =
  | { kind: 'ok'; body: string }
  | { kind: 'stopped' }
  | { kind: 'absent' }
  | { kind: 'rate-limited'; untilMs: number }
  | { kind: 'auth-failed'; detail: string }
  | { kind: 'unreachable'; detail: string }
  | { kind: 'gateway-error'; detail: string };

/** Counters of what the client did, for tests and the bench. */
export interface ClientStats {
  requests: number;
  logins: number;
  rateLimited: number;
}

interface Session {
  /** Cookie header (AuthCookie + UserRecord) when the gateway set cookies. */
  cookie: string | null;
  token: string | null;
}

interface RawReply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  const code = (e as { code?: string }).code;
  const base = code && !e.message.includes(code) ? `${e.message} (${code})` : e.message;
  return cause instanceof Error && cause.message !== e.message ? `${base}: ${cause.message}` : base;
}

function header(h: RawReply['headers'], name: string): string[] {
  const v = h[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export class PowerwallClient {
  private readonly agent: Agent;
  private session: Session | null = null;
  private coolDownUntilMs = 0;
  private coolDownLevel = 0;
  private loginBlockedUntilMs = 0;
  readonly stats: ClientStats = { requests: 0, logins: 0, rateLimited: 0 };

  constructor(private readonly opts: PowerwallClientOptions) {
    this.agent = createGatewayAgent({
      insecure: opts.insecure,
      fingerprint256: opts.fingerprint256,
      timeoutMs: opts.requestTimeoutMs,
    });
  }

  /** End of the current 429 cool-down (epoch ms), or null when not cooling down at `nowMs`. */
  coolingDownUntil(nowMs: number): number | null {
    return nowMs < this.coolDownUntilMs ? this.coolDownUntilMs : null;
  }

  /** GETs a path. `auth: false` for routes the gateway answers without a session (/api/status). */
  async get(path: string, nowMs: number, auth = true): Promise<FetchResult> {
    if (nowMs < this.coolDownUntilMs) return { kind: 'rate-limited', untilMs: this.coolDownUntilMs };
    if (auth && this.session === null) {
      const login = await this.login(nowMs);
      if (login !== null) return login;
    }
    let reply = await this.send('GET', path, auth);
    if (!('status' in reply)) return reply;
    let cls = classifyReply(reply.status, reply.body);
    if (cls.kind === 'auth' && auth) {
      // The session expired or was revoked: exactly one new login, then one retry of this request.
      this.session = null;
      const login = await this.login(nowMs);
      if (login !== null) return login;
      reply = await this.send('GET', path, auth);
      if (!('status' in reply)) return reply;
      cls = classifyReply(reply.status, reply.body);
      if (cls.kind === 'auth') {
        // A fresh session is refused too: stop logging in for a while rather than once per poll.
        this.loginBlockedUntilMs = nowMs + this.opts.loginRetryMs;
        this.session = null;
        return {
          kind: 'auth-failed',
          detail: `${path}: HTTP ${reply.status} right after a successful login`,
        };
      }
    }
    switch (cls.kind) {
      case 'ok':
        this.coolDownLevel = 0;
        return { kind: 'ok', body: reply.body };
      case 'rate-limited':
        return { kind: 'rate-limited', untilMs: this.enterCoolDown(nowMs, reply) };
      case 'auth':
        return { kind: 'auth-failed', detail: `${path}: HTTP ${reply.status}` };
      case 'gateway-error':
        return { kind: 'gateway-error', detail: `${path}: ${cls.detail}` };
      default:
        return cls;
    }
  }

  /** Logs in; null on success, else the failure to report. Never more than one attempt per call. */
  private async login(nowMs: number): Promise<FetchResult | null> {
    if (nowMs < this.loginBlockedUntilMs)
      return { kind: 'auth-failed', detail: 'login refused earlier; waiting before trying again' };
    this.stats.logins++;
    const body = JSON.stringify({
      username: 'customer',
      email: this.opts.email,
      password: this.opts.password,
      force_sm_off: false,
    });
    const reply = await this.send('POST', '/api/login/Basic', false, body);
    if (!('status' in reply)) return reply;
    const cls = classifyReply(reply.status, reply.body);
    if (cls.kind === 'rate-limited')
      return { kind: 'rate-limited', untilMs: this.enterCoolDown(nowMs, reply) };
    if (cls.kind === 'auth' || (cls.kind === 'gateway-error' && reply.status === 400)) {
      this.loginBlockedUntilMs = nowMs + this.opts.loginRetryMs;
      return {
        kind: 'auth-failed',
        detail: `login refused (HTTP ${reply.status}): check email and password`,
      };
    }
    if (cls.kind !== 'ok') return { kind: 'gateway-error', detail: `login: HTTP ${reply.status}` };
    const decoded = decodeJsonBody(reply.body);
    const token =
      decoded.ok && isObject(decoded.value) && typeof decoded.value['token'] === 'string'
        ? decoded.value['token']
        : null;
    const cookies = header(reply.headers, 'set-cookie')
      .map((c) => c.split(';')[0]!.trim())
      .filter((c) => /^(AuthCookie|UserRecord)=/.test(c));
    if (token === null && cookies.length === 0)
      return { kind: 'auth-failed', detail: 'login answered without a token or cookies' };
    this.session = { cookie: cookies.length > 0 ? cookies.join('; ') : null, token };
    return null;
  }

  private enterCoolDown(nowMs: number, reply: RawReply): number {
    this.stats.rateLimited++;
    this.coolDownLevel++;
    const backoffMs = Math.min(this.opts.maxCoolDownMs, this.opts.coolDownMs * 2 ** (this.coolDownLevel - 1));
    const retryAfterS = Number(header(reply.headers, 'retry-after')[0]);
    const retryAfterMs = Number.isFinite(retryAfterS)
      ? Math.min(retryAfterS * 1000, this.opts.maxCoolDownMs)
      : 0;
    this.coolDownUntilMs = nowMs + Math.max(backoffMs, retryAfterMs);
    return this.coolDownUntilMs;
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    auth: boolean,
    body?: string,
  ): Promise<RawReply | Extract<FetchResult, { kind: 'unreachable' }>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.session !== null) {
      if (this.session.cookie !== null) headers['cookie'] = this.session.cookie;
      if (this.session.token !== null) headers['authorization'] = `Bearer ${this.session.token}`;
    }
    // One immediate retry of a GET whose kept-alive connection was closed under it; a real outage fails twice.
    for (let attempt = 0; ; attempt++) {
      this.stats.requests++;
      try {
        return await withDeadline(this.opts.requestTimeoutMs, undefined, async (signal) => {
          const res = await request(`${this.opts.baseUrl}${path}`, {
            method,
            headers,
            body,
            dispatcher: this.agent,
            signal,
          });
          return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
        });
      } catch (e) {
        const code = (e as { code?: string }).code;
        const retriable = code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
        if (method === 'GET' && retriable && attempt === 0) continue;
        return { kind: 'unreachable', detail: `${method} ${path}: ${describeError(e)}` };
      }
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
