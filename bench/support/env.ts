// Benchmark sizes: an environment variable wins, else the full-size default, or the small one with --quick.
import type { BenchResult } from './result.ts';

/** Parses an integer-ish env var ("5000000", "5_000_000", "5e6"). */
export function envNumber(name: string, full: number, quickValue: number, quick: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return quick ? quickValue : full;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

export function envInt(name: string, full: number, quickValue: number, quick: boolean): number {
  return Math.round(envNumber(name, full, quickValue, quick));
}

/** What every benchmark receives from the runner. */
export interface BenchContext {
  quick: boolean;
  /** Progress output (stderr), so that stdout stays the figures. */
  log: (message: string) => void;
}

export interface Bench {
  name: string;
  /** One line: what is measured against which target. */
  title: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

export const MB = 1024 * 1024;
