// Solar health of one site over a recent window (issue 4 §5), from its solar power samples. Solar + is
// production, so a healthy inverter reads ≥ 0: slightly below zero at night is meter noise, clearly below
// zero is a wiring or CT fault, and nothing at all while the sun is high is a dead inverter or breaker.
import type { SolarHealth } from '../domain/device-status.ts';

export interface SolarSample {
  tMs: number;
  powerW: number;
}

export interface SolarConditionOptions {
  /** Readings within ±noiseW count as zero; below -noiseW as negative (W). */
  noiseW?: number;
  /** Any sample below -negativeLimitW makes the site `negative` (W): no inverter draws that much. */
  negativeLimitW?: number;
  /** Share of negative samples (0..1) from which the site is `negative`. */
  negativeShareLimit?: number;
  /** Samples in daylight needed before `zero-in-daylight` is claimed. */
  minDaylightSamples?: number;
  /** True when the sun is up enough to expect production at `tMs`; without it zero is never flagged. */
  isDaylight?: (tMs: number) => boolean;
}

export const SOLAR_DEFAULTS = {
  noiseW: 1,
  negativeLimitW: 50,
  negativeShareLimit: 0.5,
  minDaylightSamples: 3,
} as const;

/** Classifies the solar samples of one window: missing, negative, zero-in-daylight or ok, with evidence. */
export function solarCondition(
  samples: readonly SolarSample[],
  opts: SolarConditionOptions = {},
): Omit<SolarHealth, 'expected'> {
  const noiseW = opts.noiseW ?? SOLAR_DEFAULTS.noiseW;
  const negativeLimitW = opts.negativeLimitW ?? SOLAR_DEFAULTS.negativeLimitW;
  const shareLimit = opts.negativeShareLimit ?? SOLAR_DEFAULTS.negativeShareLimit;
  const minDaylight = opts.minDaylightSamples ?? SOLAR_DEFAULTS.minDaylightSamples;
  const finite = samples.filter((s) => Number.isFinite(s.powerW));
  if (finite.length === 0) return { condition: 'missing', minPowerW: null, negativeShare: null, samples: 0 };
  let minPowerW = Number.POSITIVE_INFINITY;
  let negatives = 0;
  let daylight = 0;
  let daylightMaxW = Number.NEGATIVE_INFINITY;
  for (const s of finite) {
    if (s.powerW < minPowerW) minPowerW = s.powerW;
    if (s.powerW < -noiseW) negatives += 1;
    if (opts.isDaylight?.(s.tMs)) {
      daylight += 1;
      if (s.powerW > daylightMaxW) daylightMaxW = s.powerW;
    }
  }
  const negativeShare = negatives / finite.length;
  const evidence = { minPowerW, negativeShare, samples: finite.length };
  if (minPowerW < -negativeLimitW || (negatives > 0 && negativeShare >= shareLimit)) {
    return { condition: 'negative', ...evidence };
  }
  if (daylight >= minDaylight && daylightMaxW <= noiseW)
    return { condition: 'zero-in-daylight', ...evidence };
  return { condition: 'ok', ...evidence };
}
