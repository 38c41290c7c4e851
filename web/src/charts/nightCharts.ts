import type uPlot from 'uplot';
import type { SampleSeries, SleepPeriodView } from '../../../src/api/types.ts';
import { h } from '../dom.ts';
import { fmtDuration, fmtInstant } from '../format.ts';
import {
  changeSentence,
  clockTime,
  isoOffsetMinutes,
  type NightClock,
  nightClock,
} from './nightClock.ts';
import { cssVar, SERIES, STAGES, stageByCode } from './palette.ts';
import { timeChart } from './timeChart.ts';

function sampleTimes(series: SampleSeries): number[] {
  return series.items.map((_, i) => series.start / 1000 + i * series.interval);
}

/** Places a sample series on the night's shared axis, keeping nulls as gaps. */
function aligned(series: SampleSeries | null): { x: number[]; y: (number | null)[] } {
  if (!series) return { x: [], y: [] };
  return { x: sampleTimes(series), y: series.items };
}

/**
 * The hypnogram: one block per run of equal stage, at a height per stage (awake on top, deep at
 * the bottom) and in that stage's colour.
 */
function hypnogram(
  container: HTMLElement,
  night: SleepPeriodView,
  xRange: [number, number],
  syncKey: string,
  clock: NightClock,
): void {
  const hyp = night.hypnogram;
  if (!hyp) return;
  const x: number[] = [];
  const y: (number | null)[] = [];
  for (let i = 0; i < hyp.stages.length; i++) {
    x.push(hyp.start / 1000 + i * hyp.interval);
    y.push(stageByCode(hyp.stages[i] ?? '')?.level ?? null);
  }
  x.push(hyp.start / 1000 + hyp.stages.length * hyp.interval);
  y.push(y[y.length - 1] ?? null);
  const draw = (u: uPlot) => {
    const ctx = u.ctx;
    ctx.save();
    const rowH = u.bbox.height / 4;
    let runStart = 0;
    for (let i = 1; i <= hyp.stages.length; i++) {
      const code = hyp.stages[runStart] ?? '';
      if (i < hyp.stages.length && hyp.stages[i] === code) continue;
      const stage = stageByCode(code);
      if (stage) {
        const x0 = u.valToPos(x[runStart] ?? 0, 'x', true);
        const x1 = u.valToPos(x[i] ?? 0, 'x', true);
        const top = u.bbox.top + (4 - stage.level) * rowH + rowH * 0.12;
        ctx.fillStyle = stage.color;
        ctx.fillRect(x0, top, Math.max(1, x1 - x0), rowH * 0.76);
      }
      runStart = i;
    }
    ctx.restore();
  };
  timeChart(container, {
    x,
    lines: [
      {
        label: 'Stage',
        values: y,
        color: 'rgba(127,127,127,0.55)',
        width: 1,
        stepped: true,
        valueText: (v) => STAGES.find((s) => s.level === v)?.label ?? '–',
      },
    ],
    draw: (u) => {
      draw(u);
      markChange(u, clock);
    },
    unit: 'count',
    xKind: 'clock',
    clock,
    key: false,
    height: 170,
    syncKey,
    xRange,
    yRange: [0.5, 4.5],
    ySplits: [1, 2, 3, 4],
    yTicks: (v) => STAGES.find((s) => s.level === v)?.label ?? '',
    yLabel: 'stage',
    title: 'Hypnogram: sleep stages through the night',
    summary: `From ${clockTime(clock, xRange[0] * 1000)} to ${clockTime(clock, xRange[1] * 1000)}: ${STAGES.map((st) => `${st.label} ${fmtDuration(stageSeconds(night, st.key))}`).join(', ')}.`,
  });
}

/** The clock-change moment as a dashed line across the plot. */
function markChange(u: uPlot, clock: NightClock): void {
  if (clock.changeAt === null) return;
  const x = u.valToPos(clock.changeAt / 1000, 'x', true);
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = cssVar('--fg-muted');
  ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.lineWidth = devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(x, u.bbox.top);
  ctx.lineTo(x, u.bbox.top + u.bbox.height);
  ctx.stroke();
  ctx.restore();
}

function stageSeconds(night: SleepPeriodView, key: string): number | null {
  if (key === 'deep') return night.deepSleep;
  if (key === 'light') return night.lightSleep;
  if (key === 'rem') return night.remSleep;
  return night.awake;
}

/** The night's clock: its own offsets at bedtime and at wake-up, and the change between. */
export function clockOfNight(night: SleepPeriodView): NightClock {
  const start = Date.parse(night.bedtimeStart);
  const end = Date.parse(night.bedtimeEnd);
  const endOffset = isoOffsetMinutes(night.bedtimeEnd) ?? night.utcOffsetMinutes;
  return nightClock(start, night.utcOffsetMinutes, end, endOffset);
}

