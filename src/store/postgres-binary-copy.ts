// COPY's binary format for the PostgreSQL backend's bulk writes. Numbers go over as their 8 bytes rather
// than as decimal text, which is most of the cost on both ends of a text COPY: JavaScript's number-to-string
// on the client and strtod on the server (measured on the ingest bench: about 4× less encoding time for the
// raw log's arrays). Text is UTF-8 as is, with no escaping.
// Layout (PostgreSQL docs, "COPY: Binary Format"): an 11-byte signature, flags and header-extension length;
// per row a 16-bit field count, then per field a 32-bit byte length (-1 for NULL) and the value in network
// byte order; a 16-bit -1 at the end. Arrays are array_send's form: dimensions, has-null flag, element type,
// then (length, bytes) per element.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const INT8_OID = 20;
const FLOAT8_OID = 701;
const TWO_32 = 4_294_967_296;
/** Bytes of an array value before its elements: ndim, flags, element type, length and lower bound. */
const ARRAY_HEADER = 20;

/** Buffers of one binary COPY, filled row by row; `take` hands over what is complete so far. */
export class BinaryCopyWriter {
  private buf: Buffer;
  /** The same bytes as `buf`: DataView's setters measured faster than Buffer's write methods. */
  private dv: DataView;
  private pos = 0;
  private done: Buffer[] = [];

  constructor(private readonly chunkBytes = 1 << 16) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
    this.dv = viewOf(this.buf);
    this.room(SIGNATURE.length + 8);
    this.pos += SIGNATURE.copy(this.buf, this.pos);
    this.i32(0);
    this.i32(0);
  }

  private use(buf: Buffer): void {
    this.buf = buf;
    this.dv = viewOf(buf);
    this.pos = 0;
  }

  private i16(value: number): void {
    this.dv.setInt16(this.pos, value);
    this.pos += 2;
  }

  private i32(value: number): void {
    this.dv.setInt32(this.pos, value);
    this.pos += 4;
  }

  private f64(value: number): void {
    this.dv.setFloat64(this.pos, value);
    this.pos += 8;
  }

  /** Makes room for `bytes` more in the current buffer, starting a new one when needed. */
  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    if (this.pos > 0) this.done.push(this.buf.subarray(0, this.pos));
    this.use(Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes)));
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): void {
    this.room(2);
    this.i16(fields);
  }

  /** A NULL field. */
  nullField(): void {
    this.room(4);
    this.i32(-1);
  }

  text(value: string): void {
    const bytes = Buffer.byteLength(value, 'utf8');
    this.room(4 + bytes);
    this.i32(bytes);
    this.pos += this.buf.write(value, this.pos, bytes, 'utf8');
  }

  int2(value: number): void {
    this.room(6);
    this.i32(2);
    this.i16(value);
  }

  int4(value: number): void {
    this.room(8);
    this.i32(4);
    this.i32(value);
  }

  int8(value: number): void {
    this.room(12);
    this.i32(8);
    this.putInt8(value);
  }

  float8(value: number): void {
    this.room(12);
    this.i32(8);
    this.f64(toStored(value));
  }

  // Arrays element by element, so that hot loops read their values straight from the rows: a value handed
  // through a callback is boxed on the way, which measured as much garbage as the readings' own fields.
  // Start with int8ArrayStart or float8ArrayStart (room for `count` elements is reserved), write exactly
  // `count` elements of that type, then arrayEnd with the start.

  /** Starts a bigint[] of `count` elements; returns its start, for arrayEnd. */
  int8ArrayStart(count: number): number {
    return this.arrayStart(count, INT8_OID);
  }

  /** Starts a double precision[] of `count` elements; returns its start, for arrayEnd. */
  float8ArrayStart(count: number): number {
    return this.arrayStart(count, FLOAT8_OID);
  }

  int8Element(value: number): void {
    this.i32(8);
    this.putInt8(value);
  }

  float8Element(value: number): void {
    this.i32(8);
    this.f64(toStored(value));
  }

  nullElement(): void {
    this.i32(-1);
  }

  /** Ends the array begun at `start`, noting whether any element was NULL. */
  arrayEnd(start: number, hasNulls: boolean): void {
    this.dv.setInt32(start, this.pos - start - 4);
    if (hasNulls) this.dv.setInt32(start + 8, 1);
  }

  /** The buffers written so far, complete rows only if called between rows; the writer goes on after. */
  take(): Buffer[] {
    if (this.pos > 0) {
      this.done.push(this.buf.subarray(0, this.pos));
      const rest = this.buf.subarray(this.pos);
      this.use(rest.length < 1024 ? Buffer.allocUnsafe(this.chunkBytes) : rest);
    }
    const out = this.done;
    this.done = [];
    return out;
  }

  /** The buffers filled so far, without the one being written: what a stream can send in large writes. */
  takeFilled(): Buffer[] {
    const out = this.done;
    this.done = [];
    return out;
  }

  /** Ends the COPY data; returns the remaining buffers. */
  finish(): Buffer[] {
    this.room(2);
    this.i16(-1);
    return this.take();
  }

  /** Writes an array's header with room for all its elements reserved; returns where its length goes. */
  private arrayStart(count: number, oid: number): number {
    this.room(4 + ARRAY_HEADER + 12 * count);
    const start = this.pos;
    this.pos += 4; // field length, filled in by arrayEnd
    this.i32(1);
    this.i32(0); // has-null flag, filled in by arrayEnd
    this.i32(oid | 0);
    this.i32(count);
    this.i32(1);
    return start;
  }

  /** A bigint from a JavaScript number; a non-integer is refused, as the text format's parser would. */
  private putInt8(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer for a bigint column: ${value}`);
    const hi = Math.floor(value / TWO_32);
    this.i32(hi);
    this.i32((value - hi * TWO_32) | 0);
  }
}

/** -0 is stored as 0, as the text format (String(-0) is "0") always did: one zero in the database. */
function toStored(value: number): number {
  return value === 0 ? 0 : value;
}

function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.length);
}
