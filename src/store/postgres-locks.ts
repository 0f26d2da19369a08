// Lock names of the PostgreSQL backend and their advisory lock ids. A transaction takes all its locks at
// once, sorted by id, so two wattline processes can never wait on each other in a cycle.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { seriesKindKey } from '../domain/reading.ts';

/** A series (site, channel, kind): held while its raw log, buckets and version are read and written. */
export function seriesLock(s: { siteId: string; channel: string; kind: string }): string {
  return `series\u0000${seriesKindKey(s as Parameters<typeof seriesKindKey>[0])}`;
}

/** A site that is not known to exist yet: held while it may be inserted. */
export function newSiteLock(siteId: string): string {
  return `new-site\u0000${siteId}`;
}

/** A site whose row is written even if it exists (upsertSites). */
export function siteLock(siteId: string): string {
  return `site\u0000${siteId}`;
}

const NEW_SITE = 'new-site\u0000';
const SITE = 'site\u0000';

/** The site a new-site or site lock name refers to, else undefined. */
export function siteOfLock(name: string): { siteId: string; onlyIfNew: boolean } | undefined {
  // By prefix, not split: a batch hands over a thousand series names, and none of them is a site's.
  if (name.startsWith(NEW_SITE)) return { siteId: field(name, NEW_SITE.length), onlyIfNew: true };
  if (name.startsWith(SITE)) return { siteId: field(name, SITE.length), onlyIfNew: false };
  return undefined;
}

/** The text from `from` to the next NUL or the end. */
function field(name: string, from: number): string {
  const end = name.indexOf('\u0000', from);
  return end < 0 ? name.slice(from) : name.slice(from, end);
}

/** Advisory locks are striped: a name maps to one of LOCK_STRIPES ids, so one transaction holds at most
 * this many locks however many series it touches (PostgreSQL's lock table is shared and bounded:
 * max_locks_per_transaction × max_connections). Two names on one stripe only serialize each other. */
export const LOCK_STRIPES = 1024;
/** First key of the two-key advisory locks, so that wattline's locks stay apart from other users'. */
const LOCK_NAMESPACE = 0x57415454; // 'WATT'

/** The stripe a lock name maps to (from its SHA-1). */
export function lockStripe(name: string): number {
  // Sites share one stripe whether locked as new or not, so an upsert and an insert exclude each other.
  const site = siteOfLock(name);
  const canonical = site === undefined ? name : `site\u0000${site.siteId}`;
  return createHash('sha1').update(canonical).digest().readUInt32BE(0) % LOCK_STRIPES;
}

const MAX_CACHED_STRIPES = 100_000;

/** lockStripe with a memory of the names seen lately, one per store: a large batch names a thousand series
 * and sites each time, and a SHA-1 apiece cost a few milliseconds per batch. Bounded, as names come from
 * clients. */
export class LockStripes {
  private readonly cache = new Map<string, number>();

  of(name: string): number {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const stripe = lockStripe(name);
    if (this.cache.size >= MAX_CACHED_STRIPES) this.cache.clear();
    this.cache.set(name, stripe);
    return stripe;
  }
}

/** Takes transaction-scoped advisory locks for `names`, in ascending stripe order. */
export async function lockAll(
  client: pg.ClientBase,
  names: Iterable<string>,
  stripesOf: LockStripes,
): Promise<void> {
  const stripes = [...new Set([...names].map((n) => stripesOf.of(n)))].sort((a, b) => a - b);
  if (stripes.length === 0) return;
  // Row by row in array order: volatile functions in the select list run after the ORDER BY.
  await client.query(
    `SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, s) FROM unnest($1::int[]) WITH ORDINALITY AS l(s, n) ORDER BY n`,
    [stripes],
  );
}
