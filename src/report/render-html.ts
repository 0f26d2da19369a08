// Renders the report as one self-contained HTML file: the model as JSON, uPlot's JS and CSS, the page's
// own styles and script, all inline, so the file opens anywhere with no network.
import { CLIENT_SCRIPT } from './client-script.ts';
import type { ReportModel } from './report-model.ts';

export interface ReportAssets {
  /** uPlot's IIFE build (defines window.uPlot). */
  uplotJs: string;
  uplotCss: string;
}

/** HTML text with &, <, >, " and ' escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element: no "</script>" or "<!--" can end it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inline script text: a literal "</script" inside it would end the element. */
function inlineScript(js: string): string {
  return js.replace(/<\/script/gi, '<\\/script');
}

const fix = (x: number | null, digits: number) => (x === null ? '–' : x.toFixed(digits));

const STYLE = `
  :root { color-scheme: light; }
  body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #0f172a; margin: 0; background: #f8fafc; }
  main { max-width: 1100px; margin: 0 auto; padding: 24px; }
  h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 4px; }
  .meta, .caption { color: #475569; font-size: 13px; margin: 0 0 8px; }
  section.chart, .card { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 12px 16px; margin: 16px 0; }
  .plot { width: 100%; min-height: 280px; }
  .grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; } .grid2 section.chart { margin: 0; }
  @media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } }
  table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
  .sev-critical { color: #b91c1c; font-weight: 600; } .sev-warning { color: #b45309; font-weight: 600; }
  .chosen { font-weight: 600; }
`;

function chartSection(id: string, title: string, caption: string): string {
  return `<section class="chart" data-chart="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2><p class="caption">${escapeHtml(caption)}</p><div class="plot"></div></section>`;
}

/** The whole report page. */
export function renderReportHtml(model: ReportModel, assets: ReportAssets): string {
  const byId = new Map(model.charts.map((c) => [c.id, c]));
  const section = (id: string) => {
    const c = byId.get(id);
    return c === undefined ? '' : chartSection(c.id, c.title, c.caption);
  };
  const pair = (a: string, b: string) => `<div class="grid2">${section(a)}${section(b)}</div>`;
  const scores =
    model.scores.length === 0
      ? ''
      : `<div class="card"><h2>Forecast models, rolling-origin backtest</h2><p class="caption">MASE is scaled by the in-sample error of repeating last week (lower is better); coverage is the share of actuals inside the 80% interval.</p><table><thead><tr><th>model</th><th>MASE</th><th>sMAPE %</th><th>80% coverage</th></tr></thead><tbody>${model.scores
          .map(
            (s) =>
              `<tr class="${s.model === model.chosenModel ? 'chosen' : ''}"><td>${escapeHtml(s.model)}${s.model === model.chosenModel ? ' (chosen)' : ''}</td><td>${fix(s.mase, 3)}</td><td>${fix(s.smapePct, 1)}</td><td>${s.coverage === null ? '–' : `${Math.round(s.coverage * 100)}%`}</td></tr>`,
          )
          .join('')}</tbody></table></div>`;
  const anomalies = `<div class="card" id="anomalies"><h2>Anomalies</h2>${
    model.anomalies.length === 0
      ? '<p>None found.</p>'
      : `<table><thead><tr><th>when (UTC)</th><th>kind</th><th>channel</th><th>severity</th><th>explanation</th></tr></thead><tbody>${model.anomalies
          .map(
            (a) =>
              `<tr><td>${escapeHtml(a.start)} – ${escapeHtml(a.end)}</td><td>${escapeHtml(a.kind)}</td><td>${escapeHtml(a.channel)}</td><td class="sev-${escapeHtml(a.severity)}">${escapeHtml(a.severity)}</td><td>${escapeHtml(a.explanation)}</td></tr>`,
          )
          .join('')}</tbody></table>`
  }</div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`wattline report: ${model.title}`)}</title>
<style>${assets.uplotCss}</style>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(model.title)}</h1>
<p class="meta">Site ${escapeHtml(model.siteId)} · channel ${escapeHtml(model.channel)} · ${escapeHtml(model.from)} to ${escapeHtml(model.to)} · local time ${escapeHtml(model.timeZone)} · generated ${escapeHtml(model.generatedAt)} by wattline</p>
<div class="card" id="summary"><h2>Summary</h2>${model.summary.map((s) => `<p>${escapeHtml(s)}</p>`).join('')}${model.notes.map((n) => `<p class="caption">${escapeHtml(n)}</p>`).join('')}</div>
${section('series')}
${section('rollup-hour')}
${pair('rollup-day', 'rollup-week')}
${pair('rollup-weekday', 'histogram')}
${section('acf')}
${pair('profile-daily', 'profile-weekly')}
${section('forecast')}
${scores}
${anomalies}
</main>
<script type="application/json" id="report-model">${scriptJson(model)}</script>
<script>${inlineScript(assets.uplotJs)}</script>
<script>${inlineScript(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}
