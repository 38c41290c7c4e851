import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { UnitKind } from '../../../src/api/types.ts';
import { h, onWidth } from '../dom.ts';
import { fmtDay, fmtValue } from '../format.ts';
import { axisUnit, dayTicks, tickLabel, valueTicks } from './axes.ts';
import {
  clockTickLabel,
  clockTicks,
  clockTime,
  fixedClock,
  type NightClock,
} from './nightClock.ts';
import { cssVar } from './palette.ts';
import { type TooltipRow, tooltipPlugin } from './tooltip.ts';

export interface LineSpec {
  label: string;
  values: (number | null)[];
  color: string;
  width?: number;
  dash?: number[];
  /** Draw each value as a dot (sparse daily values) instead of, or on top of, a line. */
  points?: boolean;
  line?: boolean;
  bars?: boolean;
  stepped?: boolean;
  fill?: string;
  /** Join the line across missing values (slow-moving statistics such as a baseline). */
  spanGaps?: boolean;
  /** Tooltip text for a value (default: the chart's unit). */
  valueText?: (value: number) => string;
}

export interface TimeChartOptions {
  /** Unix seconds. */
  x: number[];
  lines: LineSpec[];
  band?: { lower: (number | null)[]; upper: (number | null)[]; color: string; label: string };
  unit: UnitKind;
  xKind: 'day' | 'clock';
  /** The local clock of a 'clock' axis (a night's own, across a clock change). */
  clock?: NightClock;
  height?: number;
  syncKey?: string;
  xRange?: [number, number];
  yRange?: [number, number];
  yTicks?: (value: number) => string;
  /** Fixed y-axis tick positions (e.g. one per sleep stage). */
  ySplits?: number[];
  /** The y axis's title; default: the unit ("bpm", "h:mm"). */
  yLabel?: string;
  /** Show a key of the series above the chart (the values themselves are in the tooltip). */
  key?: boolean;
  title: string;
  /** One sentence for the text alternative; default: range, lowest, highest and latest value. */
  summary?: string;
  /** Extra drawing after the series (e.g. the hypnogram's stage blocks). */
  draw?: (u: uPlot) => void;
}

const DAY = 86_400;

