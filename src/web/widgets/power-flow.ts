// The power flow of a site: one tile per channel (grid, solar, battery, home first) saying which way the
// power goes, the battery's state of charge and the grid status; updated in place by live events.
import { HOME_POWER_CHANNELS } from '../../domain/channels.ts';
import { h } from '../dom.ts';
import { formatLocal, formatPowerW } from '../format.ts';

/** Below this a flow counts as idle (W). */
const IDLE_W = 20;

/** One event of GET /v1/sites/{id}/live. */
export interface LiveWire {
  latest: string | null;
  latestPowerW: Record<string, number>;
  socPercent: number | null;
  points: { channel: string; tMs: number; powerW: number }[];
}

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

  constructor(channels: string[], hasSoc: boolean, deviceNote: string | null) {
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
    this.#socText = h('span', { 'data-testid': 'soc' }, '–');
    this.#grid = h('p', { class: 'grid-status', 'data-testid': 'grid-status' }, deviceNote ?? 'Grid: –');
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
      hasSoc || channels.includes('battery')
        ? h('p', { class: 'soc' }, 'Battery ', this.#soc, ' ', this.#socText)
        : null,
      channels.includes('grid') || deviceNote !== null ? this.#grid : null,
      this.#updated,
    );
  }

  update(u: LiveWire, timeZone: string, deviceNote: string | null): void {
    for (const [c, el] of this.#values) el.textContent = flowText(c, u.latestPowerW[c]);
    if (u.socPercent !== null) {
      this.#soc.value = u.socPercent;
      this.#socText.textContent = `${u.socPercent.toFixed(1)} %`;
    }
    const grid = u.latestPowerW['grid'];
    const gridState =
      grid === undefined
        ? '–'
        : Math.abs(grid) < IDLE_W
          ? 'connected, idle'
          : grid > 0
            ? 'connected, importing'
            : 'connected, exporting';
    this.#grid.textContent = deviceNote ?? `Grid: ${gridState}`;
    if (u.latest !== null)
      this.#updated.textContent = `as of ${formatLocal(Date.parse(u.latest), timeZone, true)}`;
  }
}
