// Checks a cleaned document against its generation's schema; every failure is a rejection at its path.

import type { TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { FORMAT_VERSIONS, type FormatVersion, type RoofDocument, type RoofIssue } from './model.ts';
import { ROOF_SCHEMAS } from './schemas.ts';

/** At most this many schema problems are reported for one document. */
export const MAX_SCHEMA_ISSUES = 50;

const compiled = new Map<FormatVersion, TypeCheck<TSchema>>();

function checker(version: FormatVersion): TypeCheck<TSchema> {
  let c = compiled.get(version);
  if (c === undefined) {
    c = TypeCompiler.Compile(ROOF_SCHEMAS[version]);
    compiled.set(version, c);
  }
  return c;
}

/** Rejections for every schema problem of `doc` (none when it conforms). */
export function validateRoofDocument(doc: unknown): { document?: RoofDocument; issues: RoofIssue[] } {
  const version = (doc as { version?: unknown } | null)?.version;
  if (!FORMAT_VERSIONS.includes(version as FormatVersion)) return { issues: [] };
  const check = checker(version as FormatVersion);
  if (check.Check(doc)) return { document: doc as RoofDocument, issues: [] };
  const seen = new Set<string>();
  const issues: RoofIssue[] = [];
  for (const e of check.Errors(doc)) {
    // TypeBox reports a union's failure once per member; the first says it best.
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    const issue: RoofIssue = {
      severity: 'rejection',
      rule: 'schema',
      path: e.path,
      message: e.value === undefined ? 'is required' : e.message,
    };
    if (e.value !== undefined) issue.oldValue = e.value;
    issues.push(issue);
    if (issues.length >= MAX_SCHEMA_ISSUES) break;
  }
  return { issues };
}
