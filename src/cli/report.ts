// wattline report: one self-contained HTML file about a series (charts, summary, forecast, anomalies).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { type ReportAssets, renderReportHtml } from '../report/render-html.ts';
import { buildReport } from '../report/report-data.ts';
import { openStore } from '../store/open-stores.ts';
import { configFrom, instantArg, type StoreFlags, withStoreOptions } from './shared-options.ts';

interface ReportFlags extends StoreFlags {
  site: string;
  channel?: string;
  from?: number;
  to?: number;
  out: string;
}

/** uPlot's browser build and stylesheet, read from the installed package to be inlined. */
export function uplotAssets(): ReportAssets {
  const require = createRequire(import.meta.url);
  const dist = (file: string) => require.resolve(`uplot/dist/${file}`);
  return {
    uplotJs: readFileSync(dist('uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(dist('uPlot.min.css'), 'utf8'),
  };
}

export function registerReport(program: Command): void {
  withStoreOptions(
    program
      .command('report')
      .description('write a self-contained HTML report of a series: charts, summary, forecast, anomalies')
      .requiredOption('--site <id>', 'site id')
      .option('--channel <name>', 'channel (default: load, consumption, import or grid, else the first)')
      .option('--from <datetime>', 'inclusive start, ISO 8601 (default: the first data)', instantArg)
      .option('--to <datetime>', 'exclusive end, ISO 8601 (default: after the last data)', instantArg)
      .requiredOption('-o, --out <file>', 'output HTML file'),
  ).action(async (flags: ReportFlags) => {
    const config = configFrom(flags);
    const store = await openStore(config.db, config, { ingests: false });
    try {
      const started = performance.now();
      const model = await buildReport(store, {
        siteId: flags.site,
        ...(flags.channel === undefined ? {} : { channel: flags.channel }),
        ...(flags.from === undefined ? {} : { fromMs: flags.from }),
        ...(flags.to === undefined ? {} : { toMs: flags.to }),
        nowMs: Date.now(),
      });
      const html = renderReportHtml(model, uplotAssets());
      writeFileSync(flags.out, html);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      console.error(
        `wrote ${flags.out} (${Math.round(html.length / 1024)} KiB): ${model.charts.length} charts, ${model.anomalies.length} anomalies, site ${model.siteId} ${model.channel} in ${seconds} s`,
      );
    } finally {
      await store.close();
    }
  });
}
