// Forecast models and their backtest on generated consumption with a known structure (daily double hump,
// weekly cycle, a +30% level change, bounded noise; fixed seed): the target of issue 5 holds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runBacktest, weeklyNaiveScale } from '../../src/analytics/forecast/backtest.ts';
import { forecastSeries } from '../../src/analytics/forecast/forecast-series.ts';
import { MODEL_NAMES } from '../../src/analytics/forecast/models.ts';
import { toGrid } from '../../src/analytics/series-grid.ts';
import { exnatonSlots } from '../support/exnaton.ts';
import { generatedLoad } from '../support/generated-load.ts';

const Q = 900_000;
const DAY = 86_400_000;
const from = Date.UTC(2024, 0, 1);

describe('forecasting on generated load with daily and weekly cycles', () => {
  const g = generatedLoad(from, 10, 42, 0.4);
  const grid = toGrid(g.points, g.fromMs, g.toMs, 'UTC');
  const bt = runBacktest(grid, grid.length, { folds: 14 })!;

  test('the backtest scores every model on the same 14 daily origins', () => {
    assert.equal(bt.originIdx.length, 14);
    assert.deepEqual(
      bt.scores.map((s) => s.model),
      [...MODEL_NAMES],
    );
    for (const s of bt.scores) assert.equal(s.points, 14 * 96);
  });

  test('the chosen model beats weekly seasonal naive by at least 15% MASE, with 75–85% coverage of its 80% interval', () => {
    const chosen = bt.scores.find((s) => s.model === bt.chosen)!;
    const naive = bt.scores.find((s) => s.model === 'seasonal-naive-weekly')!;
    assert.ok(chosen.mase <= 0.85 * naive.mase, `${chosen.model} ${chosen.mase} vs naive ${naive.mase}`);
    assert.ok(chosen.coverage >= 0.75 && chosen.coverage <= 0.85, `coverage ${chosen.coverage}`);
    assert.ok(chosen.smapePct < naive.smapePct);
    // The chosen model is the one with the lowest MASE.
    assert.equal(Math.min(...bt.scores.map((s) => s.mase)), chosen.mase);
  });

  test('MASE scale: the mean absolute weekly difference', () => {
    const values = Array.from({ length: 3 * 672 }, (_, i) => (i < 672 ? 1 : i < 1344 ? 3 : 4));
    const g3 = toGrid(
      values.map((v, i) => ({ tMs: from + i * Q, energyWh: v, coverage: 1 })),
      from,
      from + values.length * Q,
      'UTC',
    );
    assert.equal(weeklyNaiveScale(g3, 0, g3.length), 1.5);
  });

  test('forecastSeries: the chosen model, intervals around every point, nothing negative', () => {
    const horizon = 7 * 96;
    const future = toGrid(g.points, g.fromMs, g.toMs + horizon * Q, 'UTC');
    const r = forecastSeries({ grid: future, originIdx: g.points.length, horizonSlots: horizon });
    assert.ok(r.ok);
    assert.equal(r.chosenBy, 'backtest');
    assert.equal(r.points.length, horizon);
    assert.equal(r.points[0]!.tMs, g.toMs);
    for (const p of r.points) {
      assert.ok(p.lower <= p.value && p.value <= p.upper && p.lower >= 0, JSON.stringify(p));
    }
  });

  test('a requested model is used as asked; too little history is refused with what is needed', () => {
    const horizon = 96;
    const future = toGrid(g.points, g.fromMs, g.toMs + horizon * Q, 'UTC');
    const r = forecastSeries({
      grid: future,
      originIdx: g.points.length,
      horizonSlots: horizon,
      model: 'seasonal-naive-weekly',
    });
    assert.ok(r.ok && r.model === 'seasonal-naive-weekly' && r.chosenBy === 'requested');
    // Weekly naive repeats last week's values exactly.
    assert.equal(r.points[5]!.value, g.points[g.points.length - 672 + 5]!.energyWh);
    const short = toGrid(g.points.slice(0, 50), from, from + DAY, 'UTC');
    const refused = forecastSeries({ grid: short, originIdx: 60, horizonSlots: 10 });
    assert.deepEqual(refused, { ok: false, neededSlots: 96, foundSlots: 60 });
  });

  test('with under two weeks of history no backtest runs and the profile model is used', () => {
    const ten = toGrid(g.points.slice(0, 10 * 96), from, from + 11 * DAY, 'UTC');
    const r = forecastSeries({ grid: ten, originIdx: 10 * 96, horizonSlots: 96 });
    assert.ok(r.ok);
    assert.equal(r.chosenBy, 'short-history');
    assert.equal(r.model, 'seasonal-profile-weekly');
    assert.equal(r.backtest, null);
  });
});

describe('forecasting the Exnaton smart-meter sample (a real household, 4 weeks of 15-minute import)', () => {
  test('the chosen model beats weekly seasonal naive by at least 15% MASE, with 75–85% coverage', () => {
    const ex = exnatonSlots();
    assert.equal(ex.length, 2688);
    const grid = toGrid(ex, ex[0]!.tMs, ex[ex.length - 1]!.tMs + Q, 'Europe/Zurich');
    const bt = runBacktest(grid, grid.length, { folds: 7 })!;
    const chosen = bt.scores.find((s) => s.model === bt.chosen)!;
    const naive = bt.scores.find((s) => s.model === 'seasonal-naive-weekly')!;
    assert.ok(chosen.mase <= 0.85 * naive.mase, `${chosen.model} ${chosen.mase} vs naive ${naive.mase}`);
    assert.ok(chosen.coverage >= 0.75 && chosen.coverage <= 0.85, `coverage ${chosen.coverage}`);
  });
});
