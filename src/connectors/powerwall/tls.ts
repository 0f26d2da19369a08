// TLS to a gateway: its certificate is self-signed, so it is accepted only when the configuration says so,
// either blindly (`insecure: true`) or by pinning its SHA-256 fingerprint, which is checked on every new
// connection before a byte of the request (and so of the password) is sent.
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { normalizeFingerprint } from './config.ts';

export interface GatewayTlsOptions {
  insecure: boolean;
  fingerprint256?: string | undefined;
  timeoutMs: number;
}

/** Raised when a gateway presents a certificate other than the pinned one. */
export class CertificatePinError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`certificate fingerprint ${actual} does not match the pinned ${expected}`);
    this.name = 'CertificatePinError';
  }
}

/** An undici dispatcher for one gateway (keep-alive, so TLS handshakes are rare). */
export function createGatewayAgent(opts: GatewayTlsOptions): Agent {
  const pinned = opts.fingerprint256 === undefined ? undefined : normalizeFingerprint(opts.fingerprint256);
  const connector = buildConnector({
    // Chain validation is replaced by the pin when there is one; without pin or `insecure` it stays on.
    rejectUnauthorized: !(opts.insecure || pinned !== undefined),
    timeout: opts.timeoutMs,
    // A resumed TLS session may not present the certificate again: with a pin, always do a full handshake.
    ...(pinned === undefined ? {} : { maxCachedSessions: 0 }),
  });
  return new Agent({
    connections: 2,
    keepAliveTimeout: 30_000,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connect(options, callback) {
      connector(options, (err, socket) => {
        if (err !== null) return callback(err, null);
        if (pinned === undefined) return callback(null, socket);
        const actual = (socket as TLSSocket).getPeerX509Certificate?.()?.fingerprint256 ?? 'none';
        if (normalizeFingerprint(actual) !== pinned) {
          socket.destroy();
          return callback(new CertificatePinError(pinned, actual), null);
        }
        callback(null, socket);
      });
    },
  });
}
