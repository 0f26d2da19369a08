// The dashboard's budgets (issue 6): compressed JavaScript of the first page (target < 300 KB gzip), and
// how long the dashboard's own power chart (uPlot) takes to draw a week of 5-second power (120,960
// instants, target < 500 ms), measured in Debian's Chromium. Figures are printed, never asserted.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { type Bench, envInt } from './support/env.ts';
import type { BenchResult, Metric } from './support/result.ts';
import { withTempDir } from './support/tmp.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env['WATTLINE_CHROMIUM'] ?? '/usr/bin/chromium';

/** gzip -9 sizes of the JavaScript and CSS the first page loads (what the server sends). */
function firstPageSizes(webRoot: string): { jsGzipBytes: number; jsRawBytes: number; cssGzipBytes: number } {
  const html = readFileSync(join(webRoot, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  let jsGzipBytes = 0;
  let jsRawBytes = 0;
  let cssGzipBytes = 0;
  for (const ref of new Set(refs)) {
    const body = readFileSync(join(webRoot, ref));
    const gz = gzipSync(body, { level: 9 }).length;
    if (ref.endsWith('.js')) {
      jsGzipBytes += gz;
      jsRawBytes += body.length;
    } else if (ref.endsWith('.css')) cssGzipBytes += gz;
  }
  return { jsGzipBytes, jsRawBytes, cssGzipBytes };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const bench: Bench = {
  name: 'dashboard',
  title: 'first-page JS < 300 KB gzip; a week of 5 s power draws in < 500 ms',
  async run({ quick, log }): Promise<BenchResult> {
    const started = performance.now();
    const instants = envInt('BENCH_CHART_INSTANTS', 7 * 17_280, 17_280, quick);
    const runs = envInt('BENCH_CHART_RUNS', 7, 2, quick);
    log('building the dashboard (vite build)');
    await build({ configFile: join(ROOT, 'vite.config.ts'), root: join(ROOT, 'src/web'), logLevel: 'warn' });
    const sizes = firstPageSizes(join(ROOT, 'dist/web'));

    return withTempDir('wattline-bench-chart-', async (dir) => {
      log('bundling the chart benchmark page');
      await build({
        configFile: false,
        logLevel: 'warn',
        build: {
          outDir: dir,
          emptyOutDir: true,
          lib: {
            entry: join(ROOT, 'src/web/charts/draw-bench-entry.ts'),
            formats: ['iife'],
            name: 'chartBench',
            fileName: () => 'chart.js',
          },
        },
      });
      const css = readdirSync(dir).find((f) => f.endsWith('.css'));
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-background-networking'],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await page.setContent('<!doctype html><html><body></body></html>');
        if (css) await page.addStyleTag({ path: join(dir, css) });
        await page.addScriptTag({ path: join(dir, 'chart.js') });
        const one: number[] = [];
        const four: number[] = [];
        const append: number[] = [];
        const align: number[] = [];
        for (let i = 0; i < runs; i++) {
          const a = await page.evaluate<{ firstDrawMs: number }>(`benchDraw(${instants}, ['load'])`);
          const b = await page.evaluate<{ firstDrawMs: number; alignMs: number; appendRedrawMs: number }>(
            `benchDraw(${instants}, ['grid', 'solar', 'battery', 'load'])`,
          );
          one.push(a.firstDrawMs);
          four.push(b.firstDrawMs);
          append.push(b.appendRedrawMs);
          align.push(b.alignMs);
          log(
            `  run ${i + 1}/${runs}: 1 channel ${a.firstDrawMs.toFixed(0)} ms, 4 channels ${b.firstDrawMs.toFixed(0)} ms`,
          );
        }
        const metrics: Metric[] = [
          {
            key: 'first_page_js_gzip_kb',
            label: 'first page JS (gzip)',
            value: sizes.jsGzipBytes / 1024,
            unit: 'KB',
            target: { op: '<', value: 300 },
            digits: 1,
          },
          {
            key: 'first_page_js_raw_kb',
            label: 'first page JS (raw)',
            value: sizes.jsRawBytes / 1024,
            unit: 'KB',
            digits: 1,
          },
          {
            key: 'first_page_css_gzip_kb',
            label: 'first page CSS (gzip)',
            value: sizes.cssGzipBytes / 1024,
            unit: 'KB',
            digits: 1,
          },
          {
            key: 'draw_week_1ch_ms',
            label: `draw ${instants} points, 1 channel (median)`,
            value: median(one),
            unit: 'ms',
            target: { op: '<', value: 500 },
            digits: 0,
          },
          {
            key: 'draw_week_4ch_ms',
            label: `draw ${instants} instants × 4 channels (median)`,
            value: median(four),
            unit: 'ms',
            digits: 0,
          },
          {
            key: 'align_4ch_ms',
            label: 'aligning 4 channels alone, first call (median)',
            value: median(align),
            unit: 'ms',
            digits: 0,
          },
          {
            key: 'append_redraw_4ch_ms',
            label: 'append 1 live sample + redraw, 4 channels (median)',
            value: median(append),
            unit: 'ms',
            digits: 0,
          },
        ];
        return {
          bench: 'dashboard',
          quick,
          params: { instants, runs, chromium: CHROMIUM },
          metrics,
          notes: [
            'draw = align samples + build uPlot + first canvas draw of the dashboard PowerChart, 1200 px wide, headless Chromium (software rendering)',
            `all ${runs} runs, 1 channel: ${one.map((x) => x.toFixed(0)).join(', ')} ms; 4 channels: ${four.map((x) => x.toFixed(0)).join(', ')} ms`,
          ],
          seconds: (performance.now() - started) / 1000,
        };
      } finally {
        await browser.close();
      }
    });
  },
};
