// The one rule for rollup periods, shared by every backend so that they accept and refuse the same input.
import { BUCKET_MS } from '../domain/time.ts';

/** `periodMs` as an integer SQL literal, after checking it is a positive multiple of 15 minutes. */
export function checkedPeriodMs(periodMs: number): number {
  if (!Number.isSafeInteger(periodMs) || periodMs <= 0 || periodMs % BUCKET_MS !== 0) {
    throw new RangeError(`rollup period must be a positive multiple of ${BUCKET_MS} ms, got ${periodMs}`);
  }
  return periodMs;
}
