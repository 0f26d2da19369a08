import { MAX_INTERVAL_MS } from '../domain/reading.ts';
import { BUCKET_MS } from '../domain/time.ts';

export type Integration = 'step' | 'trapezoid';

/** How a series is turned into buckets (DESIGN §3). */
export interface NormalizeOptions {
  /** Longest time a power sample may hold, and the counter gap beyond which a delta is estimated. */
  maxGapMs: number;
  /** Power integration: left step (default) or trapezoid between samples closer than maxGapMs. */
  integration: Integration;
  /** A counter delta implying more than this power is flagged and not counted. */
  maxPowerW: number;
  /** Spacing assumed for a series with a single reading, where no spacing can be measured. */
  defaultSpacingMs: number;
  /** How many of the most recent intervals define the series' typical spacing (their median). */
  spacingWindow: number;
  /**
   * Longest span one reading may be spread over: a value-at-t interval whose next reading is further away
   * covers only the typical spacing, and a counter delta across a longer outage is flagged, not spread.
   * Without it, two readings years apart would fill every bucket in between.
   */
  maxSpreadMs: number;
}

export const DEFAULT_NORMALIZE_OPTIONS: NormalizeOptions = {
  maxGapMs: BUCKET_MS,
  integration: 'step',
  maxPowerW: Number.POSITIVE_INFINITY,
  defaultSpacingMs: BUCKET_MS,
  spacingWindow: 16,
  maxSpreadMs: MAX_INTERVAL_MS,
};

const OPTION_KEYS = Object.keys(DEFAULT_NORMALIZE_OPTIONS) as (keyof NormalizeOptions)[];

/** Fills unset options with the defaults; options with every field set come back as they are. */
export function resolveOptions(partial: Partial<NormalizeOptions> = {}): NormalizeOptions {
  // Ingest resolves once per site and normalizes each series with the result: no copy per series then.
  if (OPTION_KEYS.every((k) => partial[k] !== undefined)) return partial as NormalizeOptions;
  const out = { ...DEFAULT_NORMALIZE_OPTIONS };
  for (const [k, v] of Object.entries(partial)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
