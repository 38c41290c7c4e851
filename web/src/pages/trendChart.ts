import type { MetricInfo, RangeKey, TrendResponse } from '../../../src/api/types.ts';
import { getJson } from '../api.ts';
import { SERIES } from '../charts/palette.ts';
import { daySeconds, timeChart } from '../charts/timeChart.ts';
import { h } from '../dom.ts';
import { fmtValue } from '../format.ts';
import { errorState, loading } from '../ui.ts';

export function trendUrl(metric: string, range: RangeKey): string {
  return `/api/trends/${encodeURIComponent(metric)}?range=${range}`;
}

function summaryLine(data: TrendResponse): HTMLElement {
  const u = data.metric.unit;
  const sum = data.summary;
  const lastBaseline = [...data.baselineMean].reverse().find((v) => v !== null) ?? null;
  return h(
    'dl',
    { class: 'summary' },
    h('div', {}, h('dt', {}, 'Latest'), h('dd', {}, fmtValue(sum.latest, u))),
    h('div', {}, h('dt', {}, 'Average'), h('dd', {}, fmtValue(sum.mean, u))),
    h(
      'div',
      {},
      h('dt', {}, 'Range'),
      h('dd', {}, `${fmtValue(sum.min, u)} – ${fmtValue(sum.max, u)}`),
    ),
    h('div', {}, h('dt', {}, '60-day baseline'), h('dd', {}, fmtValue(lastBaseline, u))),
  );
}

/** The trend chart: daily values, 7-day rolling mean and the personal baseline band. */
export function drawTrend(container: HTMLElement, data: TrendResponse, height = 240): void {
  if (data.summary.count === 0) {
    container.replaceChildren(
      h('p', { class: 'state-inline' }, `No ${data.metric.label.toLowerCase()} in this range yet.`),
    );
    return;
  }
  const chartEl = h('div', { class: 'chart' });
  container.replaceChildren(summaryLine(data), chartEl);
  const dense = data.days.length > 120;
  const sparse = data.summary.count < data.days.length / 3;
  timeChart(chartEl, {
    x: data.days.map(daySeconds),
    lines: [
      {
        label: data.metric.label,
        values: data.values,
        color: SERIES.daily,
        width: 1,
        points: !dense || sparse,
        line: dense && !sparse,
      },
      {
        label: '7-day mean',
        values: data.rolling7,
        color: SERIES.rolling,
        width: 2.5,
        // Sparse measures (VO₂ max every few days) would break the mean into stubs.
        spanGaps: sparse,
      },
    ],
    band: {
      lower: data.baselineLower,
      upper: data.baselineUpper,
      color: SERIES.band,
      label: '60-day baseline ±1 SD',
    },
    unit: data.metric.unit,
    xKind: 'day',
    height,
    title: `${data.metric.label} over time`,
  });
}

/** A card that loads and draws one metric's trend. */
export function trendCard(metric: MetricInfo, range: RangeKey, signal: AbortSignal): HTMLElement {
  const body = h('div', { class: 'trend-body' }, loading());
  const load = async () => {
    body.replaceChildren(loading());
    try {
      const data = await getJson<TrendResponse>(trendUrl(metric.key, range), signal);
      drawTrend(body, data, 200);
    } catch (error) {
      if (!signal.aborted) body.replaceChildren(errorState(error, () => void load()));
    }
  };
  queueMicrotask(() => void load());
  return h(
    'section',
    { class: 'card trend-card', 'data-metric': metric.key },
    h('h2', {}, metric.label),
    body,
  );
}
