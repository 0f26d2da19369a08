import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The shared reference folder (`../shared` next to the checkout), or WATTLINE_SHARED when set. */
export const SHARED_DIR = process.env['WATTLINE_SHARED'] ?? resolve(here, '../../../shared');

/** Path of a file under shared/; fails loudly when shared/ is absent. */
export function sharedPath(...parts: string[]): string {
  const p = join(SHARED_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`shared reference file missing: ${p}`);
  return p;
}

/** Parses a JSON file under shared/. */
export function readSharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(sharedPath(...parts), 'utf8')) as T;
}
