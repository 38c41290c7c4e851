import type { UnitKind } from '../../../src/api/types.ts';
import { fmtClockMinutes, fmtShortDay, monthName } from '../format.ts';
import { settings } from '../settings.ts';

/**
 * Axis ticks and their labels, shared by every chart: round steps in the unit the reader sees
 * (h:mm for durations, km or mi, °C or °F), no label twice, and the unit named on the axis.
 */

const DAY = 86_400;

/** Round tick values from min to max: steps of 1, 2, 2.5 or 5 times a power of ten. */
export function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((m) => m >= raw * 0.999) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

const DURATION_STEPS = [5, 10, 15, 30, 60, 120, 180, 240, 360, 720].map((m) => m * 60);

/** Duration ticks (seconds) at round steps: 15 min, 30 min, 1 h, 2 h … */
export function durationTicks(min: number, max: number, count: number): number[] {
  const raw = (max - min || 1) / Math.max(1, count);
  const step = DURATION_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 3600) * 3600;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max; v += step) ticks.push(v);
  return ticks;
}

/** Seconds as h:mm ("7:30"), the way a duration axis reads. */
export function fmtHoursMinutes(seconds: number): string {
  const total = Math.round(seconds / 60);
  const sign = total < 0 ? '−' : '';
  const a = Math.abs(total);
  return `${sign}${Math.floor(a / 60)}:${String(a % 60).padStart(2, '0')}`;
}

/** Factor from the stored unit to the displayed one (metres to km or mi, °C to °F deltas). */
export function displayFactor(unit: UnitKind): number {
  const imperial = settings().units === 'imperial';
  if (unit === 'meters') return imperial ? 1 / 1609.344 : 1 / 1000;
  if (unit === 'celsius_delta') return imperial ? 1.8 : 1;
  return 1;
}

/**
 * Tick positions (in stored units) whose displayed values are round: durations at 15 min / 1 h
 * steps, distances in whole km or mi, temperatures in tenths of the displayed degree.
 */
export function valueTicks(min: number, max: number, unit: UnitKind, count = 4): number[] {
  if (unit === 'seconds') return durationTicks(min, max, count);
  const f = displayFactor(unit);
  return niceTicks(min * f, max * f, count).map((v) => v / f);
}

/** A tick's label in the displayed unit, without the unit (the axis names it once). */
export function tickLabel(value: number, unit: UnitKind): string {
  if (unit === 'seconds') return fmtHoursMinutes(value);
  if (unit === 'clock_minutes') return fmtClockMinutes(value);
  const v = Number((value * displayFactor(unit)).toPrecision(10));
  if (unit === 'celsius_delta') return `${v > 0 ? '+' : v < 0 ? '−' : ''}${trim(Math.abs(v))}`;
  if (Math.abs(v) >= 10_000) return `${trim(v / 1000)}k`;
  return v < 0 ? `−${trim(-v)}` : trim(v);
}

function trim(v: number): string {
  return String(Number(v.toFixed(2)));
}

/** The unit an axis states in its title ("bpm", "h:mm", "°F"); '' for unitless scores. */
export function axisUnit(unit: UnitKind): string {
  const imperial = settings().units === 'imperial';
  switch (unit) {
    case 'seconds':
      return 'h:mm';
    case 'bpm':
      return 'bpm';
    case 'ms':
      return 'ms';
    case 'percent':
      return '%';
    case 'celsius_delta':
      return imperial ? 'Δ °F' : 'Δ °C';
    case 'breaths_per_min':
      return 'breaths/min';
    case 'kcal':
      return 'kcal';
    case 'meters':
      return imperial ? 'mi' : 'km';
    case 'years':
      return 'years';
    case 'vo2':
      return 'ml/kg/min';
    case 'meters_per_second':
      return 'm/s';
    case 'steps':
      return 'steps';
    case 'score':
      return 'score';
    case 'clock_minutes':
      return 'time';
    default:
      return '';
  }
}

const MONTH_STEPS = [1, 2, 3, 6, 12];
const DAY_STEPS = [1, 2, 7, 14];

/**
 * Day-axis ticks (Unix seconds at UTC midnight of local days) for the span from..to with room for
 * about `room` labels: whole days ("1 Dec"), whole weeks, or first days of months ("Feb 2026").
 */
export function dayTicks(
  from: number,
  to: number,
  room: number,
): { ticks: number[]; labels: string[] } {
  const days = (to - from) / DAY;
  const first = Math.ceil(from / DAY) * DAY;
  if (days / Math.max(1, room) <= 14) {
    const step = DAY_STEPS.find((s) => days / s <= Math.max(1, room)) ?? 14;
    // Weekly steps land on Mondays, so ticks fall on the same weekday across ranges.
    let start = first;
    if (step >= 7) while (new Date(start * 1000).getUTCDay() !== 1) start += DAY;
    const ticks: number[] = [];
    for (let t = start; t <= to; t += step * DAY) ticks.push(t);
    return { ticks, labels: ticks.map((t) => fmtShortDay(isoDay(t))) };
  }
  const months = days / 30.44;
  const step = MONTH_STEPS.find((s) => months / s <= Math.max(1, room)) ?? 12;
  const d = new Date(from * 1000);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth() + (d.getUTCDate() === 1 && from % DAY === 0 ? 0 : 1);
  const ticks: number[] = [];
  for (;;) {
    y += Math.floor(m / 12);
    m %= 12;
    const t = Date.UTC(y, m, 1) / 1000;
    if (t > to) break;
    if (m % step === 0) ticks.push(t);
    m += 1;
  }
  return {
    ticks,
    labels: ticks.map((t) => {
      const md = new Date(t * 1000);
      return `${monthName(md.getUTCMonth())} ${md.getUTCFullYear()}`;
    }),
  };
}

function isoDay(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}
