import type { InsightSettings, MeResponse, RegularityResponse } from '../../../../src/api/types.ts';
import { getJson } from '../../api.ts';
import { h, onWidth, s } from '../../dom.ts';
import { fmtClockMinutes, fmtDay, fmtDuration } from '../../format.ts';
import { card, emptyState, pageHeader } from '../../ui.ts';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function sriLine(daily: RegularityResponse['daily']): HTMLElement {
  const wrap = h('div', { class: 'svg-chart sri-line' });
  onWidth(wrap, (width) => {
    const height = 160;
    const pad = { l: 36, r: 8, t: 8, b: 20 };
    const x = (i: number) => pad.l + (i / Math.max(1, daily.length - 1)) * (width - pad.l - pad.r);
    const y = (v: number) => pad.t + ((100 - v) / 200) * (height - pad.t - pad.b);
    const svg = s('svg', {
      width,
      height,
      role: 'img',
      'aria-label': 'Sleep Regularity Index, trailing 7 days',
    });
    for (const v of [-100, -50, 0, 50, 100])
      svg.append(
        s('line', { x1: pad.l, x2: width - pad.r, y1: y(v), y2: y(v), class: 'grid' }),
        s('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, String(v)),
      );
    let path = '';
    daily.forEach((d, i) => {
      if (d.sri === null) return;
      const prev = daily[i - 1];
      path += `${prev?.sri == null ? 'M' : 'L'}${x(i).toFixed(1)},${y(d.sri).toFixed(1)}`;
    });
    svg.append(s('path', { d: path, class: 'sri-path' }));
    const first = daily[0];
    const last = daily.at(-1);
    if (first && last)
      svg.append(
        s('text', { x: pad.l, y: height - 4, class: 'tick' }, fmtDay(first.day)),
        s(
          'text',
          { x: width - pad.r, y: height - 4, 'text-anchor': 'end', class: 'tick' },
          fmtDay(last.day),
        ),
      );
    wrap.replaceChildren(svg);
  });
  return wrap;
}

export async function renderRegularity(
  main: HTMLElement,
  me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  main.replaceChildren(pageHeader('Regularity', 'Sleep Regularity Index and chronotype'));
  if (!me.lastNight) {
    main.append(emptyState('No data yet', 'Run a sync and this page fills in.'));
    return;
  }
  const [r, settings] = await Promise.all([
    getJson<RegularityResponse>('/api/insights/regularity', signal),
    getJson<InsightSettings>('/api/insights/settings', signal),
  ]);
  const c = r.chronotype;
  main.append(
    card(
      'Sleep Regularity Index',
      h(
        'div',
        { class: 'tiles' },
        r.sri.map((w) =>
          h(
            'div',
            { class: 'tile', 'data-window': String(w.days) },
            h('span', { class: 'tile-label' }, `Last ${w.days} days`),
            h('span', { class: 'tile-value' }, w.sri === null ? '–' : w.sri.toFixed(0)),
            h(
              'span',
              { class: 'cmp' },
              w.sri === null
                ? `too few recorded days (${w.pairs} day pairs)`
                : `95 % ${w.interval ? `${w.interval[0].toFixed(0)} to ${w.interval[1].toFixed(0)}` : '–'} · ${w.pairs} day pairs`,
            ),
          ),
        ),
      ),
      sriLine(r.daily),
      h(
        'p',
        { class: 'muted small' },
        'The chance of being in the same state (asleep or awake) at two moments 24 hours apart, from the 5-minute hypnograms, scaled −100 to 100 (Phillips et al. 2017): 100 is the same schedule every day, 0 no relation between one day and the next. Days without a recorded night are left out; the interval is a bootstrap over day pairs.',
      ),
    ),
    card(
      'Chronotype and social jetlag (last 90 days)',
      h(
        'dl',
        { class: 'summary' },
        h(
          'div',
          {},
          h('dt', {}, 'Mid-sleep, work days'),
          h('dd', {}, fmtClockMinutes(c.midSleepWork)),
          h(
            'dd',
            { class: 'muted small' },
            `${fmtDuration((c.durationWork ?? 0) * 60)} asleep · n ${c.nWork}`,
          ),
        ),
        h(
          'div',
          {},
          h('dt', {}, 'Mid-sleep, free days'),
          h('dd', {}, fmtClockMinutes(c.midSleepFree)),
          h(
            'dd',
            { class: 'muted small' },
            `${fmtDuration((c.durationFree ?? 0) * 60)} asleep · n ${c.nFree}`,
          ),
        ),
        h(
          'div',
          {},
          h('dt', {}, 'Social jetlag'),
          h(
            'dd',
            { class: 'sjl-value' },
            c.socialJetlag === null ? '–' : fmtDuration(c.socialJetlag * 60),
          ),
          h(
            'dd',
            { class: 'muted small' },
            c.socialJetlagInterval
              ? `95 % ${fmtDuration(c.socialJetlagInterval[0] * 60)} to ${fmtDuration(c.socialJetlagInterval[1] * 60)}`
              : 'no conclusion',
          ),
        ),
        h(
          'div',
          {},
          h('dt', {}, 'Chronotype (MSFsc)'),
          h('dd', {}, fmtClockMinutes(c.msfsc)),
          h('dd', { class: 'muted small' }, 'free-day mid-sleep, corrected for catch-up sleep'),
        ),
      ),
      h('p', { class: 'chronotype-message' }, c.message),
      h(
        'p',
        { class: 'muted small' },
        `Work days: ${settings.workDays.map((d) => WEEKDAYS[d - 1]).join(', ') || 'none'} (a night counts as a work night when you wake up on a work day). `,
        h('a', { href: '/settings#insights' }, 'Change work days'),
        '. Mid-sleep is halfway between falling asleep and waking; MSFsc follows Roenneberg’s Munich ChronoType Questionnaire. Free days here may still have had an alarm, which the ring cannot know.',
      ),
    ),
  );
}
