// The sources wattline can collect from: an explicit, typed table (no registration by import side effect).
// Adding a source is one entry here: its config schema, the factory of its connector and the factory of
// its simulator for the demo (DESIGN §4).
import type { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Reading } from '../domain/reading.ts';
import type { Site } from '../domain/site.ts';
import type { Connector } from './connector.ts';
import { startPowerwallDemo } from './powerwall/demo-feed.ts';
import { createPowerwallConnector, PowerwallSourceConfigSchema } from './powerwall/index.ts';
import { createSiteSignalConnector } from './site-signal/client.ts';
import { SiteSignalConfigSchema } from './site-signal/config.ts';
import { startSiteSignalSimulator } from './site-signal/simulator.ts';
import { createSmartMeterConnector } from './smart-meter/client.ts';
import { SmartMeterConfigSchema } from './smart-meter/config.ts';
import { startSmartMeterSimulator } from './smart-meter/simulator.ts';

/** What a connector may receive from the composition root. */
export interface ConnectorDeps {
  clock?: () => number;
  fetch?: typeof fetch;
  /** Start (epoch ms) of the newest stored reading of a site's channel, for pullers that fetch only what is new. */
  highWater?: (siteId: string, channel: string) => Promise<number | null>;
  /** Site ids of the meters already stored. */
  knownMeters?: () => Promise<string[]>;
}

/** A running simulator, wired for the demo: the connector configuration that reads it and its history. */
export interface DemoFeed<C> {
  /** What to print: name → URL. */
  urls: Record<string, string>;
  /** A connector configuration pointing at the simulator. */
  config: C;
  /** Sites to create before the backfill (with metadata such as location). */
  sites(): Site[];
  /** History of the physical model in [fromMs, toMs), as a poller would have read it; [] when the
   * connector's first pull brings its own history. */
  history(fromMs: number, toMs: number, receivedMs: number): Reading[];
  close(): Promise<void>;
}

export interface SourceEntry<S extends TObject> {
  configSchema: S;
  create(config: Static<S>, deps: ConnectorDeps): Connector;
  /** Starts the source's simulator and returns a configuration named `name` that polls it. */
  demo(name: string, opts: { clock?: () => number }): Promise<DemoFeed<Static<S>>>;
}

function entry<S extends TObject>(e: SourceEntry<S>): SourceEntry<S> {
  return e;
}

export const SOURCES = {
  powerwall: entry({
    configSchema: PowerwallSourceConfigSchema,
    create: ({ source: _source, ...config }, deps) =>
      createPowerwallConnector(config, deps.clock ? { clock: deps.clock } : {}),
    demo: (name, opts) => startPowerwallDemo(name, opts),
  }),
  'site-signal': entry({
    configSchema: SiteSignalConfigSchema,
    create: (config, deps) => createSiteSignalConnector(config, deps),
    async demo(name, opts) {
      const sim = await startSiteSignalSimulator({ sites: 50, ...opts });
      const centre = sim.households[0]?.location ?? { latitude: 37.5, longitude: -122.1 };
      return {
        urls: { 'site-signal API (50 sites)': `${sim.url}/api/sites` },
        config: Value.Parse(SiteSignalConfigSchema, {
          source: 'site-signal',
          name,
          baseUrl: sim.url,
          timeoutMs: 5_000,
          timezone: 'America/Los_Angeles',
          location: { latitude: centre.latitude, longitude: centre.longitude },
        }),
        sites: () => sim.sites(),
        history: (fromMs, toMs) => sim.history(fromMs, toMs, 300_000),
        close: () => sim.close(),
      };
    },
  }),
  'smart-meter': entry({
    configSchema: SmartMeterConfigSchema,
    create: (config, deps) => createSmartMeterConnector(config, deps),
    async demo(name, opts) {
      const sim = await startSmartMeterSimulator(opts);
      return {
        urls: { 'smart-meter document': sim.documentUrl },
        config: Value.Parse(SmartMeterConfigSchema, {
          source: 'smart-meter',
          name,
          url: sim.documentUrl,
          intervalMs: 60_000,
          sinceParam: 'from',
          timezone: 'Europe/Zurich',
        }),
        sites: () => [],
        history: () => [],
        close: () => sim.close(),
      };
    },
  }),
};

export type SourceName = keyof typeof SOURCES;
export const SOURCE_NAMES = Object.keys(SOURCES) as SourceName[];

/** The configuration of any registered source. */
export type ConnectorConfig = { [K in SourceName]: Static<(typeof SOURCES)[K]['configSchema']> }[SourceName];

/** Builds the connector a configuration describes. */
export function createConnector(config: ConnectorConfig, deps: ConnectorDeps = {}): Connector {
  const e = SOURCES[config.source] as SourceEntry<TObject>;
  return e.create(config, deps);
}

/** Starts the simulator of a source for the demo. */
export function startDemoFeed(
  source: SourceName,
  name: string,
  opts: { clock?: () => number } = {},
): Promise<DemoFeed<ConnectorConfig>> {
  const e = SOURCES[source] as SourceEntry<TObject>;
  return e.demo(name, opts) as Promise<DemoFeed<ConnectorConfig>>;
}

/** Validates a `connectors` list entry by entry against each source's schema, filling defaults. Problems
 * name the exact path (`/connectors/1/baseUrl: ...`). */
export function validateConnectorConfigs(
  list: readonly unknown[],
  at = '/connectors',
): { configs: ConnectorConfig[]; problems: string[] } {
  const problems: string[] = [];
  const configs: ConnectorConfig[] = [];
  const names = new Set<string>();
  list.forEach((raw, i) => {
    const path = `${at}/${i}`;
    const source = (raw as { source?: unknown } | null)?.source;
    if (typeof source !== 'string' || !(source in SOURCES)) {
      problems.push(
        `${path}/source: must be one of ${SOURCE_NAMES.join(', ')} (got ${JSON.stringify(source ?? null)})`,
      );
      return;
    }
    const schema = SOURCES[source as SourceName].configSchema;
    const value = Value.Default(schema, Value.Clone(raw));
    const errors = [...Value.Errors(schema, value)];
    for (const e of errors) {
      problems.push(
        `${path}${e.path}: ${e.message}${e.value === undefined ? '' : ` (got ${JSON.stringify(e.value)})`}`,
      );
    }
    if (errors.length > 0) return;
    const config = value as ConnectorConfig;
    if (names.has(config.name))
      problems.push(`${path}/name: duplicate connector name ${JSON.stringify(config.name)}`);
    names.add(config.name);
    configs.push(config);
  });
  return { configs, problems };
}
