// Time windows from query strings: both ends parsed with the domain's parseInstant, every bad value
// reported at its field, and the half-open window [start, end) checked for order and size.
import { WattlineError } from '../domain/errors.ts';
import { DAY_MS, formatInstant, parseInstant } from '../domain/time.ts';
import { INSTANT_DESCRIPTION } from './schemas/common.ts';

export interface TimeWindow {
  /** Inclusive start (epoch ms), when given. */
  fromMs?: number;
  /** Exclusive end (epoch ms), when given. */
  toMs?: number;
}

export interface WindowFields {
  /** Query field names, for error paths (`/start`, `/from`). */
  names: readonly [string, string];
  values: readonly [string | undefined, string | undefined];
  /** Longest window allowed, in ms. */
  maxSpanMs?: number;
}

/** Message for a date-time that could not be parsed. */
export const BAD_INSTANT_MESSAGE = `is not a valid date-time; expected ${INSTANT_DESCRIPTION}`;

/** Parses a window; throws invalid-datetime (all bad fields) or invalid-range. */
export function parseWindow({ names, values, maxSpanMs }: WindowFields): TimeWindow {
  const parsed = values.map((v) => (v === undefined ? undefined : parseInstant(v)));
  const problems = values.flatMap((v, i) =>
    v !== undefined && parsed[i] === undefined
      ? [{ path: `/${names[i]}`, message: BAD_INSTANT_MESSAGE, value: v }]
      : [],
  );
  if (problems.length > 0) {
    throw new WattlineError(
      'invalid-datetime',
      `Could not parse ${problems.map((p) => p.path.slice(1)).join(' and ')}`,
      problems,
    );
  }
  const [fromMs, toMs] = parsed;
  if (fromMs !== undefined && toMs !== undefined) {
    if (fromMs >= toMs) {
      throw new WattlineError(
        'invalid-range',
        `${names[0]} must be before ${names[1]} (the window is [${names[0]}, ${names[1]}))`,
        [
          { path: `/${names[0]}`, message: `must be before ${names[1]} (${values[1]})`, value: values[0] },
          { path: `/${names[1]}`, message: `must be after ${names[0]} (${values[0]})`, value: values[1] },
        ],
      );
    }
    if (maxSpanMs !== undefined && toMs - fromMs > maxSpanMs) {
      throw new WattlineError('invalid-range', `The window may span at most ${maxSpanMs / DAY_MS} days`, [
        {
          path: `/${names[1]}`,
          message: `must be at most ${maxSpanMs / DAY_MS} days after ${names[0]}`,
          value: values[1],
        },
      ]);
    }
  }
  const out: TimeWindow = {};
  if (fromMs !== undefined) out.fromMs = fromMs;
  if (toMs !== undefined) out.toMs = toMs;
  return out;
}

/**
 * A window over recent data: `from`/`to` when given, else the `defaultSpanMs` before `to` (default now);
 * at most `maxSpanMs` wide. Throws invalid-datetime or invalid-range naming the field.
 */
export function parseRecentWindow(opts: {
  from: string | undefined;
  to: string | undefined;
  nowMs: number;
  defaultSpanMs: number;
  maxSpanMs: number;
}): { fromMs: number; toMs: number } {
  const window = parseWindow({
    names: ['from', 'to'],
    values: [opts.from, opts.to],
    maxSpanMs: opts.maxSpanMs,
  });
  const toMs = window.toMs ?? opts.nowMs;
  const fromMs = window.fromMs ?? toMs - opts.defaultSpanMs;
  if (fromMs >= toMs) {
    throw new WattlineError('invalid-range', 'from must be before to (the window is [from, to))', [
      { path: '/from', message: `must be before ${formatInstant(toMs)}`, value: opts.from },
    ]);
  }
  if (window.toMs === undefined && toMs - fromMs > opts.maxSpanMs) {
    const days = Math.round(opts.maxSpanMs / DAY_MS);
    throw new WattlineError('invalid-range', `The window may span at most ${days} days`, [
      { path: '/from', message: `must be at most ${days} days before to (default now)`, value: opts.from },
    ]);
  }
  return { fromMs, toMs };
}
