// The real binary against PostgreSQL: `migrate` from an empty database and again, then import and export
// through a postgres:// URL given by --db and by WATTLINE_DB. STORES narrows it away locally, as in the
// store conformance suite; under CI=true it always runs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres-migrations.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { selectedBackends } from '../support/store-backends.ts';

const run = promisify(execFile);
const LATEST = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1]!.version;
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wattline.js');

function wattline(env: Record<string, string>, ...args: string[]) {
  return run(process.execPath, [BIN, ...args], { env: { ...process.env, WATTLINE_DB: '', ...env } });
}

if (selectedBackends().some((b) => b.name === 'postgres')) {
  describe('wattline CLI on PostgreSQL', () => {
    let db: TestDatabase;
    const tmp = mkdtempSync(join(tmpdir(), 'wattline-cli-pg-'));
    before(async () => {
      db = await createTestDatabase();
    });
    after(async () => {
      rmSync(tmp, { recursive: true, force: true });
      await db?.drop();
    });

    it('migrates an empty database, and running it again changes nothing', async () => {
      const first = await wattline({}, 'migrate', '--db', db.url);
      assert.equal(first.stdout.trim(), `postgres ${db.url}: schema version ${LATEST}`);
      const again = await wattline({ WATTLINE_DB: db.url }, 'migrate');
      assert.equal(again.stdout.trim(), `postgres ${db.url}: schema version ${LATEST}`);
    });

    it('imports a CSV and exports its buckets through a postgres:// URL', async () => {
      const csv = join(tmp, 'in.csv');
      writeFileSync(
        csv,
        'site_id,channel,datetime,value,unit\n7,consumption,2018-08-24T00:00:00Z,2,kWh\n7,consumption,2018-08-24T00:15:00Z,5,kWh\n',
      );
      const imp = await wattline({}, 'import', csv, '--db', db.url, '--no-progress');
      assert.match(imp.stdout, /2 rows, 2 stored, 0 skipped/);
      const exp = await wattline({ WATTLINE_DB: db.url }, 'export', '--site', '7');
      assert.deepEqual(
        exp.stdout
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(',').slice(2, 4)),
        [
          ['2018-08-24T00:00:00Z', '2000'],
          ['2018-08-24T00:15:00Z', '5000'],
        ],
      );
    });

    it('names an unreachable database in one line', async () => {
      await assert.rejects(
        wattline({}, 'migrate', '--db', 'postgres://postgres@127.0.0.1:1/none'),
        (e: { code: number; stderr: string }) => {
          assert.notEqual(e.code, 0);
          assert.match(e.stderr, /^wattline: .*ECONNREFUSED/);
          return true;
        },
      );
    });
  });
}
