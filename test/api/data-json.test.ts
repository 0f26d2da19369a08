// The hand-written GET /data body and the memoised bucket-instant formatter must equal what the general
// paths produce (JSON.stringify of the object, formatInstant) for every input they can see.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dataJson } from '../../src/api/routes/seed-data.ts';
import { BUCKET_MS, bucketInstantFormatter, formatInstant } from '../../src/domain/time.ts';

describe('GET /data fast paths', () => {
  it('bucketInstantFormatter equals formatInstant, for bucket starts and any other instant', () => {
    const instant = fc.oneof(
      fc.integer({ min: -1e6, max: 3e8 }).map((q) => q * BUCKET_MS),
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
    );
    fc.assert(
      fc.property(fc.array(instant, { maxLength: 50 }), (instants) => {
        const format = bucketInstantFormatter();
        for (const ms of [...instants].sort((a, b) => a - b)) assert.equal(format(ms), formatInstant(ms));
      }),
    );
  });

  it('dataJson is JSON.stringify of the response object', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom('kWh', 'kW', 'Wh', 'W', 'MWh', 'MW'),
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 4e8 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
        ),
        (shipId, units, points) => {
          const datetimes = points.map(([q]) => formatInstant(q * BUCKET_MS));
          const values = points.map(([, v]) => v);
          const text = dataJson(shipId, units, datetimes, values);
          const expected = JSON.stringify({
            spaceship_id: shipId,
            units,
            data: datetimes.map((datetime, i) => ({ datetime, value: values[i] })),
          });
          assert.equal(text, expected);
        },
      ),
    );
  });
});