/** A responsive uPlot chart whose axes, tooltip and text alternative speak the dashboard's units. */
export function timeChart(container: HTMLElement, opts: TimeChartOptions): uPlot {
  const grid = cssVar('--grid');
  const axisColor = cssVar('--fg-muted');
  const font = `12px ${cssVar('--font-sans') || 'system-ui'}`;
  const clock = opts.clock ?? fixedClock(0);
  const xText = (v: number) =>
    opts.xKind === 'clock'
      ? clockTime(clock, v * 1000)
      : fmtDay(new Date(v * 1000).toISOString().slice(0, 10), true);
  const series: uPlot.Series[] = [{ label: opts.xKind === 'clock' ? 'Time' : 'Day' }];
  const data: (number | null)[][] = [opts.x];
  const bands: uPlot.Band[] = [];
  if (opts.band) {
    const band = { stroke: 'transparent', points: { show: false }, spanGaps: true };
    series.push(
      { ...band, label: `${opts.band.label} upper` },
      { ...band, label: `${opts.band.label} lower` },
    );
    data.push(opts.band.upper, opts.band.lower);
    bands.push({ series: [1, 2], fill: opts.band.color });
  }
  const first = series.length;
  for (const line of opts.lines) {
    const s: uPlot.Series = {
      label: line.label,
      stroke: line.color,
      width: line.width ?? 1.5,
      spanGaps: line.spanGaps ?? false,
    };
    if (line.dash) s.dash = line.dash;
    if (line.fill) s.fill = line.fill;
    if (line.bars) {
      s.paths = uPlot.paths.bars?.({ size: [0.9, 8] });
      s.fill = line.fill ?? line.color;
      s.points = { show: false };
    } else if (line.stepped) {
      s.paths = uPlot.paths.stepped?.({ align: 1 });
      s.points = { show: false };
    } else if (line.points) {
      s.points = { show: true, size: 5, fill: line.color, stroke: line.color };
      if (line.line === false) s.paths = () => null;
    } else {
      s.points = { show: false };
    }
    series.push(s);
    data.push(line.values);
  }

  const describe = (u: uPlot, idx: number) => {
    const x = u.data[0]?.[idx];
    if (x === undefined) return null;
    const rows: TooltipRow[] = [];
    opts.lines.forEach((line) => {
      const v = line.values[idx];
      if (v === null || v === undefined) return;
      rows.push({
        label: line.label,
        color: line.color,
        value: line.valueText ? line.valueText(v) : fmtValue(v, opts.unit),
      });
    });
    const lo = opts.band?.lower[idx];
    const hi = opts.band?.upper[idx];
    if (opts.band && lo !== null && lo !== undefined && hi !== null && hi !== undefined) {
      rows.push({
        label: opts.band.label,
        color: opts.band.color,
        value: `${fmtValue(lo, opts.unit)} – ${fmtValue(hi, opts.unit)}`,
      });
    }
    return rows.length ? { title: xText(x), rows } : null;
  };

  const yTicks = opts.yTicks ?? ((v: number) => tickLabel(v, opts.unit));
  const yRange = opts.yRange ?? valueRange(opts);
  const xRange = opts.xRange ?? paddedDays(opts);
  const live = h('p', { class: 'sr-only', 'aria-live': 'polite' });
  const options: uPlot.Options = {
    width: Math.max(280, container.clientWidth),
    height: opts.height ?? 220,
    series,
    bands,
    legend: { show: false },
    plugins: [tooltipPlugin(describe, live)],
    cursor: {
      drag: { x: false, y: false },
      ...(opts.syncKey ? { sync: { key: opts.syncKey } } : {}),
      points: { size: 7 },
    },
    scales: {
      x: { time: true, ...(xRange ? { range: xRange } : {}) },
      y: yRange ? { range: yRange } : {},
    },
    axes: [
      {
        stroke: axisColor,
        font,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        ...xAxis(opts, clock),
      },
      {
        stroke: axisColor,
        font,
        grid: { stroke: grid, width: 1 },
        ticks: { show: false },
        values: (_u, splits) => splits.map(yTicks),
        splits: opts.ySplits
          ? () => opts.ySplits ?? []
          : (u) => valueTicks(u.scales.y?.min ?? 0, u.scales.y?.max ?? 1, opts.unit),
        size: 48,
        label: opts.yLabel ?? axisUnit(opts.unit),
        labelSize: 16,
        labelFont: font,
      },
    ],
    ...(opts.draw ? { hooks: { draw: [opts.draw] } } : {}),
  };
  // The drawn tick labels, for the text alternative's readers and the browser tests.
  options.hooks = {
    ...options.hooks,
    drawAxes: [
      (u) => {
        const values = (u.axes[0] as { _values?: string[] } | undefined)?._values ?? [];
        u.root.dataset.xTicks = values.join('|');
        const yValues = (u.axes[1] as { _values?: string[] } | undefined)?._values ?? [];
        u.root.dataset.yTicks = yValues.join('|');
      },
    ],
  };
  const chart = new uPlot(options, data as uPlot.AlignedData, container);
  chart.root.setAttribute('role', 'img');
  chart.root.dataset.yUnit = opts.yLabel ?? axisUnit(opts.unit);
  chart.root.setAttribute(
    'aria-label',
    `${opts.title}. ${opts.summary ?? summarise(opts, xText)} Arrow keys step through the values.`,
  );
  container.append(live);
  if (opts.key ?? opts.lines.length + (opts.band ? 1 : 0) > 1) {
    container.prepend(
      h(
        'ul',
        { class: 'chart-key' },
        opts.lines.map((l, i) =>
          h(
            'li',
            { 'data-series': String(first + i) },
            h('span', {
              class: `key-mark${l.points && l.line !== true ? ' dot' : ''}`,
              style: `background:${l.color}`,
            }),
            l.label,
          ),
        ),
        opts.band
          ? h(
              'li',
              {},
              h('span', { class: 'key-mark band', style: `background:${opts.band.color}` }),
              opts.band.label,
            )
          : null,
      ),
    );
  }
  onWidth(container, (w) => chart.setSize({ width: w, height: opts.height ?? 220 }));
  return chart;
}

