// The wattline command line. Each command lives in its own file and is registered here explicitly.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { WattlineError } from '../domain/errors.ts';
import { registerDemo } from './demo.ts';
import { registerExport } from './export.ts';
import { registerImport } from './import.ts';
import { registerMigrate } from './migrate.ts';
import { registerPoll } from './poll.ts';
import { registerPull } from './pull.ts';
import { registerReport } from './report.ts';
import { registerRoofs } from './roofs.ts';
import { registerServe } from './serve.ts';
import { registerSimulate } from './simulate.ts';

export function buildProgram(): Command {
  const program = new Command('wattline')
    .description('Energy telemetry: collect, normalize to 15-minute energy, store, serve and analyse.')
    .version('0.1.0')
    .showHelpAfterError();
  registerServe(program);
  registerDemo(program);
  registerImport(program);
  registerExport(program);
  registerMigrate(program);
  registerSimulate(program);
  registerRoofs(program);
  registerPoll(program);
  registerPull(program);
  registerReport(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (e instanceof ConfigError || e instanceof WattlineError) {
    console.error(`wattline: ${e.message}`);
    process.exit(2);
  }
  // Anything else (a missing file, a locked database) is reported in one line; the stack only on request.
  console.error(`wattline: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env['WATTLINE_DEBUG'] && e instanceof Error) console.error(e.stack);
  process.exit(1);
}
