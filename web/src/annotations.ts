import type { AnnotationView } from '../../src/api/types.ts';
import { h } from './dom.ts';

/** "Alcohol · 21:14 · Two glasses of wine": what a tag or workout says on hover, tap and focus. */
export function annotationText(a: AnnotationView): string {
  const time = a.start ? a.start.slice(11, 16) : null;
  const end = a.end ? a.end.slice(11, 16) : null;
  return [a.label, time ? (end ? `${time}–${end}` : time) : a.day, a.text]
    .filter((x) => x)
    .join(' · ');
}

/**
 * Shows the text of the focused, hovered or tapped annotation in `tip`: keyboard users get it on
 * focus, touch users on tap, mouse users on hover.
 */
function wireTip(button: HTMLElement, tip: HTMLElement, text: string, left?: number): void {
  const show = () => {
    tip.textContent = text;
    tip.hidden = false;
    // Under the strip, text aligned to the marker's side, so it never leaves the card.
    if (left !== undefined) tip.style.textAlign = left < 50 ? 'left' : 'right';
  };
  const hide = () => {
    tip.hidden = true;
  };
  button.addEventListener('mouseenter', show);
  button.addEventListener('focus', show);
  button.addEventListener('click', show);
  button.addEventListener('mouseleave', hide);
  button.addEventListener('blur', hide);
}

/** Tags and workouts as a row of chips (night page). */
export function annotationChips(list: readonly AnnotationView[]): HTMLElement {
  const tip = h('p', { class: 'annotation-detail', role: 'status', hidden: true });
  const items = list.map((a) => {
    const text = annotationText(a);
    const button = h(
      'button',
      { type: 'button', class: `annotation ${a.kind}`, 'aria-label': text, title: text },
      a.label,
    );
    wireTip(button, tip, text);
    return h('li', {}, button);
  });
  return h('div', { class: 'annotation-block' }, h('ul', { class: 'annotations' }, items), tip);
}

/** Touch targets are at least this wide and this far apart (WCAG 2.2 target size, 2.5.8). */
const TARGET_PX = 24;
/** When the plot's width is unknown: a phone's plot, the narrowest case. */
const FALLBACK_WIDTH_PX = 320;

/**
 * A strip of markers under a day chart, placed by day across [from, to]. Tags and workouts that
 * fall within one touch target's width of each other share one marker, so every marker is a
 * 24 px target at least 24 px from the next, whatever the range. Each marker is a button whose
 * text (every tag and workout it holds) shows on hover, tap and keyboard focus.
 */
export function annotationStrip(
  list: readonly AnnotationView[],
  from: string,
  to: string,
  plot?: { left: number; width: number },
): HTMLElement {
  const t0 = Date.parse(`${from}T00:00:00Z`);
  const span = Math.max(1, Date.parse(`${to}T00:00:00Z`) - t0);
  const width = plot?.width && plot.width > TARGET_PX ? plot.width : FALLBACK_WIDTH_PX;
  const slots = Math.max(1, Math.floor(width / TARGET_PX));
  const buckets = new Map<number, AnnotationView[]>();
  for (const a of list) {
    if (a.day < from || a.day > to) continue;
    const frac = (Date.parse(`${a.day}T00:00:00Z`) - t0) / span;
    const slot = Math.min(slots - 1, Math.floor(frac * slots));
    const bucket = buckets.get(slot);
    if (bucket) bucket.push(a);
    else buckets.set(slot, [a]);
  }
  const tip = h('div', { class: 'annotation-tip', role: 'status', hidden: true });
  const marks = [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([slot, items]) => {
      const left = ((slot + 0.5) / slots) * 100;
      const lines = items.map((a) => `${a.day} · ${annotationText(a)}`);
      const text =
        lines.length === 1 ? (lines[0] ?? '') : `${lines.length} items: ${lines.join('; ')}`;
      const kind = items.every((a) => a.kind === items[0]?.kind)
        ? (items[0]?.kind ?? 'tag')
        : 'mixed';
      const button = h(
        'button',
        {
          type: 'button',
          class: `mark ${kind}`,
          'aria-label': text,
          title: text,
          style: `left:${left}%`,
        },
        items.length > 1
          ? h('span', { class: 'mark-count', 'aria-hidden': 'true' }, String(items.length))
          : null,
      );
      wireTip(button, tip, text, left);
      return button;
    });
  // Under the chart's plot area (its x axis), when known.
  const style = plot ? `margin-left:${plot.left}px;width:${plot.width}px` : undefined;
  return h(
    'div',
    { class: 'annotation-strip', role: 'group', 'aria-label': 'Tags and workouts', style },
    marks,
    tip,
  );
}
