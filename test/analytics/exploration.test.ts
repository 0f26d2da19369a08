// Rollups, profiles, histogram and autocorrelation: DESIGN §3.6 local days (92/96/100 quarter hours),
// conservation of energy through rollups (property), the bin rule, and the seasonal periods the ACF finds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { autocorrelation, pacfFromAcf } from '../../src/analytics/autocorrelation.ts';
import { histogram } from '../../src/analytics/histogram.ts';
import { localClock } from '../../src/analytics/local-calendar.ts';
import { dailyProfile, loadFeatures, weeklyProfile } from '../../src/analytics/profile.ts';
import { ROLLUP_INTERVALS, rollup } from '../../src/analytics/rollup.ts';
import { type SlotValue, toGrid } from '../../src/analytics/series-grid.ts';
import { prng } from '../../src/connectors/spaceship/simulator.ts';
import { generatedLoad } from '../support/generated-load.ts';

const Q = 900_000;
const DAY = 86_400_000;

function flat(fromMs: number, toMs: number, wh = 1): SlotValue[] {
  const out: SlotValue[] = [];
  for (let t = fromMs; t < toMs; t += Q) out.push({ tMs: t, energyWh: wh, coverage: 1 });
  return out;
}

describe('rollup', () => {
  test('§3.6 local days across DST in Europe/Zurich hold 92, 96 and 100 quarter hours', () => {
    // 2024-03-31 (spring forward) and 2024-10-27 (fall back), local midnights in UTC.
    const spring = rollup(
      flat(Date.UTC(2024, 2, 29, 23), Date.UTC(2024, 3, 1, 22)),
      'day',
      'Europe/Zurich',
      Date.UTC(2024, 2, 29, 23),
      Date.UTC(2024, 3, 1, 22),
    );
    assert.deepEqual(
      spring.map((r) => [r.period, r.count, r.energyWh, r.coverage]),
      [
        ['2024-03-30', 96, 96, 1],
        ['2024-03-31', 92, 92, 1],
        ['2024-04-01', 96, 96, 1],
      ],
    );
    assert.equal(spring[1]!.startMs, Date.UTC(2024, 2, 30, 23));
    const fall = rollup(
      flat(Date.UTC(2024, 9, 26, 22), Date.UTC(2024, 9, 27, 23)),
      'day',
      'Europe/Zurich',
      Date.UTC(2024, 9, 26, 22),
      Date.UTC(2024, 9, 27, 23),
    );
    assert.deepEqual(
      fall.map((r) => [r.period, r.count]),
      [['2024-10-27', 100]],
    );
  });

  test('a gap is low coverage, not low energy', () => {
    const from = Date.UTC(2024, 0, 1);
    const points = flat(from, from + DAY).filter((p) => p.tMs < from + 12 * 3_600_000);
    const [day] = rollup(points, 'day', 'UTC', from, from + DAY);
    assert.equal(day!.coverage, 0.5);
    assert.equal(day!.count, 48);
    assert.equal(day!.expected, 96);
  });

  test('weeks, months, weekdays and hours of day are labelled in the site zone', () => {
    const from = Date.UTC(2024, 0, 1);
    const pts = flat(from, from + 14 * DAY);
    assert.deepEqual(
      rollup(pts, 'week', 'UTC', from, from + 14 * DAY).map((r) => r.period),
      ['2024-W01', '2024-W02'],
    );
    assert.deepEqual(
      rollup(pts, 'weekday', 'UTC', from, from + 14 * DAY).map((r) => [r.period, r.energyWh]),
      ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((d) => [d, 192]),
    );
    const hours = rollup(pts, 'hour-of-day', 'America/New_York', from, from + 14 * DAY);
    assert.equal(hours.length, 24);
    assert.equal(hours[0]!.period, '00');
    assert.deepEqual(
      rollup(pts, 'month', 'Asia/Tokyo', from, from + 14 * DAY).map((r) => r.period),
      ['2024-01'],
    );
  });

  test('property: every interval conserves the window’s energy (DESIGN §3.2)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 800 }),
        fc.constantFrom('UTC', 'Europe/Zurich', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'),
        fc.constantFrom(...ROLLUP_INTERVALS),
        fc.integer(),
        (startSlot, slots, tz, interval, seed) => {
          const rand = prng(seed);
          const from = Date.UTC(2024, 2, 28) + startSlot * Q;
          const to = from + slots * Q;
          const pts = flat(from, to).map((p) => ({ ...p, energyWh: Math.round(rand() * 1000) / 8 }));
          const total = pts.reduce((a, p) => a + p.energyWh, 0);
          const rows = rollup(pts, interval, tz, from, to);
          assert.ok(Math.abs(rows.reduce((a, r) => a + r.energyWh, 0) - total) < 1e-6);
          assert.equal(
            rows.reduce((a, r) => a + r.expected, 0),
            slots,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('histogram', () => {
  test('Freedman–Diaconis bins that hold every value', () => {
    const rand = prng(3);
    const xs = Array.from({ length: 1000 }, () => rand() * 100);
    const h = histogram(xs);
    assert.equal(h.rule, 'freedman-diaconis');
    assert.equal(
      h.bins.reduce((a, b) => a + b.count, 0),
      1000,
    );
    // 2·IQR·n^(−1/3) with IQR ≈ 50 gives a width near 10.
    assert.ok(h.binWidth > 8 && h.binWidth < 12, String(h.binWidth));
    assert.equal(h.summary.count, 1000);
  });

  test('degenerate inputs: empty, constant, zero IQR', () => {
    assert.equal(histogram([]).rule, 'empty');
    assert.deepEqual(histogram([2, 2, 2]).bins, [{ lower: 2, upper: 2, count: 3 }]);
    assert.equal(histogram([0, 0, 0, 0, 0, 0, 0, 0, 5, 9]).rule, 'sturges');
  });
});

describe('autocorrelation', () => {
  test('daily and weekly cycles show as periods 96 and 672', () => {
    const g = generatedLoad(Date.UTC(2024, 0, 1), 6, 11, 0.3);
    const grid = toGrid(g.points, g.fromMs, g.toMs, 'UTC');
    const a = autocorrelation(grid.values, 700, 100);
    assert.deepEqual(
      a.periods.map((p) => [p.lagSlots, p.name]),
      [
        [96, 'day'],
        [672, 'week'],
      ],
    );
    assert.equal(a.acf.length, 701);
    assert.equal(a.pacf.length, 101);
    assert.ok(Math.abs(a.band - 1.96 / Math.sqrt(grid.length)) < 1e-12);
  });

  test('white noise has no period and stays mostly inside the band', () => {
    const rand = prng(5);
    const a = autocorrelation(
      Array.from({ length: 5000 }, () => rand()),
      200,
    );
    assert.deepEqual(a.periods, []);
    const outside = a.acf.slice(1).filter((r) => Math.abs(r) > a.band).length;
    assert.ok(outside <= 20, String(outside));
  });

  test('PACF of an AR(1) ACF cuts off after lag 1', () => {
    const r = [1, 0.6, 0.36, 0.216, 0.1296];
    const p = pacfFromAcf(r);
    assert.ok(Math.abs(p[1]! - 0.6) < 1e-12);
    for (const x of p.slice(2)) assert.ok(Math.abs(x) < 1e-12);
  });
});

describe('profiles and features', () => {
  test('daily and weekly profiles, baseline, peak hours and weekend ratio of the generated load', () => {
    const g = generatedLoad(Date.UTC(2024, 0, 1), 4, 9, 0);
    const grid = toGrid(g.points, g.fromMs, g.toMs, 'UTC');
    const daily = dailyProfile(grid);
    assert.equal(daily.length, 96);
    assert.equal(weeklyProfile(grid).length, 672);
    assert.equal(daily[0]!.time, '00:00');
    assert.equal(daily[0]!.count, 28);
    const f = loadFeatures(grid, daily);
    // Night floor of the structure: 100·0.4 Wh per slot = 160 W.
    assert.ok(Math.abs(f.baselinePowerW - 160) < 5, String(f.baselinePowerW));
    assert.equal(f.peakHours[0], 19);
    assert.ok(f.weekendWeekdayRatio! > 1);
    assert.equal(f.negativeShare, 0);
  });

  test('the local clock puts Monday 00:00 local at slot 0 of the week', () => {
    const clock = localClock('Europe/Zurich');
    const s = clock(Date.UTC(2024, 0, 7, 23));
    assert.deepEqual([s.date, s.isoWeekday, s.slotOfWeek, s.slotOfDay], ['2024-01-08', 1, 0, 0]);
  });
});
