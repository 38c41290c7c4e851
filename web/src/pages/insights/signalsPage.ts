import type { MeResponse, SignalKey, SignalsResponse } from '../../../../src/api/types.ts';
import { getJson } from '../../api.ts';
import { h, onWidth, s } from '../../dom.ts';
import { fmtDay } from '../../format.ts';
import { navigate } from '../../router.ts';
import {
  card,
  emptyState,
  pageHeader,
  parseRange,
  RANGES,
  type RangeValue,
  segmented,
} from '../../ui.ts';
import { signalChips } from './cards.ts';
import { ILLNESS_DIRECTION, SIGNAL_LABELS } from './signalFormat.ts';

const KEYS: SignalKey[] = ['temperature', 'restingHr', 'hrv', 'breath', 'spo2'];

/** Colour of a cell: how far the signal moved the way illness moves it (z ≥ 2 is unusual). */
function level(z: number | null, key: SignalKey): string {
  if (z === null) return 'none';
  const toward = z * ILLNESS_DIRECTION[key];
  return toward >= 3 ? 'z3' : toward >= 2 ? 'z2' : toward >= 1 ? 'z1' : 'z0';
}

/** One row per signal, one cell per day; flagged days marked above. */
function timeline(res: SignalsResponse, onPick: (day: string) => void): HTMLElement {
  const wrap = h('div', { class: 'svg-chart signal-timeline' });
  onWidth(wrap, (width) => {
    const labelW = width < 500 ? 78 : 100;
    const rowH = 18;
    const top = 14;
    const n = res.days.length;
    const cw = (width - labelW - 4) / Math.max(1, n);
    const height = top + KEYS.length * rowH + 22;
    const svg = s('svg', {
      width,
      height,
      role: 'img',
      'aria-label': 'Body signals per day against baseline',
    });
    KEYS.forEach((key, r) => {
      svg.append(s('text', { x: 0, y: top + r * rowH + 13, class: 'tick' }, SIGNAL_LABELS[key]));
    });
    res.days.forEach((d, i) => {
      const x = labelW + i * cw;
      if (d.flagged)
        svg.append(
          s(
            'rect',
            { x, y: 2, width: Math.max(cw, 2), height: 8, class: 'flag-mark' },
            s('title', {}, `${fmtDay(d.day)}: flagged`),
          ),
        );
      KEYS.forEach((key, r) => {
        const sig = d.signals.find((x2) => x2.key === key);
        const cell = s('rect', {
          x,
          y: top + r * rowH,
          width: Math.max(cw - (cw > 4 ? 1 : 0), 1),
          height: rowH - 3,
          class: `zcell ${level(sig?.z ?? null, key)}`,
          'data-day': d.day,
        });
        cell.addEventListener('click', () => onPick(d.day));
        svg.append(cell);
      });
    });
    const first = res.days[0];
    const last = res.days.at(-1);
    if (first && last)
      svg.append(
        s('text', { x: labelW, y: height - 4, class: 'tick' }, fmtDay(first.day, true)),
        s(
          'text',
          { x: width - 2, y: height - 4, 'text-anchor': 'end', class: 'tick' },
          fmtDay(last.day, true),
        ),
      );
    wrap.replaceChildren(svg);
  });
  return wrap;
}

function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'z-legend' },
    [
      ['z0', 'usual'],
      ['z1', '1–2 SD toward illness'],
      ['z2', '2–3 SD (unusual)'],
      ['z3', '≥ 3 SD'],
      ['none', 'no data / baseline building'],
    ].map(([c, label]) => h('li', {}, h('span', { class: `swatch zcell ${c}` }), label ?? '')),
  );
}

export async function renderSignals(
  main: HTMLElement,
  query: URLSearchParams,
  me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  const range = parseRange(query.get('range'), '90d');
  const end = query.get('end');
  const rangeControl = segmented('Time range', RANGES, range, (v: RangeValue) => {
    const q = new URLSearchParams(query);
    q.set('range', v);
    navigate(`/signals?${q}`, true);
  });
  main.replaceChildren(
    pageHeader(
      'Body signals',
      'Resting heart rate, HRV, temperature, breathing and SpO₂ against your own baseline',
      rangeControl,
    ),
  );
  if (!me.lastNight) {
    main.append(emptyState('No data yet', 'Run a sync and this page fills in.'));
    return;
  }
  const res = await getJson<SignalsResponse>(
    `/api/insights/signals?range=${range}${end ? `&end=${encodeURIComponent(end)}` : ''}`,
    signal,
  );
  const detail = h('div', { class: 'signal-detail' });
  const pick = (day: string) => {
    const d = res.days.find((x) => x.day === day);
    if (!d) return;
    detail.replaceChildren(
      h('h3', {}, h('a', { href: `/night/${d.day}` }, fmtDay(d.day, true))),
      h('p', { class: `signal-summary${d.flagged ? ' flagged' : ''}` }, d.summary),
      signalChips(d),
    );
  };
  const latestFlag = [...res.days].reverse().find((d) => d.flagged);
  pick(latestFlag?.day ?? res.days.at(-1)?.day ?? '');
  main.append(
    card(
      `Flagged episodes (${res.episodes.length})`,
      res.episodes.length
        ? h(
            'ul',
            { class: 'episode-list' },
            [...res.episodes]
              .reverse()
              .map((e) =>
                h(
                  'li',
                  {},
                  h(
                    'button',
                    { type: 'button', class: 'linkish', onclick: () => pick(e.start) },
                    e.start === e.end
                      ? fmtDay(e.start, true)
                      : `${fmtDay(e.start)} – ${fmtDay(e.end, true)}`,
                  ),
                  ` · ${e.days} day${e.days > 1 ? 's' : ''} · ${e.signals.map((k) => SIGNAL_LABELS[k]).join(', ')}`,
                ),
              ),
          )
        : h(
            'p',
            { class: 'muted' },
            'No day in this range was flagged: no several signals moved together.',
          ),
      h(
        'p',
        { class: 'muted small' },
        `A day is flagged when temperature and one more signal, or any three signals, move at least ${res.zThreshold} robust SDs the way they do at the start of an illness. Baseline: median and MAD × 1.4826 of up to ${res.baselineDays} earlier nights without flags; at least ${res.minBaselineNights} nights before judging. A flag is a reason to look, not a diagnosis.`,
      ),
    ),
    card('Timeline', timeline(res, pick), legend(), detail),
  );
}
