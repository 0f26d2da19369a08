// A small static line chart (uPlot) for analytics answers: several numeric columns against one x column.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { channelColour, cssVar } from './palette.ts';

export interface LineChartInput {
  x: number[];
  /** Whether x holds epoch seconds (a time axis) or plain numbers (lags, bins). */
  time: boolean;
  series: { label: string; values: (number | null)[]; dashed?: boolean }[];
  label: string;
}

/** Draws a line chart into `container`; returns a function that removes it. */
export function lineChart(container: HTMLElement, input: LineChartInput): () => void {
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', input.label);
  const axisStroke = cssVar('--muted', '#666');
  const gridStroke = cssVar('--grid-line', 'rgba(128,128,128,0.2)');
  const axis = { stroke: axisStroke, grid: { stroke: gridStroke, width: 1 }, ticks: { stroke: gridStroke } };
  const plot = new uPlot(
    {
      width: Math.max(280, container.clientWidth),
      height: 240,
      scales: { x: { time: input.time } },
      series: [
        {},
        ...input.series.map((s, i) => ({
          label: s.label,
          stroke: channelColour(`series-${i}`, i),
          width: 1.5,
          ...(s.dashed ? { dash: [4, 4] } : {}),
          points: { show: input.x.length < 60 },
        })),
      ],
      axes: [axis, { ...axis, size: 60 }],
    },
    [input.x, ...input.series.map((s) => s.values)] as uPlot.AlignedData,
    container,
  );
  return () => plot.destroy();
}
