import type {
  AnnotationsResponse,
  Compared,
  MeResponse,
  NightResponse,
  SleepPeriodView,
  UnitKind,
} from '../../../src/api/types.ts';
import { annotationChips } from '../annotations.ts';
import { getJson } from '../api.ts';
import { clockOfNight, nightCharts, stageStrip } from '../charts/nightCharts.ts';
import { fmtOffset } from '../charts/nightClock.ts';
import { STAGES } from '../charts/palette.ts';
import { scoreBand } from '../charts/scoreBands.ts';
import { h, s } from '../dom.ts';
import { fmtDay, fmtDuration, fmtLocalTime, fmtValue } from '../format.ts';
import { navigate } from '../router.ts';
import { card, emptyState, errorState, loading, pageHeader } from '../ui.ts';
import { contributorList } from './contributors.ts';
import { debtCard, signalsStrip } from './insights/cards.ts';

function scoreRing(score: number | null, label: string): HTMLElement {
  const r = 42;
  const c = 2 * Math.PI * r;
  const frac = score === null ? 0 : Math.min(100, Math.max(0, score)) / 100;
  const band = scoreBand(score);
  const tone = band?.key ?? 'none';
  return h(
    'div',
    { class: `score-ring tone-${tone}` },
    s(
      'svg',
      { viewBox: '0 0 100 100', width: 112, height: 112, 'aria-hidden': 'true' },
      s('circle', { cx: 50, cy: 50, r, class: 'ring-bg' }),
      s('circle', {
        cx: 50,
        cy: 50,
        r,
        class: 'ring-fg',
        'stroke-dasharray': `${(c * frac).toFixed(1)} ${c.toFixed(1)}`,
        transform: 'rotate(-90 50 50)',
      }),
    ),
    h(
      'div',
      { class: 'ring-text' },
      h('strong', {}, score === null ? '–' : String(score)),
      h('span', {}, label),
      band ? h('span', { class: 'ring-band' }, band.label) : null,
    ),
  );
}

interface Tile {
  key: string;
  label: string;
  unit: UnitKind;
  higherIsBetter: boolean | null;
  display?: string;
}

const TILES: Tile[] = [
  { key: 'totalSleep', label: 'Total sleep', unit: 'seconds', higherIsBetter: true },
  { key: 'remSleep', label: 'REM', unit: 'seconds', higherIsBetter: true },
  { key: 'deepSleep', label: 'Deep', unit: 'seconds', higherIsBetter: true },
  { key: 'lightSleep', label: 'Light', unit: 'seconds', higherIsBetter: null },
  { key: 'awake', label: 'Awake', unit: 'seconds', higherIsBetter: false },
  { key: 'efficiency', label: 'Efficiency', unit: 'percent', higherIsBetter: true },
  { key: 'latency', label: 'Latency', unit: 'seconds', higherIsBetter: false },
  { key: 'bedtime', label: 'Bedtime', unit: 'clock_minutes', higherIsBetter: null },
  { key: 'wake', label: 'Wake time', unit: 'clock_minutes', higherIsBetter: null },
  { key: 'lowestHeartRate', label: 'Lowest HR', unit: 'bpm', higherIsBetter: false },
  { key: 'averageHeartRate', label: 'Average HR', unit: 'bpm', higherIsBetter: false },
  { key: 'averageHrv', label: 'Average HRV', unit: 'ms', higherIsBetter: true },
  { key: 'averageBreath', label: 'Breathing rate', unit: 'breaths_per_min', higherIsBetter: null },
  {
    key: 'temperatureDeviation',
    label: 'Temperature',
    unit: 'celsius_delta',
    higherIsBetter: null,
  },
];

function comparison(c: Compared, tile: Tile): HTMLElement {
  if (c.value === null || c.median30 === null)
    return h('span', { class: 'cmp' }, c.median30 === null ? 'no 30-day median yet' : '');
  const diff = c.value - c.median30;
  let text: string;
  if (tile.unit === 'seconds' || tile.unit === 'clock_minutes') {
    const secs = tile.unit === 'clock_minutes' ? diff * 60 : diff;
    text = `${diff >= 0 ? '+' : '−'}${fmtDuration(Math.abs(secs))}`;
  } else {
    text = `${diff >= 0 ? '+' : '−'}${fmtValue(Math.abs(diff), tile.unit === 'celsius_delta' ? 'count' : tile.unit).replace(/^[+−±]/, '')}`;
    if (tile.unit === 'celsius_delta')
      text = `${diff >= 0 ? '+' : '−'}${fmtValue(Math.abs(diff), 'celsius_delta').slice(1)}`;
  }
  const small =
    Math.abs(diff) < Math.abs(c.median30) * 0.03 ||
    (tile.unit === 'clock_minutes' && Math.abs(diff) < 10);
  const good =
    tile.higherIsBetter === null || small
      ? 'neutral'
      : diff > 0 === tile.higherIsBetter
        ? 'better'
        : 'worse';
  const median =
    tile.unit === 'clock_minutes'
      ? fmtValue(c.median30, 'clock_minutes')
      : fmtValue(c.median30, tile.unit);
  return h(
    'span',
    { class: `cmp ${good}`, title: `30-day median ${median}` },
    h('b', {}, small ? '≈' : text),
    ` vs 30-d median ${median}`,
  );
}

