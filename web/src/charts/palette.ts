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

export const SERIES = {
  primary: '#56B4E9',
  rolling: '#E69F00',
  heart: '#D55E00',
  hrv: '#009E73',
  movement: '#CC79A7',
} as const;

/** Sequential scale (viridis stops) for heatmaps: perceptually even and colour-blind safe. */
const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

export function sequential(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = hex(VIRIDIS[i] ?? '#000000');
  const b = hex(VIRIDIS[i + 1] ?? '#000000');
  const c = a.map((v, k) => Math.round(v + ((b[k] ?? v) - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function hex(color: string): number[] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
