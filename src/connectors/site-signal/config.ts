// Configuration of one site-signal connector (a fleet API). Unknown keys are errors.
import { type Static, Type } from '@sinclair/typebox';

export const SiteSignalConfigSchema = Type.Object(
  {
    source: Type.Literal('site-signal'),
    name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._-]+$' }),
    /** Base URL of the fleet API, e.g. https://te-data-test.herokuapp.com */
    baseUrl: Type.String({ pattern: '^https?://' }),
    /** The API's `token` query parameter. */
    token: Type.Optional(Type.String()),
    /** Sites to poll; when absent, the list of `GET /api/sites`, refreshed every `sitesRefreshMs`. */
    sites: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    sitesRefreshMs: Type.Integer({ minimum: 1000, default: 600_000 }),
    /** How often every site is polled (default one minute). */
    intervalMs: Type.Integer({ minimum: 100, default: 60_000 }),
    /** Most requests in flight at once. */
    concurrency: Type.Integer({ minimum: 1, maximum: 256, default: 16 }),
    /** A site that has not answered by then is unreachable for this round. */
    timeoutMs: Type.Integer({ minimum: 50, default: 10_000 }),
    /** A payload whose timestamp is older than this when we ask is stale: logged, not counted as up. */
    staleAfterMs: Type.Integer({ minimum: 1000, default: 300_000 }),
    /** Time zone of the fleet's sites (local days). */
    timezone: Type.String({ default: 'UTC' }),
    /** Where the fleet is (one location for all sites), so daylight can be told for the solar check. */
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

export type SiteSignalConfig = Static<typeof SiteSignalConfigSchema>;
