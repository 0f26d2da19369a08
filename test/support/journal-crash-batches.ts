// The batches the journal crash test ingests: several sites and kinds, extensions, a late reading that
// recomputes stored buckets, a repeat, and a later-received correction of a stored instant.
import type { Reading } from '../../src/domain/reading.ts';
import { MIN, T0 } from './bucket-asserts.ts';

export function journalCrashBatches(): Reading[][] {
  const power = (site: string, fromMin: number, n: number, receivedMs: number): Reading[] =>
    Array.from({ length: n }, (_, k) => ({
      siteId: site,
      channel: 'grid',
      kind: 'power' as const,
      tMs: T0 + (fromMin + k * 5) * MIN,
      endMs: null,
      value: 1000 + (((fromMin + k) * 37) % 900) - 450.25,
      receivedMs,
    }));
  const counter = (fromMin: number, n: number): Reading[] =>
    Array.from({ length: n }, (_, k) => ({
      siteId: 'meter',
      channel: 'import',
      kind: 'counter' as const,
      tMs: T0 + (fromMin + k * 15) * MIN,
      endMs: null,
      value: 10_000 + (fromMin + k * 15) * 4.5,
      receivedMs: 7,
    }));
  return [
    power('a', 0, 24, 1),
    power('b', 0, 24, 1),
    counter(0, 8),
    power('a', 120, 24, 2),
    power('a', 62, 1, 3), // late: recomputes stored buckets of a
    power('b', 0, 24, 1), // a repeat: changes nothing
    counter(120, 8),
    [{ ...power('a', 60, 1, 9)[0]!, value: 4321.5 }], // a later-received correction of a stored instant
    power('c', 30, 12, 4),
  ];
}
