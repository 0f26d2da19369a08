// The seed API's spaceships are ordinary sites (DESIGN §2): ship N is site "N", channel 'consumption'.

import { WattlineError } from '../domain/errors.ts';
import type { Site } from '../domain/site.ts';
import type { Store } from '../store/store.ts';

export const SHIP_CHANNEL = 'consumption';
export const SHIP_SOURCE = 'spaceship';

const CANONICAL_INT = /^(?:0|[1-9]\d{0,15})$/;

/** Site id of ship `n`. */
export function shipSiteId(n: number): string {
  return String(n);
}

/** The ship number of a site id, or undefined when the id is not a canonical integer. */
export function shipNumberOf(siteId: string): number | undefined {
  if (!CANONICAL_INT.test(siteId)) return undefined;
  const n = Number(siteId);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Attributes of a ship's site when its first data arrives. */
export function shipSiteDefaults(n: number): Omit<Site, 'siteId'> {
  return { name: `spaceship ${n}`, timezone: 'UTC', source: SHIP_SOURCE, metadata: {} };
}

/** The ship's site; a 404 site-not-found naming `/spaceship_id` when there is none. */
export async function requireShip(store: Store, n: number): Promise<Site> {
  const site = await store.getSite(shipSiteId(n));
  if (site === undefined) {
    throw new WattlineError('site-not-found', `Spaceship ${n} has no data`, [
      { path: '/spaceship_id', message: 'no such spaceship', value: n },
    ]);
  }
  return site;
}
