// Static charts of the analytics answers (uPlot): bars for rollups and histograms, and lines with a shaded
// band for the ACF's 95% band and the forecast's interval. Colours follow the light or dark theme.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { channelColour, cssVar } from './palette.ts';

const HEIGHT_PX = 240;

function axes(time: boolean, xValues?: (u: uPlot, splits: number[]) => string[]): uPlot.Axis[] {
  const stroke = cssVar('--muted', '#666');
  const grid = cssVar('--grid-line', 'rgba(128,128,128,0.2)');
  const axis = { stroke, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  return [
    { ...axis, ...(xValues && !time ? { values: xValues } : {}) },
    { ...axis, size: 64 },
  ];
}

/** Bars and counts read from zero: a y axis starting at the smallest bar would exaggerate differences. */
const FROM_ZERO: uPlot.Scale = { range: (_u, min, max) => [Math.min(0, min), Math.max(0, max) * 1.05] };

function mount(
  container: HTMLElement,
  label: string,
  opts: Omit<uPlot.Options, 'width' | 'height'>,
  data: uPlot.AlignedData,
  timeZone?: string,
) {
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', label);
  const plot = new uPlot(
    {
      width: Math.max(280, container.clientWidth),
      height: HEIGHT_PX,
      // Time axes in the site's zone, as every other time on the page.
      ...(timeZone ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), timeZone) } : {}),
      ...opts,
    },
    data,
    container,
  );
  return () => plot.destroy();
}

export interface BarChartInput {
  /** Bar positions: numbers (bin centres, period indexes). */
  x: number[];
  values: (number | null)[];
  seriesLabel: string;
  label: string;
  /** Tick text for non-time x (e.g. weekday names at indexes). */
  xLabel?: (x: number) => string;
  colour?: string;
}

/** Bars of one series; returns a function that removes the chart. */
export function barChart(container: HTMLElement, input: BarChartInput): () => void {
  const colour = input.colour ?? channelColour('load', 0);
  const xLabel = input.xLabel;
  return mount(
    container,
    input.label,
    {
      scales: { x: { time: false }, y: FROM_ZERO },
      series: [
        {},
        {
          label: input.seriesLabel,
          stroke: colour,
          fill: `${colour}99`,
          width: 1,
          paths: uPlot.paths.bars!({ size: [0.8, 60], align: 0 }),
          points: { show: false },
        },
      ],
      axes: axes(false, xLabel ? (_u, splits) => splits.map((s) => xLabel(s)) : undefined),
    },
    [input.x, input.values] as uPlot.AlignedData,
  );
}

export interface BandChartInput {
  x: number[];
  time: boolean;
  lines: { label: string; values: (number | null)[]; dashed?: boolean; colour: string; bars?: boolean }[];
  /** A shaded band between two series (interval, 95% band). */
  band: { label: string; lower: (number | null)[]; upper: (number | null)[]; colour: string };
  label: string;
  /** IANA zone of a time axis. */
  timeZone?: string;
}

/** Lines over a shaded band; returns a function that removes the chart. */
export function bandChart(container: HTMLElement, input: BandChartInput): () => void {
  const n = input.lines.length;
  // Series 1..n are the lines; n+1 the band's upper edge, n+2 its lower edge (filled between).
  return mount(
    container,
    input.label,
    {
      scales: { x: { time: input.time } },
      series: [
        {},
        ...input.lines.map((l) => ({
          label: l.label,
          stroke: l.colour,
          width: l.bars ? 1 : 1.5,
          ...(l.dashed ? { dash: [5, 4] } : {}),
          ...(l.bars ? { paths: uPlot.paths.bars!({ size: [0.5, 6] }), fill: l.colour } : {}),
          points: { show: false },
        })),
        { label: `${input.band.label} upper`, stroke: input.band.colour, width: 1, points: { show: false } },
        { label: `${input.band.label} lower`, stroke: input.band.colour, width: 1, points: { show: false } },
      ],
      bands: [{ series: [n + 1, n + 2], fill: `${input.band.colour}33` }],
      axes: axes(input.time),
    },
    [input.x, ...input.lines.map((l) => l.values), input.band.upper, input.band.lower] as uPlot.AlignedData,
    input.timeZone,
  );
}
