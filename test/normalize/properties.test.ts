// Property tests of DESIGN §3.1: buckets are a pure function of the de-duplicated raw readings of a series,
// whatever the repetition, order, batching or arrival of the payloads. Run for every reading kind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { SeriesReading } from '../../src/domain/reading.ts';
import { type NormalizedKind, normalizeKind } from '../../src/normalize/normalize-series.ts';
import type { NormalizeOptions } from '../../src/normalize/options.ts';
import {
  batchesOf,
  HOUR_MS,
  intervalWhArb,
  KIND_CASES,
  type KindCase,
  optionsArb,
  permutationOf,
  powerWArb,
  QUARTER_MS,
  RUNS,
} from '../support/arbitraries.ts';

function run(
  kc: KindCase,
  readings: readonly SeriesReading[],
  options: Partial<NormalizeOptions>,
): NormalizedKind {
  return normalizeKind(kc.kind, readings, { ...options, ...kc.options });
}

/** A replacement value fitting the kind: W for power, Wh for intervals, a lifetime Wh for counters. */
function valueArb(kc: KindCase): fc.Arbitrary<number> {
  if (kc.kind === 'power') return powerWArb;
  if (kc.kind === 'interval-energy') return intervalWhArb;
  return fc.integer({ min: 0, max: 100_000_000 });
}

for (const kc of KIND_CASES) {
  describe(`§3.1 normalization is a pure function of the raw readings: ${kc.name}`, () => {
    it('§3.1 idempotence: the same payload ingested twice (later receivedMs) changes nothing', () => {
      fc.assert(
        fc.property(
          kc.series(),
          optionsArb,
          fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 60, maxLength: 60 }),
          (series, options, received) => {
            const payload = series.map((r, i) => ({ ...r, receivedMs: received[i]! }));
            const again = payload.map((r) => ({ ...r, receivedMs: r.receivedMs + 20_000 }));
            assert.deepEqual(run(kc, [...payload, ...again], options), run(kc, payload, options));
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('§3.1 order independence: any permutation of readings at distinct instants gives identical buckets', () => {
      fc.assert(
        fc.property(
          kc.series().chain((s) => fc.tuple(fc.constant(s), permutationOf(s))),
          optionsArb,
          ([sorted, shuffled], options) => {
            assert.deepEqual(run(kc, shuffled, options), run(kc, sorted, options));
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('§3.1 batching independence: slices of a shuffled list received in turn equal one batch', () => {
      fc.assert(
        fc.property(
          kc.series().chain((s) => fc.tuple(fc.constant(s), batchesOf(s))),
          fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
          optionsArb,
          ([series, batches], resend, options) => {
            // The raw log, batch after batch; a later batch may re-send readings of earlier ones unchanged.
            const log: SeriesReading[] = [];
            const sent: SeriesReading[] = [];
            batches.forEach((batch, k) => {
              const receivedMs = 1_000 * (k + 1);
              const repeats = sent.filter((_, i) => resend[i] === true && (i + k) % 3 === 0);
              for (const r of [...batch, ...repeats]) log.push({ ...r, receivedMs });
              sent.push(...batch);
              // After every batch the buckets are those of everything received so far.
              const soFar = series.filter((r) => sent.includes(r));
              assert.deepEqual(run(kc, log, options), run(kc, soFar, options));
            });
            assert.deepEqual(run(kc, log, options), run(kc, series, options));
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('§3.1 later-received wins: of two readings at one instant, the one received later counts', () => {
      fc.assert(
        fc.property(
          kc.series(),
          fc.nat(),
          valueArb(kc),
          fc.integer({ min: 0, max: 1_000_000 }),
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.boolean(),
          optionsArb,
          (series, pick, newValue, firstReceivedMs, laterByMs, staleFirstInInput, options) => {
            const i = pick % series.length;
            const stale = { ...series[i]!, receivedMs: firstReceivedMs };
            const fresh = { ...series[i]!, value: newValue, receivedMs: firstReceivedMs + laterByMs };
            const others = series.filter((_, j) => j !== i);
            const pair = staleFirstInInput ? [stale, fresh] : [fresh, stale];
            const input = [...others.slice(0, i), ...pair, ...others.slice(i)];
            const expected = series.map((r, j) => (j === i ? { ...r, value: newValue } : r));
            assert.deepEqual(run(kc, input, options), run(kc, expected, options));
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('§3.1 late data recomputes only the buckets it touches: appending leaves earlier buckets unchanged', () => {
      fc.assert(
        fc.property(kc.series(2), fc.nat(), optionsArb, (series, pick, options) => {
          const k = 1 + (pick % (series.length - 1));
          const lastOfPrefixMs = series[k - 1]!.tMs;
          const before = run(kc, series.slice(0, k), options).buckets;
          const after = run(kc, series, options).buckets;
          const untouched = (b: { bucketStartMs: number }) => b.bucketStartMs + QUARTER_MS <= lastOfPrefixMs;
          assert.deepEqual(after.filter(untouched), before.filter(untouched));
        }),
        { numRuns: RUNS },
      );
    });

    it('§3.1 a window of the series with the series tail spacing gives the same buckets after its start', () => {
      fc.assert(
        fc.property(kc.series(2), fc.nat(), optionsArb, (series, pick, options) => {
          const j = pick % series.length;
          const full = run(kc, series, options);
          const windowed = normalizeKind(
            kc.kind,
            series.slice(j),
            { ...options, ...kc.options },
            full.tailSpacingMs,
          );
          const fromStart = (b: { bucketStartMs: number }) => b.bucketStartMs >= series[j]!.tMs;
          assert.deepEqual(windowed.buckets.filter(fromStart), full.buckets.filter(fromStart));
          assert.equal(windowed.tailSpacingMs, full.tailSpacingMs);
        }),
        { numRuns: RUNS },
      );
    });

    it('§3.1 readings of other kinds in the input do not change the buckets of this kind', () => {
      fc.assert(
        fc.property(kc.series(), optionsArb, (series, options) => {
          const noise: SeriesReading[] = series.map((r, i) => ({
            ...r,
            kind: r.kind === 'power' ? 'counter' : 'power',
            tMs: r.tMs + (i % 2 === 0 ? 0 : HOUR_MS),
            endMs: null,
            value: 123,
          }));
          assert.deepEqual(run(kc, [...noise, ...series], options), run(kc, series, options));
        }),
        { numRuns: 50 },
      );
    });
  });
}
