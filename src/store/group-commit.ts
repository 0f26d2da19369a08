// Serializes writes on one connection and commits concurrent ones together: while a transaction runs, new
// jobs queue; the next transaction runs them all and commits once. A job's promise resolves only after the
// commit that contains it, so an acknowledged write is durable. If a group fails, each of its jobs is
// retried alone, so one bad job cannot take the others down with it.
// A job may name lock keys: before running a group, the transactor's `lock` receives the union of its jobs'
// keys, so a backend shared by several processes can take all of a transaction's locks at once, in one
// global order, and never deadlock against another process doing the same.

export interface Transactor {
  begin(): Promise<void>;
  commit(): Promise<void>;
  /** Takes the locks of a group (the union of its jobs' keys), right after begin. */
  lock?(keys: readonly string[]): Promise<void>;
  rollback(): Promise<void>;
  /** Called after a rollback, e.g. to drop caches that may hold uncommitted state. */
  onRollback?(): Promise<void> | void;
}

interface Pending<T> {
  job: () => Promise<T>;
  keys: readonly string[];
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: Pending<unknown>[] = [];
  /** The drain loop while it runs. */
  private draining: Promise<void> | undefined;

  constructor(private readonly tx: Transactor) {}

  /**
   * Runs `job` inside a transaction (possibly shared with other jobs) and resolves after commit; `keys`
   * go to the transactor's `lock` before any job of the transaction runs.
   */
  run<T>(job: () => Promise<T>, keys: readonly string[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, keys, resolve, reject } as Pending<unknown>);
      this.draining ??= this.drain();
    });
  }

  /** Resolves when every queued job has finished. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0);
        if (!(await this.attempt(group)) && group.length > 1) {
          for (const one of group) await this.attempt([one]);
        }
      }
    } finally {
      // Cleared in the same turn as the last empty-queue check, so a job queued later starts a new drain.
      this.draining = undefined;
    }
  }

  /** Runs a group in one transaction; on failure rejects a lone job, or reports failure for a retry. */
  private async attempt(group: Pending<unknown>[]): Promise<boolean> {
    const results: unknown[] = [];
    try {
      await this.tx.begin();
      if (this.tx.lock) {
        const keys = new Set<string>();
        for (const p of group) for (const k of p.keys) keys.add(k);
        if (keys.size > 0) await this.tx.lock([...keys]);
      }
      for (const p of group) results.push(await p.job());
      await this.tx.commit();
    } catch (error) {
      await this.tx.rollback().catch(() => undefined);
      await this.tx.onRollback?.();
      if (group.length === 1) group[0]!.reject(error);
      return false;
    }
    for (const [i, p] of group.entries()) p.resolve(results[i]);
    return true;
  }
}
