// JSON or CSV for data endpoints (DESIGN §5): `format=` wins, else the Accept header decides, JSON by
// default. An Accept header that admits neither is a 406.
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';
import { WattlineError } from '../domain/errors.ts';

export type Representation = 'json' | 'csv';

interface MediaRange {
  type: string;
  q: number;
  order: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part, order) => {
      const [type = '', ...params] = part.trim().split(';');
      let q = 1;
      for (const p of params) {
        const [k, v] = p.trim().split('=');
        if (k?.trim() === 'q' && v !== undefined) q = Number(v.trim());
      }
      return { type: type.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((r) => r.type !== '');
}

function quality(ranges: MediaRange[], mediaType: string): { q: number; order: number } {
  const [major] = mediaType.split('/');
  let best: { q: number; order: number; specificity: number } = { q: 0, order: Infinity, specificity: -1 };
  for (const r of ranges) {
    const specificity = r.type === mediaType ? 2 : r.type === `${major}/*` ? 1 : r.type === '*/*' ? 0 : -1;
    if (specificity > best.specificity) best = { q: r.q, order: r.order, specificity };
  }
  return best.specificity < 0 ? { q: 0, order: Infinity } : best;
}

/** Chooses the representation from the `format` query field and the Accept header. */
export function chooseRepresentation(
  format: Representation | undefined,
  accept: string | undefined,
): Representation {
  if (format !== undefined) return format;
  if (accept === undefined || accept.trim() === '') return 'json';
  const ranges = parseAccept(accept);
  const j = quality(ranges, 'application/json');
  const c = quality(ranges, 'text/csv');
  if (j.q <= 0 && c.q <= 0) {
    throw new WattlineError(
      'not-acceptable',
      `Accept: ${accept} admits neither application/json nor text/csv (or use format=json|csv)`,
      [{ path: '/format', message: 'use json or csv', value: accept }],
    );
  }
  if (c.q > j.q || (c.q === j.q && c.order < j.order)) return 'csv';
  return 'json';
}

/** Sends rows as CSV with a header row. */
export function sendCsv(
  reply: FastifyReply,
  columns: readonly string[],
  rows: readonly unknown[][],
): FastifyReply {
  const body = stringify(rows as unknown[][], {
    header: true,
    columns: columns as string[],
    cast: { number: String },
  });
  return reply.type('text/csv; charset=utf-8').send(body);
}
