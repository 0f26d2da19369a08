// Channel naming conventions the readers (live feed, dashboard) rely on. Power channels follow DESIGN §2
// (+ = into the home's bus); state of charge is kept as a series of its own, in percent.

/** Channels of a home's power flow, in the order the dashboard draws them. */
export const HOME_POWER_CHANNELS = ['grid', 'solar', 'battery', 'load'] as const;

/**
 * Channels holding battery state of charge in percent (0..100) rather than power. `soc` is the app
 * scale; `soc-raw` the gateway's raw value; either is read when present, `soc` first.
 */
export const STATE_OF_CHARGE_CHANNELS = ['soc', 'soc-raw'] as const;

/** True when the channel carries state of charge (percent), not power. */
export function isStateOfChargeChannel(channel: string): boolean {
  return (STATE_OF_CHARGE_CHANNELS as readonly string[]).includes(channel);
}
