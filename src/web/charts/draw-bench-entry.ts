// Entry of the chart-drawing benchmark (bench/dashboard.ts), not part of the dashboard bundle: draws the
// dashboard's own PowerChart over generated 5-second power and reports how long it took.
import { alignSamples } from '../energy.ts';
import { PowerChart, type PowerSample } from './power-chart.ts';

interface DrawTiming {
  instants: number;
  points: number;
  /** From data in hand to the first frame drawn: aligning, building uPlot, drawing (ms). */
  firstDrawMs: number;
  /** Of which aligning the channels into columns, measured on its own (ms). */
  alignMs: number;
  /** One live sample appended to the full chart and redrawn (ms). */
  appendRedrawMs: number;
}

async function benchDraw(instants: number, channels: string[]): Promise<DrawTiming> {
  const startMs = Date.UTC(2026, 0, 1);
  const samples: PowerSample[] = [];
  for (let i = 0; i < instants; i++) {
    const tMs = startMs + i * 5000;
    channels.forEach((channel, c) => {
      samples.push({ channel, tMs, value: 1000 * Math.sin(i / 720 + c) + 200 * Math.sin(i / 7) });
    });
  }
  const box = document.createElement('div');
  box.style.width = '1200px';
  document.body.replaceChildren(box);
  const ta = performance.now();
  alignSamples(channels, samples);
  const alignMs = performance.now() - ta;
  const t0 = performance.now();
  const chart = new PowerChart(box, samples, {
    channels,
    windowMs: (instants + 10) * 5000,
    timeZone: 'UTC',
    label: 'bench',
  });
  // uPlot commits its draw in a microtask: awaiting one more lets it finish.
  await Promise.resolve();
  const firstDrawMs = performance.now() - t0;
  const t1 = performance.now();
  chart.append(channels.map((channel) => ({ channel, tMs: startMs + instants * 5000, value: 1 })));
  await Promise.resolve();
  const appendRedrawMs = performance.now() - t1;
  chart.destroy();
  return { instants, points: instants * channels.length, firstDrawMs, alignMs, appendRedrawMs };
}

(globalThis as { benchDraw?: typeof benchDraw }).benchDraw = benchDraw;
