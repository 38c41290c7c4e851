import type { SignalDeviation, SignalKey } from '../../../../src/api/types.ts';
import { settings } from '../../settings.ts';

/** Labels and formatting of the body signals, shared by the strip and the timeline. */

export const SIGNAL_LABELS: Record<SignalKey, string> = {
  restingHr: 'Resting HR',
  hrv: 'HRV',
  temperature: 'Temperature',
  breath: 'Breathing',
  spo2: 'SpO₂',
};

const SIGNAL_UNITS: Record<SignalKey, string> = {
  restingHr: ' bpm',
  hrv: ' ms',
  temperature: ' °C',
  breath: '/min',
  spo2: ' %',
};

const DIGITS: Record<SignalKey, number> = {
  restingHr: 1,
  hrv: 0,
  temperature: 2,
  breath: 1,
  spo2: 1,
};

/** Direction illness moves each signal: +1 up, −1 down. */
export const ILLNESS_DIRECTION: Record<SignalKey, 1 | -1> = {
  restingHr: 1,
  hrv: -1,
  temperature: 1,
  breath: 1,
  spo2: -1,
};

function signed(x: number, digits: number): string {
  const v = x.toFixed(digits);
  return x > 0 ? `+${v}` : v.replace('-', '−');
}

/** The temperature deviation in the chosen unit (a difference: × 1.8 in °F, no offset). */
function temp(x: number): { value: number; unit: string } {
  return settings().units === 'imperial'
    ? { value: x * 1.8, unit: ' °F' }
    : { value: x, unit: ' °C' };
}

export function fmtSignalValue(key: SignalKey, v: number | null): string {
  if (v === null) return '–';
  if (key === 'temperature') {
    const t = temp(v);
    return `${signed(t.value, 2)}${t.unit}`;
  }
  return `${v.toFixed(DIGITS[key])}${SIGNAL_UNITS[key]}`;
}

export function fmtSignalDelta(d: SignalDeviation): string {
  if (d.delta === null) return '–';
  if (d.key === 'temperature') {
    const t = temp(d.delta);
    return `${signed(t.value, 2)}${t.unit}`;
  }
  return `${signed(d.delta, DIGITS[d.key])}${SIGNAL_UNITS[d.key]}`;
}

export function fmtZ(z: number | null): string {
  return z === null ? '–' : signed(z, 1);
}
