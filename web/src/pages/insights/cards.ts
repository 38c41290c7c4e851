import type { SignalDay, SignalsResponse, SleepDebtResult } from '../../../../src/api/types.ts';
import { getJson } from '../../api.ts';
import { h, onWidth, s } from '../../dom.ts';
import { fmtClockMinutes, fmtDay, fmtDuration } from '../../format.ts';
import { card, errorState, loading } from '../../ui.ts';
import { fmtSignalDelta, fmtSignalValue, fmtZ, SIGNAL_LABELS } from './signalFormat.ts';

/** The body signals of one day against the person's baseline: one chip per signal. */
export function signalChips(day: SignalDay): HTMLElement {
  return h(
    'ul',
    { class: 'signal-chips' },
    day.signals.map((sig) =>
      h(
        'li',
        {
          class: `signal-chip${sig.unusual ? ' unusual' : ''}`,
          'data-signal': sig.key,
          title:
            sig.baseline === null
              ? `${SIGNAL_LABELS[sig.key]}: baseline building (${sig.n} nights)`
              : `${SIGNAL_LABELS[sig.key]}: baseline ${fmtSignalValue(sig.key, sig.baseline)} (median of ${sig.n} nights)`,
        },
        h('span', { class: 'chip-label' }, SIGNAL_LABELS[sig.key]),
        h('strong', {}, fmtSignalValue(sig.key, sig.value)),
        h(
          'span',
          { class: 'chip-delta' },
          sig.z === null ? `n ${sig.n}` : `${fmtSignalDelta(sig)} · z ${fmtZ(sig.z)} · n ${sig.n}`,
        ),
      ),
    ),
  );
}

/** Body-signals strip for the night and readiness pages. */
export function signalsStrip(day: string, signal: AbortSignal): HTMLElement {
  const body = h('div', {}, loading());
  const out = card('Body signals', body);
  out.classList.add('signals-strip');
  void (async () => {
    try {
      const res = await getJson<SignalsResponse>(
        `/api/insights/signals?range=7d&end=${encodeURIComponent(day)}`,
        signal,
      );
      const today = res.days.find((d) => d.day === day);
      if (!today) {
        body.replaceChildren(h('p', { class: 'state-inline' }, 'No body signals for this day.'));
        return;
      }
      body.replaceChildren(
        h(
          'p',
          {
            class: `signal-summary${today.flagged ? ' flagged' : ''}`,
            role: today.flagged ? 'alert' : null,
          },
          today.flagged ? h('strong', {}, 'Flagged. ') : null,
          today.summary,
        ),
        signalChips(today),
        h(
          'p',
          { class: 'muted small' },
          `Each against your median of up to ${res.baselineDays} earlier nights (flagged nights left out); z is the distance in robust SDs (MAD × 1.4826), n the nights compared. `,
          h('a', { href: `/signals?end=${day}` }, 'Signals timeline'),
        ),
      );
    } catch (error) {
      if (!signal.aborted) body.replaceChildren(errorState(error));
    }
  })();
  return out;
}

function hm(minutes: number): string {
  return fmtDuration(minutes * 60);
}

