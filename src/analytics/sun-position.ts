// The sun's elevation from time and place (NOAA's low-precision formulas, within ~0.5° for 1950-2050),
// used to tell daylight from night for the solar health check and the simulators' solar curves.

const RAD = Math.PI / 180;

/** Where a site is, in degrees (north and east positive). */
export interface GeoLocation {
  latitude: number;
  longitude: number;
}

/** Elevation of the sun's centre above the horizon at `tMs` (degrees; negative at night). */
export function sunElevationDeg(tMs: number, loc: GeoLocation): number {
  const days = tMs / 86_400_000 + 2440587.5 - 2451545.0; // days since J2000.0
  const meanLongitude = (280.46 + 0.9856474 * days) % 360;
  const meanAnomaly = ((357.528 + 0.9856003 * days) % 360) * RAD;
  const eclipticLongitude =
    (meanLongitude + 1.915 * Math.sin(meanAnomaly) + 0.02 * Math.sin(2 * meanAnomaly)) * RAD;
  const obliquity = (23.439 - 0.0000004 * days) * RAD;
  const declination = Math.asin(Math.sin(obliquity) * Math.sin(eclipticLongitude));
  const rightAscension = Math.atan2(
    Math.cos(obliquity) * Math.sin(eclipticLongitude),
    Math.cos(eclipticLongitude),
  );
  const gmstHours = (18.697374558 + 24.06570982441908 * days) % 24;
  const hourAngle = (gmstHours * 15 + loc.longitude) * RAD - rightAscension;
  const lat = loc.latitude * RAD;
  const sinElevation =
    Math.sin(lat) * Math.sin(declination) + Math.cos(lat) * Math.cos(declination) * Math.cos(hourAngle);
  return Math.asin(Math.max(-1, Math.min(1, sinElevation))) / RAD;
}

/** Reads `latitude`/`longitude` from site metadata, or null when either is missing or out of range. */
export function locationOf(metadata: Record<string, unknown>): GeoLocation | null {
  const { latitude, longitude } = metadata;
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude };
}
