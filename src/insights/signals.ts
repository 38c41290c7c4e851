import type { SignalDay, SignalDeviation, SignalKey, SignalsResponse } from '../api/types.ts';
import { dayToUtcMs } from './days.ts';
import { type RobustBaseline, robustBaseline, robustZ } from './robust.ts';

/** One night's body signals as the ring reports them (null when not measured). */
export interface SignalNight {
  readonly day: string;
  /** Lowest heart rate of the night, bpm (Oura's resting heart rate). */
  readonly restingHr: number | null;
  /** Average RMSSD, ms. */
  readonly hrv: number | null;
  /** Skin temperature deviation, °C. */
  readonly temperature: number | null;
  /** Average breathing rate, breaths/min. */
  readonly breath: number | null;
  /** Average SpO₂, %. */
  readonly spo2: number | null;
}

interface SignalSpec {
  readonly key: SignalKey;
  /** +1: illness raises it; −1: illness lowers it. */
  readonly direction: 1 | -1;
  /** Smallest spread the baseline may claim (about the measurement's resolution). */
  readonly minScale: number;
  readonly label: string;
  readonly unit: string;
  readonly digits: number;
}

export const SIGNALS: readonly SignalSpec[] = [
  { key: 'restingHr', direction: 1, minScale: 1, label: 'resting HR', unit: ' bpm', digits: 1 },
  { key: 'hrv', direction: -1, minScale: 2, label: 'HRV', unit: ' ms', digits: 0 },
  { key: 'temperature', direction: 1, minScale: 0.1, label: 'temperature', unit: ' °C', digits: 2 },
  { key: 'breath', direction: 1, minScale: 0.25, label: 'breathing', unit: '/min', digits: 1 },
  { key: 'spo2', direction: -1, minScale: 0.5, label: 'SpO₂', unit: ' %', digits: 1 },
];

export interface SignalOptions {
  /** Trailing calendar days the baseline looks back over (default 60). */
  readonly baselineDays: number;
  /** Baseline nights a signal needs before it is judged (default 14). */
  readonly minBaselineNights: number;
  /** |robust z| a signal must pass, in the direction illness moves it (default 2). */
  readonly zThreshold: number;
}

export const DEFAULT_SIGNAL_OPTIONS: SignalOptions = {
  baselineDays: 60,
  minBaselineNights: 14,
  zThreshold: 2,
};

const DAY_MS = 86_400_000;

/**
 * The flag rule: several signals move together the way they do at the start of an infection.
 * Temperature is the most specific of them (alcohol, hard training and jet lag raise the
 * resting heart rate and lower HRV, but do not warm the skin), so it counts with one partner;
 * without it three signals must agree.
 */
export function isFlagged(unusual: ReadonlySet<SignalKey>): boolean {
  return unusual.size >= 3 || (unusual.has('temperature') && unusual.size >= 2);
}

function fmt(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return x > 0 ? `+${s}` : s.replace('-', '−');
}

function describe(d: SignalDeviation, spec: SignalSpec): string {
  if (d.delta === null || d.z === null || d.baseline === null) return '';
  const pct =
    spec.key === 'hrv' && d.baseline > 0 ? ` (${fmt((100 * d.delta) / d.baseline, 0)} %)` : '';
  return `${spec.label} ${fmt(d.delta, spec.digits)}${spec.unit}${pct}, z ${fmt(d.z, 1)}`;
}

/**
 * Robust deviations of each body signal against the person's own trailing baseline (median and
 * MAD × 1.4826 of up to `baselineDays` earlier nights, leaving out flagged nights so an illness
 * does not become its own baseline), and a flag where several signals move together.
 * Nights must be one per day; the answer has one entry per input night, in day order.
 */
export function bodySignals(
  nights: readonly SignalNight[],
  options: Partial<SignalOptions> = {},
): SignalDay[] {
  const opts = { ...DEFAULT_SIGNAL_OPTIONS, ...options };
  const sorted = [...nights].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const ms = sorted.map((n) => dayToUtcMs(n.day));
  const flagged: boolean[] = [];
  const out: SignalDay[] = [];
  let start = 0;
  for (let i = 0; i < sorted.length; i++) {
    const night = sorted[i] as SignalNight;
    const t = ms[i] ?? 0;
    while (start < i && (ms[start] ?? 0) < t - opts.baselineDays * DAY_MS) start++;
    const signals: SignalDeviation[] = [];
    const unusual = new Set<SignalKey>();
    let judged = 0;
    for (const spec of SIGNALS) {
      const history: number[] = [];
      for (let j = start; j < i; j++) {
        const v = sorted[j]?.[spec.key];
        if (!flagged[j] && typeof v === 'number' && Number.isFinite(v)) history.push(v);
      }
      const value = night[spec.key];
      const base: RobustBaseline | null =
        history.length >= opts.minBaselineNights ? robustBaseline(history, spec.minScale) : null;
      const usable = typeof value === 'number' && Number.isFinite(value);
      const z = base && usable ? robustZ(value, base) : null;
      const isUnusual = z !== null && spec.direction * z >= opts.zThreshold;
      if (isUnusual) unusual.add(spec.key);
      if (z !== null) judged++;
      signals.push({
        key: spec.key,
        value: usable ? value : null,
        baseline: base?.median ?? null,
        scale: base?.scale ?? null,
        n: history.length,
        delta: base && usable ? value - base.median : null,
        z,
        unusual: isUnusual,
      });
    }
    const isFlag = isFlagged(unusual);
    flagged.push(isFlag);
    const anyValue = signals.some((s) => s.value !== null);
    const status = !anyValue ? 'no_data' : judged < 2 ? 'building' : 'ok';
    const parts = signals
      .filter((s) => s.unusual)
      .map((s) => describe(s, SIGNALS.find((x) => x.key === s.key) as SignalSpec));
    out.push({
      day: night.day,
      signals,
      flagged: isFlag,
      status,
      summary:
        status === 'building'
          ? 'Baseline still building: fewer than ' +
            `${opts.minBaselineNights} earlier nights to compare with.`
          : status === 'no_data'
            ? 'No body signals recorded.'
            : isFlag
              ? `Several signals moved together: ${parts.join('; ')}.`
              : parts.length
                ? `Out of your usual range, but not the pattern of an illness: ${parts.join('; ')}.`
                : 'All signals within your usual range.',
    });
  }
  return out;
}

/** Runs of consecutive flagged days, with the signals unusual on any of them. */
export function flaggedEpisodes(days: readonly SignalDay[]): SignalsResponse['episodes'] {
  const out: SignalsResponse['episodes'] = [];
  let current: { start: string; end: string; days: number; signals: Set<SignalKey> } | null = null;
  let lastMs = Number.NaN;
  for (const d of days) {
    if (!d.flagged) continue;
    const t = dayToUtcMs(d.day);
    const keys = d.signals.filter((s) => s.unusual).map((s) => s.key);
    if (current && t - lastMs <= DAY_MS) {
      current.end = d.day;
      current.days++;
      for (const k of keys) current.signals.add(k);
    } else {
      if (current) out.push({ ...current, signals: [...current.signals] });
      current = { start: d.day, end: d.day, days: 1, signals: new Set(keys) };
    }
    lastMs = t;
  }
  if (current) out.push({ ...current, signals: [...current.signals] });
  return out;
}
