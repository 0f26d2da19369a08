// The store-reading adapter of anomaly detection: gathers one site's buckets, raw power and counter
// readings and a forecast band of its consumption channels, then runs the pure detectors.
import { detectAnomalies } from '../analytics/anomalies/detect-anomalies.ts';
import type {
  Anomaly,
  AnomalyBucket,
  AnomalyInput,
  AnomalyOptions,
  CounterSample,
  ForecastBand,
  PowerSample,
} from '../analytics/anomalies/types.ts';
import type { Site } from '../domain/site.ts';
import type { Store } from '../store/store.ts';
import { forecastStored } from './forecast-source.ts';

/** Channels whose forecast band is checked: consumption, where "more than usual" means something. */
const FORECAST_CHANNELS = new Set(['load', 'consumption', 'import']);
/** Band of the forecast-outlier check: wide, so that ordinary variation stays inside it. */
const OUTLIER_LEVEL = 0.98;

/** Latitude and longitude from site metadata (`latitude`/`longitude` or `lat`/`lon`), when present. */
export function siteLocation(site: Site): AnomalyInput['location'] {
  const m = site.metadata;
  const lat = Number(m['latitude'] ?? m['lat']);
  const lon = Number(m['longitude'] ?? m['lon'] ?? m['lng']);
  if (m['latitude'] === undefined && m['lat'] === undefined) return undefined;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    return undefined;
  }
  return { latitudeDeg: lat, longitudeDeg: lon };
}

/** Reads what the detectors need for one site over [fromMs, toMs). */
export async function loadAnomalyInput(
  store: Store,
  site: Site,
  fromMs: number,
  toMs: number,
  nowMs: number,
  withForecast: boolean,
): Promise<AnomalyInput> {
  const [buckets, readings] = await Promise.all([
    store.buckets({ siteId: site.siteId, fromMs, toMs }),
    store.readings({ siteId: site.siteId, fromMs, toMs }),
  ]);
  const byChannel: Record<string, AnomalyBucket[]> = {};
  for (const b of buckets) {
    const list = byChannel[b.channel] ?? [];
    list.push({
      tMs: b.bucketStartMs,
      energyWh: b.energyWh,
      coverage: b.coverage,
      minPowerW: b.minPowerW,
      maxPowerW: b.maxPowerW,
      quality: b.quality,
    });
    byChannel[b.channel] = list;
  }
  const power: Record<string, PowerSample[]> = {};
  const counters: Record<string, CounterSample[]> = {};
  for (const r of readings) {
    if (r.kind === 'power') {
      power[r.channel] = power[r.channel] ?? [];
      power[r.channel]!.push({ tMs: r.tMs, powerW: r.value });
    } else if (r.kind === 'counter') {
      counters[r.channel] = counters[r.channel] ?? [];
      counters[r.channel]!.push({ tMs: r.tMs, energyWh: r.value });
    }
  }
  const forecasts: Record<string, ForecastBand[]> = {};
  if (withForecast) {
    for (const channel of Object.keys(byChannel).filter((c) => FORECAST_CHANNELS.has(c))) {
      try {
        const f = await forecastStored(store, {
          siteId: site.siteId,
          channel,
          timeZone: site.timezone,
          fromMs,
          toMs,
          level: OUTLIER_LEVEL,
        });
        // Only a backtested model has intervals calibrated well enough to call a value abnormal.
        if (f.chosenBy === 'backtest') forecasts[channel] = f.points;
      } catch {
        // Without enough history there is no forecast to compare with; the other detectors still run.
      }
    }
  }
  const location = siteLocation(site);
  return {
    siteId: site.siteId,
    timeZone: site.timezone,
    ...(location === undefined ? {} : { location }),
    fromMs,
    toMs,
    nowMs,
    buckets: byChannel,
    power,
    counters,
    forecasts,
  };
}

/** Anomalies of one site over [fromMs, toMs). */
export async function findAnomalies(
  store: Store,
  site: Site,
  window: { fromMs: number; toMs: number; nowMs: number },
  options: AnomalyOptions = {},
): Promise<Anomaly[]> {
  const wantsForecast = options.kinds === undefined || options.kinds.includes('forecast-outlier');
  const input = await loadAnomalyInput(store, site, window.fromMs, window.toMs, window.nowMs, wantsForecast);
  return detectAnomalies(input, options);
}
