// Time input and output (DESIGN §5 "Time input"): ISO 8601 with Z or an offset, and the seed's
// `2018-08-24T00-00-00Z` form; anything else is rejected. Buckets are 15 min, UTC, half-open (§2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  BUCKET_MS,
  bucketCeil,
  bucketFloor,
  DAY_MS,
  formatInstant,
  HOUR_MS,
  parseInstant,
} from '../../src/domain/time.ts';

const MIN_ISO_MS = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_ISO_MS = Date.parse('9999-12-31T23:59:59.999Z');

describe('§5 parseInstant accepts ISO 8601 with a zone and the seed form', () => {
  const accepted: [string, string][] = [
    ['2018-08-24T00:00:00Z', '2018-08-24T00:00:00.000Z'],
    ['2018-08-24T00:00:00z', '2018-08-24T00:00:00.000Z'],
    ['2018-08-24t13:45:30Z', '2018-08-24T13:45:30.000Z'],
    ['2018-08-24 13:45:30Z', '2018-08-24T13:45:30.000Z'],
    ['2018-08-24T13:45Z', '2018-08-24T13:45:00.000Z'],
    ['2018-08-24T13:45:30.5Z', '2018-08-24T13:45:30.500Z'],
    ['2018-08-24T13:45:30,25Z', '2018-08-24T13:45:30.250Z'],
    ['2018-08-24T13:45:30.123Z', '2018-08-24T13:45:30.123Z'],
    // Below the millisecond, digits are truncated, not rounded: the instant never moves into the future.
    ['2018-08-24T13:45:30.123456Z', '2018-08-24T13:45:30.123Z'],
    ['2018-08-24T13:45:30.999999999Z', '2018-08-24T13:45:30.999Z'],
    ['2018-08-24T13:45:30.000000001Z', '2018-08-24T13:45:30.000Z'],
    ['2018-08-24T02:00:00+02:00', '2018-08-24T00:00:00.000Z'],
    ['2018-08-24T02:00:00+0200', '2018-08-24T00:00:00.000Z'],
    ['2018-08-24T02:00:00+02', '2018-08-24T00:00:00.000Z'],
    ['2018-08-23T19:00:00-05:00', '2018-08-24T00:00:00.000Z'],
    ['2018-08-24T05:45:00+05:45', '2018-08-24T00:00:00.000Z'],
    ['2018-08-24T00:00:00-00:00', '2018-08-24T00:00:00.000Z'],
    ['2018-08-24T00:00:00+14:00', '2018-08-23T10:00:00.000Z'],
    ['2018-08-24T00:00:00.123456789+01:00', '2018-08-23T23:00:00.123Z'],
    // The seed API's query-string form, with '-' as the time separator.
    ['2018-08-24T00-00-00Z', '2018-08-24T00:00:00.000Z'],
    ['2018-08-24T13-45-30Z', '2018-08-24T13:45:30.000Z'],
    ['2018-08-24T13-45-30.250Z', '2018-08-24T13:45:30.250Z'],
    ['2018-08-24T15-45-30+02:00', '2018-08-24T13:45:30.000Z'],
    // Calendar edges.
    ['2020-02-29T00:00:00Z', '2020-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
    ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'],
    ['2024-12-31T23:59:59Z', '2024-12-31T23:59:59.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    // Years below 100 are years of the common era, not 1900 + year.
    ['0050-06-15T12:00:00Z', '0050-06-15T12:00:00.000Z'],
    ['0004-02-29T00:00:00Z', '0004-02-29T00:00:00.000Z'],
    ['0000-02-29T00:00:00Z', '0000-02-29T00:00:00.000Z'],
  ];
  for (const [text, iso] of accepted) {
    it(`accepts ${text}`, () => {
      assert.equal(parseInstant(text), Date.parse(iso));
    });
  }
});

describe('§5 parseInstant: the common form and the general form agree', () => {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const fields = fc.record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
  });

  it('YYYY-MM-DDTHH:MM:SSZ (read without the regular expression) equals the same instant with +00:00 and Date.parse', () => {
    fc.assert(
      fc.property(fields, fc.constantFrom(':', '-'), ({ year, month, day, hour, minute, second }, sep) => {
        const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
        const time = `${pad(hour, 2)}${sep}${pad(minute, 2)}${sep}${pad(second, 2)}`;
        const fast = parseInstant(`${date}T${time}Z`);
        assert.equal(fast, parseInstant(`${date}T${time}+00:00`));
        const iso = `${date}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.000Z`;
        const valid =
          month >= 1 &&
          month <= 12 &&
          day >= 1 &&
          hour <= 23 &&
          minute <= 59 &&
          second <= 59 &&
          new Date(Date.parse(iso)).getUTCDate() === day;
        assert.equal(fast, valid ? Date.parse(iso) : undefined);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('§5 parseInstant rejects everything else', () => {
  const rejected = [
    '2019-01-05T04:42:00ZZ',
    '2019-02-30T00:00:00Z',
    '2019-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2019-04-31T00:00:00Z',
    '2019-13-01T00:00:00Z',
    '2019-00-10T00:00:00Z',
    '2019-01-00T00:00:00Z',
    '2019-01-32T00:00:00Z',
    '2019-01-05T24:00:00Z',
    '2019-01-05T23:60:00Z',
    '2019-01-05T23:59:60Z',
    // No zone: the instant would depend on where the server runs.
    '2019-01-05T04:42:00',
    '2019-01-05T04:42',
    '2019-01-05',
    '2019-01-05Z',
    // Malformed zones.
    '2019-01-05T04:42:00+24:00',
    '2019-01-05T04:42:00+01:60',
    '2019-01-05T04:42:00+1',
    '2019-01-05T04:42:00+01:',
    '2019-01-05T04:42:00 Z',
    '2019-01-05T04:42:00UTC',
    '2019-01-05T04:42:00GMT+1',
    // Separators must be consistent, fractions belong to seconds, and there are at most nine digits.
    '2019-01-05T04:42-00Z',
    '2019-01-05T04-42:00Z',
    '2019-01-05T04:42.5Z',
    '2019-01-05T04:42:00.Z',
    '2019-01-05T04:42:00.1234567890Z',
    // Garbage.
    '',
    ' ',
    'now',
    'garbage',
    '1546663320000',
    '2019/01/05T04:42:00Z',
    '05.01.2019 04:42',
    ' 2019-01-05T04:42:00Z',
    '2019-01-05T04:42:00Z ',
    '2019-01-05T04:42:00Z\n',
    '+002019-01-05T04:42:00Z',
    '19-01-05T04:42:00Z',
    '２０１９-01-05T04:42:00Z',
  ];
  for (const text of rejected) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.equal(parseInstant(text), undefined);
    });
  }

  it('never throws, and returns undefined or a whole number of ms, for arbitrary and mangled input (fuzz)', () => {
    const mangled = fc
      .tuple(fc.nat(24), fc.nat(24), fc.string({ maxLength: 2 }))
      .map(([from, drop, insert]) => {
        const s = '2019-01-05T04:42:00.123+01:00';
        return s.slice(0, from) + insert + s.slice(from + (drop % 3));
      });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), mangled), (s) => {
        const ms = parseInstant(s);
        if (ms !== undefined) assert.ok(Number.isInteger(ms), s);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatInstant and parseInstant round-trip', () => {
  it('formats UTC without a fraction when it is zero, with milliseconds otherwise', () => {
    assert.equal(formatInstant(Date.parse('2018-08-24T00:00:00Z')), '2018-08-24T00:00:00Z');
    assert.equal(formatInstant(Date.parse('2018-08-24T00:00:00.5Z')), '2018-08-24T00:00:00.500Z');
    assert.equal(formatInstant(Date.parse('2018-08-24T00:00:00.001Z')), '2018-08-24T00:00:00.001Z');
    assert.equal(formatInstant(0), '1970-01-01T00:00:00Z');
    assert.equal(formatInstant(-1), '1969-12-31T23:59:59.999Z');
  });

  it('parseInstant(formatInstant(ms)) === ms for every instant in years 0000-9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_ISO_MS, max: MAX_ISO_MS }), (ms) => {
        assert.equal(parseInstant(formatInstant(ms)), ms);
      }),
      { numRuns: 1000 },
    );
  });

  it('an offset shifts the instant by exactly the offset, and the seed form equals the colon form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('1971-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        (ms, offsetMin) => {
          const whole = Math.floor(ms / 1000) * 1000;
          const local = new Date(whole + offsetMin * 60_000).toISOString().slice(0, 19);
          const abs = Math.abs(offsetMin);
          const zone = `${offsetMin < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          assert.equal(parseInstant(`${local}${zone}`), whole);
          assert.equal(parseInstant(`${local.replace(/:/g, '-')}${zone}`), whole);
          assert.equal(parseInstant(`${local}${zone.replace(':', '')}`), whole);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('fractions of any length up to nine digits truncate to the millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.stringMatching(/^\d{0,6}$/), (ms, extra) => {
        const frac = `${String(ms).padStart(3, '0')}${extra}`;
        assert.equal(parseInstant(`2024-05-06T07:08:09.${frac}Z`), Date.parse('2024-05-06T07:08:09Z') + ms);
      }),
      { numRuns: 500 },
    );
  });
});

describe('§2 buckets are 15 min, UTC-aligned, half-open', () => {
  it('bucket constants', () => {
    assert.equal(BUCKET_MS, 15 * 60 * 1000);
    assert.equal(HOUR_MS, 4 * BUCKET_MS);
    assert.equal(DAY_MS, 96 * BUCKET_MS);
  });

  it('bucketFloor and bucketCeil bracket an instant on bucket boundaries', () => {
    const b = Date.parse('2024-01-15T10:15:00Z');
    assert.equal(bucketFloor(b), b);
    assert.equal(bucketCeil(b), b);
    assert.equal(bucketFloor(b + BUCKET_MS - 1), b);
    assert.equal(bucketCeil(b + 1), b + BUCKET_MS);
    assert.equal(bucketFloor(b - 1), b - BUCKET_MS);
    fc.assert(
      fc.property(fc.integer({ min: -DAY_MS * 365 * 100, max: DAY_MS * 365 * 200 }), (ms) => {
        const lo = bucketFloor(ms);
        const hi = bucketCeil(ms);
        assert.ok(lo <= ms && ms < lo + BUCKET_MS);
        assert.ok(hi >= ms && hi - BUCKET_MS < ms);
        assert.equal(Math.abs(lo % BUCKET_MS), 0);
        assert.equal(Math.abs(hi % BUCKET_MS), 0);
      }),
    );
  });
});
