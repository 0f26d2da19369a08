// The single entry point of anomaly detection: runs the detectors asked for over one site's data and
// returns their findings sorted by time. A typed table of detectors, not a registration side effect.
import { detectCounterDrift, detectEnergyBalance } from './balance.ts';
import { detectDeviceDown, detectFlatline } from './device.ts';
import { detectForecastOutliers } from './forecast-outlier.ts';
import { detectNegativeSolar, detectSolarMissingInDaylight } from './solar.ts';
import {
  ANOMALY_KINDS,
  type Anomaly,
  type AnomalyInput,
  type AnomalyKind,
  type AnomalyOptions,
  DEFAULT_ANOMALY_OPTIONS,
  type ResolvedOptions,
} from './types.ts';

export const DETECTORS: Record<AnomalyKind, (input: AnomalyInput, o: ResolvedOptions) => Anomaly[]> = {
  'negative-solar': detectNegativeSolar,
  'solar-missing-in-daylight': detectSolarMissingInDaylight,
  'device-down': detectDeviceDown,
  flatline: detectFlatline,
  'energy-balance': detectEnergyBalance,
  'counter-drift': detectCounterDrift,
  'forecast-outlier': detectForecastOutliers,
};

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Runs the detectors over one site's window; findings by start time, the most severe first at a tie. */
export function detectAnomalies(input: AnomalyInput, options: AnomalyOptions = {}): Anomaly[] {
  const { kinds = ANOMALY_KINDS, ...rest } = options;
  const resolved: ResolvedOptions = { ...DEFAULT_ANOMALY_OPTIONS };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) (resolved as Record<string, number>)[k] = v;
  return kinds
    .flatMap((kind) => DETECTORS[kind](input, resolved))
    .sort(
      (a, b) =>
        a.startMs - b.startMs ||
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        a.kind.localeCompare(b.kind) ||
        a.channel.localeCompare(b.channel),
    );
}
