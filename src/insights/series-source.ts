// Reads one series out of the store for the analytics: checks the site, channel, zone and window, and
// hands back 15-minute slot values. Errors come from the catalogue and name the parameter at fault.
import type { SlotValue } from '../analytics/series-grid.ts';
import { WattlineError } from '../domain/errors.ts';
import type { Site } from '../domain/site.ts';
import { BUCKET_MS, DAY_MS, formatInstant } from '../domain/time.ts';
import { isValidTimeZone } from '../domain/time-zone.ts';
import { requireSite } from '../store/require-site.ts';
import type { Store } from '../store/store.ts';

/** Longest window the exploration endpoints read: a year and a bit. */
export const MAX_ANALYSIS_DAYS = 400;

export interface SeriesRequest {
  siteId: string;
  channel: string;
  fromMs?: number;
  toMs?: number;
  /** Overrides the site's time zone. */
  timeZone?: string;
}

export interface SeriesWindow {
  site: Site;
  channel: string;
  timeZone: string;
  /** The window, 15-minute aligned: [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  points: SlotValue[];
}

export { requireSite };

/** The zone to compute local days in: `tz` when given (and valid), else the site's. */
export function resolveTimeZone(site: Site, tz: string | undefined): string {
  if (tz === undefined) return site.timezone;
  if (!isValidTimeZone(tz)) {
    throw new WattlineError('invalid-time-zone', `${tz} is not an IANA time zone`, [
      { path: '/tz', message: 'must be an IANA time zone such as Europe/Zurich or UTC', value: tz },
    ]);
  }
  return tz;
}

/** Checks that the channel has data at the site; 404 series-not-found otherwise. */
export async function requireChannel(store: Store, site: Site, channel: string): Promise<void> {
  const channels = await store.channels(site.siteId);
  if (!channels.includes(channel)) {
    throw new WattlineError(
      'series-not-found',
      `Site ${site.siteId} has no data on channel ${channel}${channels.length > 0 ? ` (it has ${channels.join(', ')})` : ''}`,
      [{ path: '/channel', message: 'no data on this channel', value: channel }],
    );
  }
}

/** The 15-minute slot values of a series in the window (by default: all of its data). */
export async function loadSeries(store: Store, req: SeriesRequest): Promise<SeriesWindow> {
  const site = await requireSite(store, req.siteId);
  const timeZone = resolveTimeZone(site, req.timeZone);
  await requireChannel(store, site, req.channel);
  const range = await store.timeRange(site.siteId);
  const fromMs = Math.floor((req.fromMs ?? range?.firstMs ?? 0) / BUCKET_MS) * BUCKET_MS;
  const toMs =
    Math.ceil((req.toMs ?? (range ? range.lastMs + BUCKET_MS : fromMs + BUCKET_MS)) / BUCKET_MS) * BUCKET_MS;
  if (toMs - fromMs > MAX_ANALYSIS_DAYS * DAY_MS) {
    throw new WattlineError('invalid-range', `The window may span at most ${MAX_ANALYSIS_DAYS} days`, [
      {
        path: req.toMs === undefined ? '/from' : '/to',
        message: `must be at most ${MAX_ANALYSIS_DAYS} days after from (${formatInstant(fromMs)})`,
        value: formatInstant(toMs),
      },
    ]);
  }
  const buckets = await store.buckets({ siteId: site.siteId, channel: req.channel, fromMs, toMs });
  return {
    site,
    channel: req.channel,
    timeZone,
    fromMs,
    toMs,
    points: buckets.map((b) => ({ tMs: b.bucketStartMs, energyWh: b.energyWh, coverage: b.coverage })),
  };
}
