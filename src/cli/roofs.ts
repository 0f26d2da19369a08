// The `wattline roofs` command group: import and export of roof site models.
import type { Command } from 'commander';
import { registerRoofsExport } from './roofs-export.ts';
import { registerRoofsImport } from './roofs-import.ts';

export function registerRoofs(program: Command): void {
  const roofs = program
    .command('roofs')
    .description('roof site models: validate, clean and store them with revisions; export CSV for analysts');
  registerRoofsImport(roofs);
  registerRoofsExport(roofs);
}