/** Rings the lowest heart rate of the night (the note above the chart gives value and time). */
function markLowest(u: uPlot): void {
  const xs = u.data[0] ?? [];
  const ys = u.data[1] ?? [];
  let at = -1;
  ys.forEach((v, i) => {
    if (v !== null && v !== undefined && (at < 0 || v < (ys[at] ?? Infinity))) at = i;
  });
  if (at < 0) return;
  const x = u.valToPos(xs[at] ?? 0, 'x', true);
  const y = u.valToPos(ys[at] ?? 0, 'y', true);
  const ctx = u.ctx;
  const r = devicePixelRatio;
  ctx.save();
  ctx.strokeStyle = cssVar('--fg');
  ctx.lineWidth = 2 * r;
  ctx.beginPath();
  ctx.arc(x, y, 5 * r, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.restore();
}

/** "Lowest 45 bpm at 04:54, ringed on the chart." */
function lowestNote(night: SleepPeriodView, clock: NightClock): HTMLElement | string {
  const hr = night.heartRate;
  if (!hr) return '';
  let at = -1;
  hr.items.forEach((v, i) => {
    if (v !== null && (at < 0 || v < (hr.items[at] ?? Infinity))) at = i;
  });
  if (at < 0) return '';
  const when = clockTime(clock, hr.start + at * hr.interval * 1000);
  return h(
    'p',
    { class: 'chart-note' },
    `Lowest ${Math.round(hr.items[at] ?? 0)} bpm at ${when}, ringed on the chart.`,
  );
}

/** Hypnogram, heart rate, HRV and movement on one shared, cursor-synced time axis. */
export function nightCharts(container: HTMLElement, night: SleepPeriodView): void {
  const start = Date.parse(night.bedtimeStart) / 1000;
  const end = Date.parse(night.bedtimeEnd) / 1000;
  const xRange: [number, number] = [start, end];
  const clock = clockOfNight(night);
  const syncKey = `night-${night.id}`;
  const legend = h(
    'ul',
    { class: 'stage-legend', 'aria-label': 'Stage colours' },
    STAGES.map((s) =>
      h('li', {}, h('span', { class: 'swatch', style: `background:${s.color}` }), s.label),
    ),
  );
  const hypEl = h('div', { class: 'chart' });
  const hrEl = h('div', { class: 'chart' });
  const hrvEl = h('div', { class: 'chart' });
  const moveEl = h('div', { class: 'chart' });
  container.append(
    clock.changeAt === null ? '' : h('p', { class: 'clock-change' }, changeSentence(clock)),
    h('div', { class: 'chart-head' }, h('h3', {}, 'Sleep stages'), legend),
    hypEl,
    h('h3', {}, 'Heart rate'),
    lowestNote(night, clock),
    hrEl,
    h('h3', {}, 'Heart rate variability'),
    hrvEl,
    h('h3', {}, 'Movement'),
    moveEl,
  );
  if (night.hypnogram) hypnogram(hypEl, night, xRange, syncKey, clock);
  else hypEl.append(h('p', { class: 'muted' }, 'No stage data for this night.'));
  const hr = aligned(night.heartRate);
  if (hr.x.length) {
    timeChart(hrEl, {
      x: hr.x,
      lines: [{ label: 'Heart rate', values: hr.y, color: SERIES.heart, width: 2 }],
      unit: 'bpm',
      xKind: 'clock',
      clock,
      height: 150,
      syncKey,
      xRange,
      title: 'Heart rate through the night',
      draw: (u) => {
        markChange(u, clock);
        markLowest(u);
      },
    });
  } else hrEl.append(h('p', { class: 'muted' }, 'No heart-rate samples for this night.'));
  const hrv = aligned(night.hrv);
  if (hrv.x.length) {
    timeChart(hrvEl, {
      x: hrv.x,
      lines: [{ label: 'HRV (RMSSD)', values: hrv.y, color: SERIES.hrv, width: 2 }],
      unit: 'ms',
      xKind: 'clock',
      clock,
      height: 150,
      syncKey,
      xRange,
      title: 'Heart rate variability through the night',
      draw: (u) => markChange(u, clock),
    });
  } else hrvEl.append(h('p', { class: 'muted' }, 'No HRV samples for this night.'));
  // movement_30_sec: 1 = no motion, so bars start at 0 for stillness.
  const movement = aligned(night.movement);
  const move = { x: movement.x, y: movement.y.map((v) => (v === null ? null : v - 1)) };
  if (move.x.length) {
    timeChart(moveEl, {
      x: move.x,
      lines: [
        {
          label: 'Movement',
          values: move.y,
          color: cssVar('--fg-muted'),
          bars: true,
          valueText: (v) => ['still', 'restless', 'tossing', 'active'][Math.round(v)] ?? '–',
        },
      ],
      unit: 'count',
      xKind: 'clock',
      clock,
      height: 110,
      syncKey,
      xRange,
      yRange: [0, 3],
      ySplits: [0, 3],
      yTicks: (v) => (v === 0 ? 'still' : 'active'),
      yLabel: 'motion',
      title: 'Movement through the night',
      draw: (u) => markChange(u, clock),
    });
  } else moveEl.append(h('p', { class: 'muted' }, 'No movement data for this night.'));
}

/** A compact SVG-free hypnogram strip (for naps): coloured segments proportional to time. */
export function stageStrip(period: SleepPeriodView): HTMLElement {
  const strip = h('div', { class: 'stage-strip', role: 'img', 'aria-label': 'Nap stages' });
  const hyp = period.hypnogram;
  if (!hyp || hyp.stages.length === 0) return strip;
  let runStart = 0;
  for (let i = 1; i <= hyp.stages.length; i++) {
    const code = hyp.stages[runStart] ?? '';
    if (i < hyp.stages.length && hyp.stages[i] === code) continue;
    const stage = stageByCode(code);
    const from = hyp.start + runStart * hyp.interval * 1000;
    strip.append(
      h('span', {
        style: `flex:${i - runStart};background:${stage?.color ?? 'transparent'}`,
        title: `${stage?.label ?? 'No data'} from ${fmtInstant(from, period.utcOffsetMinutes)}`,
      }),
    );
    runStart = i;
  }
  return strip;
}
