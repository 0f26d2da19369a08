// The roof store: site-model revisions in relational tables, one implementation per backend
// (duckdb-roof-store.ts, postgres-roof-store.ts), both run through the same tests.
import type { CanonicalDocument } from './content-hash.ts';
import type { RoofDocument, RoofIssue } from './model.ts';

/** A cleaned, validated document ready to store. */
export interface RoofRevisionInput {
  installationId: string;
  contentHash: string;
  document: RoofDocument;
  /** Fixes and warnings of its cleaning, kept with the revision. */
  issues: RoofIssue[];
  /** The document's canonical text from prepareRoofValue; the store serialises it itself when absent. */
  canonical?: CanonicalDocument;
}

export type ImportStatus = 'imported' | 'new-revision' | 'unchanged';

export interface ImportOutcome {
  installationId: string;
  status: ImportStatus;
  /** The revision now current (for `unchanged`, the one that already held this content). */
  revision: number;
  importedMs: number;
}

export interface RevisionInfo {
  installationId: string;
  revision: number;
  importedMs: number;
  contentHash: string;
  formatVersion: string;
  dateCreated: string;
}

export interface StoredRevision extends RevisionInfo {
  document: RoofDocument;
  issues: RoofIssue[];
}

export interface InstallationSummary {
  installationId: string;
  latestRevision: number;
  revisions: number;
  firstImportedMs: number;
  lastImportedMs: number;
  buildings: number;
  planes: number;
}

/** Which revision: a number, the latest imported at or before an instant, or (neither) the latest. */
export interface RevisionSelector {
  revision?: number;
  asOfMs?: number;
}

export interface RoofStore {
  readonly backend: string;
  /**
   * Stores documents in ONE transaction: all of them or none. Identical content to an installation's latest
   * revision is a no-op; changed content is its next revision, stamped with the store's clock.
   */
  importRevisions(inputs: readonly RoofRevisionInput[]): Promise<ImportOutcome[]>;
  /** Installations ordered by id, after `afterId` when given. */
  listInstallations(q: { limit: number; afterId?: string }): Promise<InstallationSummary[]>;
  /** The revisions of one installation, oldest first (empty when unknown). */
  revisions(installationId: string): Promise<RevisionInfo[]>;
  getRevision(installationId: string, select?: RevisionSelector): Promise<StoredRevision | undefined>;
  /** The latest revision of every installation, ordered by id, in pages. */
  latestRevisions(pageSize?: number): AsyncIterable<StoredRevision[]>;
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

export interface LatestState {
  revision: number;
  contentHash: string;
}

export interface PlannedWrite {
  input: RoofRevisionInput;
  revision: number;
  /** The installation has no revision yet. */
  isNew: boolean;
}

/**
 * Decides each input's outcome from the installations' current latest revisions, in input order (a batch may
 * hold one installation twice). Pure: both backends call it inside their transaction.
 */
export function planRevisions(
  inputs: readonly RoofRevisionInput[],
  latest: ReadonlyMap<string, LatestState>,
  importedMs: number,
): { outcomes: ImportOutcome[]; writes: PlannedWrite[] } {
  const state = new Map(latest);
  const outcomes: ImportOutcome[] = [];
  const writes: PlannedWrite[] = [];
  for (const input of inputs) {
    const cur = state.get(input.installationId);
    if (cur !== undefined && cur.contentHash === input.contentHash) {
      outcomes.push({
        installationId: input.installationId,
        status: 'unchanged',
        revision: cur.revision,
        importedMs,
      });
      continue;
    }
    const revision = (cur?.revision ?? 0) + 1;
    state.set(input.installationId, { revision, contentHash: input.contentHash });
    writes.push({ input, revision, isNew: cur === undefined });
    outcomes.push({
      installationId: input.installationId,
      status: cur === undefined ? 'imported' : 'new-revision',
      revision,
      importedMs,
    });
  }
  return { outcomes, writes };
}
