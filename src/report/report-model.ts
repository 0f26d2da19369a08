// What the HTML report shows, as plain data: chart specifications (drawn by uPlot in the page), the
// written summary, the backtest table and the anomalies. Built by report-data.ts, rendered by render-html.ts.

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** Bars instead of a line. */
  bars?: boolean;
  dash?: number[];
  /** 'pct': drawn against a 0–100% axis on the right instead of the main one. */
  scale?: 'pct';
}

export interface ChartSpec {
  id: string;
  title: string;
  /** One line under the title: what the chart shows and in which unit. */
  caption: string;
  /** 'time': x in epoch seconds; 'number': numeric x; 'category': x are indices into `labels`. */
  xKind: 'time' | 'number' | 'category';
  x: number[];
  labels?: string[];
  yLabel: string;
  series: ChartSeries[];
  /** Series index pairs [upper, lower] whose gap is filled (prediction intervals, ACF bands). */
  bands?: [number, number][];
}

export interface ReportAnomaly {
  kind: string;
  channel: string;
  start: string;
  end: string;
  severity: string;
  explanation: string;
}

export interface ReportScore {
  model: string;
  mase: number | null;
  smapePct: number | null;
  coverage: number | null;
}

export interface ReportModel {
  title: string;
  siteId: string;
  siteName: string;
  channel: string;
  timeZone: string;
  from: string;
  to: string;
  generatedAt: string;
  summary: string[];
  charts: ChartSpec[];
  /** Notes on charts that could not be drawn (e.g. too little history to forecast). */
  notes: string[];
  scores: ReportScore[];
  chosenModel: string | null;
  anomalies: ReportAnomaly[];
}
