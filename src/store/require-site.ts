// The one 404 for a site that is not in the store, naming the parameter that asked for it.
import { WattlineError } from '../domain/errors.ts';
import type { Site } from '../domain/site.ts';
import type { Store } from './store.ts';

/** The site, or a 404 naming it (at `path`, '/siteId' by default). */
export async function requireSite(store: Store, siteId: string, path = '/siteId'): Promise<Site> {
  const site = await store.getSite(siteId);
  if (site === undefined) {
    throw new WattlineError('site-not-found', `There is no site ${siteId}`, [
      { path, message: 'no such site', value: siteId },
    ]);
  }
  return site;
}
