import type { InsightSettings } from '../../../../src/api/types.ts';
import { getJson, putJson } from '../../api.ts';
import { h } from '../../dom.ts';
import { card, errorState, loading } from '../../ui.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Sleep need and work days, stored on the server for this account. */
export function insightSettingsCard(): HTMLElement {
  const body = h('div', {}, loading());
  void (async () => {
    try {
      const cur = await getJson<InsightSettings>('/api/insights/settings');
      const auto = h('input', {
        type: 'checkbox',
        id: 'need-auto',
        checked: cur.sleepNeedMinutes === null,
      });
      const hours = h('input', {
        type: 'number',
        id: 'need-hours',
        class: 'text-input',
        min: '4',
        max: '12',
        step: '0.25',
        value: String(((cur.sleepNeedMinutes ?? 480) / 60).toFixed(2)),
        'aria-label': 'Sleep need in hours',
      });
      hours.disabled = cur.sleepNeedMinutes === null;
      auto.addEventListener('change', () => {
        hours.disabled = auto.checked;
      });
      const days = WEEKDAYS.map((label, i) =>
        h(
          'label',
          { class: 'check' },
          h('input', {
            type: 'checkbox',
            name: 'work-day',
            value: String(i + 1),
            checked: cur.workDays.includes(i + 1),
          }),
          label.slice(0, 3),
        ),
      );
      const status = h('p', { class: 'muted small', role: 'status', 'aria-live': 'polite' });
      const save = h('button', { type: 'button', class: 'btn', id: 'save-insights' }, 'Save');
      save.addEventListener('click', async () => {
        const workDays = [...body.querySelectorAll<HTMLInputElement>('input[name="work-day"]')]
          .filter((x) => x.checked)
          .map((x) => Number(x.value));
        const need = auto.checked ? null : Math.round(Number(hours.value) * 60);
        if (need !== null && !(need >= 240 && need <= 720)) {
          status.textContent = 'Sleep need must be between 4 and 12 hours.';
          return;
        }
        try {
          await putJson<InsightSettings>('/api/insights/settings', {
            sleepNeedMinutes: need,
            workDays,
          });
          status.textContent = 'Saved.';
        } catch (error) {
          status.replaceChildren(errorState(error));
        }
      });
      body.replaceChildren(
        h(
          'div',
          { class: 'setting' },
          h(
            'div',
            {},
            h('h3', {}, 'Sleep need'),
            h(
              'p',
              { class: 'muted small' },
              'Estimated from your history (median of the last 90 nights) unless you set it.',
            ),
          ),
          h(
            'div',
            { class: 'need-inputs' },
            h('label', { class: 'check', for: 'need-auto' }, auto, 'Estimate'),
            hours,
            ' h',
          ),
        ),
        h(
          'div',
          { class: 'setting' },
          h(
            'div',
            {},
            h('h3', {}, 'Work days'),
            h(
              'p',
              { class: 'muted small' },
              'Days you wake up to work: the rest are free days for social jetlag and chronotype.',
            ),
          ),
          h('div', { class: 'work-days', role: 'group', 'aria-label': 'Work days' }, days),
        ),
        h('div', { class: 'setting' }, save, status),
      );
    } catch (error) {
      body.replaceChildren(errorState(error));
    }
  })();
  const out = card('Insights (saved for your account)', body);
  // Links from the debt and regularity cards land here.
  out.id = 'insights';
  if (location.hash === '#insights') requestAnimationFrame(() => out.scrollIntoView());
  return out;
}
