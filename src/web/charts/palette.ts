// Series colours from the stylesheet's custom properties, so charts follow the light or dark theme.

const FALLBACK: Record<string, string> = {
  grid: '#7c6fd6',
  solar: '#d99a00',
  battery: '#1f9d55',
  load: '#2b7bd9',
  consumption: '#2b7bd9',
};
const EXTRA = ['#c2417a', '#0e9aa7', '#8a6d3b', '#5b6b7f'];

/** A CSS custom property of the document root, or `fallback`. */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v === '' ? fallback : v;
}

/** Colour of a channel's series. */
export function channelColour(channel: string, index: number): string {
  return cssVar(`--ch-${channel}`, FALLBACK[channel] ?? EXTRA[index % EXTRA.length]!);
}
