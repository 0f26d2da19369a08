// Local calendar parts in a site's IANA time zone (DESIGN §3.6), DST-correct.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isValidTimeZone, localDate, localParts } from '../../src/domain/time-zone.ts';

describe('§3.6 time zones', () => {
  it('isValidTimeZone knows IANA names and refuses others', () => {
    for (const z of ['UTC', 'Europe/Zurich', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe']) {
      assert.equal(isValidTimeZone(z), true, z);
    }
    for (const z of ['Mars/Olympus_Mons', 'Europe/Zürich', 'not a zone', '']) {
      assert.equal(isValidTimeZone(z), false, JSON.stringify(z));
    }
  });

  it('§3.6 localParts gives the wall-clock date, hour, minute and ISO weekday', () => {
    // 2024-03-31 is a Sunday; Zurich switches to CEST (UTC+2) at 01:00 UTC.
    assert.deepEqual(localParts(Date.parse('2024-03-31T00:59:00Z'), 'Europe/Zurich'), {
      date: '2024-03-31',
      hour: 1,
      minute: 59,
      isoWeekday: 7,
    });
    assert.deepEqual(localParts(Date.parse('2024-03-31T01:00:00Z'), 'Europe/Zurich'), {
      date: '2024-03-31',
      hour: 3,
      minute: 0,
      isoWeekday: 7,
    });
    assert.deepEqual(localParts(Date.parse('2024-04-01T05:45:00Z'), 'Asia/Kathmandu'), {
      date: '2024-04-01',
      hour: 11,
      minute: 30,
      isoWeekday: 1,
    });
  });

  it('§3.6 local midnight is hour 0, never 24', () => {
    assert.equal(localParts(Date.parse('2024-01-14T23:00:00Z'), 'Europe/Zurich').hour, 0);
    assert.equal(localParts(Date.parse('2024-01-15T05:00:00Z'), 'America/New_York').hour, 0);
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }),
        fc.constantFrom('UTC', 'Europe/Zurich', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe'),
        (ms, zone) => {
          const p = localParts(ms, zone);
          assert.ok(p.hour >= 0 && p.hour <= 23, `${zone} ${ms}: hour ${p.hour}`);
          assert.ok(p.minute >= 0 && p.minute <= 59);
          assert.ok(p.isoWeekday >= 1 && p.isoWeekday <= 7);
          assert.match(p.date, /^\d{4}-\d{2}-\d{2}$/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('§3.6 in UTC the local date and weekday are those of the instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.parse('2100-01-01T00:00:00Z') }), (ms) => {
        const d = new Date(ms);
        const p = localParts(ms, 'UTC');
        assert.equal(p.date, d.toISOString().slice(0, 10));
        assert.equal(p.hour, d.getUTCHours());
        assert.equal(p.minute, d.getUTCMinutes());
        assert.equal(p.isoWeekday, d.getUTCDay() === 0 ? 7 : d.getUTCDay());
      }),
      { numRuns: 300 },
    );
  });

  it('§3.6 the day changes at local midnight, on both sides of a DST switch', () => {
    const z = 'America/New_York';
    // EST (UTC−5) before 2024-03-10 07:00 UTC, EDT (UTC−4) after.
    assert.equal(localDate(Date.parse('2024-03-10T04:59:59Z'), z), '2024-03-09');
    assert.equal(localDate(Date.parse('2024-03-10T05:00:00Z'), z), '2024-03-10');
    assert.equal(localDate(Date.parse('2024-03-11T03:59:59Z'), z), '2024-03-10');
    assert.equal(localDate(Date.parse('2024-03-11T04:00:00Z'), z), '2024-03-11');
  });

  it('§3.6 a DST day is 23 or 25 hours long: 92 or 100 quarter hours', () => {
    const quarterHoursOf = (day: string, zone: string): number => {
      let n = 0;
      const from = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
      for (let t = from; t < from + 3 * 86_400_000; t += 900_000) if (localDate(t, zone) === day) n++;
      return n;
    };
    assert.equal(quarterHoursOf('2024-03-31', 'Europe/Zurich'), 92);
    assert.equal(quarterHoursOf('2024-10-27', 'Europe/Zurich'), 100);
    assert.equal(quarterHoursOf('2024-03-10', 'America/New_York'), 92);
    assert.equal(quarterHoursOf('2024-11-03', 'America/New_York'), 100);
    assert.equal(quarterHoursOf('2024-07-01', 'Europe/Zurich'), 96);
  });
});
