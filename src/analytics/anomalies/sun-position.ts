// The sun's elevation from the NOAA low-accuracy equations (error well under a degree): enough to tell
// daylight, where a solar system must produce, from dusk, where it need not.

const RAD = Math.PI / 180;

/** Solar elevation angle (degrees above the horizon) at `tMs` for a place. */
export function sunElevationDeg(tMs: number, latitudeDeg: number, longitudeDeg: number): number {
  const days = tMs / 86_400_000 - 10_957.5; // days since J2000.0 (2000-01-01T12:00Z)
  const g = (357.529 + 0.98560028 * days) * RAD; // mean anomaly
  const q = 280.459 + 0.98564736 * days; // mean longitude (deg)
  const lambda = (q + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * RAD; // ecliptic longitude
  const epsilon = (23.439 - 0.00000036 * days) * RAD;
  const declination = Math.asin(Math.sin(epsilon) * Math.sin(lambda));
  const rightAscension = Math.atan2(Math.cos(epsilon) * Math.sin(lambda), Math.cos(lambda));
  const gmstHours = (18.697374558 + 24.06570982441908 * days) % 24;
  const hourAngle = (gmstHours * 15 + longitudeDeg) * RAD - rightAscension;
  const lat = latitudeDeg * RAD;
  const sinElevation =
    Math.sin(lat) * Math.sin(declination) + Math.cos(lat) * Math.cos(declination) * Math.cos(hourAngle);
  return Math.asin(Math.max(-1, Math.min(1, sinElevation))) / RAD;
}
