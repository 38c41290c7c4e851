import type { MeResponse, WeekMetric, WeekReport } from '../../../../src/api/types.ts';
import { getJson } from '../../api.ts';
import { h } from '../../dom.ts';
import { fmtClockMinutes, fmtDay, fmtValue } from '../../format.ts';
import { card, emptyState, pageHeader } from '../../ui.ts';
import { debtBody } from './cards.ts';

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function delta(m: WeekMetric): HTMLElement {
  if (m.delta === null || m.deltaInterval === null)
    return h('span', { class: 'muted' }, 'too few nights to compare');
  const [lo, hi] = m.deltaInterval;
  const clear = lo > 0 || hi < 0;
  const good = m.higherIsBetter === null ? null : m.delta > 0 === m.higherIsBetter;
  const sign = (v: number) => (v > 0 ? '+' : v < 0 ? '−' : '±');
  const fmt = (v: number) => `${sign(v)}${fmtValue(Math.abs(v), m.unit).replace(/^[+−±]/, '')}`;
  return h(
    'span',
    { class: `cmp ${clear && good !== null ? (good ? 'better' : 'worse') : ''}` },
    h('b', {}, fmt(m.delta)),
    ` (95 % ${fmt(lo)} to ${fmt(hi)})${clear ? '' : ' · within the usual spread'}`,
  );
}

export async function renderWeek(
  main: HTMLElement,
  query: URLSearchParams,
  me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  if (!me.lastNight) {
    main.replaceChildren(
      pageHeader('Week'),
      emptyState('No data yet', 'Run a sync and this page fills in.'),
    );
    return;
  }
  const day = query.get('day') ?? me.lastNight;
  const r = await getJson<WeekReport>(`/api/insights/week?day=${encodeURIComponent(day)}`, signal);
  const prev = addDays(r.from, -7);
  const next = addDays(r.from, 7);
  const nav = h(
    'nav',
    { class: 'night-nav', 'aria-label': 'Week navigation' },
    h(
      'a',
      {
        class: 'btn icon',
        href: `/week?day=${prev}`,
        rel: 'prev',
        'aria-label': `Previous week (${fmtDay(prev)})`,
      },
      '‹',
    ),
    me.lastNight && next <= me.lastNight
      ? h(
          'a',
          {
            class: 'btn icon',
            href: `/week?day=${next}`,
            rel: 'next',
            'aria-label': `Next week (${fmtDay(next)})`,
          },
          '›',
        )
      : h('span', { class: 'btn icon disabled', 'aria-hidden': 'true' }, '›'),
  );
  const c = r.regularity.chronotype;
  const sri = r.regularity.sri;
  main.replaceChildren(
    pageHeader('Week', `${fmtDay(r.from)} – ${fmtDay(r.to, true)} · ${r.nights} nights`, nav),
    card(
      'Averages against your baseline',
      h(
        'div',
        {
          class: 'table-wrap',
          tabindex: '0',
          role: 'region',
          'aria-label': 'The week against its baseline',
        },
        h(
          'table',
          { class: 'week-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Measure'),
              h('th', {}, 'This week'),
              h('th', {}, 'Baseline (60 nights)'),
              h('th', {}, 'Difference'),
              h('th', {}, 'n'),
            ),
          ),
          h(
            'tbody',
            {},
            r.metrics.map((m) =>
              h(
                'tr',
                { 'data-metric': m.key },
                h('td', {}, m.label),
                h('td', { class: 'num' }, fmtValue(m.mean, m.unit)),
                h(
                  'td',
                  { class: 'num' },
                  m.baseline === null
                    ? '–'
                    : `${fmtValue(m.baseline, m.unit)} ± ${fmtValue(m.baselineSd, m.unit)}`,
                ),
                h('td', {}, delta(m)),
                h('td', { class: 'num' }, `${m.n} / ${m.baselineN}`),
              ),
            ),
          ),
        ),
      ),
      h(
        'p',
        { class: 'muted small' },
        'Difference with a 95 % interval (Welch standard error, Student’s t on the week’s nights). An interval that spans zero means this week is within your usual spread.',
      ),
    ),
    h(
      'div',
      { class: 'grid two' },
      card(
        'Best and worst night',
        r.best && r.worst
          ? h(
              'dl',
              { class: 'summary' },
              h(
                'div',
                {},
                h('dt', {}, 'Best (sleep score)'),
                h(
                  'dd',
                  {},
                  h(
                    'a',
                    { href: `/night/${r.best.day}` },
                    `${fmtDay(r.best.day)} · ${r.best.score}`,
                  ),
                ),
              ),
              h(
                'div',
                {},
                h('dt', {}, 'Worst (sleep score)'),
                h(
                  'dd',
                  {},
                  h(
                    'a',
                    { href: `/night/${r.worst.day}` },
                    `${fmtDay(r.worst.day)} · ${r.worst.score}`,
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'No sleep scores this week.'),
      ),
      card(
        'Regularity',
        h(
          'dl',
          { class: 'summary' },
          h(
            'div',
            {},
            h('dt', {}, 'SRI this week'),
            h('dd', {}, sri.sri === null ? '–' : sri.sri.toFixed(0)),
            h(
              'dd',
              { class: 'muted small' },
              sri.interval
                ? `95 % ${sri.interval[0].toFixed(0)} to ${sri.interval[1].toFixed(0)} · ${sri.pairs} pairs`
                : `${sri.pairs} day pairs: too few`,
            ),
          ),
          h('div', {}, h('dt', {}, 'Chronotype (4 weeks)'), h('dd', {}, fmtClockMinutes(c.msfsc))),
        ),
        h('p', { class: 'small' }, c.message),
        h('a', { href: '/regularity', class: 'small' }, 'Regularity page'),
      ),
    ),
    card('Sleep debt at the end of the week', ...debtBody(r.debt)),
    card(
      'Body signals',
      r.flags.length
        ? h(
            'ul',
            { class: 'episode-list' },
            r.flags.map((f) =>
              h('li', {}, h('a', { href: `/night/${f.day}` }, fmtDay(f.day)), `: ${f.summary}`),
            ),
          )
        : h('p', { class: 'muted' }, 'No night was flagged this week.'),
    ),
    card(
      'Tags this week',
      r.tags.length
        ? h(
            'ul',
            { class: 'tag-list' },
            r.tags.map((t) =>
              h(
                'li',
                {},
                h('strong', {}, t.tag.replace(/^tag_generic_/, '').replaceAll('_', ' ')),
                ` · ${t.days.length} day${t.days.length > 1 ? 's' : ''} (${t.days.map((d) => fmtDay(d)).join(', ')})`,
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No tags logged this week.'),
      h(
        'p',
        { class: 'muted small' },
        'As logged in the Oura app. Also as a file: snowtorch report --week.',
      ),
    ),
  );
}
