// The importer's CSV splitter against csv-parse (which it replaced) on the same text cut into chunks
// anywhere: same records, same lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { WattlineError } from '../../src/domain/errors.ts';
import { type CsvRecord, CsvSplitter } from '../../src/ingest/csv-records.ts';

function split(text: string, cuts: readonly number[]): CsvRecord[] {
  const out: CsvRecord[] = [];
  const s = new CsvSplitter();
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    s.push(text.slice(from, cut), out);
    from = cut;
  }
  s.push(text.slice(from), out);
  s.end(out);
  return out;
}

function reference(text: string): CsvRecord[] {
  const rows = parse(text, { skip_empty_lines: true, trim: true, bom: true, info: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  return rows.map((r) => ({ fields: r.record, line: r.info.lines }));
}

const SAMPLES = [
  'site,channel,t,value,unit\n1,grid,2024-01-01T00:00:00Z,1.5,W\n2,grid,2024-01-01T00:00:00Z,2,W\n',
  '\uFEFFsite,t,value\r\n a , 2024-01-01T00:00:00Z ,3\r\n\r\nb,2024-01-01T00:05:00Z,4',
  'site,channel,value\n"x, y","say ""hi""",1\n\n"multi\nline",c,2\nlast,"q" ,3\n',
  'a,b\n1,2\n\n\n3,4\n',
];

describe('CSV splitter', () => {
  for (const [n, text] of SAMPLES.entries()) {
    it(`matches csv-parse on sample ${n} however it is cut`, () => {
      const expected = reference(text);
      assert.deepEqual(split(text, []), expected);
      for (let cut = 0; cut <= text.length; cut++)
        assert.deepEqual(split(text, [cut]), expected, `cut ${cut}`);
      for (let a = 0; a <= text.length; a += 3)
        for (let b = a; b <= text.length; b += 5) assert.deepEqual(split(text, [a, b]), expected);
    });
  }

  it('refuses a record whose length differs from the header, naming its line', () => {
    assert.throws(
      () => split('a,b,c\n1,2,3\n4,5\n', []),
      (e: unknown) => e instanceof WattlineError && /line 3: 2 fields where the header has 3/.test(e.message),
    );
  });

  it('refuses an unclosed quote', () => {
    assert.throws(() => split('a,b\n"1,2\n', []), WattlineError);
  });
});
