// Configuration of the Powerwall connector (TypeBox; unknown keys are errors). Timing defaults follow
// what the community tools found safe for the gateway: 5 s for the meters, minutes for the rest.
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '../../config-error.ts';

export const PowerwallGatewaySchema = Type.Object(
  {
    /** Site id the readings are stored under. */
    siteId: Type.String({ minLength: 1 }),
    name: Type.Optional(Type.String({ minLength: 1 })),
    /** `https://192.168.91.1` (a port is allowed), or just the host. */
    url: Type.Optional(Type.String({ minLength: 1 })),
    host: Type.Optional(Type.String({ minLength: 1 })),
    email: Type.String({ default: '' }),
    password: Type.String({ minLength: 1 }),
    /** Accept any certificate (the gateway's is self-signed). Prefer pinning fingerprint256. */
    insecure: Type.Boolean({ default: false }),
    /** SHA-256 fingerprint of the gateway's certificate (hex, colons optional): accepted even if self-signed. */
    fingerprint256: Type.Optional(Type.String({ pattern: '^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$' })),
    /** Used until the gateway's /api/site_info has told its own. */
    timezone: Type.Optional(Type.String({ minLength: 1 })),
    /** Where the panels are (degrees): lets device health and anomalies tell night from daylight. */
    location: Type.Optional(
      Type.Object(
        {
          latitude: Type.Number({ minimum: -90, maximum: 90 }),
          longitude: Type.Number({ minimum: -180, maximum: 180 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const PowerwallConfigSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, default: 'powerwall' }),
    gateways: Type.Array(PowerwallGatewaySchema, { minItems: 1 }),
    /** /api/meters/aggregates. */
    intervalMs: Type.Integer({ minimum: 1000, default: 5_000 }),
    /** soe, grid_status, sitemaster, status. */
    statusIntervalMs: Type.Integer({ minimum: 1000, default: 60_000 }),
    /** site_info (time zone, nameplate). */
    siteInfoIntervalMs: Type.Integer({ minimum: 1000, default: 3_600_000 }),
    requestTimeoutMs: Type.Integer({ minimum: 100, default: 10_000 }),
    /** Gateways polled at once: bounds simultaneous TLS handshakes (a cold start of 1,000 gateways). */
    maxConcurrentGateways: Type.Integer({ minimum: 1, default: 100 }),
    /** First cool-down after a 429; doubles on each further 429 up to maxCoolDownMs. */
    coolDownMs: Type.Integer({ minimum: 1000, default: 120_000 }),
    maxCoolDownMs: Type.Integer({ minimum: 1000, default: 1_800_000 }),
    /** After a refused login (bad credentials), wait this long before trying again. */
    loginRetryMs: Type.Integer({ minimum: 1000, default: 300_000 }),
    /** A meter whose last_communication_time is older than this is stale: its values are not stored. */
    staleAfterMs: Type.Integer({ minimum: 1000, default: 60_000 }),
    /** Longest gap over which counter and power are compared for drift. */
    maxGapMs: Type.Integer({ minimum: 1000, default: 900_000 }),
  },
  { additionalProperties: false },
);

/** A `connectors` list entry of the configuration file: the connector's configuration tagged with its source. */
export const PowerwallSourceConfigSchema = Type.Object(
  { source: Type.Literal('powerwall'), ...PowerwallConfigSchema.properties },
  { additionalProperties: false },
);

export type PowerwallSourceConfig = Static<typeof PowerwallSourceConfigSchema>;
export type PowerwallGatewayConfig = Static<typeof PowerwallGatewaySchema>;
export type PowerwallConfig = Static<typeof PowerwallConfigSchema>;

/** Validates a Powerwall connector configuration, filling defaults; throws ConfigError naming each problem. */
export function parsePowerwallConfig(input: unknown): PowerwallConfig {
  const withDefaults = Value.Default(PowerwallConfigSchema, Value.Clone(input));
  const problems = [...Value.Errors(PowerwallConfigSchema, withDefaults)].map(
    (e) =>
      `${e.path || '/'}: ${e.message}${e.value === undefined ? '' : ` (got ${JSON.stringify(e.value)})`}`,
  );
  const cfg = withDefaults as PowerwallConfig;
  if (problems.length === 0) {
    cfg.gateways.forEach((g, i) => {
      if ((g.url === undefined) === (g.host === undefined))
        problems.push(`/gateways/${i}: give exactly one of url and host`);
      else if (g.url !== undefined && !/^https:\/\/[^/]+\/?$/.test(g.url))
        problems.push(`/gateways/${i}/url: must be https://host[:port] (got ${JSON.stringify(g.url)})`);
    });
    const ids = cfg.gateways.map((g) => g.siteId);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup !== undefined) problems.push(`/gateways: siteId ${JSON.stringify(dup)} appears twice`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return cfg;
}

/** The base URL of a gateway, without a trailing slash. */
export function gatewayBaseUrl(g: PowerwallGatewayConfig): string {
  return (g.url ?? `https://${g.host}`).replace(/\/$/, '');
}

/** Canonical fingerprint form, as node's X509Certificate.fingerprint256 writes it (AB:CD:...). */
export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/:/g, '').toUpperCase();
  return hex.match(/.{2}/g)?.join(':') ?? hex;
}
