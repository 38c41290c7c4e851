import type { CoverageResponse, CoverageStatus, UnitKind } from '../../../src/api/types.ts';
import { h, onWidth, s } from '../dom.ts';
import { fmtClockMinutes, fmtDay, fmtShortDay, fmtValue, monthName } from '../format.ts';
import { axisUnit, durationTicks, fmtHoursMinutes, tickLabel, valueTicks } from './axes.ts';
import { sequential } from './palette.ts';

const DAY_MS = 86_400_000;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Wraps a width-dependent SVG so it is redrawn at the container's real pixel width. */
function responsiveSvg(label: string, draw: (width: number) => SVGSVGElement): HTMLElement {
  const holder = h('div', { class: 'svg-chart', role: 'img', 'aria-label': label });
  queueMicrotask(() =>
    onWidth(holder, (w) => {
      holder.replaceChildren(draw(w));
    }),
  );
  return holder;
}

export interface StackSeries {
  label: string;
  color: string;
  values: (number | null)[];
}

/** Stacked columns per day or week (sleep stage composition); values in seconds. */
export function stackedBars(days: string[], stacks: StackSeries[], height = 220): HTMLElement {
  const mean = (values: (number | null)[]) => {
    const v = values.filter((x): x is number => x !== null);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  const label = `Sleep stage composition, ${days.length} bars from ${fmtDay(days[0] ?? '', true)} to ${fmtDay(days[days.length - 1] ?? '', true)}. On average: ${stacks.map((st) => `${st.label} ${fmtValue(mean(st.values), 'seconds')}`).join(', ')}.`;
  return responsiveSvg(label, (width) => {
    const left = 58;
    const bottom = 22;
    const top = 8;
    const plotW = width - left - 8;
    const plotH = height - top - bottom;
    const totals = days.map((_, i) => stacks.reduce((sum, st) => sum + (st.values[i] ?? 0), 0));
    const max = Math.max(3600, ...totals);
    const ticks = durationTicks(0, max, 4);
    const step = (ticks[1] ?? 3600) - (ticks[0] ?? 0);
    const yMax = Math.ceil(max / step) * step;
    if ((ticks[ticks.length - 1] ?? 0) < yMax) ticks.push(yMax);
    const y = (v: number) => top + plotH - (v / yMax) * plotH;
    const slot = plotW / Math.max(1, days.length);
    const barW = Math.max(1, slot * 0.8);
    const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}` });
    for (const t of ticks) {
      svg.append(
        s('line', { x1: left, x2: width - 8, y1: y(t), y2: y(t), class: 'grid' }),
        s(
          'text',
          { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'tick' },
          fmtHoursMinutes(t),
        ),
      );
    }
    days.forEach((day, i) => {
      let acc = 0;
      const x = left + i * slot + (slot - barW) / 2;
      const g = s('g', {});
      const parts: string[] = [];
      for (const st of stacks) {
        const v = st.values[i] ?? 0;
        if (v <= 0) continue;
        g.append(
          s('rect', {
            x,
            width: barW,
            y: y(acc + v),
            height: Math.max(0, y(acc) - y(acc + v)),
            fill: st.color,
          }),
        );
        parts.push(`${st.label} ${fmtValue(v, 'seconds')}`);
        acc += v;
      }
      g.append(s('title', {}, `${fmtDay(day, true)}: ${parts.join(', ')}`));
      svg.append(g);
    });
    labelDays(svg, days, left, slot, height - 6);
    axisTitle(svg, 'h:mm', top + plotH / 2);
    return svg;
  });
}

/** The y axis's unit, written up the left edge as on the uPlot charts. */
function axisTitle(svg: SVGSVGElement, text: string, middle: number): void {
  if (!text) return;
  svg.append(
    s(
      'text',
      {
        x: 12,
        y: middle,
        transform: `rotate(-90 12 ${middle})`,
        'text-anchor': 'middle',
        class: 'tick',
      },
      text,
    ),
  );
}

function labelDays(
  svg: SVGSVGElement,
  days: string[],
  left: number,
  slot: number,
  yPos: number,
): void {
  const every = Math.max(1, Math.ceil(78 / slot));
  const long =
    days.length > 1 && dayMs(days[days.length - 1] ?? '') - dayMs(days[0] ?? '') > 150 * DAY_MS;
  let lastText = '';
  let lastX = Number.NEGATIVE_INFINITY;
  days.forEach((day, i) => {
    const d = new Date(dayMs(day));
    // Long spans: a label where a month starts ("Feb 2026"), never twice, never crowded.
    const text = long ? `${monthName(d.getUTCMonth())} ${d.getUTCFullYear()}` : fmtShortDay(day);
    if (long) {
      if (text === lastText) return;
      lastText = text;
      if (i * slot - lastX < 78 || (i === 0 && d.getUTCDate() > 7)) return;
      lastX = i * slot;
    } else if (i % every !== 0) return;
    const x = left + i * slot + slot / 2;
    // Labels near the right edge end there instead of being cut off.
    const width = Number(svg.getAttribute('width') ?? 0);
    const anchor = x > width - 36 ? 'end' : x < left + 30 ? 'start' : 'middle';
    svg.append(s('text', { x, y: yPos, 'text-anchor': anchor, class: 'tick' }, text));
  });
}

/** One bar per night from bedtime to wake time (clock on the vertical axis, evening on top). */
export function timingBars(
  days: string[],
  bedtime: number[],
  wake: number[],
  height = 240,
): HTMLElement {
  const label = `Bedtime to wake time for ${days.length} nights; earliest bedtime ${fmtClockMinutes(Math.min(...bedtime))}, latest ${fmtClockMinutes(Math.max(...bedtime))}; earliest wake ${fmtClockMinutes(Math.min(...wake))}, latest ${fmtClockMinutes(Math.max(...wake))}.`;
  return responsiveSvg(label, (width) => {
    const left = 70;
    const bottom = 22;
    const top = 8;
    const plotW = width - left - 8;
    const plotH = height - top - bottom;
    const lo = Math.min(-180, ...bedtime) - 30;
    const hi = Math.max(480, ...wake) + 30;
    const y = (m: number) => top + ((m - lo) / (hi - lo)) * plotH;
    const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}` });
    for (let m = Math.ceil(lo / 120) * 120; m <= hi; m += 120) {
      svg.append(
        s('line', { x1: left, x2: width - 8, y1: y(m), y2: y(m), class: 'grid' }),
        s(
          'text',
          { x: left - 6, y: y(m) + 4, 'text-anchor': 'end', class: 'tick' },
          fmtClockMinutes(m),
        ),
      );
    }
    const slot = plotW / Math.max(1, days.length);
    const barW = Math.max(1.5, Math.min(14, slot * 0.7));
    days.forEach((day, i) => {
      const b = bedtime[i];
      const w = wake[i];
      if (b === undefined || w === undefined) return;
      svg.append(
        s(
          'rect',
          {
            x: left + i * slot + (slot - barW) / 2,
            width: barW,
            y: y(b),
            height: Math.max(1, y(w) - y(b)),
            rx: Math.min(3, barW / 2),
            class: 'timing-bar',
          },
          s('title', {}, `${fmtDay(day, true)}: ${fmtClockMinutes(b)} → ${fmtClockMinutes(w)}`),
        ),
      );
    });
    labelDays(svg, days, left, slot, height - 6);
    axisTitle(svg, 'local time', top + plotH / 2);
    return svg;
  });
}

