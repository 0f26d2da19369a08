// Writes openapi.json at the repository root from the API's route schemas (`npm run openapi`).
// test/api/openapi-drift.test.ts fails when the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOpenApiDocument } from '../src/api/openapi-document.ts';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'openapi.json');
writeFileSync(out, await generateOpenApiDocument());
console.log(`wrote ${out}`);
