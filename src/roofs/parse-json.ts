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

/** V8 names the failing character index in its message ("... in JSON at position 21853"). */
function failingIndex(text: string, message: string): number {
  const at = /position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  // "Unexpected end of JSON input" and friends: the input stopped short.
  return text.length;
}

/** Parses JSON text (a leading byte-order mark is allowed) and reports where it fails. */
export function parseJsonWithPosition(text: string): JsonParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const index = failingIndex(body, raw) + (body === text ? 0 : 1);
    const position = positionAt(text, index);
    // V8's wording without its own position suffix, then ours.
    const what = raw
      .replace(/,? ?(in JSON )?at position \d+.*$/s, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '');
    return {
      ok: false,
      message: `${what} at byte ${position.byteOffset} (line ${position.line}, column ${position.column})`,
      position,
    };
  }
}
