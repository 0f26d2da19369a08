// A short written summary of a series from its measured features, and a hypothesis of the kind of load.
// Every sentence states a figure that was measured; the hypothesis says what it rests on.
import type { SeasonalPeriod } from './autocorrelation.ts';
import type { ModelName } from './forecast/models.ts';
import type { LoadFeatures } from './profile.ts';

export interface SummaryInput {
  channel: string;
  features: LoadFeatures;
  periods: readonly SeasonalPeriod[];
  /** Days with data in the window. */
  days: number;
  /** Share of the window backed by data (0..1). */
  coverage: number;
  forecast?: { model: ModelName; mase: number | null; naiveMase: number | null; coverage: number | null };
  anomalies: number;
}

export type LoadType =
  | 'solar production'
  | 'household'
  | 'office or commercial'
  | 'continuous (process or always-on)'
  | 'irregular'
  | 'unknown';

const hourText = (h: number) => `${String(h).padStart(2, '0')}:00`;
const kwh = (wh: number) => `${(wh / 1000).toFixed(wh >= 10_000 ? 0 : 1)} kWh`;
const watts = (w: number) => (Math.abs(w) >= 1000 ? `${(w / 1000).toFixed(2)} kW` : `${Math.round(w)} W`);

/** The likeliest kind of load with the features that point to it. */
export function loadTypeHypothesis(s: SummaryInput): { type: LoadType; because: string } {
  const f = s.features;
  const daily = s.periods.some((p) => p.name === 'day');
  const weekly = s.periods.some((p) => p.name === 'week');
  const meanPowerW = f.meanDailyWh / 24;
  if (f.negativeShare > 0.3 || (s.channel === 'solar' && f.peakHours.every((h) => h >= 9 && h <= 16))) {
    return { type: 'solar production', because: 'production peaks around midday and nothing flows at night' };
  }
  if (!daily) {
    return s.days < 3
      ? { type: 'unknown', because: `only ${s.days} days of data` }
      : { type: 'irregular', because: 'no daily cycle stands out of the autocorrelation' };
  }
  if (Number.isFinite(f.baselinePowerW) && meanPowerW > 0 && f.baselinePowerW > 0.7 * meanPowerW) {
    return {
      type: 'continuous (process or always-on)',
      because: `the night-time baseline (${watts(f.baselinePowerW)}) is over 70% of the mean power (${watts(meanPowerW)})`,
    };
  }
  const ratio = f.weekendWeekdayRatio;
  const daytimePeak = f.peakHours.length > 0 && f.peakHours.every((h) => h >= 8 && h <= 17);
  if (ratio !== null && ratio < 0.7 && daytimePeak) {
    return {
      type: 'office or commercial',
      because: `use peaks in working hours and weekends draw ${Math.round(ratio * 100)}% of a weekday`,
    };
  }
  const eveningOrMorning = f.peakHours.some((h) => h >= 17 || h <= 9);
  return {
    type: 'household',
    because: `a daily cycle${weekly ? ' with a weekly one' : ''}, peaks ${eveningOrMorning ? 'in the morning or evening' : 'in the day'}${ratio !== null ? ` and weekends at ${Math.round(ratio * 100)}% of weekdays` : ''}`,
  };
}

/** Four to six sentences about the series. */
export function writtenSummary(s: SummaryInput): string[] {
  const f = s.features;
  const out: string[] = [];
  out.push(
    `${s.days} days of ${s.channel} data (${Math.round(s.coverage * 100)}% of the window covered), ${kwh(f.meanDailyWh)} on an average day.`,
  );
  if (Number.isFinite(f.baselinePowerW)) {
    out.push(
      `Baseline (10th percentile of night-time use) ${watts(f.baselinePowerW)}; busiest hours ${f.peakHours.map(hourText).join(', ')}; the highest quarter hour averaged ${watts(f.peakWh * 4)}.`,
    );
  }
  const ratio = f.weekendWeekdayRatio;
  if (ratio !== null && Number.isFinite(ratio)) {
    const pct = Math.round((ratio - 1) * 100);
    out.push(
      Math.abs(pct) < 5
        ? 'Weekends look like weekdays (within 5%).'
        : `Weekends use ${Math.abs(pct)}% ${pct > 0 ? 'more' : 'less'} per quarter hour than weekdays.`,
    );
  }
  const named = s.periods.filter((p) => p.name !== null);
  out.push(
    named.length > 0
      ? `Seasonality found: ${named.map((p) => `${p.name === 'day' ? 'daily' : 'weekly'} (lag ${p.lagSlots}, ACF ${p.acf.toFixed(2)})`).join(' and ')}.`
      : 'No daily or weekly cycle stands out of the autocorrelation.',
  );
  const fc = s.forecast;
  if (fc !== undefined && fc.mase !== null) {
    const gain =
      fc.naiveMase !== null && fc.naiveMase > 0 ? Math.round((1 - fc.mase / fc.naiveMase) * 100) : null;
    out.push(
      `Best forecast model: ${fc.model} (MASE ${fc.mase.toFixed(2)}${gain !== null ? `, ${gain}% ${gain >= 0 ? 'better' : 'worse'} than repeating last week` : ''}${fc.coverage !== null ? `; its 80% interval held ${Math.round(fc.coverage * 100)}% of actuals` : ''}).`,
    );
  }
  const h = loadTypeHypothesis(s);
  out.push(`Hypothesis: ${h.type} load, because ${h.because}.`);
  out.push(
    s.anomalies === 0
      ? 'No anomalies were found.'
      : `${s.anomalies} anomal${s.anomalies === 1 ? 'y was' : 'ies were'} found (listed below).`,
  );
  return out;
}
