// Opaque cursors for keyset paging: the position after the last item of a page, as base64url JSON.
import { WattlineError } from '../domain/errors.ts';

/** Encodes a page position. */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor, checking each field's type; a 400 at `/cursor` otherwise. */
export function decodeCursor<T extends Record<string, 'string' | 'number'>>(
  cursor: string,
  shape: T,
): { [K in keyof T]: T[K] extends 'string' ? string : number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const ok =
    parsed !== null &&
    typeof parsed === 'object' &&
    Object.entries(shape).every(([k, t]) => {
      const v = (parsed as Record<string, unknown>)[k];
      return t === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === 'string';
    });
  if (!ok) {
    throw new WattlineError('validation-failed', 'The cursor is not one this API handed out', [
      {
        path: '/cursor',
        message: 'is not a valid cursor; use the Link rel="next" of the previous page',
        value: cursor,
      },
    ]);
  }
  return parsed as { [K in keyof T]: T[K] extends 'string' ? string : number };
}

/** Link header value pointing at the next page: the request's URL with `cursor` replaced. */
export function nextLink(url: string, cursor: string): string {
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set('cursor', cursor);
  return `<${path}?${params.toString()}>; rel="next"`;
}
