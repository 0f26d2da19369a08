// The power flow of a site: one tile per channel (grid, solar, battery, home first) saying which way the
// power goes, the battery's state of charge and the grid status; updated in place by live events.
// State of charge and grid status come only from the site's stored gauges (`soc` in %, `grid-connected`
// and `running` as 1/0): a percentage is never a power channel, so without gauges they show "—".
import { HOME_POWER_CHANNELS } from '../../domain/channels.ts';
import { h } from '../dom.ts';
import { formatLocal, formatPowerW } from '../format.ts';

/** Below this a flow counts as idle (W). */
const IDLE_W = 20;

/** One event of GET /v1/sites/{id}/live. */
export interface LiveWire {
  latest: string | null;
  latestPowerW: Record<string, number>;
  points: { channel: string; tMs: number; powerW: number }[];
  /** Latest gauge values by name, on servers that store gauges. */
  gauges?: Record<string, number>;
}

/** GET /v1/sites/{siteId}/gauges/latest. */
export interface GaugesWire {
  siteId: string;
  gauges: Record<string, { t: string; value: number }>;
}

/** Shown where a value is not known. */
const UNKNOWN = '—';

function flowText(channel: string, powerW: number | undefined): string {
  if (powerW === undefined) return 'no data';
  const abs = formatPowerW(Math.abs(powerW));
  if (Math.abs(powerW) < IDLE_W) return 'idle';
  switch (channel) {
    case 'grid':
      return powerW > 0 ? `importing ${abs}` : `exporting ${abs}`;
    case 'battery':
      return powerW > 0 ? `discharging ${abs}` : `charging ${abs}`;
    case 'solar':
      return powerW > 0 ? `producing ${abs}` : `drawing ${abs}`;
    case 'load':
      return `using ${abs}`;
    default:
      return formatPowerW(powerW);
  }
}

const NODE_LABEL: Record<string, string> = { grid: 'Grid', solar: 'Solar', battery: 'Battery', load: 'Home' };

/** The power flow tiles; updated in place on every live event. */
export class PowerFlow {
  readonly el: HTMLElement;
  readonly #values = new Map<string, HTMLElement>();
  readonly #soc: HTMLMeterElement;
  readonly #socText: HTMLElement;
  readonly #grid: HTMLElement;
  readonly #updated: HTMLElement;
  readonly #gauges = new Map<string, number>();
  #gridPowerW: number | undefined;

  constructor(
    channels: string[],
    hasGauges: boolean,
    private readonly deviceNote: string | null,
  ) {
    const shown = [
      ...HOME_POWER_CHANNELS.filter((c) => channels.includes(c)),
      ...channels.filter((c) => !(HOME_POWER_CHANNELS as readonly string[]).includes(c)),
    ];
    this.#soc = h('meter', {
      min: 0,
      max: 100,
      low: 20,
      optimum: 80,
      value: 0,
      'aria-label': 'State of charge',
    });
    this.#socText = h('span', { 'data-testid': 'soc' }, UNKNOWN);
    this.#soc.hidden = true;
    this.#grid = h(
      'p',
      { class: 'grid-status', 'data-testid': 'grid-status' },
      deviceNote ?? `Grid: ${UNKNOWN}`,
    );
    this.#updated = h('p', { class: 'muted', 'data-testid': 'flow-updated' }, 'waiting for live data…');
    this.el = h(
      'div',
      { class: 'flow' },
      h(
        'ul',
        { class: 'flow-nodes' },
        shown.map((c) => {
          const value = h('span', { class: 'flow-value', 'data-channel': c }, '–');
          this.#values.set(c, value);
          return h(
            'li',
            { class: `flow-node node-${c}` },
            h('span', { class: 'flow-label' }, NODE_LABEL[c] ?? c),
            value,
          );
        }),
      ),
      hasGauges || channels.includes('battery')
        ? h('p', { class: 'soc' }, 'Battery charge ', this.#soc, ' ', this.#socText)
        : null,
      hasGauges || channels.includes('grid') || deviceNote !== null ? this.#grid : null,
      this.#updated,
    );
  }

  /** Takes the stored gauges (GET …/gauges/latest) as the starting values. */
  setGauges(latest: GaugesWire | null): void {
    if (latest === null) return;
    for (const [name, g] of Object.entries(latest.gauges)) this.#gauges.set(name, g.value);
    this.#showGauges();
  }

  update(u: LiveWire, timeZone: string): void {
    for (const [c, el] of this.#values) el.textContent = flowText(c, u.latestPowerW[c]);
    for (const [name, value] of Object.entries(u.gauges ?? {})) this.#gauges.set(name, value);
    this.#gridPowerW = u.latestPowerW['grid'];
    this.#showGauges();
    if (u.latest !== null)
      this.#updated.textContent = `as of ${formatLocal(Date.parse(u.latest), timeZone, true)}`;
  }

  #showGauges(): void {
    const soc = this.#gauges.get('soc');
    if (soc !== undefined && Number.isFinite(soc)) {
      this.#soc.hidden = false;
      this.#soc.value = Math.max(0, Math.min(100, soc));
      this.#socText.textContent = `${soc.toFixed(1)} %`;
    }
    const connected = this.#gauges.get('grid-connected');
    const running = this.#gauges.get('running');
    const grid = this.#gridPowerW;
    const flow =
      grid === undefined || Math.abs(grid) < IDLE_W ? 'idle' : grid > 0 ? 'importing' : 'exporting';
    const state =
      running === 0
        ? 'system stopped'
        : connected === undefined
          ? UNKNOWN
          : connected === 1
            ? `connected, ${flow}`
            : 'off grid (islanded)';
    this.#grid.textContent = this.deviceNote ?? `Grid: ${state}`;
  }
}
