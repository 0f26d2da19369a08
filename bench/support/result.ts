// What a benchmark reports: named figures, some with a target, rendered as a table and as one JSON line.

export interface Target {
  op: '>=' | '<=' | '<';
  value: number;
}

export interface Metric {
  /** Stable machine key (snake_case), used in the JSON line. */
  key: string;
  /** Human label for the table. */
  label: string;
  value: number;
  unit: string;
  target?: Target;
  /** Decimal places in the table (default: 0 for large values, 2 below 100). */
  digits?: number;
}

export interface BenchResult {
  bench: string;
  quick: boolean;
  /** The sizes actually used (from env vars or defaults). */
  params: Record<string, number | string>;
  metrics: Metric[];
  /** Diagnostics worth reading next to the figures. */
  notes: string[];
  /** Wall time of the whole benchmark, setup included (s). */
  seconds: number;
  /** Set when the benchmark failed to run; the figures are then absent or partial. */
  error?: string;
}

export function meets(m: Metric): boolean | undefined {
  const t = m.target;
  if (t === undefined || !Number.isFinite(m.value)) return t === undefined ? undefined : false;
  if (t.op === '>=') return m.value >= t.value;
  if (t.op === '<=') return m.value <= t.value;
  return m.value < t.value;
}

/** True when every targeted figure meets its target and the bench ran. */
export function passed(r: BenchResult): boolean {
  return r.error === undefined && r.metrics.every((m) => meets(m) !== false);
}

export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return String(value);
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

function withUnit(text: string, unit: string): string {
  return unit === '' ? text : `${text} ${unit}`;
}

function targetText(m: Metric): string {
  if (m.target === undefined) return '';
  const op = m.target.op === '>=' ? '≥' : m.target.op === '<=' ? '≤' : '<';
  return `${op} ${withUnit(formatNumber(m.target.value, m.digits), m.unit)}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The readable table of one benchmark. */
export function formatResult(r: BenchResult): string {
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v, Number.isInteger(v) ? 0 : 2) : v}`)
    .join(' ');
  const head = `== ${r.bench}${r.quick ? ' (quick)' : ''}: ${passed(r) ? 'PASS' : 'MISS'} in ${r.seconds.toFixed(1)} s  [${params}]`;
  const rows = [['metric', 'measured', 'target', '']];
  for (const m of r.metrics) {
    const ok = meets(m);
    rows.push([
      m.label,
      withUnit(formatNumber(m.value, m.digits), m.unit),
      targetText(m),
      ok === undefined ? '' : ok ? 'pass' : 'MISS',
    ]);
  }
  const lines = [head, table(rows)];
  if (r.error !== undefined) lines.push(`error: ${r.error}`);
  for (const n of r.notes) lines.push(`  - ${n}`);
  return lines.join('\n');
}

/** One line of JSON per benchmark: figures keyed by metric key, with target and pass where targeted. */
export function jsonLine(r: BenchResult): string {
  const metrics: Record<string, unknown> = {};
  for (const m of r.metrics) {
    const ok = meets(m);
    metrics[m.key] = {
      value: m.value,
      unit: m.unit,
      ...(m.target === undefined ? {} : { target: `${m.target.op} ${m.target.value}`, pass: ok }),
    };
  }
  return JSON.stringify({
    bench: r.bench,
    quick: r.quick,
    pass: passed(r),
    seconds: Number(r.seconds.toFixed(2)),
    params: r.params,
    metrics,
    ...(r.error === undefined ? {} : { error: r.error }),
    notes: r.notes,
  });
}

/** The cross-benchmark summary: each targeted figure on one line. */
export function formatSummary(results: readonly BenchResult[]): string {
  const rows = [['bench', 'figure', 'measured', 'target', '']];
  for (const r of results) {
    if (r.error !== undefined) rows.push([r.bench, 'error', '', '', 'MISS']);
    for (const m of r.metrics.filter((x) => x.target !== undefined)) {
      rows.push([
        r.bench,
        m.label,
        withUnit(formatNumber(m.value, m.digits), m.unit),
        targetText(m),
        meets(m) ? 'pass' : 'MISS',
      ]);
    }
  }
  return table(rows);
}
