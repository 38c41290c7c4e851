import type {
  ExperimentOutcomeView,
  ExperimentResponse,
  ExperimentSubjectsResponse,
  MeResponse,
} from '../../../src/api/types.ts';
import { getJson } from '../api.ts';
import { h } from '../dom.ts';
import { fmtValue } from '../format.ts';
import { navigate } from '../router.ts';
import { card, emptyState, errorState, loading, pageHeader } from '../ui.ts';

const DEFAULT_OUTCOMES = [
  'average_hrv',
  'lowest_heart_rate',
  'deep_sleep',
  'rem_sleep',
  'sleep_score',
  'latency',
];

const VERDICT: Record<ExperimentOutcomeView['verdict'], string> = {
  higher: 'Higher',
  lower: 'Lower',
  no_evidence: 'No evidence either way',
  too_few: 'Too few nights',
};

function signed(value: number | null, unit: ExperimentOutcomeView['metric']['unit']): string {
  if (value === null) return '–';
  // One decimal where whole units would round a small interval end to zero.
  const a = Math.abs(value);
  const text =
    unit === 'ms' || unit === 'bpm' || unit === 'score'
      ? `${a.toFixed(1)}${fmtValue(1, unit).replace(/^1/, '')}`
      : fmtValue(a, unit);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

function outcomeRow(o: ExperimentOutcomeView): HTMLElement {
  const u = o.metric.unit;
  return h(
    'tr',
    { 'data-outcome': o.metric.key },
    h('th', { scope: 'row' }, o.metric.label),
    h('td', { class: 'num' }, `${o.nExposed} / ${o.nOther}`),
    h('td', { class: 'num' }, `${fmtValue(o.meanExposed, u)} vs ${fmtValue(o.meanOther, u)}`),
    h('td', { class: 'num' }, signed(o.difference, u)),
    h(
      'td',
      { class: 'num' },
      o.lower === null || o.upper === null ? '–' : `${signed(o.lower, u)} to ${signed(o.upper, u)}`,
    ),
    h('td', { class: 'num' }, o.hedgesG === null ? '–' : o.hedgesG.toFixed(2)),
    h('td', {}, h('span', { class: `pill verdict-${o.verdict}` }, VERDICT[o.verdict])),
  );
}

export async function renderExperiments(
  main: HTMLElement,
  query: URLSearchParams,
  me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  const sub = 'Nights after days with a tag or workout, compared with all other nights';
  main.replaceChildren(pageHeader('Experiments', sub), loading());
  if (!me.lastNight) {
    main.replaceChildren(
      pageHeader('Experiments'),
      emptyState('No data yet', 'Run a sync and your tags appear here.'),
    );
    return;
  }
  let subjects: ExperimentSubjectsResponse;
  try {
    subjects = await getJson<ExperimentSubjectsResponse>(
      '/api/insights/experiments/subjects',
      signal,
    );
  } catch (error) {
    if (!signal.aborted) main.replaceChildren(pageHeader('Experiments'), errorState(error));
    return;
  }
  const chosenOutcomes = (query.get('outcomes') ?? DEFAULT_OUTCOMES.join(',')).split(',');
  const subject =
    query.get('subject') ?? subjects.subjects.find((s) => s.kind === 'tag')?.key ?? '';
  const subjectSelect = h(
    'select',
    { id: 'exp-subject', name: 'subject' },
    subjects.subjects.map((s) =>
      h(
        'option',
        { value: s.key, selected: s.key === subject },
        `${s.label} (${s.days} day${s.days === 1 ? '' : 's'})`,
      ),
    ),
    h(
      'option',
      { value: 'date:', selected: subject.startsWith('date:') },
      'Before / after a date…',
    ),
  );
  const dateInput = h('input', {
    type: 'date',
    id: 'exp-date',
    name: 'date',
    value: subject.startsWith('date:') ? subject.slice(5) : '',
    'aria-label': 'Split date',
  });
  const outcomeBoxes = subjects.outcomes
    .filter(
      (o) =>
        DEFAULT_OUTCOMES.includes(o.key) ||
        chosenOutcomes.includes(o.key) ||
        o.group === 'sleep' ||
        o.group === 'heart',
    )
    .map((o) =>
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          name: 'outcome',
          value: o.key,
          checked: chosenOutcomes.includes(o.key),
        }),
        ` ${o.label}`,
      ),
    );
  const form = h(
    'form',
    { class: 'experiment-form', 'aria-label': 'Experiment' },
    h('label', { for: 'exp-subject' }, 'Compare nights after'),
    subjectSelect,
    dateInput,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Outcomes (up to 8)'),
      h('div', { class: 'checks' }, outcomeBoxes),
    ),
    h('button', { type: 'submit', class: 'btn' }, 'Compare'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const picked = [...form.querySelectorAll<HTMLInputElement>('input[name=outcome]:checked')]
      .map((i) => i.value)
      .slice(0, 8);
    const key = subjectSelect.value === 'date:' ? `date:${dateInput.value}` : subjectSelect.value;
    navigate(
      `/experiments?subject=${encodeURIComponent(key)}&outcomes=${encodeURIComponent(picked.join(','))}`,
    );
  });
  const head = pageHeader('Experiments', sub);
  if (!subject || subject === 'date:') {
    main.replaceChildren(
      head,
      card('Question', form),
      emptyState('Pick a tag', 'Choose what to compare.'),
    );
    return;
  }
  const resultSlot = h('div', {}, loading('Comparing nights…'));
  main.replaceChildren(head, card('Question', form), resultSlot);
  try {
    const res = await getJson<ExperimentResponse>(
      `/api/insights/experiments?subject=${encodeURIComponent(subject)}&outcomes=${encodeURIComponent(chosenOutcomes.slice(0, 8).join(','))}`,
      signal,
    );
    resultSlot.replaceChildren(
      card(
        `${res.subject.label}: ${res.exposedLabel} vs ${res.otherLabel}`,
        h(
          'p',
          { class: 'muted' },
          `Nights ${res.from} to ${res.to}. Weekday and weekend nights are compared separately, then combined. ` +
            `Intervals: ${res.resamples.toLocaleString('en')} seeded bootstrap resamples, 95 % for all outcomes together. ` +
            'An interval that includes zero, or fewer than 5 nights in a group, means no evidence either way.',
        ),
        h(
          'div',
          {
            class: 'table-wrap',
            tabindex: '0',
            role: 'region',
            'aria-label': 'Experiment results',
          },
          h(
            'table',
            { class: 'experiment' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Outcome'),
                h('th', { class: 'num' }, 'Nights (after / other)'),
                h('th', { class: 'num' }, 'Means'),
                h('th', { class: 'num' }, 'Difference'),
                h('th', { class: 'num' }, '95 % interval'),
                h(
                  'th',
                  { class: 'num', title: "Hedges' g: difference in standard deviations" },
                  'Effect size g',
                ),
                h('th', {}, 'Verdict'),
              ),
            ),
            h('tbody', {}, res.outcomes.map(outcomeRow)),
          ),
        ),
        h(
          'ul',
          { class: 'sentences' },
          res.outcomes.map((o) => h('li', {}, o.sentence)),
        ),
      ),
    );
  } catch (error) {
    if (!signal.aborted) resultSlot.replaceChildren(errorState(error));
  }
}
