// The real binary, as a user runs it after `npm ci`: help, import into a DuckDB file, export as CSV.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wattline.js');
const tmp = mkdtempSync(join(tmpdir(), 'wattline-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function wattline(...args: string[]) {
  return run(process.execPath, [BIN, ...args], { env: { ...process.env, WATTLINE_DB: '' } });
}

describe('wattline CLI', () => {
  it('prints help for the program and every command', async () => {
    const { stdout } = await wattline('--help');
    for (const cmd of ['serve', 'demo', 'import', 'export', 'migrate'])
      assert.match(stdout, new RegExp(`\\b${cmd}\\b`));
    const exp = await wattline('export', '--help');
    assert.match(exp.stdout, /--site <id>/);
    assert.match(exp.stdout, /--db <path\|url>/);
  });

  it('imports a CSV into a DuckDB file and exports its buckets as CSV', async () => {
    const csv = join(tmp, 'in.csv');
    const db = join(tmp, 'w.duckdb');
    const out = join(tmp, 'out.csv');
    writeFileSync(
      csv,
      'site_id,channel,datetime,value,unit\n7,consumption,2018-08-24T00:00:00Z,2,kWh\n7,consumption,2018-08-24T00:15:00Z,5,kWh\n',
    );
    const imp = await wattline('import', csv, '--db', db, '--no-progress');
    assert.match(imp.stdout, /2 rows, 2 stored, 0 skipped/);
    await wattline(
      'export',
      '--site',
      '7',
      '--from',
      '2018-08-24T00:00:00Z',
      '--to',
      '2018-08-25T00:00:00Z',
      '--out',
      out,
      '--db',
      db,
    );
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(
      lines[0],
      'site_id,channel,bucket_start,energy_wh,positive_wh,negative_wh,coverage,samples,min_power_w,max_power_w,quality',
    );
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',').slice(2, 4)),
      [
        ['2018-08-24T00:00:00Z', '2000'],
        ['2018-08-24T00:15:00Z', '5000'],
      ],
    );
  });

  it('rejects bad configuration and bad arguments with a message and a non-zero exit', async () => {
    await assert.rejects(
      wattline('export', '--site', '1', '--from', 'yesterday'),
      (e: { code: number; stderr: string }) => {
        assert.notEqual(e.code, 0);
        assert.match(e.stderr, /not a date-time: yesterday/);
        return true;
      },
    );
    const cfg = join(tmp, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ server: { prot: 1 } }));
    await assert.rejects(
      wattline('migrate', '--config', cfg, '--db', ':memory:'),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 2);
        assert.match(e.stderr, /\/server\/prot/);
        return true;
      },
    );
  });
});