function xAxis(opts: TimeChartOptions, clock: NightClock): Partial<uPlot.Axis> {
  if (opts.xKind === 'clock') {
    return {
      space: 56,
      splits: (u) => {
        const from = (u.scales.x?.min ?? 0) * 1000;
        const to = (u.scales.x?.max ?? 0) * 1000;
        const hours = (to - from) / 3_600_000;
        const room = Math.max(2, Math.floor(u.bbox.width / devicePixelRatio / 64));
        const step = [60, 120, 180, 240, 360].find((m) => (hours * 60) / m <= room) ?? 360;
        return clockTicks(clock, from, to, step).map((t) => t / 1000);
      },
      values: (_u, splits) => splits.map((s) => clockTickLabel(clock, s * 1000)),
    };
  }
  return {
    space: 40,
    splits: (u) => dayTicks(u.scales.x?.min ?? 0, u.scales.x?.max ?? 0, room(u)).ticks,
    values: (u, splits) => {
      const { ticks, labels } = dayTicks(u.scales.x?.min ?? 0, u.scales.x?.max ?? 0, room(u));
      return splits.map((s) => labels[ticks.indexOf(s)] ?? '');
    },
  };
}

function room(u: uPlot): number {
  return Math.max(2, Math.floor(u.bbox.width / devicePixelRatio / 78));
}

/** Half a day either side, so the first and last days' points are drawn whole. */
function paddedDays(opts: TimeChartOptions): [number, number] | undefined {
  if (opts.xKind !== 'day' || opts.x.length === 0) return undefined;
  return [(opts.x[0] ?? 0) - DAY / 2, (opts.x[opts.x.length - 1] ?? 0) + DAY / 2];
}

/** A y range holding every line and the band, widened to round ticks and a little headroom. */
function valueRange(opts: TimeChartOptions): [number, number] | undefined {
  const all: number[] = [];
  for (const l of opts.lines) for (const v of l.values) if (v !== null) all.push(v);
  if (opts.band) {
    for (const v of opts.band.lower) if (v !== null) all.push(v);
    for (const v of opts.band.upper) if (v !== null) all.push(v);
  }
  if (all.length === 0) return undefined;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (opts.lines.some((l) => l.bars)) lo = Math.min(0, lo);
  if (hi === lo) {
    hi += Math.abs(hi) * 0.05 || 1;
    lo -= Math.abs(lo) * 0.05 || 1;
  }
  const ticks = valueTicks(lo, hi, opts.unit);
  const step = ticks.length > 1 ? (ticks[1] ?? 0) - (ticks[0] ?? 0) : (hi - lo) / 4;
  const pad = (hi - lo) * 0.04;
  return [Math.floor((lo - pad) / step) * step, Math.ceil((hi + pad) / step) * step];
}

function summarise(opts: TimeChartOptions, xText: (v: number) => string): string {
  const line = opts.lines[0];
  if (!line) return '';
  let lo: number | null = null;
  let hi: number | null = null;
  let latest: number | null = null;
  line.values.forEach((v, i) => {
    if (v === null) return;
    if (lo === null || v < (line.values[lo] ?? 0)) lo = i;
    if (hi === null || v > (line.values[hi] ?? 0)) hi = i;
    latest = i;
  });
  if (lo === null || hi === null || latest === null) return 'No values.';
  const text = (i: number) => {
    const v = line.values[i] ?? 0;
    return line.valueText ? line.valueText(v) : fmtValue(v, opts.unit);
  };
  const x0 = opts.x[0];
  const x1 = opts.x[opts.x.length - 1];
  const span = x0 !== undefined && x1 !== undefined ? `From ${xText(x0)} to ${xText(x1)}: ` : '';
  return `${span}${line.label} lowest ${text(lo)} at ${xText(opts.x[lo] ?? 0)}, highest ${text(hi)} at ${xText(opts.x[hi] ?? 0)}, last ${text(latest)}.`;
}

export function daySeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}
