import { h } from '../dom.ts';
import { type Settings, settings, updateSettings } from '../settings.ts';
import { card, pageHeader, segmented } from '../ui.ts';
import { insightSettingsCard } from './insights/settingsCard.ts';

export function renderSettings(main: HTMLElement): void {
  const insights = insightSettingsCard();
  const draw = () => {
    const cur = settings();
    const row = <K extends keyof Settings>(
      label: string,
      key: K,
      options: { value: Settings[K]; label: string }[],
      hint: string,
    ) =>
      h(
        'div',
        { class: 'setting' },
        h('div', {}, h('h3', {}, label), h('p', { class: 'muted small' }, hint)),
        segmented(label, options, cur[key], (v) => {
          updateSettings({ [key]: v } as Partial<Settings>);
          draw();
          const focus = main.querySelector<HTMLElement>(
            `[aria-label="${label}"] [aria-checked="true"]`,
          );
          focus?.focus();
        }),
      );
    main.replaceChildren(
      pageHeader('Settings', 'Kept in this browser'),
      card(
        null,
        row(
          'Units',
          'units',
          [
            { value: 'metric', label: 'Metric' },
            { value: 'imperial', label: 'Imperial' },
          ],
          'Temperature in °C or °F, distance in km or miles.',
        ),
        row(
          'Clock',
          'clock',
          [
            { value: '24h', label: '24-hour' },
            { value: '12h', label: '12-hour' },
          ],
          'How bedtimes and chart axes show the time.',
        ),
        row(
          'Theme',
          'theme',
          [
            { value: 'system', label: 'System' },
            { value: 'dark', label: 'Dark' },
            { value: 'light', label: 'Light' },
          ],
          'Follow the system or choose one.',
        ),
      ),
      insights,
    );
  };
  draw();
}