/** Numbers without a 30-night comparison: time in bed, and that night's SpO₂ when measured. */
function extraTiles(data: NightResponse): HTMLElement[] {
  const extra: [string, string, string][] = [];
  if (data.night?.timeInBed)
    extra.push(['Time in bed', fmtDuration(data.night.timeInBed), 'lying down to getting up']);
  const spo2 = data.spo2;
  if (spo2?.average !== null && spo2?.average !== undefined)
    extra.push(['SpO₂ average', `${spo2.average.toFixed(1)}%`, 'blood oxygen during sleep']);
  if (spo2?.breathingDisturbanceIndex !== null && spo2?.breathingDisturbanceIndex !== undefined)
    extra.push([
      'Breathing disturbances',
      `${Math.round(spo2.breathingDisturbanceIndex)} /h`,
      spo2.breathingDisturbanceIndex < 5
        ? 'normal (under 5 an hour)'
        : 'elevated (5 or more an hour)',
    ]);
  return extra.map(([label, value, note]) =>
    h(
      'div',
      { class: 'tile' },
      h('span', { class: 'tile-label' }, label),
      h('span', { class: 'tile-value' }, value),
      h('span', { class: 'cmp' }, note),
    ),
  );
}

function statTiles(data: NightResponse): HTMLElement {
  return h(
    'div',
    { class: 'tiles' },
    TILES.map((tile) => {
      const c = data.compare[tile.key] ?? { value: null, median30: null };
      let value = fmtValue(c.value, tile.unit);
      if (tile.key === 'bedtime') value = fmtLocalTime(data.night?.bedtimeLocal);
      if (tile.key === 'wake') value = fmtLocalTime(data.night?.wakeLocal);
      return h(
        'div',
        { class: 'tile' },
        h('span', { class: 'tile-label' }, tile.label),
        h('span', { class: 'tile-value' }, value),
        comparison(c, tile),
      );
    }),
    extraTiles(data),
  );
}

function stageSummary(night: SleepPeriodView): HTMLElement {
  const total =
    (night.deepSleep ?? 0) + (night.lightSleep ?? 0) + (night.remSleep ?? 0) + (night.awake ?? 0);
  const values: Record<string, number | null> = {
    deep: night.deepSleep,
    light: night.lightSleep,
    rem: night.remSleep,
    awake: night.awake,
  };
  return h(
    'div',
    { class: 'stage-bar-wrap' },
    h(
      'div',
      { class: 'stage-bar', role: 'img', 'aria-label': 'Time in each stage' },
      [...STAGES]
        .reverse()
        .map((st) => h('span', { style: `flex:${values[st.key] ?? 0};background:${st.color}` })),
    ),
    h(
      'ul',
      { class: 'stage-legend' },
      [...STAGES]
        .reverse()
        .map((st) =>
          h(
            'li',
            {},
            h('span', { class: 'swatch', style: `background:${st.color}` }),
            `${st.label} ${fmtDuration(values[st.key])}`,
            h('small', {}, total ? ` ${Math.round(((values[st.key] ?? 0) / total) * 100)}%` : ''),
          ),
        ),
    ),
  );
}

/** "22:44 → 07:24 (UTC+01:00 → UTC+02:00)": each end on its own clock. */
function nightSpan(night: SleepPeriodView): string {
  const clock = clockOfNight(night);
  const offsets =
    clock.startOffset === clock.endOffset
      ? fmtOffset(clock.startOffset)
      : `${fmtOffset(clock.startOffset)} → ${fmtOffset(clock.endOffset)}`;
  return `${fmtLocalTime(night.bedtimeLocal)} → ${fmtLocalTime(night.wakeLocal)} (${offsets})`;
}

function napCard(nap: SleepPeriodView): HTMLElement {
  return h(
    'div',
    { class: 'nap' },
    h(
      'div',
      { class: 'nap-head' },
      h('strong', {}, `${fmtLocalTime(nap.bedtimeLocal)} – ${fmtLocalTime(nap.wakeLocal)}`),
      h('span', { class: 'muted' }, nap.type === 'late_nap' ? 'Late nap' : 'Nap'),
    ),
    stageStrip(nap),
    h(
      'p',
      { class: 'muted' },
      `${fmtDuration(nap.totalSleep)} asleep · ${fmtDuration(nap.timeInBed)} in bed${nap.averageHeartRate ? ` · ${Math.round(nap.averageHeartRate)} bpm` : ''}`,
    ),
  );
}

