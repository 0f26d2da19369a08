// Values outside the forecast's prediction interval for consecutive slots. One slot outside an 80%
// interval happens every fifth slot by design, so the adapter asks for a wide (98%) band and a run of
// slots is required.
import { figure, meanPowerW, runsOf } from './runs.ts';
import type { Anomaly, AnomalyInput, ResolvedOptions } from './types.ts';

export function detectForecastOutliers(input: AnomalyInput, o: ResolvedOptions): Anomaly[] {
  const out: Anomaly[] = [];
  for (const [channel, bands] of Object.entries(input.forecasts ?? {})) {
    const actual = new Map(
      (input.buckets[channel] ?? [])
        .filter((b) => b.coverage >= 0.5)
        .map((b) => [b.tMs, b.energyWh / b.coverage]),
    );
    const flagged = bands.flatMap((band) => {
      const y = actual.get(band.tMs);
      if (y === undefined || (y >= band.lower && y <= band.upper)) return [];
      const width = Math.max(1e-9, band.upper - band.lower);
      return [{ tMs: band.tMs, y, band, excess: (y > band.upper ? y - band.upper : band.lower - y) / width }];
    });
    for (const run of runsOf(flagged)) {
      if (run.items.length < o.outlierMinSlots) continue;
      const above = run.items.filter((x) => x.y > x.band.upper).length;
      const actualWh = run.items.reduce((a, x) => a + x.y, 0);
      const expectedWh = run.items.reduce((a, x) => a + x.band.value, 0);
      const worst = Math.max(...run.items.map((x) => x.excess));
      out.push({
        kind: 'forecast-outlier',
        siteId: input.siteId,
        channel,
        startMs: run.startMs,
        endMs: run.endMs,
        severity: worst > 1 ? 'critical' : 'warning',
        explanation: `${channel} was ${above * 2 >= run.items.length ? 'above' : 'below'} its forecast interval for ${run.items.length} consecutive quarter hours: ${figure(actualWh, 'Wh')} against ${figure(expectedWh, 'Wh')} expected (mean ${figure(meanPowerW({ energyWh: actualWh / run.items.length, coverage: 1 }), 'W')}). Something changed: a new appliance, a fault, or a meter problem.`,
        measured: { actualWh, expectedWh, slots: run.items.length, worstExcessWidths: worst },
      });
    }
  }
  return out;
}
