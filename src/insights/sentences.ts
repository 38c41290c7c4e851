import type { UnitKind } from '../api/types.ts';

/** A value in the unit people read it in (durations in minutes), for plain sentences. */
export function formatAmount(unit: UnitKind, value: number): string {
  const a = Math.abs(value);
  switch (unit) {
    case 'seconds':
      return `${(a / 60).toFixed(a < 600 ? 1 : 0)} min`;
    case 'bpm':
      return `${a.toFixed(1)} bpm`;
    case 'ms':
      return `${a.toFixed(1)} ms`;
    case 'percent':
      return `${a.toFixed(1)} percentage points`;
    case 'celsius_delta':
      return `${a.toFixed(2)} °C`;
    case 'breaths_per_min':
      return `${a.toFixed(1)} breaths/min`;
    case 'score':
      return `${a.toFixed(1)} points`;
    case 'steps':
      return `${Math.round(a)} steps`;
    case 'kcal':
      return `${Math.round(a)} kcal`;
    default:
      return a.toFixed(2);
  }
}

/** A signed value in reading units, for interval ends. */
export function formatSigned(unit: UnitKind, value: number): string {
  return `${value < 0 ? '−' : value > 0 ? '+' : ''}${formatAmount(unit, value)}`;
}
