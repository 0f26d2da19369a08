// Every worked example of shared/vectors/normalization.json (DESIGN §3), computed independently of this code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadingKind, SeriesReading } from '../../src/domain/reading.ts';
import { formatInstant, parseInstant } from '../../src/domain/time.ts';
import { localDate } from '../../src/domain/time-zone.ts';
import { normalizeKind } from '../../src/normalize/normalize-series.ts';
import { readSharedJson } from '../support/shared.ts';

interface Vector {
  name: string;
  rule: string;
  kind: ReadingKind;
  maxGapMs?: number;
  timezone?: string;
  readings: { t?: string; start?: string; end?: string; value?: number; valueWh?: number }[];
  expected: {
    buckets?: { start: string; energyWh: number; coverage: number; quality: string }[];
    resets?: string[];
    localDays?: { day: string; energyWh: number; buckets: number }[];
  };
}

const { vectors } = readSharedJson<{ vectors: Vector[] }>('vectors', 'normalization.json');

function toReadings(v: Vector): SeriesReading[] {
  return v.readings.map((r, i) => ({
    kind: v.kind,
    tMs: parseInstant(r.t ?? r.start ?? '')!,
    endMs: r.end === undefined ? null : parseInstant(r.end)!,
    value: r.value ?? r.valueWh ?? Number.NaN,
    receivedMs: i, // arrival order as listed
  }));
}

describe('normalization vectors (shared/vectors/normalization.json)', () => {
  assert.ok(vectors.length >= 9);
  for (const v of vectors) {
    it(`${v.name} (${v.rule})`, () => {
      const result = normalizeKind(
        v.kind,
        toReadings(v),
        v.maxGapMs === undefined ? {} : { maxGapMs: v.maxGapMs },
      );
      if (v.expected.buckets) {
        const got = result.buckets.map((b) => ({
          start: formatInstant(b.bucketStartMs),
          energyWh: b.energyWh,
          coverage: b.coverage,
          quality: b.quality,
        }));
        assert.equal(got.length, v.expected.buckets.length, JSON.stringify(got));
        v.expected.buckets.forEach((e, i) => {
          const g = got[i]!;
          assert.equal(g.start, e.start);
          assert.ok(Math.abs(g.energyWh - e.energyWh) < 1e-6, `${e.start}: ${g.energyWh} vs ${e.energyWh}`);
          assert.ok(Math.abs(g.coverage - e.coverage) < 1e-6, `${e.start}: coverage ${g.coverage}`);
          assert.equal(g.quality, e.quality, e.start);
        });
      }
      if (v.expected.resets) {
        assert.deepEqual(result.resetsMs.map(formatInstant), v.expected.resets);
      }
      if (v.expected.localDays) {
        const tz = v.timezone!;
        const days = new Map<string, { energyWh: number; buckets: number }>();
        for (const b of result.buckets) {
          const d = localDate(b.bucketStartMs, tz);
          const cur = days.get(d) ?? { energyWh: 0, buckets: 0 };
          cur.energyWh += b.energyWh;
          cur.buckets++;
          days.set(d, cur);
        }
        for (const e of v.expected.localDays) {
          assert.deepEqual(days.get(e.day), { energyWh: e.energyWh, buckets: e.buckets }, e.day);
        }
      }
    });
  }
});
