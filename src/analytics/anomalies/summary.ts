// A compact summary of a site's anomalies for device health (GET /v1/status): counts by kind and the few
// most severe, most recent findings. Pure: the status service hands it what findAnomalies found.
import type { AnomalySummary } from '../../domain/device-status.ts';
import { formatInstant } from '../../domain/time.ts';
import type { Anomaly } from './types.ts';

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

/** Summarizes findings of a window of `windowMs`; keeps at most `maxRecent` of them, the most severe first
 * and, within a severity, the most recent (latest end) first. */
export function summarizeAnomalies(
  anomalies: readonly Anomaly[],
  windowMs: number,
  maxRecent = 3,
): AnomalySummary {
  const byKind: Record<string, number> = {};
  for (const a of anomalies) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
  const recent = [...anomalies]
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.endMs - a.endMs)
    .slice(0, maxRecent)
    .map((a) => ({
      kind: a.kind,
      channel: a.channel,
      severity: a.severity,
      start: formatInstant(a.startMs),
      end: formatInstant(a.endMs),
      explanation: a.explanation,
    }));
  return { windowMs, total: anomalies.length, byKind, recent };
}
