import type { StatusService } from '../ingest/fleet-status-service.ts';
import type { Store } from '../store/store.ts';

/** What every route module receives from buildApp. */
export interface RouteDeps {
  store: Store;
  /** Current time (epoch ms); stamps readings as received. */
  clock: () => number;
  /** Device health (GET /v1/status, health of GET /v1/sites). */
  status: StatusService;
}
