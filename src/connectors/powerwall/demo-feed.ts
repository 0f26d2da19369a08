// The Powerwall part of the demo: a few simulated gateways (one per firmware generation, each its own
// household) on HTTPS with one self-signed certificate, a connector configuration that pins that
// certificate's fingerprint, and the households' model history for the backfill.
import { Value } from '@sinclair/typebox/value';
import type { Reading } from '../../domain/reading.ts';
import type { Site } from '../../domain/site.ts';
import type { DemoFeed } from '../registry.ts';
import { type PowerwallSourceConfig, PowerwallSourceConfigSchema } from './config.ts';
import { COUNTER_CHANNELS, POWER_CHANNEL } from './map.ts';
import {
  type Counters,
  DEFAULT_HOUSEHOLD,
  Household,
  type HouseholdOptions,
  SIM_METERS,
} from './sim-household.ts';
import type { FirmwareGeneration } from './sim-payloads.ts';
import { generateGatewayCertificate, type PowerwallSimulator, startPowerwallSimulator } from './simulator.ts';

const TIME_ZONE = 'America/Los_Angeles';
/** One gateway per firmware generation: the demo shows that all of them map to the same readings. */
const GATEWAYS: readonly { firmware: FirmwareGeneration; household: Partial<HouseholdOptions> }[] = [
  { firmware: '21.44', household: { seed: 1 } },
  { firmware: '23.28', household: { seed: 2, latitudeDeg: 37.8, longitudeDeg: -122.3, solarPeakW: 8_000 } },
  { firmware: '1.20', household: { seed: 3, latitudeDeg: 36.9, longitudeDeg: -121.9, baseLoadW: 500 } },
];
/** Spacing of the backfilled power samples (ms). */
const HISTORY_STEP_MS = 60_000;

/** Power and counter readings a 1-minute poller would have read from a household over [fromMs, toMs).
 * The counters are shifted so that they end where a gateway simulated from `toMs` on starts its own: the
 * live poll then continues the same counter series (no reset, no jump, no counter-less first hour). */
export function householdHistory(
  siteId: string,
  household: Partial<HouseholdOptions>,
  fromMs: number,
  toMs: number,
  receivedMs: number,
  /** Sets the household's faults (e.g. negativeNightSolar) before it runs. */
  configure?: (h: Household) => void,
): Reading[] {
  const opts = { ...DEFAULT_HOUSEHOLD, ...household };
  const h = new Household(fromMs, opts);
  configure?.(h);
  const out: Reading[] = [];
  const counters: { tMs: number; values: number[] }[] = [];
  const counterOf = (c: Counters) => COUNTER_CHANNELS.map((k) => c[k.meter][`${k.field}Wh`]);
  for (let t = Math.ceil(fromMs / HISTORY_STEP_MS) * HISTORY_STEP_MS; t < toMs; t += HISTORY_STEP_MS) {
    h.advanceTo(t);
    const p = h.powers();
    for (const m of SIM_METERS)
      out.push({
        siteId,
        channel: POWER_CHANNEL[m],
        kind: 'power',
        tMs: t,
        endMs: null,
        value: p[m],
        receivedMs,
      });
    counters.push({ tMs: t, values: counterOf(h.counters()) });
  }
  h.advanceTo(toMs);
  const endValues = counterOf(h.counters());
  const liveStart = counterOf(new Household(toMs, opts).counters());
  for (const c of counters)
    COUNTER_CHANNELS.forEach((k, i) => {
      out.push({
        siteId,
        channel: k.channel,
        kind: 'counter',
        tMs: c.tMs,
        endMs: null,
        value: c.values[i]! - endValues[i]! + liveStart[i]!,
        receivedMs,
      });
    });
  return out;
}

/** Starts the demo's gateways; `name` is the connector's name. */
export async function startPowerwallDemo(
  name: string,
  opts: { clock?: () => number },
): Promise<DemoFeed<PowerwallSourceConfig>> {
  const certificate = await generateGatewayCertificate();
  const sims: PowerwallSimulator[] = [];
  for (const g of GATEWAYS)
    sims.push(
      await startPowerwallSimulator({ ...opts, certificate, firmware: g.firmware, household: g.household }),
    );
  const sites: Site[] = GATEWAYS.map((g, i) => {
    const hh = { ...DEFAULT_HOUSEHOLD, ...g.household };
    return {
      siteId: `powerwall-${i + 1}`,
      name: `Powerwall ${i + 1} (firmware ${g.firmware})`,
      timezone: TIME_ZONE,
      source: 'powerwall',
      metadata: { url: sims[i]!.url, latitude: hh.latitudeDeg, longitude: hh.longitudeDeg },
    };
  });
  const config = Value.Parse(PowerwallSourceConfigSchema, {
    source: 'powerwall',
    name,
    intervalMs: 5_000,
    // The demo shows state of charge and grid status moving: ask for them every 15 s, not every minute.
    statusIntervalMs: 15_000,
    gateways: sims.map((sim, i) => ({
      siteId: sites[i]!.siteId,
      name: sites[i]!.name,
      url: sim.url,
      email: 'owner@example.com',
      password: 'ABCDE',
      fingerprint256: sim.fingerprint256,
      timezone: TIME_ZONE,
      location: { latitude: sites[i]!.metadata['latitude'], longitude: sites[i]!.metadata['longitude'] },
    })),
  });
  return {
    urls: Object.fromEntries(
      sims.map((s, i) => [`Powerwall gateway ${i + 1} (${GATEWAYS[i]!.firmware})`, s.url]),
    ),
    config,
    sites: () => sites,
    history: (fromMs, toMs, receivedMs) =>
      GATEWAYS.flatMap((g, i) => householdHistory(sites[i]!.siteId, g.household, fromMs, toMs, receivedMs)),
    close: async () => {
      await Promise.all(sims.map((s) => s.close()));
    },
  };
}
