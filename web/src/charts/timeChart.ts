import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { UnitKind } from '../../../src/api/types.ts';
import { onWidth } from '../dom.ts';
import { axisValue, fmtInstant, fmtShortDay, fmtValue, monthName } from '../format.ts';
import { cssVar } from './palette.ts';

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
  /** Legend text for a value (default: the chart's unit). */
  valueText?: (value: number) => string;
}

export interface TimeChartOptions {
  /** Unix seconds. */
  x: number[];
  lines: LineSpec[];
  band?: { lower: (number | null)[]; upper: (number | null)[]; color: string; label: string };
  unit: UnitKind;
  xKind: 'day' | 'clock';
  offsetMinutes?: number;
  height?: number;
  syncKey?: string;
  xRange?: [number, number];
  yRange?: [number, number];
  yTicks?: (value: number) => string;
  /** Fixed y-axis tick positions (e.g. one per sleep stage). */
  ySplits?: number[];
  legend?: boolean;
  title?: string;
  /** Extra drawing after the series (e.g. the hypnogram's stage blocks). */
  draw?: (u: uPlot) => void;
}

const DAY = 86_400;

function xFormatter(opts: TimeChartOptions): (u: uPlot, splits: number[]) => string[] {
  if (opts.xKind === 'clock') {
    const offset = opts.offsetMinutes ?? 0;
    return (_u, splits) => splits.map((s) => fmtInstant(s * 1000, offset));
  }
  return (u, splits) => {
    const min = u.scales.x?.min ?? 0;
    const max = u.scales.x?.max ?? 0;
    const long = max - min > 150 * DAY;
    return splits.map((s) => {
      const d = new Date(s * 1000);
      if (long) return `${monthName(d.getUTCMonth())} ${String(d.getUTCFullYear()).slice(2)}`;
      return fmtShortDay(d.toISOString().slice(0, 10));
    });
  };
}

/** A responsive uPlot chart whose axes, legend and tooltips speak the dashboard's units. */
export function timeChart(container: HTMLElement, opts: TimeChartOptions): uPlot {
  const grid = cssVar('--grid');
  const axisColor = cssVar('--fg-muted');
  const font = `12px ${cssVar('--font-sans') || 'system-ui'}`;
  const valueText = (_u: uPlot, v: number | null) => (v === null ? '–' : fmtValue(v, opts.unit));
  const series: uPlot.Series[] = [
    {
      label: opts.xKind === 'clock' ? 'Time' : 'Day',
      value: (_u, v) => {
        if (v === null) return '–';
        if (opts.xKind === 'clock') return fmtInstant(v * 1000, opts.offsetMinutes ?? 0);
        return fmtShortDay(new Date(v * 1000).toISOString().slice(0, 10));
      },
    },
  ];
  const data: (number | null)[][] = [opts.x];
  const bands: uPlot.Band[] = [];
  if (opts.band) {
    series.push(
      {
        label: `${opts.band.label} (upper)`,
        stroke: 'transparent',
        points: { show: false },
        value: valueText,
        show: true,
      },
      {
        label: `${opts.band.label} (lower)`,
        stroke: 'transparent',
        points: { show: false },
        value: valueText,
      },
    );
    data.push(opts.band.upper, opts.band.lower);
    bands.push({ series: [1, 2], fill: opts.band.color });
  }
  for (const line of opts.lines) {
    const s: uPlot.Series = {
      label: line.label,
      stroke: line.color,
      width: line.width ?? 1.5,
      value: line.valueText
        ? (_u: uPlot, v: number | null) => (v === null ? '–' : (line.valueText?.(v) ?? ''))
        : valueText,
      spanGaps: false,
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
      s.points = { show: true, size: 4, fill: line.color, stroke: line.color };
      if (line.line === false) s.paths = () => null;
    } else {
      s.points = { show: false };
    }
    series.push(s);
    data.push(line.values);
  }
  const yTicks = opts.yTicks ?? ((v: number) => axisValue(v, opts.unit));
  const options: uPlot.Options = {
    width: Math.max(280, container.clientWidth),
    height: opts.height ?? 220,
    series,
    bands,
    legend: { show: opts.legend ?? true, live: true },
    cursor: {
      drag: { x: false, y: false },
      ...(opts.syncKey ? { sync: { key: opts.syncKey } } : {}),
      points: { size: 6 },
    },
    scales: {
      x: {
        time: true,
        ...(opts.xRange ? { range: opts.xRange } : {}),
      },
      y: opts.yRange ? { range: opts.yRange } : {},
    },
    axes: [
      {
        stroke: axisColor,
        font,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        values: xFormatter(opts),
        space: opts.xKind === 'clock' ? 60 : 70,
      },
      {
        stroke: axisColor,
        font,
        grid: { stroke: grid, width: 1 },
        ticks: { show: false },
        values: (_u, splits) => splits.map(yTicks),
        ...(opts.ySplits ? { splits: () => opts.ySplits ?? [] } : {}),
        size: 52,
      },
    ],
    ...(opts.draw ? { hooks: { draw: [opts.draw] } } : {}),
    tzDate:
      opts.xKind === 'clock'
        ? (ts) => uPlot.tzDate(new Date(ts * 1000 + (opts.offsetMinutes ?? 0) * 60_000), 'Etc/UTC')
        : (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
  };
  const chart = new uPlot(options, data as uPlot.AlignedData, container);
  if (opts.title) chart.root.setAttribute('aria-label', opts.title);
  if (opts.band) chart.root.classList.add('has-band');
  chart.root.setAttribute('role', 'img');
  onWidth(container, (w) => chart.setSize({ width: w, height: opts.height ?? 220 }));
  return chart;
}

export function daySeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}
