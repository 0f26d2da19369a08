// How `wattline poll` and `wattline pull` print what they read: aligned tables for people, JSON for tools.
import type { PollOutcome } from '../connectors/connector.ts';
import { formatInstant } from '../domain/time.ts';
import type { AckedBatch } from '../ingest/poll-scheduler.ts';

/** Left-aligned columns with two spaces between them. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function round(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2);
}

/** One row per polled site: state, the payload's time, each channel's value and the gauges read. */
export function outcomeRows(batch: AckedBatch): string[][] {
  return batch.outcomes.map((o: PollOutcome) => {
    const values = o.readings.map((r) => `${r.channel}=${round(r.value)}${r.kind === 'power' ? 'W' : 'Wh'}`);
    const shown = values.length > 4 ? [...values.slice(0, 4), `… ${values.length} readings`] : values;
    // Gauges (state of charge, grid status) are not readings: shown after them, without an energy unit.
    for (const g of o.gauges ?? []) {
      const unit = (g as { unit?: string }).unit === '%' ? '%' : '';
      shown.push(`${g.name}=${Number.isInteger(g.value) ? g.value : round(g.value)}${unit}`);
    }
    return [
      batch.connector,
      o.siteId,
      o.state,
      o.raw?.payloadMs == null ? '-' : formatInstant(o.raw.payloadMs),
      shown.join(' ') || '-',
      o.detail ?? '',
    ];
  });
}

export const OUTCOME_HEADER = ['connector', 'site', 'state', 'payload time', 'readings', 'detail'] as const;

/** A batch as JSON: outcomes with their readings (value in W or Wh). */
export function batchJson(batch: AckedBatch): unknown {
  return {
    event: 'ack',
    connector: batch.connector,
    source: batch.source,
    askedAt: formatInstant(batch.askedMs),
    stored: batch.summary?.stored ?? 0,
    outcomes: batch.outcomes.map((o) => ({
      siteId: o.siteId,
      state: o.state,
      payloadTime: o.raw?.payloadMs == null ? null : formatInstant(o.raw.payloadMs),
      detail: o.detail ?? null,
      readings: o.readings.map((r) => ({
        channel: r.channel,
        kind: r.kind,
        t: formatInstant(r.tMs),
        ...(r.endMs === null ? {} : { end: formatInstant(r.endMs) }),
        value: r.value,
      })),
      ...(o.gauges === undefined
        ? {}
        : { gauges: o.gauges.map((g) => ({ name: g.name, t: formatInstant(g.tMs), value: g.value })) }),
    })),
  };
}
