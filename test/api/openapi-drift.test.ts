// openapi.json is committed (DESIGN §5); this fails when the routes' schemas and the file disagree.
// Regenerate with `npm run openapi`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateOpenApiDocument } from '../../src/api/openapi-document.ts';

const committedPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'openapi.json');

test('the committed openapi.json matches the routes (run `npm run openapi` after changing a schema)', async () => {
  const generated = await generateOpenApiDocument();
  const committed = readFileSync(committedPath, 'utf8');
  assert.equal(committed, generated);
});

test('generation is stable: two runs give the same text', async () => {
  assert.equal(await generateOpenApiDocument(), await generateOpenApiDocument());
});
