// Forecast accuracy and speed. Accuracy: the rolling-origin backtest on the Exnaton smart-meter sample
// (../shared/fixtures/exnaton, 4 weeks of 15-minute import of a Swiss household) and on generated load
// of known structure; target of issue 5: the chosen model's MASE at least 15% below weekly seasonal naive
// and its 80% interval covering 75–85%. Speed: a month of 15-minute values from a year of history (< 2 s).
import { type Backtest, runBacktest } from '../src/analytics/forecast/backtest.ts';
import { forecastSeries } from '../src/analytics/forecast/forecast-series.ts';
import { toGrid } from '../src/analytics/series-grid.ts';
import { exnatonSlots } from '../test/support/exnaton.ts';
import { generatedLoad } from '../test/support/generated-load.ts';
import { type Bench, envInt } from './support/env.ts';
import type { BenchResult, Metric } from './support/result.ts';

const Q = 900_000;

function accuracyMetrics(prefix: string, label: string, bt: Backtest): Metric[] {
  const chosen = bt.scores.find((s) => s.model === bt.chosen)!;
  const naive = bt.scores.find((s) => s.model === 'seasonal-naive-weekly')!;
  const out: Metric[] = bt.scores.map((s) => ({
    key: `${prefix}_mase_${s.model.replaceAll('-', '_')}`,
    label: `${label}: MASE ${s.model} (sMAPE ${s.smapePct.toFixed(1)}%, cover ${(s.coverage * 100).toFixed(0)}%)`,
    value: s.mase,
    unit: '',
    digits: 3,
  }));
  out.push(
    {
      key: `${prefix}_chosen_vs_naive_pct`,
      label: `${label}: ${bt.chosen} MASE below weekly naive`,
      value: (1 - chosen.mase / naive.mase) * 100,
      unit: '%',
      target: { op: '>=', value: 15 },
      digits: 1,
    },
    {
      key: `${prefix}_chosen_coverage_pct`,
      label: `${label}: ${bt.chosen} 80% interval coverage`,
      value: chosen.coverage * 100,
      unit: '%',
      digits: 1,
    },
  );
  return out;
}

export const bench: Bench = {
  name: 'forecast',
  title: 'Forecast accuracy (MASE vs weekly naive, interval coverage) and a month from a year in < 2 s',
  async run({ quick, log }): Promise<BenchResult> {
    const started = performance.now();
    const historyWeeks = envInt('BENCH_FORECAST_HISTORY_WEEKS', 52, 8, quick);
    const horizonDays = envInt('BENCH_FORECAST_HORIZON_DAYS', 30, 3, quick);
    const metrics: Metric[] = [];
    const notes: string[] = [];

    log('exnaton sample: backtest');
    const ex = exnatonSlots();
    const exGrid = toGrid(ex, ex[0]!.tMs, ex[ex.length - 1]!.tMs + Q, 'Europe/Zurich');
    const exBt = runBacktest(exGrid, exGrid.length, { folds: 7 });
    if (exBt === null) notes.push('exnaton: too short for a backtest');
    else metrics.push(...accuracyMetrics('exnaton', 'exnaton 95ce3367 (7 daily folds)', exBt));
    notes.push(
      `exnaton: ${ex.length} slots ${new Date(ex[0]!.tMs).toISOString()} – ${new Date(ex[ex.length - 1]!.tMs).toISOString()}, import kWh ×1000 → Wh, zone Europe/Zurich`,
    );

    log('generated load: backtest');
    const g = generatedLoad(Date.UTC(2024, 0, 1), 10, 42, 0.4);
    const gGrid = toGrid(g.points, g.fromMs, g.toMs, 'UTC');
    const gBt = runBacktest(gGrid, gGrid.length, { folds: 14 })!;
    metrics.push(...accuracyMetrics('generated', 'generated 10 weeks (14 daily folds)', gBt));

    log(`speed: ${horizonDays} days from ${historyWeeks} weeks`);
    const y = generatedLoad(Date.UTC(2023, 0, 2), historyWeeks, 7, 0.4);
    const horizon = horizonDays * 96;
    const times: number[] = [];
    let model = '';
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const grid = toGrid(y.points, y.fromMs, y.toMs + horizon * Q, 'Europe/Zurich');
      const r = forecastSeries({ grid, originIdx: y.points.length, horizonSlots: horizon });
      times.push(performance.now() - t0);
      if (r.ok) model = r.model;
    }
    times.sort((a, b) => a - b);
    metrics.push({
      key: 'month_from_year_s',
      label: `${horizonDays} days of 15-min values from ${historyWeeks} weeks (median of 3; backtest + fit + intervals), chose ${model}`,
      value: times[1]! / 1000,
      unit: 's',
      target: { op: '<', value: 2 },
      digits: 2,
    });
    return {
      bench: 'forecast',
      quick,
      params: { historyWeeks, horizonDays },
      metrics,
      notes,
      seconds: (performance.now() - started) / 1000,
    };
  },
};
