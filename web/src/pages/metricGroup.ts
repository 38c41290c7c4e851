import type { HeartRateResponse, MeResponse, NightResponse } from '../../../src/api/types.ts';
import { getJson } from '../api.ts';
import { fixedClock } from '../charts/nightClock.ts';
import { SERIES } from '../charts/palette.ts';
import { timeChart } from '../charts/timeChart.ts';
import { h } from '../dom.ts';
import { fmtDay, fmtValue } from '../format.ts';
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
import { contributorList } from './contributors.ts';
import { signalsStrip } from './insights/cards.ts';
import { trendCard } from './trendChart.ts';

export interface GroupPage {
  path: string;
  title: string;
  subtitle: string;
  metrics: string[];
  /** Extra content above the trend cards. */
  extra?: (me: MeResponse, signal: AbortSignal, query: URLSearchParams) => HTMLElement;
}

function latestReadiness(me: MeResponse, signal: AbortSignal): HTMLElement {
  const body = h('div', {}, loading());
  void (async () => {
    try {
      const night = await getJson<NightResponse>(`/api/nights/${me.lastNight ?? 'latest'}`, signal);
      const r = night.readiness;
      if (!r) {
        body.replaceChildren(h('p', { class: 'state-inline' }, 'No readiness for the latest day.'));
        return;
      }
      body.replaceChildren(
        h(
          'p',
          { class: 'lead' },
          h('strong', { class: 'big' }, String(r.score ?? '–')),
          ` readiness on ${fmtDay(night.day, true)} · temperature ${fmtValue(r.temperatureDeviation, 'celsius_delta')}`,
        ),
        contributorList(r.contributors, true),
      );
    } catch (error) {
      if (!signal.aborted) body.replaceChildren(errorState(error));
    }
  })();
  return card('Latest readiness contributors', body);
}

function daytimeHeartRate(
  me: MeResponse,
  signal: AbortSignal,
  query: URLSearchParams,
): HTMLElement {
  const body = h('div', {}, loading());
  const day = query.get('day') ?? me.lastNight ?? 'latest';
  void (async () => {
    try {
      const data = await getJson<HeartRateResponse>(
        `/api/heartrate?day=${encodeURIComponent(day)}`,
        signal,
      );
      const nav = h(
        'div',
        { class: 'night-nav' },
        data.prevDay
          ? h(
              'a',
              {
                class: 'btn icon',
                href: `/heart?day=${data.prevDay}`,
                'aria-label': 'Previous day',
              },
              '‹',
            )
          : null,
        h('strong', {}, fmtDay(data.day, true)),
        data.nextDay
          ? h(
              'a',
              { class: 'btn icon', href: `/heart?day=${data.nextDay}`, 'aria-label': 'Next day' },
              '›',
            )
          : null,
      );
      if (data.sampleCount === 0) {
        body.replaceChildren(
          nav,
          h('p', { class: 'state-inline' }, 'No heart-rate samples on this day.'),
        );
        return;
      }
      const chartEl = h('div', { class: 'chart' });
      body.replaceChildren(
        nav,
        h(
          'dl',
          { class: 'summary' },
          h('div', {}, h('dt', {}, 'Lowest'), h('dd', {}, fmtValue(data.summary.min, 'bpm'))),
          h('div', {}, h('dt', {}, 'Average'), h('dd', {}, fmtValue(data.summary.mean, 'bpm'))),
          h('div', {}, h('dt', {}, 'Highest'), h('dd', {}, fmtValue(data.summary.max, 'bpm'))),
          h('div', {}, h('dt', {}, 'Samples'), h('dd', {}, data.sampleCount.toLocaleString('en'))),
        ),
        chartEl,
      );
      timeChart(chartEl, {
        x: data.times.map((t) => t / 1000),
        lines: [{ label: 'Heart rate', values: data.bpm, color: SERIES.heart, width: 1.5 }],
        unit: 'bpm',
        xKind: 'clock',
        clock: fixedClock(data.utcOffsetMinutes),
        height: 220,
        title: 'Heart rate through the day',
      });
    } catch (error) {
      if (!signal.aborted) body.replaceChildren(errorState(error));
    }
  })();
  return card('Heart rate through the day', body);
}

export const GROUP_PAGES: GroupPage[] = [
  {
    path: '/readiness',
    title: 'Readiness',
    subtitle: 'How recovered you are, and why',
    metrics: [
      'readiness_score',
      'temperature_deviation',
      'hrv_balance',
      'resting_heart_rate',
      'recovery_index',
      'sleep_balance',
    ],
    extra: (me, signal) =>
      h('div', {}, latestReadiness(me, signal), signalsStrip(me.lastNight ?? '', signal)),
  },
  {
    path: '/activity',
    title: 'Activity',
    subtitle: 'Movement, calories and rest through the day',
    metrics: [
      'activity_score',
      'steps',
      'active_calories',
      'equivalent_walking_distance',
      'high_activity_time',
      'sedentary_time',
    ],
  },
  {
    path: '/breathing',
    title: 'SpO₂ & breathing',
    subtitle: 'Blood oxygen and breathing during sleep',
    metrics: ['spo2_average', 'breathing_disturbance_index', 'average_breath'],
  },
  {
    path: '/stress',
    title: 'Stress & resilience',
    subtitle: 'Daytime stress, recovery and resilience',
    metrics: ['stress_high', 'recovery_high', 'resilience_level'],
  },
  {
    path: '/heart',
    title: 'Heart',
    subtitle: 'Daytime heart rate, resting heart rate, HRV, cardiovascular age and VO₂ max',
    metrics: ['lowest_heart_rate', 'average_hrv', 'vascular_age', 'vo2_max', 'pulse_wave_velocity'],
    extra: daytimeHeartRate,
  },
];

export async function renderGroup(
  main: HTMLElement,
  page: GroupPage,
  query: URLSearchParams,
  me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  const range = parseRange(query.get('range'));
  const rangeControl = segmented('Time range', RANGES, range, (v: RangeValue) => {
    const q = new URLSearchParams(query);
    q.set('range', v);
    navigate(`${page.path}?${q}`, true);
  });
  main.replaceChildren(pageHeader(page.title, page.subtitle, rangeControl));
  if (!me.lastNight) {
    main.append(emptyState('No data yet', 'Run a sync and this page fills in.'));
    return;
  }
  if (page.extra) main.append(page.extra(me, signal, query));
  const grid = h('div', { class: 'grid two' });
  for (const key of page.metrics) {
    const metric = me.metrics.find((m) => m.key === key);
    if (metric) grid.append(trendCard(metric, range, signal));
  }
  main.append(grid);
}
