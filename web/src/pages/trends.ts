import type {
  AnnotationsResponse,
  MeResponse,
  StagesResponse,
  TimingResponse,
  TrendResponse,
  WeekdayResponse,
} from '../../../src/api/types.ts';
import { annotationStrip } from '../annotations.ts';
import { getJson } from '../api.ts';
import { STAGES } from '../charts/palette.ts';
import { calendarHeatmap, stackedBars, timingBars, weekdayBars } from '../charts/svgCharts.ts';
import { h } from '../dom.ts';
import { fmtClockMinutes, fmtValue } from '../format.ts';
import { navigate } from '../router.ts';
import {
  card,
  emptyState,
  errorState,
  loading,
  pageHeader,
  parseRange,
  RANGES,
  type RangeValue,
  segmented,
} from '../ui.ts';
import { drawTrend, trendUrl } from './trendChart.ts';

const GROUP_LABELS: Record<string, string> = {
  sleep: 'Sleep',
  readiness: 'Readiness',
  activity: 'Activity',
  breathing: 'SpO₂ & breathing',
  stress: 'Stress & resilience',
  heart: 'Heart',
};

/** What each range covers, said in every card's title. */
const RANGE_SPANS: Record<RangeValue, string> = {
  '7d': 'last 7 days',
  '30d': 'last 30 days',
  '90d': 'last 90 days',
  '1y': 'last 12 months',
  all: 'all data',
};

const weekdaySpan = (range: RangeValue) => RANGE_SPANS[range === '7d' ? '90d' : range];
const timingSpan = (range: RangeValue) =>
  range === 'all' || range === '1y' ? 'last 90 days' : RANGE_SPANS[range];

const HEATMAP_METRICS = ['sleep_score', 'readiness_score', 'activity_score'];

async function section(
  el: HTMLElement,
  signal: AbortSignal,
  work: () => Promise<void>,
): Promise<void> {
  el.replaceChildren(loading());
  try {
    await work();
  } catch (error) {
    if (!signal.aborted)
      el.replaceChildren(errorState(error, () => void section(el, signal, work)));
  }
}

