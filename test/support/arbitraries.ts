// fast-check generators for the normalization properties (DESIGN §3): realistic series of the three reading
// kinds, plus independent reference computations (expected energy and coverage) that do not reuse the code
// under test.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Bucket } from '../../src/domain/bucket.ts';
import type { ReadingKind, SeriesReading } from '../../src/domain/reading.ts';
import type { NormalizeOptions } from '../../src/normalize/options.ts';

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const QUARTER_MS = 900_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Start of the generated series: an arbitrary instant, not bucket-aligned on purpose. */
export const T0_MS = Date.UTC(2024, 2, 28, 21, 7, 13, 417);

/** Runs per property: enough to find the edge cases, few enough to keep the suite fast. */
export const RUNS = 150;

/** Gap between consecutive readings: mostly seconds to minutes, sometimes beyond a bucket, rarely hours. */
export const gapMsArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 5 * MINUTE_MS }) },
  { weight: 3, arbitrary: fc.integer({ min: 5 * MINUTE_MS, max: 20 * MINUTE_MS }) },
  { weight: 1, arbitrary: fc.integer({ min: 20 * MINUTE_MS, max: 3 * HOUR_MS }) },
  { weight: 1, arbitrary: fc.constantFrom(SECOND_MS, MINUTE_MS, 5 * MINUTE_MS, QUARTER_MS) },
);

/** Strictly increasing instants (epoch ms) within a few days of T0. */
export function instantsArb(minLength = 1, maxLength = 60): fc.Arbitrary<number[]> {
  return fc
    .record({
      offsetMs: fc.integer({ min: 0, max: DAY_MS }),
      gaps: fc.array(gapMsArb, { minLength: minLength - 1, maxLength: maxLength - 1 }),
    })
    .map(({ offsetMs, gaps }) => {
      const out = [T0_MS + offsetMs];
      for (const g of gaps) out.push(out[out.length - 1]! + g);
      return out;
    });
}

/** Power in W within ±100 kW, at mW resolution, often exactly zero. */
export const powerWArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -100_000_000, max: 100_000_000 }).map((mW) => mW / 1000) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.integer({ min: -100, max: 100 }).map((kW) => kW * 1000) },
);

/** Energy of one interval in Wh: up to 100 kW over 15 min either way, at mWh resolution. */
export const intervalWhArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -25_000_000, max: 25_000_000 }).map((mWh) => mWh / 1000) },
  { weight: 1, arbitrary: fc.constant(0) },
);

/** Normalization options as a source might configure them; undefined keys take the defaults. */
export const optionsArb: fc.Arbitrary<Partial<NormalizeOptions>> = fc.record(
  {
    maxGapMs: fc.oneof(
      fc.constantFrom(5 * MINUTE_MS, QUARTER_MS, HOUR_MS),
      fc.integer({ min: 1, max: 2 * HOUR_MS }),
    ),
    defaultSpacingMs: fc.oneof(fc.constantFrom(MINUTE_MS, QUARTER_MS), fc.integer({ min: 1, max: HOUR_MS })),
    spacingWindow: fc.integer({ min: 1, max: 20 }),
  },
  { requiredKeys: [] },
);

function reading(kind: ReadingKind, tMs: number, value: number, endMs: number | null = null): SeriesReading {
  return { kind, tMs, endMs, value, receivedMs: 0 };
}

/** Power samples (W) at distinct, sorted instants. */
export function powerSeriesArb(minLength = 1, maxLength = 60): fc.Arbitrary<SeriesReading[]> {
  return instantsArb(minLength, maxLength).chain((ts) =>
    fc
      .array(powerWArb, { minLength: ts.length, maxLength: ts.length })
      .map((vs) => ts.map((t, i) => reading('power', t, vs[i]!))),
  );
}

/** Interval-energy readings "value at t" (no explicit end) at distinct, sorted instants. */
export function openIntervalSeriesArb(minLength = 1, maxLength = 60): fc.Arbitrary<SeriesReading[]> {
  return instantsArb(minLength, maxLength).chain((ts) =>
    fc
      .array(intervalWhArb, { minLength: ts.length, maxLength: ts.length })
      .map((vs) => ts.map((t, i) => reading('interval-energy', t, vs[i]!))),
  );
}

/**
 * Interval-energy readings with an explicit end. By default an interval ends at or before the next one
 * starts (a meter's contiguous or gappy intervals); `overlapping` lets them run over the next ones.
 */
