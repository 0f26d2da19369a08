import type { Bucket } from '../domain/bucket.ts';
import { BUCKET_MS, bucketFloor } from '../domain/time.ts';

interface Acc {
  energyWh: number;
  positiveWh: number;
  negativeWh: number;
  coveredMs: number;
  /** End of the latest covered piece: pieces arrive in order of start, so coverage is their union. */
  coveredUntilMs: number;
  samples: number;
  minPowerW: number;
  maxPowerW: number;
  estimated: boolean;
}

const MS_PER_HOUR = 3_600_000;

function byStart(x: Bucket, y: Bucket): number {
  return x.bucketStartMs - y.bucketStartMs;
}

/**
 * Collects energy spread over time into 15-minute buckets. Pieces must be added in order of their start
 * (the normalizers walk sorted readings), so that overlapping pieces count once towards coverage.
 */
export class BucketAccumulator {
  private readonly accs = new Map<number, Acc>();
  /** The bucket used last: readings arrive in time order, so most lookups hit it without the map. */
  private lastStartMs = Number.NaN;
  private lastAcc: Acc | undefined;

  private acc(bucketStartMs: number): Acc {
    if (bucketStartMs === this.lastStartMs) return this.lastAcc!;
    let a = this.accs.get(bucketStartMs);
    if (!a) {
      a = {
        energyWh: 0,
        positiveWh: 0,
        negativeWh: 0,
        coveredMs: 0,
        coveredUntilMs: Number.NEGATIVE_INFINITY,
        samples: 0,
        minPowerW: Number.POSITIVE_INFINITY,
        maxPowerW: Number.NEGATIVE_INFINITY,
        estimated: false,
      };
      this.accs.set(bucketStartMs, a);
    }
    this.lastStartMs = bucketStartMs;
    this.lastAcc = a;
    return a;
  }

  /** Counts one source reading in the bucket that contains `tMs`. */
  countSample(tMs: number): void {
    this.acc(bucketFloor(tMs)).samples++;
  }

  /**
   * Spreads `energyWh` evenly over [startMs, endMs), in proportion to each bucket's overlap.
   * `estimated` marks energy that was inferred across a gap rather than measured. `powerW`, when known
   * (a held power sample), is recorded as is rather than recomputed from the energy, which may round.
   */
  addEnergy(startMs: number, endMs: number, energyWh: number, estimated = false, powerW?: number): void {
    const durationMs = endMs - startMs;
    if (!(durationMs > 0)) return;
    const p = powerW ?? (energyWh * MS_PER_HOUR) / durationMs;
    for (let b = bucketFloor(startMs); b < endMs; b += BUCKET_MS) {
      const fromMs = Math.max(startMs, b);
      const toMs = Math.min(endMs, b + BUCKET_MS);
      const overlapMs = toMs - fromMs;
      if (overlapMs <= 0) continue;
      // Whole intervals get the exact value so that a bucket-aligned reading round-trips bit for bit.
      const e = overlapMs === durationMs ? energyWh : (energyWh * overlapMs) / durationMs;
      this.addPart(b, fromMs, toMs, e, p, p, estimated);
    }
  }

  /**
   * Adds the integral of power rising linearly from `startPowerW` at `startMs` to `endPowerW` at `endMs`
   * (trapezoid integration).
   */
  addLinearPower(startMs: number, endMs: number, startPowerW: number, endPowerW: number): void {
    const durationMs = endMs - startMs;
    if (!(durationMs > 0)) return;
    const slope = (endPowerW - startPowerW) / durationMs;
    for (let b = bucketFloor(startMs); b < endMs; b += BUCKET_MS) {
      const a = Math.max(startMs, b);
      const z = Math.min(endMs, b + BUCKET_MS);
      if (z <= a) continue;
      const pa = a === startMs ? startPowerW : startPowerW + slope * (a - startMs);
      const pz = z === endMs ? endPowerW : startPowerW + slope * (z - startMs);
      const e = ((pa + pz) / 2) * ((z - a) / MS_PER_HOUR);
      // Split the signed parts exactly when the line crosses zero inside this piece.
      let pos = 0;
      let neg = 0;
      if (pa >= 0 && pz >= 0) pos = e;
      else if (pa <= 0 && pz <= 0) neg = -e;
      else {
        // The crossing as a share of the piece, not as an epoch instant, whose rounding (~1e-4 ms) would
        // leak into the split.
        const f = pa / (pa - pz);
        const hours = (z - a) / MS_PER_HOUR;
        const e1 = (pa / 2) * f * hours;
        const e2 = (pz / 2) * (1 - f) * hours;
        pos = Math.max(e1, 0) + Math.max(e2, 0);
        neg = -(Math.min(e1, 0) + Math.min(e2, 0));
      }
      const acc = this.acc(b);
      acc.energyWh += e;
      acc.positiveWh += pos;
      acc.negativeWh += neg;
      this.cover(acc, a, z);
      acc.minPowerW = Math.min(acc.minPowerW, pa, pz);
      acc.maxPowerW = Math.max(acc.maxPowerW, pa, pz);
    }
  }

  /** Adds [fromMs, toMs) to the covered time of a bucket, counting time already covered only once. */
  private cover(acc: Acc, fromMs: number, toMs: number): void {
    const from = Math.max(fromMs, acc.coveredUntilMs);
    if (toMs > from) acc.coveredMs += toMs - from;
    acc.coveredUntilMs = Math.max(acc.coveredUntilMs, toMs);
  }

  private addPart(
    b: number,
    fromMs: number,
    toMs: number,
    e: number,
    minW: number,
    maxW: number,
    estimated: boolean,
  ): void {
    const acc = this.acc(b);
    acc.energyWh += e;
    if (e >= 0) acc.positiveWh += e;
    else acc.negativeWh -= e;
    this.cover(acc, fromMs, toMs);
    acc.minPowerW = Math.min(acc.minPowerW, minW);
    acc.maxPowerW = Math.max(acc.maxPowerW, maxW);
    if (estimated) acc.estimated = true;
  }

  /** The buckets that received any time coverage, sorted by start. */
  buckets(): Bucket[] {
    const out: Bucket[] = [];
    for (const [bucketStartMs, a] of this.accs) {
      if (a.coveredMs <= 0) continue;
      out.push({
        bucketStartMs,
        energyWh: a.energyWh,
        positiveWh: a.positiveWh,
        negativeWh: a.negativeWh,
        coverage: Math.min(1, a.coveredMs / BUCKET_MS),
        samples: a.samples,
        minPowerW: a.minPowerW,
        maxPowerW: a.maxPowerW,
        quality: a.estimated ? 'estimated' : a.coveredMs >= BUCKET_MS ? 'measured' : 'partial',
      });
    }
    // Buckets are created in time order as a rule (readings come sorted): sorted only when they were not.
    for (let i = 1; i < out.length; i++) {
      if (out[i - 1]!.bucketStartMs > out[i]!.bucketStartMs) return out.sort(byStart);
    }
    return out;
  }
}
