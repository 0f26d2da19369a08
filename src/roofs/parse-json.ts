// Parses a roof file, telling exactly where broken JSON breaks: byte offset, line and column. Pure.

export interface JsonPosition {
  /** 0-based offset in bytes (UTF-8) into the file. */
  byteOffset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in characters. */
  column: number;
}

export type JsonParseResult =
  | { ok: true; value: unknown }
  | { ok: false; message: string; position: JsonPosition };

const encoder = new TextEncoder();

/** The position of a character index in `text`. */
export function positionAt(text: string, charIndex: number): JsonPosition {
  const index = Math.max(0, Math.min(charIndex, text.length));
  const before = text.slice(0, index);
  const lastNewline = before.lastIndexOf('\n');
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return {
    byteOffset: encoder.encode(before).length,
    line,
    column: index - lastNewline,
  };
}

/**
 * Index of the first character at which `text` stops being JSON (RFC 8259), found by a small scanner that
 * builds no values. Used only after JSON.parse failed: V8 names the position in some messages but not all
 * ("Unexpected token ']', ..." has none).
 */
export function jsonErrorIndex(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r'))
      i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 32) fail();
      if (c === 92) {
        i++;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail();
            }
          }
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') return fail();
    i += m[0].length;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail();
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}

/** Parses JSON text (a leading byte-order mark is allowed) and reports where it fails. */
export function parseJsonWithPosition(text: string): JsonParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const found = jsonErrorIndex(body);
    const index = (found < 0 ? body.length : found) + (body === text ? 0 : 1);
    const position = positionAt(text, index);
    // V8's wording without its own position suffix, then ours.
    const what = raw
      .replace(/,? ?(in JSON )?at position \d+.*$/s, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '')
      .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '');
    return {
      ok: false,
      message: `${what} at byte ${position.byteOffset} (line ${position.line}, column ${position.column})`,
      position,
    };
  }
}
