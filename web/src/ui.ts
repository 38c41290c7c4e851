import { ApiRequestError } from './api.ts';
import { h } from './dom.ts';

/** Shared page pieces: headers, cards, and the loading / empty / error states. */

export function pageHeader(
  title: string,
  subtitle?: string,
  ...extra: (Node | null)[]
): HTMLElement {
  return h(
    'header',
    { class: 'page-head' },
    h('div', {}, h('h1', {}, title), subtitle ? h('p', { class: 'sub' }, subtitle) : null),
    h('div', { class: 'page-tools' }, extra),
  );
}

export function card(title: string | null, ...children: (Node | string | null)[]): HTMLElement {
  return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, children);
}

export function loading(label = 'Loading…'): HTMLElement {
  return h(
    'div',
    { class: 'state loading', role: 'status', 'aria-live': 'polite' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    label,
  );
}

export function emptyState(title: string, body: string, action?: HTMLElement): HTMLElement {
  return h('div', { class: 'state empty' }, h('h2', {}, title), h('p', {}, body), action ?? null);
}

export function errorState(error: unknown, retry?: () => void): HTMLElement {
  const message =
    error instanceof ApiRequestError
      ? error.message
      : error instanceof Error
        ? error.message
        : 'Something went wrong.';
  const title =
    error instanceof ApiRequestError && error.code === 'offline'
      ? 'Server unreachable'
      : error instanceof ApiRequestError && error.code === 'no_user'
        ? 'No data yet'
        : 'Could not load this page';
  return h(
    'div',
    { class: 'state error', role: 'alert' },
    h('h2', {}, title),
    h('p', {}, message),
    retry ? h('button', { type: 'button', class: 'btn', onclick: retry }, 'Try again') : null,
  );
}

export function segmented<T extends string>(
  label: string,
  options: readonly { value: T; label: string }[],
  value: T,
  onChange: (value: T) => void,
): HTMLElement {
  const group = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': label });
  for (const o of options) {
    const button = h(
      'button',
      {
        type: 'button',
        role: 'radio',
        'aria-checked': o.value === value ? 'true' : 'false',
        tabindex: o.value === value ? '0' : '-1',
        'data-value': o.value,
        onclick: () => onChange(o.value),
      },
      o.label,
    );
    group.append(button);
  }
  // Arrow keys move between options, as in a native radio group.
  group.addEventListener('keydown', (event) => {
    if (!(event instanceof KeyboardEvent)) return;
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const i = options.findIndex((o) => o.value === value);
    const next =
      options[(i + (event.key === 'ArrowRight' ? 1 : options.length - 1)) % options.length];
    if (next) {
      event.preventDefault();
      onChange(next.value);
    }
  });
  return group;
}

export const RANGES = [
  { value: '7d', label: '7 d' },
  { value: '30d', label: '30 d' },
  { value: '90d', label: '90 d' },
  { value: '1y', label: '1 y' },
  { value: 'all', label: 'All' },
] as const;
export type RangeValue = (typeof RANGES)[number]['value'];

export function parseRange(value: string | null, fallback: RangeValue = '90d'): RangeValue {
  return RANGES.find((r) => r.value === value)?.value ?? fallback;
}