export async function renderTrends(
  main: HTMLElement,
  query: URLSearchParams,
  me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  const metrics = me.metrics;
  const metricKey = metrics.some((m) => m.key === query.get('metric'))
    ? (query.get('metric') ?? 'sleep_score')
    : 'sleep_score';
  const range = parseRange(query.get('range'));
  const heatKey = HEATMAP_METRICS.includes(query.get('heat') ?? '')
    ? (query.get('heat') ?? 'sleep_score')
    : 'sleep_score';
  const go = (patch: Record<string, string>) => {
    const q = new URLSearchParams({ metric: metricKey, range, heat: heatKey, ...patch });
    navigate(`/trends?${q}`, true);
  };
  const select = h('select', { 'aria-label': 'Metric', class: 'select' });
  for (const [group, label] of Object.entries(GROUP_LABELS)) {
    const og = h('optgroup', { label });
    for (const m of metrics.filter((x) => x.group === group)) {
      og.append(h('option', { value: m.key, selected: m.key === metricKey }, m.label));
    }
    if (og.children.length) select.append(og);
  }
  select.addEventListener('change', () => go({ metric: select.value }));
  const rangeControl = segmented('Time range', RANGES, range, (v: RangeValue) => go({ range: v }));
  main.replaceChildren(
    pageHeader('Trends', 'Any metric over time, against your own baseline', select, rangeControl),
  );
  if (!me.lastNight) {
    main.append(emptyState('Nothing to chart yet', 'Trends appear after the first sync.'));
    return;
  }
  const mainChart = h('div', { class: 'trend-body' });
  const stagesEl = h('div', {});
  const timingEl = h('div', {});
  const heatEl = h('div', {});
  const weekdayEl = h('div', {});
  const heatSelect = h('select', { 'aria-label': 'Heatmap score', class: 'select small' });
  for (const key of HEATMAP_METRICS) {
    const m = metrics.find((x) => x.key === key);
    if (m) heatSelect.append(h('option', { value: key, selected: key === heatKey }, m.label));
  }
  heatSelect.addEventListener('change', () => go({ heat: heatSelect.value }));
  const metricInfo = metrics.find((m) => m.key === metricKey);
  main.append(
    h('section', { class: 'card' }, h('h2', {}, metricInfo?.label ?? metricKey), mainChart),
    h(
      'div',
      { class: 'grid two' },
      card(`Sleep stage composition · ${RANGE_SPANS[range]}`, stagesEl),
      card(`Weekday vs weekend · ${metricInfo?.label ?? ''} · ${weekdaySpan(range)}`, weekdayEl),
    ),
    card(`Bedtime to wake time · ${timingSpan(range)}`, timingEl),
    h(
      'section',
      { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', {}, 'Calendar, last 12 months'), heatSelect),
      heatEl,
    ),
  );
  await Promise.all([
    section(mainChart, signal, async () => {
      const data = await getJson<TrendResponse>(trendUrl(metricKey, range), signal);
      drawTrend(mainChart, data);
      const notes = await getJson<AnnotationsResponse>(
        `/api/insights/annotations?range=${range}&end=${data.range.to}`,
        signal,
      );
      const over = mainChart.querySelector<HTMLElement>('.u-over');
      const chart = mainChart.querySelector<HTMLElement>('.uplot');
      const plot =
        over && chart
          ? {
              left: over.getBoundingClientRect().left - chart.getBoundingClientRect().left,
              width: over.getBoundingClientRect().width,
            }
          : undefined;
      if (notes.annotations.length)
        mainChart.append(annotationStrip(notes.annotations, data.range.from, data.range.to, plot));
    }),
    section(stagesEl, signal, async () => {
      const data = await getJson<StagesResponse>(`/api/stages?range=${range}`, signal);
      if (data.days.length === 0) {
        stagesEl.replaceChildren(h('p', { class: 'state-inline' }, 'No nights in this range.'));
        return;
      }
      const byKey: Record<string, (number | null)[]> = {
        deep: data.deep,
        light: data.light,
        rem: data.rem,
        awake: data.awake,
      };
      stagesEl.replaceChildren(
        h(
          'p',
          { class: 'muted small' },
          data.bucket === 'week' ? 'Average night per week' : 'Per night',
        ),
        stackedBars(
          data.days,
          [...STAGES]
            .reverse()
            .map((st) => ({ label: st.label, color: st.color, values: byKey[st.key] ?? [] })),
        ),
        h(
          'ul',
          { class: 'stage-legend' },
          [...STAGES]
            .reverse()
            .map((st) =>
              h(
                'li',
                {},
                h('span', { class: 'swatch', style: `background:${st.color}` }),
                st.label,
              ),
            ),
        ),
      );
    }),
    section(timingEl, signal, async () => {
      const data = await getJson<TimingResponse>(
        `/api/timing?range=${range === 'all' || range === '1y' ? '90d' : range}`,
        signal,
      );
      const r = data.regularity;
      if (data.days.length === 0) {
        timingEl.replaceChildren(h('p', { class: 'state-inline' }, 'No nights in this range.'));
        return;
      }
      timingEl.replaceChildren(
        h(
          'dl',
          { class: 'summary' },
          h('div', {}, h('dt', {}, 'Usual bedtime'), h('dd', {}, fmtClockMinutes(r.meanBedtime))),
          h('div', {}, h('dt', {}, 'Usual wake'), h('dd', {}, fmtClockMinutes(r.meanWake))),
          h(
            'div',
            {},
            h('dt', {}, 'Bedtime spread'),
            h(
              'dd',
              {},
              r.bedtimeSdMinutes === null ? '–' : `±${Math.round(r.bedtimeSdMinutes)} min`,
            ),
          ),
          h(
            'div',
            {},
            h('dt', {}, 'Midpoint spread'),
            h(
              'dd',
              {},
              r.midpointSdMinutes === null ? '–' : `±${Math.round(r.midpointSdMinutes)} min`,
            ),
          ),
        ),
        timingBars(data.days, data.bedtime, data.wake),
        range === 'all' || range === '1y'
          ? h(
              'p',
              { class: 'muted small' },
              'Nightly bars need room: this card shows the last 90 nights.',
            )
          : '',
      );
    }),
    section(heatEl, signal, async () => {
      const data = await getJson<TrendResponse>(trendUrl(heatKey, '1y'), signal);
      const vals = data.values.filter((v): v is number => v !== null);
      heatEl.replaceChildren(
        calendarHeatmap(data.days, data.values, data.metric.unit, [
          Math.min(...vals, 100),
          Math.max(...vals, 0),
        ]),
      );
    }),
    section(weekdayEl, signal, async () => {
      const data = await getJson<WeekdayResponse>(
        `/api/trends/${encodeURIComponent(metricKey)}/weekdays?range=${range === '7d' ? '90d' : range}`,
        signal,
      );
      weekdayEl.replaceChildren(
        h(
          'dl',
          { class: 'summary' },
          h(
            'div',
            {},
            h('dt', {}, 'Mon–Fri nights'),
            h('dd', {}, fmtValue(data.workdayMean, data.metric.unit)),
          ),
          h(
            'div',
            {},
            h('dt', {}, 'Sat–Sun nights'),
            h('dd', {}, fmtValue(data.weekendMean, data.metric.unit)),
          ),
        ),
        weekdayBars(data.weekdays, data.metric.unit),
        h(
          'p',
          { class: 'muted small' },
          'Days are wake-up days: “Sat” is the night from Friday to Saturday.',
        ),
        range === '7d'
          ? h(
              'p',
              { class: 'muted small' },
              'Seven nights give one value per weekday, so this card uses the last 90 days.',
            )
          : '',
      );
    }),
  ]);
}
