// `wattline pull URL|FILE`: imports a smart-meter JSON document (15-minute OBIS registers), only the
// intervals newer than what the store holds for each meter register unless --all.

import { Value } from '@sinclair/typebox/value';
import type { Command } from 'commander';
import { createSmartMeterConnector } from '../connectors/smart-meter/client.ts';
import { SmartMeterConfigSchema } from '../connectors/smart-meter/config.ts';
import { WattlineError } from '../domain/errors.ts';
import { formatInstant } from '../domain/time.ts';
import { DeviceHealth } from '../ingest/device-health.ts';
import { createScheduler, storeDeps } from '../main.ts';
import { openStore } from '../store/open-stores.ts';
import { table } from './poll-output.ts';
import { configFrom, type StoreFlags, withStoreOptions } from './shared-options.ts';

interface PullFlags extends StoreFlags {
  all?: boolean;
  timezone: string;
  since?: string;
  json?: boolean;
}

interface ChannelSummary {
  meter: string;
  channel: string;
  intervals: number;
  energyWh: number;
  fromMs: number;
  toMs: number;
  qualities: Record<string, number>;
}

export function registerPull(program: Command): void {
  withStoreOptions(
    program
      .command('pull')
      .description(
        'import a smart-meter JSON document (URL or file): 15-minute imported/exported energy per meter',
      )
      .argument(
        '<source>',
        'http(s) URL or file of {data: [{timestamp, tags: {muid, quality}, 0100011D00FF|0100021D00FF: kWh}]}',
      )
      .option('--all', 'import every record, not only those newer than what is stored')
      .option('--since-param <name>', 'query parameter that asks the server for records from an instant on')
      .option('--timezone <tz>', 'time zone of new meter sites', 'UTC')
      .option('--json', 'print the summary as JSON'),
  ).action(async (source: string, flags: PullFlags & { sinceParam?: string }) => {
    const config = configFrom(flags);
    const store = await openStore(config.db, config);
    const started = performance.now();
    try {
      const meterConfig = Value.Parse(SmartMeterConfigSchema, {
        source: 'smart-meter',
        name: 'pull',
        url: source,
        timezone: flags.timezone,
        ...(flags.sinceParam ? { sinceParam: flags.sinceParam } : {}),
      });
      const connector = createSmartMeterConnector(meterConfig, {
        ...(flags.all ? {} : storeDeps(store)),
      });
      const scheduler = createScheduler([connector], store, new DeviceHealth());
      const batch = await scheduler.pollOnce(connector).finally(() => scheduler.stop());
      const byKey = new Map<string, ChannelSummary>();
      for (const o of batch.outcomes) {
        const rows = ((o.raw?.payload as { records?: { tags?: { quality?: string } }[] } | null)?.records ??
          []) as {
          tags?: { quality?: string };
        }[];
        o.readings.forEach((r, i) => {
          const key = `${r.siteId}\u0000${r.channel}`;
          const s = byKey.get(key) ?? {
            meter: r.siteId,
            channel: r.channel,
            intervals: 0,
            energyWh: 0,
            fromMs: r.tMs,
            toMs: r.endMs ?? r.tMs,
            qualities: {},
          };
          s.intervals += 1;
          s.energyWh += r.value;
          s.fromMs = Math.min(s.fromMs, r.tMs);
          s.toMs = Math.max(s.toMs, r.endMs ?? r.tMs);
          const q = rows[i]?.tags?.quality ?? 'unknown';
          s.qualities[q] = (s.qualities[q] ?? 0) + 1;
          byKey.set(key, s);
        });
      }
      const summaries = [...byKey.values()].sort((a, b) =>
        (a.meter + a.channel).localeCompare(b.meter + b.channel),
      );
      const seconds = (performance.now() - started) / 1000;
      const intervals = summaries.reduce((n, s) => n + s.intervals, 0);
      if (flags.json) {
        console.log(
          JSON.stringify({
            source,
            meters: batch.outcomes.length,
            intervals,
            stored: batch.summary?.stored ?? 0,
            channels: summaries.map((s) => ({
              ...s,
              from: formatInstant(s.fromMs),
              to: formatInstant(s.toMs),
            })),
          }),
        );
        return;
      }
      console.log(
        `pulled ${source}: ${batch.outcomes.length} meters, ${intervals} new intervals, ${batch.summary?.stored ?? 0} stored in ${seconds.toFixed(2)} s`,
      );
      if (summaries.length > 0) {
        console.log(
          table(
            ['meter', 'channel', 'intervals', 'energy kWh', 'from', 'to', 'quality'],
            summaries.map((s) => [
              s.meter,
              s.channel,
              String(s.intervals),
              (s.energyWh / 1000).toFixed(3),
              formatInstant(s.fromMs),
              formatInstant(s.toMs),
              Object.entries(s.qualities)
                .map(([q, n]) => `${q} ${n}`)
                .join(', '),
            ]),
          ),
        );
      }
    } catch (e) {
      if (e instanceof WattlineError)
        for (const p of e.errors) console.error(`  ${p.path}: ${p.message} (got ${JSON.stringify(p.value)})`);
      throw e;
    } finally {
      await store.close();
    }
  });
}
