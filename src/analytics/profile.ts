// Daily and weekly profiles (mean and quantiles per local time of day, and per weekday and time of day)
// and the load features people ask about: the baseline, the peak hours, the weekend/weekday ratio.
import { SLOTS_PER_DAY, SLOTS_PER_WEEK } from './local-calendar.ts';
import type { SeriesGrid } from './series-grid.ts';
import { mean, quantileSorted } from './stats.ts';

export interface ProfileSlot {
  /** Slot of the local day (0..95) or week (0..671, Monday 00:00 first). */
  slot: number;
  /** Local time of day of the slot, HH:MM. */
  time: string;
  /** ISO weekday (1 = Monday) for weekly profiles; null for daily ones. */
  isoWeekday: number | null;
  meanWh: number;
  p10Wh: number;
  medianWh: number;
  p90Wh: number;
  count: number;
}

export interface LoadFeatures {
  /** 10th percentile of night-time (00:00–05:00 local) slot energy, in Wh per slot and as power. */
  baselineWh: number;
  baselinePowerW: number;
  /** Mean energy of a whole local day (Wh): 96 × the mean slot energy. */
  meanDailyWh: number;
  /** The three local hours of day with the highest mean energy, highest first. */
  peakHours: number[];
  /** Largest slot energy seen (Wh) and when (epoch ms). */
  peakWh: number;
  peakAtMs: number | null;
  /** Mean slot energy on Saturdays and Sundays over that on Monday–Friday; null without both. */
  weekendWeekdayRatio: number | null;
  /** Mean slot energy of the top quarter-hour of the daily profile over its mean (how peaky the day is). */
  peakToMeanRatio: number;
  /** Share of slots that are negative (export or production on a signed channel). */
  negativeShare: number;
}

function timeLabel(slotOfDay: number): string {
  return `${String(Math.floor(slotOfDay / 4)).padStart(2, '0')}:${String((slotOfDay % 4) * 15).padStart(2, '0')}`;
}

function buildProfile(grid: SeriesGrid, weekly: boolean, endIdx: number): ProfileSlot[] {
  const size = weekly ? SLOTS_PER_WEEK : SLOTS_PER_DAY;
  const keys = weekly ? grid.slotOfWeek : grid.slotOfDay;
  const lists: number[][] = Array.from({ length: size }, () => []);
  for (let i = 0; i < endIdx; i++) {
    const v = grid.values[i]!;
    if (Number.isFinite(v)) lists[keys[i]!]!.push(v);
  }
  return lists.map((list, slot) => {
    const s = Float64Array.from(list).sort();
    return {
      slot,
      time: timeLabel(slot % SLOTS_PER_DAY),
      isoWeekday: weekly ? Math.floor(slot / SLOTS_PER_DAY) + 1 : null,
      meanWh: s.length > 0 ? mean(s) : Number.NaN,
      p10Wh: quantileSorted(s, 0.1),
      medianWh: quantileSorted(s, 0.5),
      p90Wh: quantileSorted(s, 0.9),
      count: s.length,
    };
  });
}

/** Mean and 10/50/90th percentiles per local time of day. */
export function dailyProfile(grid: SeriesGrid, endIdx = grid.length): ProfileSlot[] {
  return buildProfile(grid, false, endIdx);
}

/** Mean and 10/50/90th percentiles per local weekday and time of day. */
export function weeklyProfile(grid: SeriesGrid, endIdx = grid.length): ProfileSlot[] {
  return buildProfile(grid, true, endIdx);
}

/** Features of the series measured over the grid's values. */
export function loadFeatures(grid: SeriesGrid, daily: readonly ProfileSlot[]): LoadFeatures {
  const night: number[] = [];
  let weekendSum = 0;
  let weekendN = 0;
  let weekdaySum = 0;
  let weekdayN = 0;
  let peakWh = Number.NEGATIVE_INFINITY;
  let peakAtMs: number | null = null;
  let negatives = 0;
  let n = 0;
  for (let i = 0; i < grid.length; i++) {
    const v = grid.values[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    if (v < 0) negatives++;
    const sod = grid.slotOfDay[i]!;
    if (sod < 20) night.push(v);
    if (grid.slotOfWeek[i]! >= 5 * SLOTS_PER_DAY) {
      weekendSum += v;
      weekendN++;
    } else {
      weekdaySum += v;
      weekdayN++;
    }
    if (v > peakWh) {
      peakWh = v;
      peakAtMs = grid.startMs + i * 900_000;
    }
  }
  const baselineWh = quantileSorted(Float64Array.from(night).sort(), 0.1);
  const hourly = Array.from({ length: 24 }, (_, h) => {
    const slots = daily.slice(h * 4, h * 4 + 4).filter((s) => Number.isFinite(s.meanWh));
    return { h, wh: slots.length > 0 ? mean(slots.map((s) => s.meanWh)) : Number.NEGATIVE_INFINITY };
  });
  const means = daily.map((s) => s.meanWh).filter(Number.isFinite);
  const dayMean = means.length > 0 ? mean(means) : Number.NaN;
  const weekdayMean = weekdayN > 0 ? weekdaySum / weekdayN : Number.NaN;
  return {
    baselineWh,
    baselinePowerW: baselineWh * 4,
    meanDailyWh: dayMean * SLOTS_PER_DAY,
    peakHours: hourly
      .filter((x) => Number.isFinite(x.wh))
      .sort((a, b) => b.wh - a.wh)
      .slice(0, 3)
      .map((x) => x.h),
    peakWh: n > 0 ? peakWh : Number.NaN,
    peakAtMs,
    weekendWeekdayRatio:
      weekendN > 0 && weekdayN > 0 && weekdayMean !== 0 ? weekendSum / weekendN / weekdayMean : null,
    peakToMeanRatio: means.length > 0 && dayMean !== 0 ? Math.max(...means) / dayMean : Number.NaN,
    negativeShare: n > 0 ? negatives / n : 0,
  };
}