/** 14 nights of shortfall (bars up: short of need; down: longer), zero line in the middle. */
function debtBars(debt: SleepDebtResult): HTMLElement {
  const wrap = h('div', { class: 'svg-chart debt-bars' });
  onWidth(wrap, (width) => {
    const height = 120;
    const pad = { l: 44, r: 8, t: 8, b: 20 };
    const values = debt.nights.map((n) => n.shortfallMinutes ?? 0);
    const max = Math.max(60, ...values.map(Math.abs));
    const step = max > 180 ? 120 : 60;
    const top = Math.ceil(max / step) * step;
    const y = (v: number) => pad.t + ((top - v) / (2 * top)) * (height - pad.t - pad.b);
    const bw = (width - pad.l - pad.r) / debt.nights.length;
    const svg = s('svg', {
      width,
      height,
      role: 'img',
      'aria-label': 'Minutes short of sleep need, last 14 nights',
    });
    for (const v of [-top, 0, top])
      svg.append(
        s('line', { x1: pad.l, x2: width - pad.r, y1: y(v), y2: y(v), class: 'grid' }),
        s(
          'text',
          { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' },
          v === 0 ? '0' : `${v > 0 ? '+' : '−'}${Math.abs(v) / 60}h`,
        ),
      );
    debt.nights.forEach((n, i) => {
      const x = pad.l + i * bw + 2;
      if (n.shortfallMinutes === null) {
        svg.append(
          s(
            'text',
            { x: x + bw / 2 - 2, y: y(0) - 4, 'text-anchor': 'middle', class: 'tick' },
            '·',
          ),
        );
        return;
      }
      const v = n.shortfallMinutes;
      svg.append(
        s(
          'rect',
          {
            x,
            width: Math.max(1, bw - 4),
            y: Math.min(y(v), y(0)),
            height: Math.abs(y(v) - y(0)),
            class: v > 0 ? 'bar-short' : 'bar-long',
            'fill-opacity': 0.35 + 0.65 * n.weight,
          },
          s(
            'title',
            {},
            `${fmtDay(n.day)}: ${hm(n.sleepMinutes ?? 0)} asleep, ${v > 0 ? `${hm(v)} short` : `${hm(-v)} over`}, weight ${n.weight}`,
          ),
        ),
      );
    });
    const first = debt.nights[0];
    const last = debt.nights.at(-1);
    if (first && last)
      svg.append(
        s('text', { x: pad.l, y: height - 4, class: 'tick' }, fmtDay(first.day)),
        s(
          'text',
          { x: width - pad.r, y: height - 4, 'text-anchor': 'end', class: 'tick' },
          fmtDay(last.day),
        ),
      );
    wrap.replaceChildren(svg);
  });
  return wrap;
}

/** Sleep debt, need and tonight's bedtime window (night page, week page). */
export function debtCard(day: string, signal: AbortSignal): HTMLElement {
  const body = h('div', {}, loading());
  const out = card('Sleep debt and bedtime', body);
  out.classList.add('debt-card');
  void (async () => {
    try {
      const debt = await getJson<SleepDebtResult>(
        `/api/insights/debt?day=${encodeURIComponent(day)}`,
        signal,
      );
      body.replaceChildren(...debtBody(debt));
    } catch (error) {
      if (!signal.aborted) body.replaceChildren(errorState(error));
    }
  })();
  return out;
}

export function debtBody(debt: SleepDebtResult): Node[] {
  const need = debt.need;
  const needText =
    need.source === 'settings'
      ? 'set in Settings'
      : need.source === 'history'
        ? `median of ${need.n} nights${need.interval ? `, 95 % ${hm(need.interval[0])}–${hm(need.interval[1])}` : ''}`
        : `default: only ${need.n} nights of history`;
  const b = debt.bedtime;
  return [
    h(
      'dl',
      { class: 'summary' },
      h(
        'div',
        {},
        h('dt', {}, 'Sleep debt (14 nights)'),
        h(
          'dd',
          { class: 'debt-value' },
          debt.debtMinutes === null ? 'Not enough nights' : hm(debt.debtMinutes),
        ),
        h('dd', { class: 'muted small' }, `${debt.n} of ${debt.windowNights} nights recorded`),
      ),
      h(
        'div',
        {},
        h('dt', {}, 'Sleep need'),
        h('dd', {}, hm(need.minutes)),
        h('dd', { class: 'muted small' }, needText),
      ),
      b
        ? h(
            'div',
            {},
            h('dt', {}, 'Bedtime window'),
            h(
              'dd',
              { class: 'bedtime-window' },
              `${fmtClockMinutes(b.earliest)}–${fmtClockMinutes(b.latest)}`,
            ),
            h(
              'dd',
              { class: 'muted small' },
              `${hm(b.targetSleepMinutes)} asleep before your usual ${fmtClockMinutes(b.usualWake)} wake-up (n ${b.n})`,
            ),
          )
        : null,
    ),
    debtBars(debt),
    h(
      'p',
      { class: 'muted small' },
      debt.message,
      ' Recent nights weigh more: a night’s weight halves every 7 nights. ',
      h('a', { href: '/settings#insights' }, 'Set your sleep need'),
    ),
  ];
}
