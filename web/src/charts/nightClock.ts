import { fmtClockMinutes } from '../format.ts';

/**
 * A night's own clock. Oura gives bedtime start and end each with its UTC offset; on the nights
 * the clocks change the two differ, and every local time on the night's charts must follow the
 * wall clock across the change (22:44 → 07:24 stays 07:24, not 06:24 or 08:24).
 */
export interface NightClock {
  startOffset: number;
  endOffset: number;
  /** Epoch ms of the change; null when both ends share one offset. */
  changeAt: number | null;
}

export function fixedClock(offsetMinutes: number): NightClock {
  return { startOffset: offsetMinutes, endOffset: offsetMinutes, changeAt: null };
}

/** Offset in minutes from an ISO time's suffix ('+02:00', '-05:00', 'Z'). */
export function isoOffsetMinutes(iso: string): number | null {
  const m = /([+-])(\d{2}):?(\d{2})$|Z$/.exec(iso);
  if (!m) return null;
  if (!m[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

export function nightClock(
  startMs: number,
  startOffset: number,
  endMs: number,
  endOffset: number,
): NightClock {
  if (startOffset === endOffset) return fixedClock(startOffset);
  return {
    startOffset,
    endOffset,
    changeAt: findChange(startMs, endMs, startOffset, endOffset),
  };
}

export function offsetAt(clock: NightClock, ms: number): number {
  return clock.changeAt !== null && ms >= clock.changeAt ? clock.endOffset : clock.startOffset;
}

/** Minutes after local midnight on the night's clock. */
export function localMinutes(clock: NightClock, ms: number): number {
  const local = Math.floor(ms / 60_000) + offsetAt(clock, ms);
  return ((local % 1440) + 1440) % 1440;
}

export function clockTime(clock: NightClock, ms: number): string {
  return fmtClockMinutes(localMinutes(clock, ms));
}

/** "02:00 → 03:00": what the wall clock did at the change. */
export function changeLabel(clock: NightClock): string {
  if (clock.changeAt === null) return '';
  const before = clock.changeAt - 60_000;
  const beforeLocal = fmtClockMinutes(localMinutes(clock, before) + 1);
  return `${beforeLocal} → ${clockTime(clock, clock.changeAt)}`;
}

export function fmtOffset(minutes: number): string {
  const a = Math.abs(minutes);
  return `UTC${minutes >= 0 ? '+' : '−'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** One sentence saying the clocks changed this night and how the charts show it. */
export function changeSentence(clock: NightClock): string {
  if (clock.changeAt === null) return '';
  const shift = clock.endOffset - clock.startOffset;
  const amount =
    Math.abs(shift) % 60 === 0 ? `${Math.abs(shift) / 60} h` : `${Math.abs(shift)} min`;
  return `Clocks went ${shift > 0 ? 'forward' : 'back'} ${amount} this night (${changeLabel(clock)}, ${fmtOffset(clock.startOffset)} → ${fmtOffset(clock.endOffset)}): times follow the night's own clock.`;
}

/**
 * Round local times (every `stepMinutes` on the wall clock) between from and to, as epoch ms;
 * the change itself is always a tick. Walks in 15-minute steps, which every UTC offset in use
 * is a multiple of.
 */
export function clockTicks(
  clock: NightClock,
  fromMs: number,
  toMs: number,
  stepMinutes: number,
): number[] {
  const q = 15 * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(fromMs / q) * q; t <= toMs; t += q) {
    if (t === clock.changeAt || localMinutes(clock, t) % stepMinutes === 0) ticks.push(t);
  }
  // Drop a round tick crowding the change's own tick.
  if (clock.changeAt === null) return ticks;
  const near = (stepMinutes * 60_000) / 2;
  return ticks.filter((t) => t === clock.changeAt || Math.abs(t - (clock.changeAt ?? 0)) >= near);
}

/** Tick labels; the change's tick reads as the clock moved ("02:00→03:00"). */
export function clockTickLabel(clock: NightClock, ms: number): string {
  return ms === clock.changeAt ? changeLabel(clock).replace(' → ', '→') : clockTime(clock, ms);
}

/**
 * The instant the offset moved from `before` to `after`, from the IANA database (Intl): the
 * browser's own zone first, then any zone with those two offsets at the ends of the night. When
 * no zone fits, the middle of the night (rounded to a quarter hour).
 */
function findChange(startMs: number, endMs: number, before: number, after: number): number {
  for (const zone of candidateZones()) {
    const format = zoneFormatter(zone);
    if (!format) continue;
    if (zoneOffset(format, startMs) !== before || zoneOffset(format, endMs) !== after) continue;
    let lo = startMs;
    let hi = endMs;
    // Changes happen on a whole minute: narrow to a second, then round up to it.
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2);
      if (zoneOffset(format, mid) === before) lo = mid;
      else hi = mid;
    }
    return Math.ceil(lo / 60_000) * 60_000;
  }
  const q = 15 * 60_000;
  return Math.round((startMs + endMs) / 2 / q) * q;
}

function candidateZones(): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const all =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [own, ...all.filter((z) => z !== own)];
}

function zoneFormatter(zone: string): Intl.DateTimeFormat | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  } catch {
    return null;
  }
}

function zoneOffset(format: Intl.DateTimeFormat, ms: number): number | null {
  const name = format.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (name === 'GMT') return 0;
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}
