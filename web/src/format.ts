import type { UnitKind } from '../../src/api/types.ts';
import { settings } from './settings.ts';

const DASH = '–';

export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const total = Math.round(seconds / 60);
  const h = Math.floor(Math.abs(total) / 60);
  const m = Math.abs(total) % 60;
  const sign = total < 0 ? '−' : '';
  return h > 0 ? `${sign}${h}h ${String(m).padStart(2, '0')}m` : `${sign}${m}m`;
}

/** Minutes after midnight (may be negative or ≥ 1440) as a wall-clock time. */
export function fmtClockMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return DASH;
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  const hh = Math.floor(m / 60);
  const mm = String(m % 60).padStart(2, '0');
  if (settings().clock === '24h') return `${String(hh).padStart(2, '0')}:${mm}`;
  const h12 = hh % 12 === 0 ? 12 : hh % 12;
  return `${h12}:${mm} ${hh < 12 ? 'am' : 'pm'}`;
}

/** 'HH:MM' (24 h, as the API sends local times) in the chosen clock. */
export function fmtLocalTime(hhmm: string | null | undefined): string {
  if (!hhmm) return DASH;
  const [h, m] = hhmm.split(':').map(Number);
  return fmtClockMinutes((h ?? 0) * 60 + (m ?? 0));
}

/** An epoch-ms instant as a wall-clock time at a fixed UTC offset. */
export function fmtInstant(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  return fmtClockMinutes(d.getUTCHours() * 60 + d.getUTCMinutes());
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function fmtDay(day: string, withYear = false): string {
  const d = new Date(`${day}T00:00:00Z`);
  const base = `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  return withYear ? `${base} ${d.getUTCFullYear()}` : base;
}

export function fmtShortDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

export function monthName(index: number): string {
  return MONTHS[index] ?? '';
}

/** Converts a stored value to the display unit chosen in settings. */
export function toDisplay(value: number, unit: UnitKind): number {
  const imperial = settings().units === 'imperial';
  if (unit === 'celsius_delta' && imperial) return value * 1.8;
  if (unit === 'meters' && imperial) return value / 1609.344;
  return value;
}

export function unitSuffix(unit: UnitKind): string {
  const imperial = settings().units === 'imperial';
  switch (unit) {
    case 'bpm':
      return ' bpm';
    case 'ms':
      return ' ms';
    case 'percent':
      return '%';
    case 'celsius_delta':
      return imperial ? ' °F' : ' °C';
    case 'breaths_per_min':
      return ' /min';
    case 'kcal':
      return ' kcal';
    case 'meters':
      return imperial ? ' mi' : ' km';
    case 'years':
      return ' y';
    case 'vo2':
      return ' ml/kg/min';
    case 'meters_per_second':
      return ' m/s';
    default:
      return '';
  }
}

export function fmtValue(value: number | null | undefined, unit: UnitKind): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  switch (unit) {
    case 'seconds':
      return fmtDuration(value);
    case 'clock_minutes':
      return fmtClockMinutes(value);
    case 'celsius_delta': {
      const v = Math.round(toDisplay(value, unit) * 10) / 10;
      return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(1)}${unitSuffix(unit)}`;
    }
    case 'meters': {
      const v = settings().units === 'imperial' ? value / 1609.344 : value / 1000;
      return `${v.toFixed(1)}${unitSuffix(unit)}`;
    }
    case 'steps':
    case 'kcal':
      return `${Math.round(value).toLocaleString('en')}${unitSuffix(unit)}`;
    case 'ms':
    case 'bpm':
    case 'score':
    case 'percent':
    case 'years':
    case 'count':
      return `${Math.round(value)}${unitSuffix(unit)}`;
    default:
      return `${Number(value.toFixed(1))}${unitSuffix(unit)}`;
  }
}

const ACRONYMS: Record<string, string> = { rem: 'REM', hrv: 'HRV', spo2: 'SpO₂', vo2: 'VO₂' };

/** 'hrv_balance' -> 'HRV balance', 'daily_spo2' -> 'Daily SpO₂'. */
export function titleCase(key: string): string {
  const words = key.split('_').map((w) => ACRONYMS[w] ?? w);
  const first = words[0] ?? '';
  words[0] = ACRONYMS[first.toLowerCase()] ? first : first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(' ');
}
