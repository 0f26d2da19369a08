// Group commits whose durability comes from the ingest journal (ingest-journal.ts) rather than from a
// database commit per group. A group of ingests is acknowledged once its batches are journaled and synced.
// The database keeps one transaction open across such groups; when enough has gathered, or the oldest has
// waited long enough, it commits them in the background while later groups go on being journaled (the
// commit seals the journal segment it empties). A group that must be in the database when it ends (a reader
// needs to see it, sites are upserted, polls are logged) waits for that commit and commits itself.
// After a rollback, or a background commit that failed, the database lacks groups the journal still has:
// the next transaction ingests them again first, so that nothing acknowledged goes missing.
import type { Transactor } from './group-commit.ts';
import type { IngestJournal, JournalRecord } from './ingest-journal.ts';
import { decodeJournalBatch, type JournalBatch } from './journal-codec.ts';

/** What the store does inside the database for the transactor. */
export interface DatabaseSide {
  /** Begins a transaction unless one is open. */
  begin(): Promise<void>;
  /**
   * Writes what the open transaction buffers and commits it. `cut` is called once, synchronously, when
   * the buffers are taken: what was ingested until then is in this commit. It returns SQL to run in the
   * same call as the COMMIT.
   */
  commit(cut: () => string): Promise<void>;
  rollback(): Promise<void>;
  /** Brings in-memory state back to the database's after a rollback. */
  reload(): Promise<void>;
  /** Ingests a journaled batch again, into the open transaction, without journaling it. */
  replay(batch: JournalBatch): Promise<void>;
  /** Called once a group is durable (journaled or committed): e.g. applies its writes to read caches. */
  published(): void;
}

export interface JournalLimits {
  /** Readings the database may hold uncommitted before they are committed. */
  maxReadings: number;
  /** Milliseconds the oldest uncommitted group may wait for its database commit. */
  maxWaitMs: number;
}

export class JournaledTransactor implements Transactor {
  /** Absent until attached (an in-memory database has none): every group then commits to the database. */
  private journal: IngestJournal | undefined;
  private appliedLsn = 0;
  private lastLsn = 0;
  /** Records journaled and not yet in a database commit, in order. */
  private journaled: JournalRecord[] = [];
  /** Records of the background commit in flight. */
  private committing: JournalRecord[] = [];
  private inFlight: Promise<void> | undefined;
  /** The background commit failed: the next transaction starts from the database's state again. */
  private failed = false;
  /** Batches the running group ingested, to journal when it ends. */
  private group: { payload: Uint8Array; readings: number }[] = [];
  private forced = false;
  private uncommittedReadings = 0;
  private oldestUncommittedMs = 0;
  private replayFirst = false;
  private timer: NodeJS.Timeout | undefined;

