import type { MeResponse, WorkoutDetailResponse } from '../../../src/api/types.ts';
import { ApiRequestError, getJson } from '../api.ts';
import { isoOffsetMinutes, nightClock } from '../charts/nightClock.ts';
import { SERIES } from '../charts/palette.ts';
import { timeChart } from '../charts/timeChart.ts';
import { h } from '../dom.ts';
import { fmtDay, fmtDuration, fmtValue } from '../format.ts';
import { card, emptyState, errorState, loading, pageHeader } from '../ui.ts';
import { activityName, workoutClock } from './workouts.ts';

function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** One workout: what Oura recorded, and the heart rate the stored series holds over it. */
export async function renderWorkout(
  main: HTMLElement,
  id: string,
  _me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  const back = h('a', { class: 'btn', href: '/workouts' }, 'All workouts');
  main.replaceChildren(pageHeader('Workout', undefined, back), loading('Loading the workout…'));
  let data: WorkoutDetailResponse;
  try {
    data = await getJson<WorkoutDetailResponse>(`/api/workouts/${encodeURIComponent(id)}`, signal);
  } catch (error) {
    if (signal.aborted) return;
    main.replaceChildren(
      pageHeader('Workout', undefined, back),
      error instanceof ApiRequestError && error.status === 404
        ? emptyState('There is no such workout', 'It may have been deleted in the Oura app.', back)
        : errorState(error),
    );
    return;
  }
  const w = data.workout;
  const hr = data.heartRateSummary;
  const when = `${fmtDay(w.day, true)}, ${workoutClock(w.start)}–${workoutClock(w.end)} (${offsetLabel(w.utcOffsetMinutes)})`;
  const chartEl = h('div', { class: 'chart', id: 'workout-heart-rate' });
  main.replaceChildren(
    pageHeader(activityName(w.activity), when, back),
    card(
      null,
      h(
        'dl',
        { class: 'summary' },
        h('div', {}, h('dt', {}, 'Duration'), h('dd', {}, fmtDuration(w.durationSeconds))),
        h('div', {}, h('dt', {}, 'Intensity'), h('dd', {}, w.intensity ?? '–')),
        h('div', {}, h('dt', {}, 'Calories'), h('dd', {}, fmtValue(w.calories, 'kcal'))),
        w.distance
          ? h('div', {}, h('dt', {}, 'Distance'), h('dd', {}, fmtValue(w.distance, 'meters')))
          : null,
        h(
          'div',
          {},
          h('dt', {}, 'Average heart rate'),
          h('dd', { id: 'workout-hr-average' }, hr ? fmtValue(hr.average, 'bpm') : '–'),
        ),
        h(
          'div',
          {},
          h('dt', {}, 'Heart-rate range'),
          h('dd', {}, hr ? `${hr.min}–${fmtValue(hr.max, 'bpm')}` : '–'),
        ),
        h('div', {}, h('dt', {}, 'Recorded by'), h('dd', {}, w.source ?? '–')),
        w.label ? h('div', {}, h('dt', {}, 'Label'), h('dd', {}, w.label)) : null,
      ),
    ),
    card(
      'Heart rate during the workout',
      data.heartRate.length
        ? chartEl
        : h(
            'p',
            { class: 'state-inline' },
            'No heart-rate samples are stored for this workout (sync heart rate, or the ring was off).',
          ),
      data.heartRate.length
        ? h(
            'p',
            { class: 'muted small' },
            `${data.heartRate.length} samples from the stored heart-rate series, ${workoutClock(w.start)}–${workoutClock(w.end)}.`,
          )
        : null,
    ),
  );
  if (data.heartRate.length) {
    const start = Date.parse(w.start) / 1000;
    const end = Date.parse(w.end) / 1000;
    timeChart(chartEl, {
      x: data.heartRate.map((s) => s.ts / 1000),
      lines: [
        {
          label: 'Heart rate',
          values: data.heartRate.map((s) => s.bpm),
          color: SERIES.heart,
          width: 2,
        },
      ],
      unit: 'bpm',
      xKind: 'clock',
      // The workout's own clock, across a clock change if it spans one.
      clock: nightClock(
        start * 1000,
        w.utcOffsetMinutes,
        end * 1000,
        isoOffsetMinutes(w.end) ?? w.utcOffsetMinutes,
      ),
      xRange: [start, end],
      height: 220,
      title: `Heart rate during the workout, ${workoutClock(w.start)}–${workoutClock(w.end)}`,
    });
  }
}
