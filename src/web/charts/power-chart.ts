// The power chart: per-channel power over a sliding window, drawn by uPlot (canvas, tens of thousands of
// points in milliseconds) and fed live by appending samples as they arrive.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type AlignedColumns, alignSamples } from '../energy.ts';
import { formatLocal, formatPowerW } from '../format.ts';
import { channelColour, cssVar } from './palette.ts';

/** Longer than this without any sample is drawn as a gap (s): the normalizer's default maxGapMs. */
const GAP_SEC = 15 * 60;

export interface PowerSample {
  channel: string;
  tMs: number;
  value: number;
}

export interface PowerChartOptions {
  channels: string[];
  /** Samples older than the newest minus this are dropped (ms). */
  windowMs: number;
  timeZone: string;
  height?: number;
  /** Accessible name of the chart. */
  label: string;
}

/** A live power chart inside `container`. */
export class PowerChart {
  readonly #container: HTMLElement;
  readonly #opts: PowerChartOptions;
  #cols: AlignedColumns;
  readonly #plot: uPlot;
  readonly #resize: ResizeObserver;

  constructor(container: HTMLElement, samples: readonly PowerSample[], opts: PowerChartOptions) {
    this.#container = container;
    this.#opts = opts;
    this.#cols = alignSamples(opts.channels, samples);
    container.setAttribute('role', 'img');
    container.setAttribute('aria-label', opts.label);
    const axisStroke = cssVar('--muted', '#666');
    const gridStroke = cssVar('--grid-line', 'rgba(128,128,128,0.2)');
    const axis = {
      stroke: axisStroke,
      grid: { stroke: gridStroke, width: 1 },
      ticks: { stroke: gridStroke },
    };
    this.#plot = new uPlot(
      {
        width: Math.max(280, container.clientWidth),
        height: opts.height ?? 280,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), opts.timeZone),
        cursor: { drag: { x: true, y: false } },
        scales: { x: { time: true } },
        legend: { live: true },
        series: [
          { value: (_u, v) => (v === null ? '–' : formatLocal(v * 1000, opts.timeZone, true)) },
          ...opts.channels.map((ch, i) => ({
            label: ch,
            stroke: channelColour(ch, i),
            width: 1.5,
            spanGaps: false,
            points: { show: false },
            value: (_u: uPlot, v: number | null) => formatPowerW(v),
          })),
        ],
        axes: [axis, { ...axis, size: 64, values: (_u, splits) => splits.map((v) => formatPowerW(v)) }],
      },
      this.#data(),
      container,
    );
    this.#resize = new ResizeObserver(() => {
      const width = Math.max(280, container.clientWidth);
      if (width !== this.#plot.width) this.#plot.setSize({ width, height: this.#plot.height });
    });
    this.#resize.observe(container);
    this.#mark();
  }

  /**
   * Columns as uPlot draws them. A channel without a sample at another channel's instant is `undefined`
   * (uPlot joins the line across it); a stretch longer than GAP_SEC with no sample at all is a real gap
   * (DESIGN §3.3: gaps stay gaps), marked by a null row just after its start.
   */
  #data(): uPlot.AlignedData {
    const { xSec, ys } = this.#cols;
    const x: number[] = [];
    const out: (number | null | undefined)[][] = ys.map(() => []);
    for (let i = 0; i < xSec.length; i++) {
      const t = xSec[i]!;
      if (i > 0 && t - xSec[i - 1]! > GAP_SEC) {
        x.push(xSec[i - 1]! + 1);
        for (const col of out) col.push(null);
      }
      x.push(t);
      for (let c = 0; c < ys.length; c++) {
        const v = ys[c]![i];
        out[c]!.push(v === null ? undefined : v);
      }
    }
    return [x, ...out] as uPlot.AlignedData;
  }

  /** Newest instant drawn (epoch ms), null when empty. */
  lastMs(): number | null {
    const x = this.#cols.xSec;
    return x.length === 0 ? null : x[x.length - 1]! * 1000;
  }

  /** Number of instants drawn. */
  size(): number {
    return this.#cols.xSec.length;
  }

  /** Adds live samples and slides the window; redraws once. */
  append(samples: readonly PowerSample[]): void {
    const { xSec, ys } = this.#cols;
    const index = new Map(this.#opts.channels.map((c, i) => [c, i]));
    for (const s of samples) {
      const i = index.get(s.channel);
      if (i === undefined) continue;
      const x = s.tMs / 1000;
      // Samples nearly always arrive in order; an older one is inserted where it belongs.
      let at = xSec.length;
      while (at > 0 && xSec[at - 1]! > x) at--;
      if (at > 0 && xSec[at - 1] === x) {
        ys[i]![at - 1] = s.value;
        continue;
      }
      xSec.splice(at, 0, x);
      ys.forEach((col, j) => {
        col.splice(at, 0, j === i ? s.value : null);
      });
    }
    const last = xSec[xSec.length - 1];
    if (last !== undefined) {
      const cutSec = last - this.#opts.windowMs / 1000;
      let drop = 0;
      while (drop < xSec.length && xSec[drop]! < cutSec) drop++;
      if (drop > 0) {
        xSec.splice(0, drop);
        for (const col of ys) col.splice(0, drop);
      }
    }
    this.#plot.setData(this.#data());
    this.#mark();
  }

  /** Exposes the newest instant on the element, for people (title) and tests (data attribute). */
  #mark(): void {
    const last = this.lastMs();
    this.#container.dataset['lastSampleMs'] = last === null ? '' : String(last);
    this.#container.dataset['points'] = String(this.size());
  }

  destroy(): void {
    this.#resize.disconnect();
    this.#plot.destroy();
  }
}
