// Array parameters in PostgreSQL's binary format (array_send's form), for statements that take a batch of
// rows as one array per column and `unnest` them. node-postgres sends a Buffer parameter as binary: no
// array literal to build and quote in JavaScript, and no text for the server to parse. Layout: ndim,
// has-null flag, element type, then (length, lower bound) per dimension; per element its 32-bit byte
// length and bytes. An empty array has no dimensions.

const INT8_OID = 20;
const TEXT_OID = 25;
const TWO_32 = 4_294_967_296;

function header(buf: Buffer, oid: number, count: number): number {
  buf.writeInt32BE(count === 0 ? 0 : 1, 0);
  buf.writeInt32BE(0, 4);
  buf.writeInt32BE(oid, 8);
  if (count === 0) return 12;
  buf.writeInt32BE(count, 12);
  buf.writeInt32BE(1, 16);
  return 20;
}

/** A bigint[] parameter; a value that is not a safe integer is refused, as the text format's parser would. */
export function int8Array(values: readonly number[]): Buffer {
  const buf = Buffer.allocUnsafe(20 + values.length * 12);
  let pos = header(buf, INT8_OID, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isSafeInteger(v)) throw new RangeError(`not an integer for a bigint element: ${v}`);
    const hi = Math.floor(v / TWO_32);
    buf.writeInt32BE(8, pos);
    buf.writeInt32BE(hi, pos + 4);
    buf.writeInt32BE((v - hi * TWO_32) | 0, pos + 8);
    pos += 12;
  }
  return buf.subarray(0, pos);
}

/** A text[] parameter (UTF-8, as is). */
export function textArray(values: readonly string[]): Buffer {
  let bytes = 20;
  for (let i = 0; i < values.length; i++) bytes += 4 + Buffer.byteLength(values[i]!, 'utf8');
  const buf = Buffer.allocUnsafe(bytes);
  let pos = header(buf, TEXT_OID, values.length);
  for (let i = 0; i < values.length; i++) {
    const n = buf.write(values[i]!, pos + 4, 'utf8');
    buf.writeInt32BE(n, pos);
    pos += 4 + n;
  }
  return buf.subarray(0, pos);
}
