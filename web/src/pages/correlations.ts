import type {
  AssociationsResponse,
  CorrelationResponse,
  MeResponse,
  MetricInfo,
} from '../../../src/api/types.ts';
import { getJson } from '../api.ts';
import { axisUnit, tickLabel, valueTicks } from '../charts/axes.ts';
import { SERIES } from '../charts/palette.ts';
import { h, s } from '../dom.ts';
import { navigate } from '../router.ts';
import { card, emptyState, errorState, loading, pageHeader } from '../ui.ts';

const lagText = (lag: number) => (lag === 0 ? 'same day' : `${lag} day${lag > 1 ? 's' : ''} later`);

/** Scatter of the pairs with the Theil–Sen line, in an SVG that scales with its box. */
function scatter(res: CorrelationResponse): SVGSVGElement {
  const W = 640;
  const H = 360;
  const pad = { l: 56, r: 12, t: 12, b: 40 };
  const xs = res.points.map((p) => p.x);
  const ys = res.points.map((p) => p.y);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  const sx = (v: number) => pad.l + ((v - x0) / (x1 - x0 || 1)) * (W - pad.l - pad.r);
  const sy = (v: number) => H - pad.b - ((v - y0) / (y1 - y0 || 1)) * (H - pad.t - pad.b);
  const line = res.line;
  return s(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      class: 'scatter',
      role: 'img',
      'aria-label': `Scatter of ${res.x.label} against ${res.y.label} ${lagText(res.lag)}, ${res.n} days`,
    },
    s('line', { x1: pad.l, y1: H - pad.b, x2: W - pad.r, y2: H - pad.b, class: 'axis' }),
    s('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: H - pad.b, class: 'axis' }),
    valueTicks(x0, x1, res.x.unit)
      .filter((v) => v >= x0 && v <= x1)
      .map((v) =>
        s(
          'text',
          { x: sx(v), y: H - pad.b + 16, 'text-anchor': 'middle', class: 'tick' },
          tickLabel(v, res.x.unit),
        ),
      ),
    valueTicks(y0, y1, res.y.unit)
      .filter((v) => v >= y0 && v <= y1)
      .map((v) =>
        s(
          'text',
          { x: pad.l - 6, y: sy(v) + 4, 'text-anchor': 'end', class: 'tick' },
          tickLabel(v, res.y.unit),
        ),
      ),
    s(
      'text',
      { x: (W + pad.l) / 2, y: H - 4, 'text-anchor': 'middle', class: 'axis-label' },
      withUnit(res.x.label, res.x.unit),
    ),
    s(
      'text',
      {
        x: 12,
        y: (H - pad.b + pad.t) / 2,
        'text-anchor': 'middle',
        class: 'axis-label',
        transform: `rotate(-90 12 ${(H - pad.b + pad.t) / 2})`,
      },
      withUnit(res.y.label, res.y.unit),
    ),
    res.points.map((p) =>
      s('circle', { cx: sx(p.x), cy: sy(p.y), r: 2.5, fill: SERIES.primary, 'fill-opacity': 0.45 }),
    ),
    line
      ? s('line', {
          x1: sx(x0),
          y1: sy(line.intercept + line.slope * x0),
          x2: sx(x1),
          y2: sy(line.intercept + line.slope * x1),
          stroke: SERIES.rolling,
          'stroke-width': 2,
          class: 'trend-line',
        })
      : null,
  );
}

function metricSelect(
  id: string,
  label: string,
  metrics: MetricInfo[],
  value: string,
): HTMLElement[] {
  return [
    h('label', { for: id }, label),
    h(
      'select',
      { id, name: id },
      metrics.map((m) => h('option', { value: m.key, selected: m.key === value }, m.label)),
    ),
  ];
}

/** An axis title with its unit, e.g. "Lowest heart rate (bpm)". */
function withUnit(label: string, unit: MetricInfo['unit']): string {
  const u = axisUnit(unit);
  return u ? `${label} (${u})` : label;
}

