// The solar condition of a site for device health (GET /v1/status, src/domain/device-status.ts), derived
// from the anomaly detectors' findings so that the status and /v1/anomalies never disagree.
import type { SolarCondition } from '../../domain/device-status.ts';
import type { Anomaly } from './types.ts';

/**
 * 'negative' when solar read below night-time noise, else 'zero-in-daylight' when daylight production was
 * (near) zero, else 'missing' when the daylight solar data was absent, else 'ok'. Pass the findings of
 * the window the status covers (e.g. the last hour).
 */
export function solarConditionFrom(anomalies: readonly Anomaly[]): SolarCondition {
  if (anomalies.some((a) => a.kind === 'negative-solar')) return 'negative';
  const daylight = anomalies.filter((a) => a.kind === 'solar-missing-in-daylight');
  if (daylight.some((a) => (a.measured['missingSlots'] ?? 0) < (a.measured['slots'] ?? 0)))
    return 'zero-in-daylight';
  if (daylight.length > 0) return 'missing';
  return 'ok';
}
