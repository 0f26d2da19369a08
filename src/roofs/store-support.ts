// Small pieces both roof-store backends share.
import type { PlannedWrite } from './roof-store.ts';

/** Runs async jobs one at a time, in order (one writer per store). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }

  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}

export interface InstallationWrite {
  installationId: string;
  revision: number;
  contentHash: string;
  buildings: number;
  planes: number;
}

/** The state each written installation ends in (the last write of an installation wins). */
export function summariesOf(writes: readonly PlannedWrite[]): InstallationWrite[] {
  const byId = new Map<string, InstallationWrite>();
  for (const w of writes) {
    const buildings = w.input.document.siteModel.buildings;
    byId.set(w.input.installationId, {
      installationId: w.input.installationId,
      revision: w.revision,
      contentHash: w.input.contentHash,
      buildings: buildings.length,
      planes: buildings.reduce((n, b) => n + b.mountingPlanes.length, 0),
    });
  }
  return [...byId.values()];
}
