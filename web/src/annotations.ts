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

/**
 * A strip of markers under a day chart, one per tag or workout, placed by day across [from, to].
 * Each marker is a button: its text shows on hover, tap and keyboard focus.
 */
export function annotationStrip(
  list: readonly AnnotationView[],
  from: string,
  to: string,
  plot?: { left: number; width: number },
): HTMLElement {
  const t0 = Date.parse(`${from}T00:00:00Z`);
  const span = Math.max(1, Date.parse(`${to}T00:00:00Z`) - t0);
  const tip = h('div', { class: 'annotation-tip', role: 'status', hidden: true });
  const marks = list
    .filter((a) => a.day >= from && a.day <= to)
    .map((a) => {
      const left = ((Date.parse(`${a.day}T00:00:00Z`) - t0) / span) * 100;
      const text = `${a.day} · ${annotationText(a)}`;
      const button = h('button', {
        type: 'button',
        class: `mark ${a.kind}`,
        'aria-label': text,
        title: text,
        style: `left:${left}%`,
      });
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
