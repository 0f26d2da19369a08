import type { Store } from '../store/store.ts';

/** What every route module receives from buildApp. */
export interface RouteDeps {
  store: Store;
  /** Current time (epoch ms); stamps readings as received. */
  clock: () => number;
}
