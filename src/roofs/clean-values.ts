// The cleaner's building blocks: an issue collector and value coercions, each named by its rule
// (docs/roofs.md, "Cleaning rules"). Pure.
import type { IssueSeverity, RoofIssue } from './model.ts';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Escapes a key for a JSON pointer (RFC 6901). */
export function pointer(base: string, key: string | number): string {
  // Called for every value the cleaner visits: the escaping scan is skipped for indexes and plain keys.
  if (typeof key === 'number' || (!key.includes('~') && !key.includes('/'))) return `${base}/${key}`;
  return `${base}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** Collects what cleaning changed (fix), doubted (warning) or refused (rejection). */
export class IssueLog {
  readonly issues: RoofIssue[] = [];

  add(
    severity: IssueSeverity,
    rule: string,
    path: string,
    message: string,
    oldValue?: unknown,
    newValue?: unknown,
  ): void {
    const issue: RoofIssue = { severity, rule, path, message };
    if (oldValue !== undefined) issue.oldValue = oldValue;
    if (newValue !== undefined) issue.newValue = newValue;
    this.issues.push(issue);
  }

  fix(rule: string, path: string, message: string, oldValue: unknown, newValue: unknown): void {
    this.add('fix', rule, path, message, oldValue, newValue);
  }

  warn(rule: string, path: string, message: string, oldValue?: unknown, newValue?: unknown): void {
    this.add('warning', rule, path, message, oldValue, newValue);
  }

  reject(rule: string, path: string, message: string, value?: unknown): void {
    this.add('rejection', rule, path, message, value);
  }
}

const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number from a number or numeric text; undefined otherwise. */
export function numberFrom(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    if (!NUMERIC_TEXT.test(t)) return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * Rule `numeric-string`: a number sent as text becomes the number. Anything else stays as it is, for the
 * schema to reject with its path.
 */
export function cleanNumber(log: IssueLog, value: unknown, path: string): unknown {
  if (typeof value !== 'string') return value;
  const n = numberFrom(value);
  if (n === undefined) return value;
  log.fix('numeric-string', path, 'number given as text; converted', value, n);
  return n;
}

/** Rule `id-string`: an id sent as integer text ("33") becomes the integer; other text ids stay text. */
export function cleanId(log: IssueLog, value: unknown, path: string): unknown {
  if (typeof value !== 'string') return value;
  const n = numberFrom(value);
  if (n === undefined || !Number.isSafeInteger(n) || String(n) !== value.trim()) return value;
  log.fix('id-string', path, 'id given as text; converted to a number', value, n);
  return n;
}

/** Rule `null-list`: null or a missing key where a list is expected becomes an empty list. */
export function cleanList(log: IssueLog, value: unknown, path: string): unknown {
  if (value === null || value === undefined) {
    log.fix(
      'null-list',
      path,
      'null or missing where a list is expected; an empty list is kept',
      value ?? null,
      [],
    );
    return [];
  }
  return value;
}

/**
 * Copy-on-write edit of an object: the source is never changed, and it is copied (once) only when a value
 * really changes, so the clean majority of a document's points, edges and rings is shared, not cloned.
 */
export class Draft {
  private copy: Json | undefined;

  constructor(private readonly source: Json) {}

  get(key: string): unknown {
    return (this.copy ?? this.source)[key];
  }

  /** Sets `key` (creating it when absent, as an assignment does). */
  set(key: string, value: unknown): void {
    const current = this.copy ?? this.source;
    if (current[key] === value && key in current) return;
    this.copy ??= { ...this.source };
    this.copy[key] = value;
  }

  result(): Json {
    return this.copy ?? this.source;
  }
}

/** Maps a list; the list itself when no element changed. */
export function mapList(list: readonly unknown[], fn: (v: unknown, i: number) => unknown): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    const c = fn(v, i);
    if (out === undefined && c !== v) out = list.slice(0, i);
    if (out !== undefined) out.push(c);
  }
  return out ?? (list as unknown[]);
}

/** Copies an object with every key whose value `fn` maps (keys keep their order). */
export function mapKeys(obj: Json, fns: Record<string, (v: unknown) => unknown>): Json {
  const out: Json = { ...obj };
  for (const [k, fn] of Object.entries(fns)) {
    if (k in out) out[k] = fn(out[k]);
  }
  return out;
}
