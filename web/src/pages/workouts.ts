import type { MeResponse, WorkoutsResponse } from '../../../src/api/types.ts';
import { getJson } from '../api.ts';
import { SERIES } from '../charts/palette.ts';
import { simpleBars } from '../charts/svgCharts.ts';
import { h } from '../dom.ts';
import { fmtDay, fmtDuration, fmtLocalTime, fmtValue, titleCase } from '../format.ts';
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

/**
 * Oura's activity name for people: 'strength_training' or 'strengthTraining' -> 'Strength
 * training'. The rows and the "By activity" groups both use it, so they always agree.
 */
export function activityName(activity: string): string {
  return titleCase(activity.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase());
}

/** "18:02" on the workout's own clock (the UTC offset Oura sent with it). */
export function workoutClock(iso: string): string {
  return fmtLocalTime(iso.slice(11, 16));
}

export async function renderWorkouts(
  main: HTMLElement,
  query: URLSearchParams,
  me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  const range = parseRange(query.get('range'), '90d');
  const rangeControl = segmented('Time range', RANGES, range, (v: RangeValue) =>
    navigate(`/workouts?range=${v}`, true),
  );
  main.replaceChildren(
    pageHeader('Workouts', 'Training time, intensity and what you did', rangeControl),
    loading(),
  );
  if (!me.lastNight) {
    main.replaceChildren(
      pageHeader('Workouts'),
      emptyState('No data yet', 'Run a sync and your workouts appear here.'),
    );
    return;
  }
  let data: WorkoutsResponse;
  try {
    data = await getJson<WorkoutsResponse>(`/api/workouts?range=${range}`, signal);
  } catch (error) {
    if (!signal.aborted)
      main.replaceChildren(pageHeader('Workouts', undefined, rangeControl), errorState(error));
    return;
  }
  const head = pageHeader('Workouts', 'Training time, intensity and what you did', rangeControl);
  if (data.workouts.length === 0) {
    main.replaceChildren(
      head,
      emptyState(
        'No workouts in this range',
        'Pick a longer range, or log a workout in the Oura app.',
      ),
    );
    return;
  }
  const totalMinutes = data.weeks.reduce((s, w) => s + w.minutes, 0);
  // Every workout of the range, newest first: the groups above count exactly these rows.
  const rows = [...data.workouts].reverse();
  main.replaceChildren(
    head,
    h(
      'div',
      { class: 'grid two' },
      card(
        'Minutes per week',
        h(
          'dl',
          { class: 'summary' },
          h('div', {}, h('dt', {}, 'Workouts'), h('dd', {}, String(data.workouts.length))),
          h('div', {}, h('dt', {}, 'Total time'), h('dd', {}, fmtDuration(totalMinutes * 60))),
          h(
            'div',
            {},
            h('dt', {}, 'Per week'),
            h('dd', {}, fmtDuration((totalMinutes * 60) / Math.max(1, data.weeks.length))),
          ),
        ),
        simpleBars(
          data.weeks.map((w) => w.week),
          data.weeks.map((w) => w.minutes),
          'count',
          SERIES.primary,
        ),
      ),
      card(
        'By activity',
        h(
          'ul',
          { class: 'weekday-bars' },
          data.byActivity.map((a) =>
            h(
              'li',
              {},
              h('span', { class: 'wd wide' }, activityName(a.activity)),
              h(
                'span',
                { class: 'bar' },
                h('span', {
                  style: `width:${(a.minutes / Math.max(1, data.byActivity[0]?.minutes ?? 1)) * 100}%`,
                }),
              ),
              h('span', { class: 'val' }, `${a.count}× · ${fmtDuration(a.minutes * 60)}`),
            ),
          ),
        ),
      ),
    ),
    card(
      `All ${rows.length} workouts in this range`,
      h(
        'div',
        {
          class: 'table-wrap',
          id: 'workout-rows',
          tabindex: '0',
          role: 'region',
          'aria-label': 'Workouts in this range',
        },
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Start'),
              h('th', {}, 'Activity'),
              h('th', {}, 'Intensity'),
              h('th', { class: 'num' }, 'Duration'),
              h('th', { class: 'num' }, 'Calories'),
              h('th', { class: 'num' }, 'Distance'),
            ),
          ),
          h(
            'tbody',
            {},
            rows.map((w) =>
              h(
                'tr',
                {},
                h(
                  'td',
                  { class: 'nowrap' },
                  h(
                    'time',
                    { datetime: w.start },
                    `${fmtDay(w.day, true)}, ${workoutClock(w.start)}`,
                  ),
                ),
                h(
                  'td',
                  { 'data-activity': w.activity },
                  h(
                    'a',
                    { href: `/workouts/${encodeURIComponent(w.id)}` },
                    activityName(w.activity),
                  ),
                  w.label ? h('div', { class: 'muted small' }, w.label) : null,
                ),
                h(
                  'td',
                  {},
                  w.intensity ? h('span', { class: `pill ${w.intensity}` }, w.intensity) : '–',
                ),
                h('td', { class: 'num' }, fmtDuration(w.durationSeconds)),
                h('td', { class: 'num' }, fmtValue(w.calories, 'kcal')),
                h('td', { class: 'num' }, w.distance ? fmtValue(w.distance, 'meters') : '–'),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