export function closedIntervalSeriesArb(
  minLength = 1,
  maxLength = 60,
  overlapping = false,
): fc.Arbitrary<SeriesReading[]> {
  return instantsArb(minLength, maxLength).chain((ts) =>
    fc
      .array(fc.record({ value: intervalWhArb, share: fc.double({ min: 0, max: 1, noNaN: true }) }), {
        minLength: ts.length,
        maxLength: ts.length,
      })
      .map((xs) =>
        ts.map((t, i) => {
          const next = ts[i + 1];
          const room = next === undefined || overlapping ? 2 * HOUR_MS : next - t;
          // Mostly a full interval up to the next start, sometimes a shorter one leaving a gap.
          const share = xs[i]!.share > 0.7 ? 1 : xs[i]!.share;
          const lengthMs = Math.max(1, Math.round(room * share));
          return reading('interval-energy', t, xs[i]!.value, t + lengthMs);
        }),
      ),
  );
}

/**
 * Lifetime counter values (Wh) at distinct, sorted instants: monotonic, rising by at most 100 kW over each
 * gap, with an occasional reset (a drop to the energy since the reset) when `resets` is set.
 */
export function counterSeriesArb(
  minLength = 1,
  maxLength = 60,
  resets = false,
): fc.Arbitrary<SeriesReading[]> {
  return instantsArb(minLength, maxLength).chain((ts) =>
    fc
      .record({
        startWh: fc.integer({ min: 0, max: 100_000_000 }),
        steps: fc.array(
          fc.record({
            share: fc.double({ min: 0, max: 1, noNaN: true }),
            tenths: fc.boolean(),
            reset: resets ? fc.integer({ min: 0, max: 9 }).map((x) => x === 0) : fc.constant(false),
          }),
          { minLength: ts.length, maxLength: ts.length },
        ),
      })
      .map(({ startWh, steps }) => {
        const out = [reading('counter', ts[0]!, startWh)];
        for (let i = 1; i < ts.length; i++) {
          const prev = out[i - 1]!.value;
          const s = steps[i]!;
          const maxRiseWh = (100_000 * (ts[i]! - ts[i - 1]!)) / HOUR_MS;
          const riseWh = Math.floor(maxRiseWh * s.share * 10) / 10;
          const rise = s.tenths ? riseWh : Math.floor(riseWh);
          // A reset must be a drop: the energy since the reset stays below the last value.
          const value = s.reset && prev > 0 ? Math.min(prev - 1, rise) : prev + rise;
          out.push(reading('counter', ts[i]!, value));
        }
        return out;
      }),
  );
}

/** A permutation of `xs`. */
export function permutationOf<T>(xs: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...xs], { minLength: xs.length, maxLength: xs.length });
}

/** `xs` shuffled and cut into consecutive slices (the batches of a push client). */
export function batchesOf<T>(xs: readonly T[]): fc.Arbitrary<T[][]> {
  return permutationOf(xs).chain((shuffled) =>
    fc
      .uniqueArray(fc.integer({ min: 1, max: Math.max(1, shuffled.length - 1) }), {
        maxLength: Math.min(6, shuffled.length),
      })
      .map((cuts) => {
        const points = [0, ...cuts.filter((c) => c < shuffled.length).sort((a, b) => a - b), shuffled.length];
        const out: T[][] = [];
        for (let i = 1; i < points.length; i++) out.push(shuffled.slice(points[i - 1], points[i]));
        return out;
      }),
  );
}

// ----- reference computations, written from DESIGN §3 without the code under test -----

