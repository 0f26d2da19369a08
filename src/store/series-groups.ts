// Readings of a batch grouped by series and kind. Keyed lookups on a concatenated key (seriesKindKey) cost a
// new string and its hash per reading, which measured as much as normalizing the batch; nested maps on the
// reading's own strings (whose hashes V8 caches) are about 8× cheaper. The key is built once per series.
import { type Reading, seriesKindKey } from '../domain/reading.ts';

/** The readings of each series (site, channel, kind) by seriesKindKey, in order of first appearance, each
 * group in input order. */
export function groupBySeriesKind<R extends Reading>(readings: readonly R[]): Map<string, R[]> {
  const bySite = new Map<string, Map<string, Map<string, R[]>>>();
  const out = new Map<string, R[]>();
  let last: R | undefined;
  let group: R[] = [];
  for (const r of readings) {
    // Consecutive readings of one series (the usual shape of a payload) skip the lookups.
    if (
      last === undefined ||
      r.siteId !== last.siteId ||
      r.channel !== last.channel ||
      r.kind !== last.kind
    ) {
      let byChannel = bySite.get(r.siteId);
      if (byChannel === undefined) {
        byChannel = new Map();
        bySite.set(r.siteId, byChannel);
      }
      let byKind = byChannel.get(r.channel);
      if (byKind === undefined) {
        byKind = new Map();
        byChannel.set(r.channel, byKind);
      }
      let g = byKind.get(r.kind);
      if (g === undefined) {
        g = [];
        byKind.set(r.kind, g);
        out.set(seriesKindKey(r), g);
      }
      group = g;
    }
    group.push(r);
    last = r;
  }
  return out;
}