  /** `commitSoon` starts a group that commits (the store runs `forceCommit` through its group commit). */
  constructor(
    private readonly db: DatabaseSide,
    private readonly limits: JournalLimits,
    private readonly commitSoon: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Starts journaling. `appliedLsn` is the last record the database holds; `records` are the journal's
   * (from a previous run): those after appliedLsn are ingested again by the next transaction, which the
   * caller should then commit.
   */
  attach(journal: IngestJournal, appliedLsn: number, records: readonly JournalRecord[]): void {
    this.journal = journal;
    this.appliedLsn = appliedLsn;
    this.lastLsn = records.reduce((m, r) => Math.max(m, r.lsn), appliedLsn);
    this.journaled = records.filter((r) => r.lsn > appliedLsn);
    this.replayFirst = this.journaled.length > 0;
    this.oldestUncommittedMs = this.now();
    if (this.journaled.length === 0) journal.reset();
  }

  /**
   * Whether a batch of `readings` is to be journaled (`record`). A batch as large as the commit limit (an
   * import) is not: its group commits to the database itself, which costs it no more than journaling.
   */
  journalsBatch(readings: number): boolean {
    if (this.journal === undefined) return false;
    if (readings < this.limits.maxReadings) return true;
    this.forced = true;
    return false;
  }

  /** Whether the database lacks acknowledged writes that a reader on another connection would miss. */
  get behind(): boolean {
    return this.journaled.length > 0 || this.replayFirst || this.inFlight !== undefined || this.failed;
  }

  /** Journals an ingested batch of the running group (encoded by encodeJournalBatch). */
  record(payload: Uint8Array, readings: number): void {
    this.group.push({ payload, readings });
  }

  /** Makes the running group commit to the database. */
  forceCommit(): void {
    this.forced = true;
  }

  /** Resolves once no background commit is in flight (its failure is handled by the next transaction). */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  async begin(): Promise<void> {
    console.error('begin', this.failed, this.replayFirst, this.journaled.length, !!this.inFlight);
    this.group = [];
    this.forced = false;
    if (this.failed) {
      // The failed commit left the connection's transaction in an unknown state: start from the database's.
      this.failed = false;
      await this.db.rollback().catch(() => undefined);
      await this.db.reload();
      this.replayFirst = this.journaled.length > 0;
    }
    await this.db.begin();
    if (this.replayFirst) {
      for (const r of this.journaled) await this.db.replay(decodeJournalBatch(r.payload));
      this.replayFirst = false;
    }
  }

  async commit(): Promise<void> {
    if (this.journal !== undefined && !this.forced) {
      await this.journalGroup(this.journal);
      const due =
        this.uncommittedReadings >= this.limits.maxReadings ||
        (this.journaled.length > 0 && this.now() - this.oldestUncommittedMs >= this.limits.maxWaitMs);
      if (due && this.inFlight === undefined) this.commitInBackground(this.journal);
    } else {
      await this.settled();
      if (this.failed) throw new Error('the previous database commit failed; the transaction starts over');
      // The group's own batches need no journal: this commit makes them durable.
      try {
        await this.db.commit(() => this.cut());
      } catch (e) {
        this.journaled = [...this.committing, ...this.journaled];
        this.committing = [];
        throw e;
      }
      this.appliedLsn = this.committedLsn;
      // A crash before this reset replays nothing: the LSN committed with the data says so.
      this.journal?.reset();
      this.committing = [];
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.group = [];
    this.db.published();
  }

  async rollback(): Promise<void> {
    await this.settled();
    await this.db.rollback();
  }

  async onRollback(): Promise<void> {
    this.group = [];
    this.failed = false;
    await this.db.reload();
    // The rollback took the uncommitted groups out of the database; the journal still has them.
    this.replayFirst = this.journaled.length > 0;
  }

  /** Stops the timer (the store commits what is left when it closes). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async journalGroup(journal: IngestJournal): Promise<void> {
    if (this.group.length === 0) return;
    const records = this.group.map((b) => ({ lsn: ++this.lastLsn, payload: b.payload }));
    await journal.append(records);
    if (this.journaled.length === 0) this.oldestUncommittedMs = this.now();
    this.journaled.push(...records);
    for (const b of this.group) this.uncommittedReadings += b.readings;
    this.schedule();
  }

  /** The LSN the commit being cut records (set by `cut`). */
  private committedLsn = 0;

  /** Moves what was journaled into the commit being made; returns the SQL recording its last LSN. */
  private cut(): string {
    this.committedLsn = this.lastLsn;
    this.committing = this.journaled;
    this.journaled = [];
    this.uncommittedReadings = 0;
    return this.committedLsn > this.appliedLsn
      ? `UPDATE ingest_journal_state SET applied_lsn = ${this.committedLsn}; `
      : '';
  }

  private commitInBackground(journal: IngestJournal): void {
    const run = this.db
      .commit(() => {
        const sql = this.cut();
        // Records journaled from now on go to the other segment: this one empties when the commit is done.
        journal.seal();
        return sql;
      })
      .then(
        () => {
          this.appliedLsn = this.committedLsn;
          journal.release();
        },
        () => {
          // Nothing of this commit is in the database: its records go back in front of the later ones.
          this.journaled = [...this.committing, ...this.journaled];
          this.failed = true;
        },
      )
      .finally(() => {
        this.committing = [];
        this.inFlight = undefined;
        if (this.journaled.length > 0) this.oldestUncommittedMs = this.now();
      });
    this.inFlight = run;
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.journaled.length > 0 || this.failed) this.commitSoon();
    }, this.limits.maxWaitMs);
    this.timer.unref();
  }
}
