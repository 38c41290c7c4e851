/** Display settings, kept in this browser only (the server stores data in SI units). */
export interface Settings {
  units: 'metric' | 'imperial';
  clock: '24h' | '12h';
  theme: 'system' | 'dark' | 'light';
}

const KEY = 'snowtorch.settings';
const DEFAULTS: Settings = { units: 'metric', clock: '24h', theme: 'system' };

function load(): Settings {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>;
    return {
      units: raw.units === 'imperial' ? 'imperial' : 'metric',
      clock: raw.clock === '12h' ? '12h' : '24h',
      theme: raw.theme === 'dark' || raw.theme === 'light' ? raw.theme : 'system',
    };
  } catch {
    return { ...DEFAULTS };
  }
}

let current = load();
const listeners = new Set<(s: Settings) => void>();

export function settings(): Settings {
  return current;
}

export function updateSettings(patch: Partial<Settings>): void {
  current = { ...current, ...patch };
  localStorage.setItem(KEY, JSON.stringify(current));
  applyTheme();
  for (const l of listeners) l(current);
}

export function onSettings(listener: (s: Settings) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function applyTheme(): void {
  const theme =
    current.theme === 'system'
      ? matchMedia('(prefers-color-scheme: light)').matches
        ? 'light'
        : 'dark'
      : current.theme;
  document.documentElement.dataset.theme = theme;
}