export async function renderCorrelations(
  main: HTMLElement,
  query: URLSearchParams,
  me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  const sub = 'How two daily measures move together: associations, never causes';
  main.replaceChildren(pageHeader('Correlations', sub), loading());
  if (!me.lastNight) {
    main.replaceChildren(
      pageHeader('Correlations'),
      emptyState('No data yet', 'Run a sync first.'),
    );
    return;
  }
  const x = query.get('x') ?? 'steps';
  const y = query.get('y') ?? 'deep_sleep';
  const lag = Math.max(0, Math.min(3, Number(query.get('lag') ?? '1') || 0));
  const form = h(
    'form',
    { class: 'experiment-form', 'aria-label': 'Correlation' },
    metricSelect('corr-x', 'First measure', me.metrics, x),
    metricSelect('corr-y', 'Second measure', me.metrics, y),
    h('label', { for: 'corr-lag' }, 'Second measure read'),
    h(
      'select',
      { id: 'corr-lag', name: 'lag' },
      [0, 1, 2, 3].map((l) => h('option', { value: String(l), selected: l === lag }, lagText(l))),
    ),
    h('button', { type: 'submit', class: 'btn' }, 'Show'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const v = (id: string) => (form.querySelector(`#${id}`) as HTMLSelectElement).value;
    navigate(`/correlations?x=${v('corr-x')}&y=${v('corr-y')}&lag=${v('corr-lag')}`);
  });
  const pairSlot = h('div', {}, loading());
  const listSlot = h('div', {}, loading('Testing every pair…'));
  main.replaceChildren(pageHeader('Correlations', sub), card('Pair', form), pairSlot, listSlot);
  try {
    const res = await getJson<CorrelationResponse>(
      `/api/insights/correlations?x=${x}&y=${y}&lag=${lag}`,
      signal,
    );
    pairSlot.replaceChildren(
      card(
        `${res.x.label} → ${res.y.label} (${lagText(res.lag)})`,
        h(
          'dl',
          { class: 'summary' },
          h('div', {}, h('dt', {}, 'Days'), h('dd', { id: 'corr-n' }, String(res.n))),
          h(
            'div',
            {},
            h('dt', {}, 'Rank correlation'),
            h('dd', { id: 'corr-rho' }, res.rho === null ? '–' : res.rho.toFixed(2)),
          ),
          h(
            'div',
            {},
            h('dt', {}, '95 % interval'),
            h(
              'dd',
              {},
              res.lower === null || res.upper === null
                ? '–'
                : `${res.lower.toFixed(2)} to ${res.upper.toFixed(2)}`,
            ),
          ),
        ),
        res.points.length ? scatter(res) : null,
        h('p', { class: 'sentence' }, res.sentence),
      ),
    );
  } catch (error) {
    if (!signal.aborted) pairSlot.replaceChildren(errorState(error));
  }
  try {
    const list = await getJson<AssociationsResponse>('/api/insights/associations', signal);
    listSlot.replaceChildren(
      card(
        'Strongest associations',
        h(
          'p',
          { class: 'muted' },
          `${list.tested.toLocaleString('en')} pairs and lags tested over ${list.from} to ${list.to}; shown are those that survive a ${Math.round(list.fdr * 100)} % false-discovery rate (Benjamini–Hochberg). Associations, not causes.`,
        ),
        list.associations.length === 0
          ? h('p', {}, 'Nothing survives the false-discovery control.')
          : h(
              'div',
              {
                class: 'table-wrap',
                tabindex: '0',
                role: 'region',
                'aria-label': 'Strongest associations',
              },
              h(
                'table',
                { class: 'associations' },
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    h('th', {}, 'First'),
                    h('th', {}, 'Second'),
                    h('th', {}, 'Read'),
                    h('th', { class: 'num' }, 'ρ'),
                    h('th', { class: 'num' }, '95 % interval'),
                    h('th', { class: 'num' }, 'q'),
                    h('th', { class: 'num' }, 'Days'),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  list.associations
                    .slice(0, 25)
                    .map((a) =>
                      h(
                        'tr',
                        {},
                        h('td', {}, a.x.label),
                        h('td', {}, a.y.label),
                        h('td', {}, lagText(a.lag)),
                        h('td', { class: 'num' }, a.rho.toFixed(2)),
                        h('td', { class: 'num' }, `${a.lower.toFixed(2)} to ${a.upper.toFixed(2)}`),
                        h('td', { class: 'num' }, a.q < 0.001 ? '< 0.001' : a.q.toFixed(3)),
                        h('td', { class: 'num' }, String(a.n)),
                      ),
                    ),
                ),
              ),
            ),
      ),
    );
  } catch (error) {
    if (!signal.aborted) listSlot.replaceChildren(errorState(error));
  }
}
