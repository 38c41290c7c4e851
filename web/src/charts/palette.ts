/**
 * Colours. Sleep stages use the Okabe–Ito palette (distinguishable with the common colour-vision
 * deficiencies) and the hypnogram also encodes the stage by height, never by colour alone.
 */
export const STAGES = [
  { code: '4', key: 'awake', label: 'Awake', color: '#E69F00', level: 4 },
  { code: '3', key: 'rem', label: 'REM', color: '#CC79A7', level: 3 },
  { code: '2', key: 'light', label: 'Light', color: '#56B4E9', level: 2 },
  { code: '1', key: 'deep', label: 'Deep', color: '#0072B2', level: 1 },
] as const;

export function stageByCode(code: string): (typeof STAGES)[number] | undefined {
  return STAGES.find((s) => s.code === code);
}

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/**
 * Colour means one thing. Hues belong to the sleep stages (above) and the score bands
 * (scoreBands.ts); measurements are drawn in neutral ink, so a hue on a chart is always a stage or
 * a band. Values come from the theme (styles.css), so both themes keep their contrast.
 */
export const SERIES = {
  /** One measurement's line or bars (heart rate, HRV, workout minutes). */
  get primary(): string {
    return cssVar('--ink');
  },
  /** Daily values under a rolling mean: quieter than the mean. */
  get daily(): string {
    return cssVar('--ink-soft');
  },
  /** The 7-day mean: the strongest line. */
  get rolling(): string {
    return cssVar('--fg');
  },
  /** The personal baseline band. */
  get band(): string {
    return cssVar('--band');
  },
  get heart(): string {
    return cssVar('--ink');
  },
  get hrv(): string {
    return cssVar('--ink');
  },
  get movement(): string {
    return cssVar('--fg-muted');
  },
};

/**
 * Sequential scale for the calendar: one hue ramp whose low end fades into the background and
 * whose high end stands out, in either theme (ColorBrewer "Blues"-like stops per theme).
 */
const RAMPS = {
  dark: ['#1b2d45', '#1f4f7a', '#2d7cb4', '#62aee0', '#bfe3fb'],
  light: ['#e3eef9', '#a9cbea', '#5f9fd3', '#276fb0', '#0b3f73'],
};

export function sequential(t: number): string {
  const ramp = document.documentElement.dataset.theme === 'light' ? RAMPS.light : RAMPS.dark;
  const x = Math.min(1, Math.max(0, t)) * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(x));
  const f = x - i;
  const a = hex(ramp[i] ?? '#000000');
  const b = hex(ramp[i + 1] ?? '#000000');
  const c = a.map((v, k) => Math.round(v + ((b[k] ?? v) - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function hex(color: string): number[] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