export async function renderNight(
  main: HTMLElement,
  dayParam: string | undefined,
  me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  if (!me.lastNight) {
    main.replaceChildren(
      pageHeader('Last night'),
      emptyState(
        'No nights yet',
        me.syncRunning
          ? 'A sync is running: nights appear here as soon as they are stored.'
          : 'Connect your Oura account and run a sync, then your nights appear here.',
        me.connection.status === 'none'
          ? h('a', { class: 'btn primary', href: '/data' }, 'Connect Oura')
          : h('a', { class: 'btn', href: '/data' }, 'Data & sync'),
      ),
    );
    return;
  }
  const day = dayParam ?? me.lastNight;
  main.replaceChildren(pageHeader('Night', fmtDay(day, true)), loading('Loading the night…'));
  let data: NightResponse;
  try {
    data = await getJson<NightResponse>(`/api/nights/${encodeURIComponent(day)}`, signal);
  } catch (error) {
    if (signal.aborted) return;
    main.replaceChildren(
      pageHeader('Night', fmtDay(day, true)),
      errorState(error, () => void renderNight(main, dayParam, me, signal)),
    );
    return;
  }
  const picker = h('input', {
    type: 'date',
    value: data.day,
    min: me.firstNight ?? '',
    max: me.lastNight ?? '',
    'aria-label': 'Choose a night',
    class: 'date-input',
  });
  picker.addEventListener('change', () => {
    if (picker.value) navigate(`/night/${picker.value}`);
  });
  const nav = h(
    'nav',
    { class: 'night-nav', 'aria-label': 'Night navigation' },
    data.prevDay
      ? h(
          'a',
          {
            class: 'btn icon',
            href: `/night/${data.prevDay}`,
            rel: 'prev',
            'aria-label': `Previous night (${fmtDay(data.prevDay)})`,
          },
          '‹',
        )
      : h('span', { class: 'btn icon disabled', 'aria-hidden': 'true' }, '‹'),
    picker,
    data.nextDay
      ? h(
          'a',
          {
            class: 'btn icon',
            href: `/night/${data.nextDay}`,
            rel: 'next',
            'aria-label': `Next night (${fmtDay(data.nextDay)})`,
          },
          '›',
        )
      : h('span', { class: 'btn icon disabled', 'aria-hidden': 'true' }, '›'),
  );
  // ← and → move between nights (unless a control or a chart has the keys).
  const onKey = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest('input, select, textarea, [role="radiogroup"], .uplot')) return;
    const to =
      event.key === 'ArrowLeft' ? data.prevDay : event.key === 'ArrowRight' ? data.nextDay : null;
    if (!to) return;
    event.preventDefault();
    navigate(`/night/${to}`);
  };
  document.addEventListener('keydown', onKey);
  signal.addEventListener('abort', () => document.removeEventListener('keydown', onKey), {
    once: true,
  });
  const night = data.night;
  const subtitle = night
    ? `${fmtDay(data.day, true)} · ${nightSpan(night)}`
    : fmtDay(data.day, true);
  const children: Node[] = [
    pageHeader(data.day === me.lastNight ? 'Last night' : 'Night', subtitle, nav),
  ];
  if (!night && !data.sleepScore && !data.readiness && data.naps.length === 0) {
    children.push(
      emptyState(
        'No sleep recorded',
        'The ring recorded no sleep for this day. Use the arrows to move to a night with data.',
      ),
    );
    main.replaceChildren(...children);
    return;
  }
  children.push(
    h(
      'div',
      { class: 'grid two' },
      card(
        'Sleep',
        h(
          'div',
          { class: 'score-block' },
          scoreRing(data.sleepScore?.score ?? null, 'Sleep score'),
          data.sleepScore
            ? contributorList(data.sleepScore.contributors)
            : h('p', { class: 'muted' }, 'No sleep score for this day.'),
        ),
      ),
      card(
        'Readiness',
        h(
          'div',
          { class: 'score-block' },
          scoreRing(data.readiness?.score ?? null, 'Readiness'),
          data.readiness
            ? contributorList(data.readiness.contributors)
            : h('p', { class: 'muted' }, 'No readiness for this day.'),
        ),
      ),
    ),
  );
  children.push(signalsStrip(data.day, signal));
  const dayBefore = (d: string) =>
    new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const notes = await getJson<AnnotationsResponse>(
    `/api/insights/annotations?range=7d&end=${encodeURIComponent(data.day)}`,
    signal,
  ).catch(() => null);
  // The evening before a night belongs to it: tags of that day and of the wake-up day.
  const around = (notes?.annotations ?? []).filter(
    (a) => a.day === data.day || a.day === dayBefore(data.day),
  );
  if (around.length) children.push(card('Tags and workouts', annotationChips(around)));
  if (night) {
    children.push(card('Night in numbers', stageSummary(night), statTiles(data)));
    const charts = h('div', { class: 'night-charts' });
    children.push(card('Through the night', charts));
    main.replaceChildren(...children);
    nightCharts(charts, night);
  } else {
    children.push(
      card(
        'Night in numbers',
        h('p', { class: 'muted' }, 'No main sleep period for this day.'),
        statTiles(data),
      ),
    );
    main.replaceChildren(...children);
  }
  main.append(debtCard(data.day, signal));
  if (data.naps.length)
    main.append(
      card(`Naps (${data.naps.length})`, h('div', { class: 'naps' }, data.naps.map(napCard))),
    );
}
