// What the pollers know about each device: the latest state, the last durable success and the run of
// errors. Fed by the poll scheduler after each write; read by the status service.
import type { PollerView } from '../analytics/device-health.ts';
import type { PollOutcome } from '../connectors/connector.ts';

export class DeviceHealth {
  private readonly devices = new Map<string, PollerView & { connector: string; source: string }>();

  /** Records the outcomes of one poll round; `durable` is false when their readings could not be stored. */
  record(
    connector: { name: string; source: string; intervalMs: number },
    outcomes: readonly PollOutcome[],
    durable: boolean,
  ): void {
    for (const o of outcomes) {
      const prev = this.devices.get(o.siteId);
      const ok = o.state === 'ok' && durable;
      this.devices.set(o.siteId, {
        connector: connector.name,
        source: connector.source,
        intervalMs: connector.intervalMs,
        state: o.state,
        lastOkMs: ok ? o.askedMs : (prev?.lastOkMs ?? null),
        consecutiveErrors: ok ? 0 : (prev?.consecutiveErrors ?? 0) + 1,
        detail: ok ? null : (o.detail ?? (durable ? null : 'the readings could not be stored')),
      });
    }
  }

  /** The poller's view of a site, or undefined when no poller reports it. */
  poller(siteId: string): PollerView | undefined {
    const d = this.devices.get(siteId);
    if (!d) return undefined;
    const { connector: _c, source: _s, ...view } = d;
    return view;
  }

  /** Sites some poller reports, with their source. */
  sites(): { siteId: string; source: string; connector: string }[] {
    return [...this.devices].map(([siteId, d]) => ({ siteId, source: d.source, connector: d.connector }));
  }
}