/** Calendar heatmap: one square per day, weeks as columns (Monday on top), sized to fit. */
export function calendarHeatmap(
  days: string[],
  values: (number | null)[],
  unit: UnitKind,
  domain: [number, number],
): HTMLElement {
  const byDay = new Map(days.map((d, i) => [d, values[i] ?? null]));
  const first = days[0];
  const last = days[days.length - 1];
  const wrap = h('div', { class: 'heatmap-wrap' });
  if (!first || !last) return wrap;
  const startMs = dayMs(first) - ((new Date(dayMs(first)).getUTCDay() + 6) % 7) * DAY_MS;
  const weeks = Math.ceil((dayMs(last) - startMs) / DAY_MS / 7) + 1;
  const left = 30;
  const top = 16;
  const draw = (available: number) => {
    const pitch = Math.max(8, Math.min(20, Math.floor((available - left) / weeks)));
    const gap = pitch >= 12 ? 3 : 2;
    const cell = pitch - gap;
    const width = left + weeks * pitch;
    const height = top + 7 * pitch + 4;
    const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}` });
    ['Mon', '', 'Wed', '', 'Fri', '', 'Sun'].forEach((label, i) => {
      if (label)
        svg.append(s('text', { x: 0, y: top + i * pitch + cell - 1, class: 'tick' }, label));
    });
    let lastMonth = -1;
    for (let w = 0; w < weeks; w++) {
      for (let d = 0; d < 7; d++) {
        const ms = startMs + (w * 7 + d) * DAY_MS;
        const day = new Date(ms).toISOString().slice(0, 10);
        if (day < first || day > last) continue;
        const month = new Date(ms).getUTCMonth();
        if (month !== lastMonth && new Date(ms).getUTCDate() <= 7) {
          svg.append(s('text', { x: left + w * pitch, y: 10, class: 'tick' }, monthName(month)));
          lastMonth = month;
        }
        const v = byDay.get(day) ?? null;
        const t = v === null ? 0 : (v - domain[0]) / (domain[1] - domain[0] || 1);
        svg.append(
          s(
            'rect',
            {
              x: left + w * pitch,
              y: top + d * pitch,
              width: cell,
              height: cell,
              rx: 2,
              // No data is an outline, never a colour a low value could have.
              fill: v === null ? 'none' : sequential(t),
              ...(v === null ? { stroke: 'var(--card-border)', 'stroke-width': 1 } : {}),
            },
            s('title', {}, `${fmtDay(day, true)}: ${v === null ? 'no data' : fmtValue(v, unit)}`),
          ),
        );
      }
    }
    return svg;
  };
  const holder = h('div', {
    class: 'heatmap-scroll',
    role: 'img',
    tabindex: '0',
    'aria-label': `Calendar of the last 12 months, ${values.filter((v) => v !== null).length} days with a value, from ${fmtValue(domain[0], unit)} (faintest) to ${fmtValue(domain[1], unit)} (strongest).`,
  });
  // Opens on the latest months: on a narrow screen the year scrolls back to the left.
  queueMicrotask(() =>
    onWidth(holder, (w) => {
      holder.replaceChildren(draw(w));
      holder.scrollLeft = holder.scrollWidth;
    }),
  );
  const scale = h(
    'div',
    { class: 'heatmap-scale' },
    h('span', {}, fmtValue(domain[0], unit)),
    h('span', {
      class: 'heatmap-gradient',
      style: `background:linear-gradient(90deg,${[0, 0.25, 0.5, 0.75, 1].map(sequential).join(',')})`,
    }),
    h('span', {}, fmtValue(domain[1], unit)),
  );
  wrap.append(holder, scale);
  return wrap;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * Mean per weekday as horizontal bars from zero (scores and percentages on their full 0–100
 * scale), so bar lengths compare honestly; weekend rows are named, not coloured differently.
 */
export function weekdayBars(
  weekdays: { weekday: number; mean: number | null; count: number }[],
  unit: UnitKind,
): HTMLElement {
  const hi = Math.max(0, ...weekdays.map((w) => w.mean ?? 0));
  const full = unit === 'score' || unit === 'percent' ? Math.max(100, hi) : hi;
  return h(
    'ul',
    { class: 'weekday-bars', 'aria-label': 'Average per weekday' },
    weekdays.map((w) => {
      const pct = w.mean === null || full <= 0 ? 0 : (Math.max(0, w.mean) / full) * 100;
      return h(
        'li',
        { class: w.weekday >= 5 ? 'weekend' : '' },
        h('span', { class: 'wd' }, WEEKDAY_NAMES[w.weekday] ?? ''),
        h(
          'span',
          { class: 'bar', 'aria-hidden': 'true' },
          h('span', { style: `width:${pct.toFixed(1)}%` }),
        ),
        h('span', { class: 'val' }, fmtValue(w.mean, unit)),
      );
    }),
  );
}

export const COVERAGE_STYLES: Record<CoverageStatus, { label: string; className: string }> = {
  data: { label: 'Complete', className: 'cov-data' },
  partial: { label: 'Partial', className: 'cov-partial' },
  non_wear: { label: 'Ring not worn', className: 'cov-nonwear' },
  low_battery: { label: 'Low battery', className: 'cov-battery' },
  gap: { label: 'No data', className: 'cov-gap' },
  future: { label: 'Not yet', className: 'cov-future' },
};

/** Coverage calendar: months as small grids, each day coloured and patterned by status. */
export function coverageCalendar(coverage: CoverageResponse): HTMLElement {
  const months = new Map<string, CoverageResponse['days']>();
  for (const d of coverage.days) {
    const key = d.day.slice(0, 7);
    const list = months.get(key) ?? [];
    list.push(d);
    months.set(key, list);
  }
  const grid = h('div', { class: 'coverage-months' });
  for (const [key, days] of months) {
    const [y, m] = key.split('-').map(Number);
    const firstDow = (new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, 1)).getUTCDay() + 6) % 7;
    const cells: HTMLElement[] = [];
    for (let i = 0; i < firstDow; i++) cells.push(h('span', { class: 'cov-pad' }));
    const byDate = new Map(days.map((d) => [Number(d.day.slice(8)), d]));
    const daysInMonth = new Date(Date.UTC(y ?? 2000, m ?? 1, 0)).getUTCDate();
    for (let n = 1; n <= daysInMonth; n++) {
      const d = byDate.get(n);
      if (!d) {
        cells.push(h('span', { class: 'cov-pad' }));
        continue;
      }
      const style = COVERAGE_STYLES[d.status];
      const details = [
        style.label,
        d.sleep ? 'sleep' : null,
        d.readiness ? 'readiness' : null,
        d.activity ? 'activity' : null,
        d.heartRate ? 'heart rate' : null,
        d.nonWearMinutes ? `${Math.round(d.nonWearMinutes / 60)} h not worn` : null,
        d.lowBattery ? 'battery low' : null,
      ].filter(Boolean);
      cells.push(
        h('span', {
          class: `cov ${style.className}`,
          title: `${fmtDay(d.day, true)}: ${details.join(', ')}`,
        }),
      );
    }
    grid.append(
      h(
        'figure',
        { class: 'coverage-month' },
        h('figcaption', {}, `${monthName((m ?? 1) - 1)} ${y}`),
        h('div', { class: 'cov-grid' }, cells),
      ),
    );
  }
  const legend = h(
    'ul',
    { class: 'cov-legend' },
    Object.values(COVERAGE_STYLES).map((st) =>
      h('li', {}, h('span', { class: `cov ${st.className}` }), st.label),
    ),
  );
  return h('div', {}, legend, grid);
}

/** Simple vertical bars (weekly workout minutes). */
export function simpleBars(
  labels: string[],
  values: number[],
  unit: UnitKind,
  color: string,
  height = 180,
): HTMLElement {
  const label = `Bars: ${labels.map((l, i) => `${l} ${fmtValue(values[i] ?? 0, unit)}`).join(', ')}.`;
  return responsiveSvg(label, (width) => {
    const left = 58;
    const top = 8;
    const bottom = 22;
    const plotW = width - left - 8;
    const plotH = height - top - bottom;
    const max = Math.max(1, ...values);
    const ticks = valueTicks(0, max, unit, 4);
    const step = (ticks[1] ?? max) - (ticks[0] ?? 0);
    const yMax = Math.ceil(max / step) * step;
    if ((ticks[ticks.length - 1] ?? 0) < yMax) ticks.push(yMax);
    const y = (v: number) => top + plotH - (v / yMax) * plotH;
    const slot = plotW / Math.max(1, labels.length);
    const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}` });
    for (const t of ticks) {
      svg.append(
        s('line', { x1: left, x2: width - 8, y1: y(t), y2: y(t), class: 'grid' }),
        s(
          'text',
          { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'tick' },
          tickLabel(t, unit),
        ),
      );
    }
    labels.forEach((label, i) => {
      const v = values[i] ?? 0;
      svg.append(
        s(
          'rect',
          {
            x: left + i * slot + slot * 0.1,
            width: Math.max(1, slot * 0.8),
            y: y(v),
            height: y(0) - y(v),
            fill: color,
            rx: 2,
          },
          s('title', {}, `${label}: ${fmtValue(v, unit)}`),
        ),
      );
    });
    labelDays(svg, labels, left, slot, height - 6);
    axisTitle(svg, axisUnit(unit), top + plotH / 2);
    return svg;
  });
}
