// The bytes of one ingest batch in the ingest journal (ingest-journal.ts): the readings exactly as ingest
// received them, so that replaying a record repeats the ingest. Readings are stored as columns: one
// float64 array per field (exact values, NaN standing for a null end) and a series index per reading into
// a small table of (site, channel, kind), which with the batch's site defaults travels as JSON.
import type { Reading, ReadingKind } from '../domain/reading.ts';
import type { Site } from '../domain/site.ts';

/** One journaled ingest call. */
export interface JournalBatch {
  readings: Reading[];
  /** The defaults ingest gives a site the batch creates. */
  defaultSite: Partial<Site>;
  /** The creation time ingest stamps on such a site (epoch ms). */
  createdMs: number;
}

interface Header {
  n: number;
  s: [string, string, ReadingKind][];
  d: Partial<Site>;
  c: number;
}

const FLOAT_COLUMNS = 4;

/** The record payload of one batch. */
export function encodeJournalBatch(
  readings: readonly Reading[],
  defaultSite: Partial<Site>,
  createdMs: number,
): Uint8Array {
  const n = readings.length;
  const series: [string, string, ReadingKind][] = [];
  const indexOf = new Map<string, number>();
  const index = new Uint32Array(n);
  let last: Reading | undefined;
  let lastIndex = 0;
  for (let i = 0; i < n; i++) {
    const r = readings[i]!;
    // A batch is usually a run of one series: the map is consulted once per run.
    if (
      last === undefined ||
      r.siteId !== last.siteId ||
      r.channel !== last.channel ||
      r.kind !== last.kind
    ) {
      const key = `${r.siteId}\u0000${r.channel}\u0000${r.kind}`;
      let found = indexOf.get(key);
      if (found === undefined) {
        found = series.length;
        series.push([r.siteId, r.channel, r.kind]);
        indexOf.set(key, found);
      }
      last = r;
      lastIndex = found;
    }
    index[i] = lastIndex;
  }
  const header = new TextEncoder().encode(
    JSON.stringify({ n, s: series, d: defaultSite, c: createdMs } satisfies Header),
  );
  const floatsAt = align8(4 + header.length);
  const bytes = new Uint8Array(floatsAt + n * 8 * FLOAT_COLUMNS + n * 4);
  new DataView(bytes.buffer).setUint32(0, header.length, true);
  bytes.set(header, 4);
  const floats = new Float64Array(bytes.buffer, floatsAt, n * FLOAT_COLUMNS);
  for (let i = 0; i < n; i++) {
    const r = readings[i]!;
    floats[i] = r.tMs;
    floats[n + i] = r.endMs ?? Number.NaN;
    floats[2 * n + i] = r.value;
    floats[3 * n + i] = r.receivedMs;
  }
  new Uint32Array(bytes.buffer, floatsAt + n * 8 * FLOAT_COLUMNS, n).set(index);
  return bytes;
}

/** The batch a payload holds; throws on a payload that is not one. */
export function decodeJournalBatch(payload: Uint8Array): JournalBatch {
  // Typed-array views need an 8-byte-aligned offset: a payload sliced out of a file buffer is copied.
  const bytes = payload.byteOffset % 8 === 0 ? payload : new Uint8Array(payload);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as Header;
  const n = header.n;
  const floatsAt = align8(4 + headerLength);
  if (bytes.byteLength !== floatsAt + n * 8 * FLOAT_COLUMNS + n * 4) {
    throw new Error(`journal record of ${n} readings has ${bytes.byteLength} bytes`);
  }
  const floats = new Float64Array(bytes.buffer, bytes.byteOffset + floatsAt, n * FLOAT_COLUMNS);
  const index = new Uint32Array(bytes.buffer, bytes.byteOffset + floatsAt + n * 8 * FLOAT_COLUMNS, n);
  const readings: Reading[] = [];
  for (let i = 0; i < n; i++) {
    const s = header.s[index[i]!];
    if (s === undefined) throw new Error(`journal record names series ${index[i]} of ${header.s.length}`);
    const endMs = floats[n + i]!;
    readings.push({
      siteId: s[0],
      channel: s[1],
      kind: s[2],
      tMs: floats[i]!,
      endMs: Number.isNaN(endMs) ? null : endMs,
      value: floats[2 * n + i]!,
      receivedMs: floats[3 * n + i]!,
    });
  }
  return { readings, defaultSite: header.d, createdMs: header.c };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
