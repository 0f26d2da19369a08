// The forecast model of GET /forecast (src/analytics/seasonal-profile.ts), as a pure function.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeDuration,
  type ProfileValue,
  percentile,
  seasonalProfileForecast,
} from '../../src/analytics/seasonal-profile.ts';

const Q = 900_000;
const H = 3_600_000;
const DAY = 86_400_000;

function series(fromMs: number, toMs: number, f: (t: number) => number): ProfileValue[] {
  const out: ProfileValue[] = [];
  for (let t = fromMs; t < toMs; t += Q) out.push({ tMs: t, value: f(t) });
  return out;
}

describe('seasonalProfileForecast', () => {
  const start = Date.UTC(2024, 2, 11);

  test('under a week of history: daily profile, 80% interval from the 10th and 90th percentiles', () => {
    // The slot at 00:00 saw 1, 2, ..., 7 kWh over the last seven days (oldest first).
    const history = series(start - 7 * DAY, start, (t) => (t % DAY === 0 ? 7 - (start - t) / DAY + 1 : 0));
    const r = seasonalProfileForecast({
      history,
      startMs: start,
      slotsMs: [start, start + Q],
      timeZone: 'UTC',
    });
    assert.ok(r.ok);
    assert.equal(r.method, 'seasonal-profile-weekly');
    // Exactly one week: the weekly profile matches one value per slot (a week ago), so the interval is a point.
    assert.deepEqual(r.slots[0], { tMs: start, value: 1, lower: 1, upper: 1, n: 1 });

    const justUnderAWeek = history.filter((h) => h.tMs > start - 7 * DAY);
    const withSix = seasonalProfileForecast({
      history: justUnderAWeek,
      startMs: start,
      slotsMs: [start],
      timeZone: 'UTC',
    });
    assert.ok(withSix.ok);
    assert.equal(withSix.method, 'seasonal-profile-daily');
    const slot = withSix.slots[0]!;
    assert.equal(slot.n, 6);
    assert.equal(slot.value, (2 + 3 + 4 + 5 + 6 + 7) / 6);
    assert.equal(slot.lower, percentile([2, 3, 4, 5, 6, 7], 0.1));
    assert.equal(slot.upper, percentile([2, 3, 4, 5, 6, 7], 0.9));
    assert.ok(Math.abs(slot.lower - 2.5) < 1e-12 && Math.abs(slot.upper - 6.5) < 1e-12);
  });

  test('weekly profile: the same weekday and time over at most the last 4 weeks', () => {
    // Value = number of weeks before start, at every slot; six weeks of history.
    const history = series(start - 42 * DAY, start, (t) => Math.ceil((start - t) / (7 * DAY)));
    const r = seasonalProfileForecast({
      history,
      startMs: start,
      slotsMs: [start, start + DAY + 5 * Q],
      timeZone: 'UTC',
    });
    assert.ok(r.ok);
    assert.equal(r.method, 'seasonal-profile-weekly');
    for (const s of r.slots) {
      assert.equal(s.n, 4);
      assert.equal(s.value, 2.5);
    }
    const sd = Math.sqrt(((1.5 ** 2 + 0.5 ** 2) * 2) / 3);
    assert.ok(Math.abs(r.slots[0]!.upper - (2.5 + 1.2815515655446004 * sd)) < 1e-12);
    assert.ok(Math.abs(r.total.value - 5) < 1e-12);
    assert.ok(Math.abs(r.total.upper - (5 + 1.2815515655446004 * Math.sqrt(2 * sd * sd))) < 1e-12);
  });

  test('values at or after start are never seen', () => {
    const before = series(start - 2 * DAY, start, () => 1);
    const afterStart = series(start, start + DAY, () => 1e9);
    const r = seasonalProfileForecast({
      history: [...before, ...afterStart],
      startMs: start,
      slotsMs: [start, start + Q],
      timeZone: 'UTC',
    });
    assert.ok(r.ok);
    assert.deepEqual(
      r.slots.map((s) => s.value),
      [1, 1],
    );
  });

  test('times of day are local: the profile follows a DST change (§3.6)', () => {
    // New York leaves DST on 2018-11-04: local 08:00 is 12:00Z before and 13:00Z after.
    const tz = 'America/New_York';
    const startNy = Date.UTC(2018, 10, 5, 5); // local midnight, Nov 5
    const history = series(startNy - 3 * DAY, startNy, (t) => {
      const hour = Number(
        new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: '2-digit', hourCycle: 'h23' }).format(t),
      );
      return hour === 8 ? 8 : 0;
    });
    const r = seasonalProfileForecast({
      history,
      startMs: startNy,
      slotsMs: [Date.UTC(2018, 10, 5, 12), Date.UTC(2018, 10, 5, 13)],
      timeZone: tz,
    });
    assert.ok(r.ok);
    assert.deepEqual(
      r.slots.map((s) => s.value),
      [0, 8],
    );
  });

  test('a lower bound never goes below zero when all matched values are non-negative', () => {
    const history = series(start - 2 * DAY, start, (t) => ((t / DAY) % 2 === 0 ? 0 : 10));
    const r = seasonalProfileForecast({ history, startMs: start, slotsMs: [start], timeZone: 'UTC' });
    assert.ok(r.ok);
    assert.equal(r.slots[0]!.lower, 0);
    assert.equal(r.total.lower, 0);
  });

  test('a slot with no match (a gap) falls back to the whole recent history', () => {
    const history = series(start - 2 * DAY, start, () => 2).filter((h) => h.tMs % DAY !== 0);
    const r = seasonalProfileForecast({ history, startMs: start, slotsMs: [start], timeZone: 'UTC' });
    assert.ok(r.ok);
    assert.equal(r.slots[0]!.value, 2);
  });

  test('less than a day of history is insufficient, saying what is needed and found', () => {
    const r = seasonalProfileForecast({
      history: series(start - 3 * H, start, () => 1),
      startMs: start,
      slotsMs: [start],
      timeZone: 'UTC',
    });
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(r.foundMs, 3 * H);
    assert.equal(r.neededMs, DAY);
    assert.match(r.detail, /needs at least 1 day of data before start/);
    assert.match(r.detail, /found 3 h/);
  });

  test('history older than the lookback counts for the span but not as values', () => {
    const old = series(start - 60 * DAY, start - 50 * DAY, () => 1);
    const r = seasonalProfileForecast({ history: old, startMs: start, slotsMs: [start], timeZone: 'UTC' });
    assert.ok(!r.ok);
    assert.match(r.detail, /none there/);
  });
});

describe('helpers', () => {
  test('describeDuration', () => {
    assert.equal(describeDuration(0), 'none');
    assert.equal(describeDuration(45 * 60_000), '45 min');
    assert.equal(describeDuration(3 * H), '3 h');
    assert.equal(describeDuration(DAY), '1 day');
    assert.equal(describeDuration(2.5 * DAY), '2.5 days');
  });

  test('percentile interpolates between order statistics', () => {
    assert.equal(percentile([1, 2, 3, 4, 5], 0.5), 3);
    assert.equal(percentile([1, 2, 3, 4, 5], 0.1), 1.4);
    assert.equal(percentile([7], 0.9), 7);
  });
});
