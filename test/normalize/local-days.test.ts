// DESIGN §3.6: days are computed in the site's time zone, DST-correct; a local day has 92 or 100 quarter
// hours on the days the clocks change. Buckets stay UTC-aligned; only their grouping is local.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bucket } from '../../src/domain/bucket.ts';
import type { SeriesReading } from '../../src/domain/reading.ts';
import { localDate } from '../../src/domain/time-zone.ts';
import { normalizeKind } from '../../src/normalize/normalize-series.ts';
import { DAY_MS, QUARTER_MS } from '../support/arbitraries.ts';

/** A steady 1 kW from `fromIso` to `toIso`, sampled every 15 min: 250 Wh in every bucket. */
function steadyKilowatt(fromIso: string, toIso: string): Bucket[] {
  const readings: SeriesReading[] = [];
  for (let t = Date.parse(fromIso); t < Date.parse(toIso); t += QUARTER_MS) {
    readings.push({ kind: 'power', tMs: t, endMs: null, value: 1000, receivedMs: 0 });
  }
  return normalizeKind('power', readings).buckets;
}

function localDays(
  buckets: readonly Bucket[],
  timeZone: string,
): Map<string, { buckets: number; energyWh: number }> {
  const days = new Map<string, { buckets: number; energyWh: number }>();
  for (const b of buckets) {
    const d = localDate(b.bucketStartMs, timeZone);
    const cur = days.get(d) ?? { buckets: 0, energyWh: 0 };
    cur.buckets++;
    cur.energyWh += b.energyWh;
    days.set(d, cur);
  }
  return days;
}

const CASES: { zone: string; day: string; quarterHours: number }[] = [
  { zone: 'Europe/Zurich', day: '2024-03-31', quarterHours: 92 },
  { zone: 'Europe/Zurich', day: '2024-10-27', quarterHours: 100 },
  { zone: 'America/New_York', day: '2024-03-10', quarterHours: 92 },
  { zone: 'America/New_York', day: '2024-11-03', quarterHours: 100 },
  // Lord Howe Island moves its clocks by half an hour.
  { zone: 'Australia/Lord_Howe', day: '2024-04-07', quarterHours: 98 },
  { zone: 'Australia/Lord_Howe', day: '2024-10-06', quarterHours: 94 },
];

describe('§3.6 local days across DST', () => {
  for (const { zone, day, quarterHours } of CASES) {
    it(`§3.6 ${day} in ${zone} has ${quarterHours} quarter hours, the days around it 96`, () => {
      const noon = Date.parse(`${day}T12:00:00Z`);
      const buckets = steadyKilowatt(
        new Date(noon - 3 * DAY_MS).toISOString(),
        new Date(noon + 3 * DAY_MS).toISOString(),
      );
      const days = localDays(buckets, zone);
      assert.deepEqual(days.get(day), { buckets: quarterHours, energyWh: quarterHours * 250 });
      const prev = localDate(noon - DAY_MS, zone);
      const next = localDate(noon + DAY_MS, zone);
      assert.deepEqual(days.get(prev), { buckets: 96, energyWh: 24_000 });
      assert.deepEqual(days.get(next), { buckets: 96, energyWh: 24_000 });
    });
  }

  it('§3.6 in UTC every day has 96 quarter hours', () => {
    const days = localDays(steadyKilowatt('2024-03-30T00:00:00Z', '2024-04-01T00:00:00Z'), 'UTC');
    assert.deepEqual(
      [...days.values()],
      [
        { buckets: 96, energyWh: 24_000 },
        { buckets: 96, energyWh: 24_000 },
      ],
    );
  });

  it('§3.6 a zone with a quarter-hour offset still splits days on bucket boundaries', () => {
    // Asia/Kathmandu is UTC+05:45: local midnight is 18:15 UTC, a bucket boundary.
    const days = localDays(steadyKilowatt('2024-06-01T00:00:00Z', '2024-06-05T00:00:00Z'), 'Asia/Kathmandu');
    assert.deepEqual(days.get('2024-06-02'), { buckets: 96, energyWh: 24_000 });
  });
});
