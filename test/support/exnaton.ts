// The Exnaton smart-meter payloads of ../shared/fixtures/exnaton as 15-minute slot values.
import { readFileSync } from 'node:fs';
import type { SlotValue } from '../../src/analytics/series-grid.ts';
import { sharedPath } from './shared.ts';

/** Import (OBIS 1-0:1.29.0, kWh per 15 minutes) of meter 95ce3367: a Swiss household, February 2023. */
export const EXNATON_IMPORT = '95ce3367-cbce-4a4d-bbe3-da082831d7bd.json';

/** Slot values (Wh) of an Exnaton payload, oldest first; `obis` is the value's key. */
export function exnatonSlots(file = EXNATON_IMPORT, obis = '0100011D00FF'): SlotValue[] {
  const body = JSON.parse(readFileSync(sharedPath('fixtures', 'exnaton', file), 'utf8')) as {
    data: Record<string, unknown>[];
  };
  return body.data
    .map((r) => ({ tMs: Date.parse(String(r['timestamp'])), energyWh: Number(r[obis]) * 1000, coverage: 1 }))
    .filter((p) => Number.isFinite(p.tMs) && Number.isFinite(p.energyWh))
    .sort((a, b) => a.tMs - b.tMs);
}
