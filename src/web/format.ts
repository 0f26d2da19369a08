// Numbers and times as people read them: kW with one decimal, kWh, local times in the site's zone.

export function formatPowerW(powerW: number | null | undefined): string {
  if (powerW === null || powerW === undefined || !Number.isFinite(powerW)) return '–';
  const abs = Math.abs(powerW);
  if (abs >= 1e6) return `${(powerW / 1e6).toFixed(2)} MW`;
  if (abs >= 1000) return `${(powerW / 1000).toFixed(2)} kW`;
  return `${Math.round(powerW)} W`;
}

export function formatEnergyWh(energyWh: number | null | undefined): string {
  if (energyWh === null || energyWh === undefined || !Number.isFinite(energyWh)) return '–';
  const abs = Math.abs(energyWh);
  if (abs >= 1e6) return `${(energyWh / 1e6).toFixed(2)} MWh`;
  if (abs >= 1000) return `${(energyWh / 1000).toFixed(2)} kWh`;
  return `${energyWh.toFixed(0)} Wh`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** `2026-01-01 13:45` in `timeZone` (the browser's when absent). */
export function formatLocal(ms: number, timeZone?: string, seconds = false): string {
  const key = `${timeZone ?? ''}|${seconds}`;
  let f = timeFormats.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('sv-SE', {
      ...(timeZone === undefined ? {} : { timeZone }),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
    });
    timeFormats.set(key, f);
  }
  return f.format(ms);
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(ms: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - ms) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}
