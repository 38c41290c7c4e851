import type { MeResponse } from '../../../src/api/types.ts';
import { h } from '../dom.ts';
import { fmtDay } from '../format.ts';
import { emptyState, pageHeader } from '../ui.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Today on the reader's own calendar (a night belongs to the day the reader woke up). */
function localToday(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function isRealDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

function latestLink(me: MeResponse): HTMLElement {
  return h('a', { class: 'btn primary', href: '/night' }, me.lastNight ? 'Latest night' : 'Night');
}

/**
 * The page for a night address that cannot show a night: not a date ("/night/abc",
 * "/night/2026-02-30"), or a day still to come. Null when the address is a real past or
 * present day (the night page then loads it, and says so if that day has no night).
 */
export function nightAddressPage(raw: string, me: MeResponse): HTMLElement[] | null {
  let day: string;
  try {
    day = decodeURIComponent(raw);
  } catch {
    day = raw;
  }
  const example = me.lastNight ?? localToday();
  if (!isRealDay(day)) {
    return [
      pageHeader('Page not found'),
      emptyState(
        'There is no such night',
        `“${day.slice(0, 40)}” is not a date. A night's address is its wake-up day, like /night/${example}.`,
        latestLink(me),
      ),
    ];
  }
  if (day > localToday()) {
    return [
      pageHeader('Night', fmtDay(day, true)),
      emptyState(
        'This night is in the future',
        `${fmtDay(day, true)} has not happened yet.${me.lastNight ? ` The latest stored night is ${fmtDay(me.lastNight, true)}.` : ''}`,
        latestLink(me),
      ),
    ];
  }
  return null;
}
