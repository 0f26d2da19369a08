/** How a bucket's energy was obtained: fully measured, estimated across a gap, or partly covered. */
export const BUCKET_QUALITIES = ['measured', 'estimated', 'partial'] as const;
export type BucketQuality = (typeof BUCKET_QUALITIES)[number];

/** One 15-minute bucket of a series, half-open [bucketStartMs, bucketStartMs + 15 min). */
export interface Bucket {
  bucketStartMs: number;
  /** Net signed energy. */
  energyWh: number;
  positiveWh: number;
  /** Energy of the negative parts, as a non-negative number. */
  negativeWh: number;
  /** Share of the bucket backed by data, 0..1. */
  coverage: number;
  samples: number;
  minPowerW: number;
  maxPowerW: number;
  quality: BucketQuality;
}

/** A bucket addressed to its series. */
export interface SeriesBucket extends Bucket {
  siteId: string;
  channel: string;
}

/** Energy and coverage of one 15-minute bucket: what the energy read path (GET /data) serves. */
export type EnergyBucket = Pick<Bucket, 'bucketStartMs' | 'energyWh' | 'coverage'>;

export function energyOf(buckets: readonly Bucket[]): EnergyBucket[] {
  return buckets.map((b) => ({ bucketStartMs: b.bucketStartMs, energyWh: b.energyWh, coverage: b.coverage }));
}