/** Median of a non-empty list. */
export function referenceMedian(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Typical spacing: median of the last `window` intervals of sorted readings, or the fallback. */
export function referenceSpacingMs(
  sorted: readonly SeriesReading[],
  window: number,
  fallbackMs: number,
): number {
  const intervals = sorted.slice(1).map((r, i) => r.tMs - sorted[i]!.tMs);
  return intervals.length === 0 ? fallbackMs : referenceMedian(intervals.slice(-window));
}

/** One stretch of time with the energy the input puts in it. */
export interface Span {
  fromMs: number;
  toMs: number;
  energyWh: number;
  estimated: boolean;
}

/** Resolves options the way DESIGN §3 states the defaults (15 min hold, step, no power limit). */
export function referenceOptions(o: Partial<NormalizeOptions>): NormalizeOptions {
  return {
    maxGapMs: o.maxGapMs ?? QUARTER_MS,
    integration: o.integration ?? 'step',
    maxPowerW: o.maxPowerW ?? Number.POSITIVE_INFINITY,
    defaultSpacingMs: o.defaultSpacingMs ?? QUARTER_MS,
    spacingWindow: o.spacingWindow ?? 16,
    maxSpreadMs: o.maxSpreadMs ?? 40 * 86_400_000,
  };
}

/** Spans of sorted power samples (§3.3): step hold or trapezoid, capped by maxGapMs; the last holds the spacing. */
export function powerSpans(sorted: readonly SeriesReading[], options: Partial<NormalizeOptions>): Span[] {
  const o = referenceOptions(options);
  const spacing = referenceSpacingMs(sorted, o.spacingWindow, o.defaultSpacingMs);
  return sorted.map((r, i) => {
    const next = sorted[i + 1];
    if (next !== undefined && o.integration === 'trapezoid' && next.tMs - r.tMs <= o.maxGapMs) {
      const d = next.tMs - r.tMs;
      return {
        fromMs: r.tMs,
        toMs: next.tMs,
        energyWh: (((r.value + next.value) / 2) * d) / HOUR_MS,
        estimated: false,
      };
    }
    const holdMs = Math.min(next === undefined ? spacing : next.tMs - r.tMs, o.maxGapMs);
    return { fromMs: r.tMs, toMs: r.tMs + holdMs, energyWh: (r.value * holdMs) / HOUR_MS, estimated: false };
  });
}

/** Spans of sorted interval-energy readings (§3.4): explicit end, else the next start, else the spacing. */
export function intervalSpans(sorted: readonly SeriesReading[], options: Partial<NormalizeOptions>): Span[] {
  const o = referenceOptions(options);
  const spacing = referenceSpacingMs(sorted, o.spacingWindow, o.defaultSpacingMs);
  return sorted.map((r, i) => ({
    fromMs: r.tMs,
    toMs: r.endMs ?? sorted[i + 1]?.tMs ?? r.tMs + spacing,
    energyWh: r.value,
    estimated: false,
  }));
}

/** Spans of sorted counter values (§3.5): deltas or post-reset values, without impossible jumps. */
export function counterSpans(sorted: readonly SeriesReading[], options: Partial<NormalizeOptions>): Span[] {
  const o = referenceOptions(options);
  const out: Span[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    const energyWh = b.value < a.value ? b.value : b.value - a.value;
    if ((energyWh * HOUR_MS) / (b.tMs - a.tMs) > o.maxPowerW) continue;
    out.push({ fromMs: a.tMs, toMs: b.tMs, energyWh, estimated: b.tMs - a.tMs > o.maxGapMs });
  }
  return out;
}

/** Total energy of spans and the sum of their magnitudes (the scale for a relative tolerance). */
export function totalOf(spans: readonly Span[]): { energyWh: number; scaleWh: number } {
  let energyWh = 0;
  let scaleWh = 0;
  for (const s of spans) {
    energyWh += s.energyWh;
    scaleWh += Math.abs(s.energyWh);
  }
  return { energyWh, scaleWh };
}

/** Per bucket start: the share of the bucket covered by the union of the spans, and whether any is estimated. */
export function referenceCoverage(
  spans: readonly Span[],
): Map<number, { coverage: number; estimated: boolean }> {
  const pieces = new Map<number, { from: number; to: number; estimated: boolean }[]>();
  for (const s of spans) {
    for (let b = Math.floor(s.fromMs / QUARTER_MS) * QUARTER_MS; b < s.toMs; b += QUARTER_MS) {
      const from = Math.max(b, s.fromMs);
      const to = Math.min(b + QUARTER_MS, s.toMs);
      if (to <= from) continue;
      const list = pieces.get(b) ?? [];
      list.push({ from, to, estimated: s.estimated });
      pieces.set(b, list);
    }
  }
  const out = new Map<number, { coverage: number; estimated: boolean }>();
  for (const [b, list] of pieces) {
    list.sort((x, y) => x.from - y.from);
    let covered = 0;
    let until = Number.NEGATIVE_INFINITY;
    for (const p of list) {
      const from = Math.max(p.from, until);
      if (p.to > from) covered += p.to - from;
      until = Math.max(until, p.to);
    }
    out.set(b, { coverage: covered / QUARTER_MS, estimated: list.some((p) => p.estimated) });
  }
  return out;
}

/** Asserts `actual` is within a relative tolerance of `expected`, scaled by `scale` (at least 1). */
export function assertClose(actual: number, expected: number, scale = Math.abs(expected), rel = 1e-9): void {
  const tol = rel * Math.max(1, scale);
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected} (tolerance ${tol})`);
}

/** Sum of bucket energy. */
export function sumEnergyWh(buckets: readonly Bucket[]): number {
  return buckets.reduce((s, b) => s + b.energyWh, 0);
}

/**
 * Checks the shape every bucket list must have (DESIGN §2, §3): sorted, aligned to 15 min UTC, coverage in
 * (0, 1], positiveWh − negativeWh = energyWh, quality measured iff fully covered and not estimated, min ≤ max.
 */
export function assertBucketShape(buckets: readonly Bucket[], allowEstimated: boolean): void {
  let prev = Number.NEGATIVE_INFINITY;
  for (const b of buckets) {
    const at = new Date(b.bucketStartMs).toISOString();
    assert.ok(b.bucketStartMs > prev, `buckets sorted and unique at ${at}`);
    prev = b.bucketStartMs;
    assert.equal(b.bucketStartMs % QUARTER_MS, 0, `aligned to 15 min: ${at}`);
    assert.ok(b.coverage > 0 && b.coverage <= 1, `coverage in (0, 1] at ${at}: ${b.coverage}`);
    assert.ok(b.positiveWh >= 0 && b.negativeWh >= 0, `positiveWh and negativeWh non-negative at ${at}`);
    assertClose(b.positiveWh - b.negativeWh, b.energyWh, b.positiveWh + b.negativeWh);
    assert.ok(Number.isFinite(b.minPowerW) && Number.isFinite(b.maxPowerW), `finite min/max power at ${at}`);
    assert.ok(b.minPowerW <= b.maxPowerW, `minPowerW <= maxPowerW at ${at}`);
    assert.ok(Number.isInteger(b.samples) && b.samples >= 0, `samples is a count at ${at}`);
    if (b.quality === 'estimated') assert.ok(allowEstimated, `no estimated bucket expected at ${at}`);
    else assert.equal(b.quality, b.coverage === 1 ? 'measured' : 'partial', `quality at ${at}`);
  }
}

/**
 * Checks the buckets against the reference spans: exactly the buckets the spans cover appear, each with the
 * union coverage, the estimated flag of the spans and the number of readings that fall in it.
 */
export function assertMatchesSpans(
  buckets: readonly Bucket[],
  spans: readonly Span[],
  sorted: readonly SeriesReading[],
): void {
  const ref = referenceCoverage(spans);
  const expectedStarts = [...ref.entries()].filter(([, c]) => c.coverage > 0).map(([b]) => b);
  assert.deepEqual(
    buckets.map((b) => b.bucketStartMs),
    expectedStarts.sort((a, b) => a - b),
    'exactly the covered buckets appear (a gap is no bucket, never a zero)',
  );
  for (const b of buckets) {
    const r = ref.get(b.bucketStartMs)!;
    const at = new Date(b.bucketStartMs).toISOString();
    assertClose(b.coverage, Math.min(1, r.coverage), 1, 1e-12);
    assert.equal(b.quality === 'estimated', r.estimated, `estimated flag at ${at}`);
    const samples = sorted.filter(
      (x) => Math.floor(x.tMs / QUARTER_MS) * QUARTER_MS === b.bucketStartMs,
    ).length;
    assert.equal(b.samples, samples, `samples at ${at}`);
  }
}

/** One reading kind the property suites run over, with its generator, fixed options and reference spans. */
export interface KindCase {
  name: string;
  kind: ReadingKind;
  series: (minLength?: number, maxLength?: number) => fc.Arbitrary<SeriesReading[]>;
  options: Partial<NormalizeOptions>;
  spans: (sorted: readonly SeriesReading[], options: Partial<NormalizeOptions>) => Span[];
  /** Whether the kind may produce estimated buckets (only counters across a gap do). */
  estimated: boolean;
}

export const KIND_CASES: readonly KindCase[] = [
  {
    name: 'power, step',
    kind: 'power',
    series: powerSeriesArb,
    options: {},
    spans: powerSpans,
    estimated: false,
  },
  {
    name: 'power, trapezoid',
    kind: 'power',
    series: powerSeriesArb,
    options: { integration: 'trapezoid' },
    spans: powerSpans,
    estimated: false,
  },
  {
    name: 'interval-energy, value at t',
    kind: 'interval-energy',
    series: openIntervalSeriesArb,
    options: {},
    spans: intervalSpans,
    estimated: false,
  },
  {
    name: 'interval-energy, explicit end',
    kind: 'interval-energy',
    series: closedIntervalSeriesArb,
    options: {},
    spans: intervalSpans,
    estimated: false,
  },
  {
    name: 'counter, monotonic',
    kind: 'counter',
    series: (min, max) => counterSeriesArb(min, max, false),
    options: {},
    spans: counterSpans,
    estimated: true,
  },
  {
    name: 'counter, with resets',
    kind: 'counter',
    series: (min, max) => counterSeriesArb(min, max, true),
    options: {},
    spans: counterSpans,
    estimated: true,
  },
];

/** Buckets as [HH:MM, energyWh, coverage, quality] rows, rounded for readable comparisons. */
export function briefBuckets(bs: readonly Bucket[]): [string, number, number, string][] {
  return bs.map((b) => [
    new Date(b.bucketStartMs).toISOString().slice(11, 16),
    Math.round(b.energyWh * 1e6) / 1e6,
    Math.round(b.coverage * 1e9) / 1e9,
    b.quality,
  ]);
}
