// One document from text (or a parsed value) to either a cleaned, validated, hashed document ready to
// store, or a rejection with its reasons. No I/O.
import { cleanRoofDocument } from './clean.ts';
import { type CanonicalDocument, canonicalDocument } from './content-hash.ts';
import { installationKey, type RoofDocument, type RoofIssue } from './model.ts';
import { type JsonPosition, parseJsonWithPosition } from './parse-json.ts';
import { validateRoofDocument } from './validate.ts';

export interface PrepareOptions {
  /** Warnings become rejections. */
  strict?: boolean;
}

export type PreparedRoof =
  | {
      ok: true;
      document: RoofDocument;
      installationId: string;
      contentHash: string;
      /** The document's canonical JSON (hashed, and stored as it is): serialised once per document. */
      canonical: CanonicalDocument;
      issues: RoofIssue[];
    }
  | { ok: false; issues: RoofIssue[]; position?: JsonPosition };

/** Cleans and validates a parsed document. */
export function prepareRoofValue(value: unknown, opts: PrepareOptions = {}): PreparedRoof {
  const cleaned = cleanRoofDocument(value);
  let issues = cleaned.issues;
  if (opts.strict) {
    issues = issues.map((i) =>
      i.severity === 'warning'
        ? { ...i, severity: 'rejection', message: `${i.message} (a warning; --strict rejects it)` }
        : i,
    );
  }
  // Schema problems are reported even when cleaning already refused the document: one pass shows all.
  const checked = validateRoofDocument(cleaned.document);
  issues = [...issues, ...checked.issues];
  if (checked.document === undefined || issues.some((i) => i.severity === 'rejection')) {
    if (!issues.some((i) => i.severity === 'rejection'))
      issues.push({
        severity: 'rejection',
        rule: 'schema',
        path: '',
        message: 'the document does not match its schema',
      });
    return { ok: false, issues };
  }
  const document = checked.document;
  const canonical = canonicalDocument(document);
  return {
    ok: true,
    document,
    installationId: installationKey(document),
    contentHash: canonical.contentHash,
    canonical,
    issues,
  };
}

/** Parses, cleans and validates the text of one file. */
export function prepareRoofText(text: string, opts: PrepareOptions = {}): PreparedRoof {
  const parsed = parseJsonWithPosition(text);
  if (!parsed.ok) {
    const { byteOffset, line, column } = parsed.position;
    return {
      ok: false,
      position: parsed.position,
      issues: [
        {
          severity: 'rejection',
          rule: 'invalid-json',
          path: '',
          message: parsed.message,
          oldValue: { byteOffset, line, column },
        },
      ],
    };
  }
  return prepareRoofValue(parsed.value, opts);
}
