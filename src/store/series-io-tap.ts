// A SeriesIo that reports every bucket write it passes on, so that a backend can mirror committed writes
// in a cache without the ingest engine knowing about it.
import type { BucketWindow, KindBucket, SeriesIo } from './incremental-ingest.ts';

export function tapBucketWrites(
  io: SeriesIo,
  onReplace: (windows: readonly BucketWindow[], buckets: readonly KindBucket[]) => void,
): SeriesIo {
  return {
    lastBefore: (s, ms) => io.lastBefore(s, ms),
    distinctAfter: (s, ms, limit) => io.distinctAfter(s, ms, limit),
    lastDistinct: (s, limit) => io.lastDistinct(s, limit),
    readingsAround: (s, fromMs, toMs) => io.readingsAround(s, fromMs, toMs),
    appendReadings: (rows, firstSeq) => io.appendReadings(rows, firstSeq),
    async replaceBuckets(windows, buckets) {
      await io.replaceBuckets(windows, buckets);
      onReplace(windows, buckets);
    },
  };
}
