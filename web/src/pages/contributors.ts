import { CONTRIBUTOR_HINTS, scoreBand } from '../charts/scoreBands.ts';
import { h } from '../dom.ts';
import { titleCase } from '../format.ts';

/**
 * A score's contributors as the Oura app shows them: name, band label (Optimal / Good / Pay
 * attention), the 0–100 value as a bar in the band's colour, and one line on what it measures.
 */
export function contributorList(
  contributors: Record<string, number | null>,
  wide = false,
): HTMLElement {
  return h(
    'ul',
    { class: `contributors${wide ? ' wide' : ''}` },
    Object.entries(contributors).map(([key, v]) => {
      const band = scoreBand(v);
      const name = titleCase(key);
      return h(
        'li',
        { class: `tone-${band?.key ?? 'none'}` },
        h('span', { class: 'c-name' }, name),
        h(
          'span',
          {
            class: 'c-bar',
            role: 'meter',
            'aria-valuemin': '0',
            'aria-valuemax': '100',
            'aria-valuenow': v === null ? '' : String(v),
            'aria-valuetext': v === null ? 'no value' : `${v}, ${band?.label ?? ''}`,
            'aria-label': name,
          },
          h('span', { style: `width:${v ?? 0}%` }),
        ),
        h('span', { class: 'c-val' }, v === null ? '–' : String(v)),
        h('span', { class: 'c-band' }, band?.label ?? 'No value'),
        CONTRIBUTOR_HINTS[key] ? h('span', { class: 'c-hint' }, CONTRIBUTOR_HINTS[key]) : null,
      );
    }),
  );
}
