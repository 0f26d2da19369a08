// Rows of the PostgreSQL backend's tables as pg returns them (bigint already a number), and their domain form.
import type { SeriesBucket } from '../domain/bucket.ts';
import type { Site } from '../domain/site.ts';

export const BUCKET_COLUMNS =
  'site_id, channel, bucket_start_ms, energy_wh, positive_wh, negative_wh, coverage, samples, min_power_w, max_power_w, quality';

export interface BucketRow {
  site_id: string;
  channel: string;
  bucket_start_ms: number;
  energy_wh: number;
  positive_wh: number;
  negative_wh: number;
  coverage: number;
  samples: number;
  min_power_w: number;
  max_power_w: number;
  quality: SeriesBucket['quality'];
}

export function toBucket(row: BucketRow): SeriesBucket {
  return {
    siteId: row.site_id,
    channel: row.channel,
    bucketStartMs: row.bucket_start_ms,
    energyWh: row.energy_wh,
    positiveWh: row.positive_wh,
    negativeWh: row.negative_wh,
    coverage: row.coverage,
    samples: row.samples,
    minPowerW: row.min_power_w,
    maxPowerW: row.max_power_w,
    quality: row.quality,
  };
}

export interface SiteRow {
  site_id: string;
  name: string;
  timezone: string;
  source: string;
  metadata: Record<string, unknown>;
}

export function toSite(row: SiteRow): Site {
  return {
    siteId: row.site_id,
    name: row.name,
    timezone: row.timezone,
    source: row.source,
    metadata: row.metadata ?? {},
  };
}
