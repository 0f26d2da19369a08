// The ingest journal: append-only files beside the DuckDB file that make a write durable before DuckDB
// commits it. A DuckDB commit costs milliseconds whatever it holds (each appender flush plans an INSERT,
// the commit serializes its WAL and syncs), so committing every group of concurrent requests made those
// fixed costs the bulk of a small write. With the journal, a group is acknowledged once its batches are
// here and synced; DuckDB commits many groups at once, recording the sequence number (LSN) of the last
// record it holds, after which those records are dropped. At open, records the database does not hold yet
// are ingested again, so an acknowledged batch survives a crash.
//
// Two segment files take turns: while DuckDB commits the records of one (sealed), new records go to the
// other, so that acknowledging never waits for a database commit. A record is [payload length u32][crc32
// of lsn and payload u32][lsn float64][payload]. A crash can leave a torn last record (never acknowledged:
// acknowledgement follows the sync); it is cut off at open.
import { closeSync, fdatasync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

const FRAME_BYTES = 16;

export interface JournalRecord {
  lsn: number;
  payload: Uint8Array;
}

interface Segment {
  fd: number;
  bytes: number;
}

export class IngestJournal {
  /** The segment new records go to; the other is sealed while its records are being committed. */
  private current: Segment;
  private other: Segment;
  private sealed = false;

  private constructor(a: Segment, b: Segment) {
    this.current = a.bytes >= b.bytes ? a : b;
    this.other = this.current === a ? b : a;
  }

  /**
   * Opens (creating) the journal whose segments are `path` and `path` + '2'; returns it with the intact
   * records of both, by LSN, torn tails cut off.
   */
  static open(path: string): { journal: IngestJournal; records: JournalRecord[] } {
    const records: JournalRecord[] = [];
    const segments = [path, `${path}2`].map((file) => {
      const { records: found, intactBytes } = readRecords(readIfExists(file));
      records.push(...found);
      const fd = openSync(file, 'a');
      ftruncateSync(fd, intactBytes);
      return { fd, bytes: intactBytes };
    });
    records.sort((x, y) => x.lsn - y.lsn);
    return { journal: new IngestJournal(segments[0]!, segments[1]!), records };
  }

  /** Bytes in the journal. */
  get bytes(): number {
    return this.current.bytes + this.other.bytes;
  }

  /** Appends records in one write and resolves once they are on disk. */
  async append(records: readonly JournalRecord[]): Promise<void> {
    if (records.length === 0) return;
    const segment = this.current;
    const frames = Buffer.concat(records.map(frame));
    // The write only copies into the page cache; the sync is the slow part and runs off the main thread.
    let written = 0;
    while (written < frames.length) written += writeSync(segment.fd, frames, written);
    segment.bytes += frames.length;
    await new Promise<void>((resolve, reject) => fdatasync(segment.fd, (e) => (e ? reject(e) : resolve())));
  }

  /**
   * Seals the records written so far (the database is about to commit them): later records go to the
   * other segment until `release`. One segment is sealed at a time.
   */
  seal(): void {
    if (this.sealed) throw new Error('a journal segment is already sealed');
    this.sealed = true;
    [this.current, this.other] = [this.other, this.current];
  }

  /** Drops the sealed records (the database committed them). */
  release(): void {
    if (!this.sealed) return;
    truncate(this.other);
    this.sealed = false;
  }

  /** Empties the journal (the database holds every record). */
  reset(): void {
    truncate(this.current);
    truncate(this.other);
    this.sealed = false;
  }

  close(): void {
    closeSync(this.current.fd);
    closeSync(this.other.fd);
  }
}

function truncate(segment: Segment): void {
  if (segment.bytes === 0) return;
  ftruncateSync(segment.fd, 0);
  segment.bytes = 0;
}

function readIfExists(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return Buffer.alloc(0);
  }
}

function frame(r: JournalRecord): Buffer {
  const out = Buffer.allocUnsafe(FRAME_BYTES + r.payload.length);
  out.writeDoubleLE(r.lsn, 8);
  out.set(r.payload, FRAME_BYTES);
  out.writeUInt32LE(r.payload.length, 0);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}

/** The intact records at the start of `bytes`, and where they end. */
export function readRecords(bytes: Uint8Array): { records: JournalRecord[]; intactBytes: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: JournalRecord[] = [];
  let at = 0;
  while (at + FRAME_BYTES <= buf.length) {
    const length = buf.readUInt32LE(at);
    const end = at + FRAME_BYTES + length;
    if (end > buf.length || crc32(buf.subarray(at + 8, end)) !== buf.readUInt32LE(at + 4)) break;
    records.push({ lsn: buf.readDoubleLE(at + 8), payload: buf.subarray(at + FRAME_BYTES, end) });
    at = end;
  }
  return { records, intactBytes: at };
}
