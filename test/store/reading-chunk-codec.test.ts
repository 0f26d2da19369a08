// Reading chunks keep every reading of a run exactly (time, value, end, receive time, sequence number),
// whatever their order, and the winner at an instant is the latest (receive time, sequence number).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type ChunkReading,
  LAYOUT_END,
  LAYOUT_RECEIVED,
  type PackableReading,
  packReadings,
  unpackReadings,
  winnersByTime,
} from '../../src/store/reading-chunk-codec.ts';

const T0 = Date.UTC(2024, 2, 30, 22);
const DAY = 86_400_000;

const reading = fc.record({
  tMs: fc.integer({ min: T0 - 3 * DAY, max: T0 + 3 * DAY }),
  endMs: fc.option(fc.integer({ min: T0 - 2 * DAY, max: T0 + 4 * DAY }), { nil: null }),
  value: fc.double({ noNaN: true, noDefaultInfinity: true }),
  receivedMs: fc.integer({ min: T0, max: T0 + 10 }),
});

function roundTrip(rows: readonly PackableReading[], firstSeq: number, max?: number): ChunkReading[] {
  return packReadings(rows, 0, rows.length, firstSeq, max).flatMap((c) => unpackReadings(c));
}

describe('reading chunks', () => {
  it('unpack gives back every packed reading in order, with consecutive sequence numbers', () => {
    fc.assert(
      fc.property(
        fc.array(reading, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 1e12 }),
        fc.integer({ min: 1, max: 50 }),
        (rows, seq, max) => {
          const back = roundTrip(rows, seq, max);
          assert.deepEqual(
            back,
            rows.map((r, i) => ({ ...r, seq: seq + i })),
          );
        },
      ),
    );
  });

  it('each chunk bounds its readings by first/last instant, holds at most the maximum and starts no later day', () => {
    fc.assert(
      fc.property(
        fc.array(reading, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        (rows, max) => {
          let seq = 1;
          for (const c of packReadings(rows, 0, rows.length, 1, max)) {
            assert.equal(c.seq, seq);
            seq += c.count;
            assert.ok(c.count >= 1 && c.count <= max);
            const back = unpackReadings(c);
            assert.equal(Math.min(...back.map((r) => r.tMs)), c.firstMs);
            assert.equal(Math.max(...back.map((r) => r.tMs)), c.lastMs);
            assert.equal(Math.max(...back.map((r) => r.receivedMs)), c.receivedMs);
            const day = Math.floor(back[0]!.tMs / DAY);
            assert.ok(back.every((r) => Math.floor(r.tMs / DAY) <= day));
          }
          assert.equal(seq, rows.length + 1);
        },
      ),
    );
  });

  it('ordered data packs one chunk per UTC day, with only the arrays it needs', () => {
    const rows: PackableReading[] = [];
    for (let m = 0; m < 3 * 96; m++)
      rows.push({ tMs: T0 + m * 900_000, endMs: null, value: m, receivedMs: T0 });
    const chunks = packReadings(rows, 0, rows.length, 10);
    assert.deepEqual(
      chunks.map((c) => [c.count, c.layout, c.data.byteLength]),
      [
        [8, 0, 8 * 16],
        [96, 0, 96 * 16],
        [96, 0, 96 * 16],
        [88, 0, 88 * 16],
      ],
    );
    const mixed = packReadings(
      [
        { tMs: T0, endMs: T0 + 60_000, value: 1, receivedMs: T0 },
        { tMs: T0 + 60_000, endMs: null, value: 2, receivedMs: T0 + 5 },
      ],
      0,
      2,
      1,
    );
    assert.equal(mixed[0]!.layout, LAYOUT_END | LAYOUT_RECEIVED);
    assert.equal(mixed[0]!.data.byteLength, 2 * 4 * 8);
  });

  it('decodes chunk bytes that are not 8-byte aligned (as a database may hand them over)', () => {
    const [c] = packReadings([{ tMs: T0, endMs: null, value: 0.1, receivedMs: T0 }], 0, 1, 7);
    const shifted = new Uint8Array(c!.data.byteLength + 3).subarray(3);
    shifted.set(c!.data);
    assert.deepEqual(unpackReadings({ ...c!, data: shifted }), [
      { tMs: T0, endMs: null, value: 0.1, receivedMs: T0, seq: 7 },
    ]);
  });

  it('rejects data that does not fit its count and layout', () => {
    const [c] = packReadings([{ tMs: T0, endMs: null, value: 1, receivedMs: T0 }], 0, 1, 1);
    assert.throws(() => unpackReadings({ ...c!, count: 2 }), /2 readings/);
  });

  it('the winner at each instant is the latest received, then the latest sequence number', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 200 }), (rows) => {
        const decoded = rows.map((r, i) => ({ ...r, seq: i + 1 }));
        const shuffled = [...decoded].reverse();
        const won = winnersByTime(shuffled);
        const instants = [...new Set(rows.map((r) => r.tMs))].sort((a, b) => a - b);
        assert.deepEqual(
          won.map((r) => r.tMs),
          instants,
        );
        for (const w of won) {
          for (const r of decoded.filter((x) => x.tMs === w.tMs)) {
            assert.ok(r.receivedMs < w.receivedMs || (r.receivedMs === w.receivedMs && r.seq <= w.seq));
          }
        }
      }),
    );
  });
});
