import type { MeResponse } from '../../src/server/apiTypes.ts';
import { getJson } from './api.ts';
import { h } from './dom.ts';
import { renderData } from './pages/data.ts';
import { GROUP_PAGES, renderGroup } from './pages/metricGroup.ts';
import { renderNight } from './pages/night.ts';
import { renderSettings } from './pages/settings.ts';
import { renderTrends } from './pages/trends.ts';
import { renderWorkouts } from './pages/workouts.ts';
import { currentRoute, navigate, type Route, startRouter } from './router.ts';
import { applyTheme, onSettings } from './settings.ts';
import { errorState, loading } from './ui.ts';
import './styles.css';

const NAV = [
  { href: '/night', label: 'Night' },
  { href: '/trends', label: 'Trends' },
  { href: '/readiness', label: 'Readiness' },
  { href: '/activity', label: 'Activity' },
  { href: '/breathing', label: 'SpO₂' },
  { href: '/stress', label: 'Stress' },
  { href: '/heart', label: 'Heart' },
  { href: '/workouts', label: 'Workouts' },
  { href: '/data', label: 'Data' },
  { href: '/settings', label: 'Settings' },
];

const app = document.getElementById('app') as HTMLElement;
const main = h('main', { id: 'main', tabindex: '-1' });
const navEl = h('nav', { class: 'top-nav', 'aria-label': 'Pages' });
const userEl = h('span', { class: 'user' });
app.append(
  h(
    'header',
    { class: 'top' },
    h(
      'a',
      { class: 'brand', href: '/night' },
      h('span', { class: 'logo', 'aria-hidden': 'true' }),
      'Snowtorch',
    ),
    navEl,
    userEl,
  ),
  main,
);
for (const item of NAV) navEl.append(h('a', { href: item.href }, item.label));

let me: MeResponse | null = null;
let controller = new AbortController();

const banner = h('div', { class: 'banner warn global', role: 'alert', hidden: true });
app.insertBefore(banner, main);

async function loadMe(): Promise<MeResponse> {
  me = await getJson<MeResponse>('/api/me');
  userEl.textContent = me.user ? me.user.name : '';
  // Oura rejected the stored grant: every page says so, not only Data & sync.
  if (me.connection.status === 'reconnect_needed') {
    banner.replaceChildren(
      h('strong', {}, 'Oura disconnected. '),
      'New data cannot be fetched until you reconnect with `snowtorch connect`. ',
      h('a', { href: '/data' }, 'Data & sync'),
    );
    banner.hidden = false;
  }
  return me;
}

async function render(route: Route): Promise<void> {
  controller.abort();
  controller = new AbortController();
  const signal = controller.signal;
  for (const a of navEl.querySelectorAll('a')) {
    const active =
      route.path === a.getAttribute('href') || route.path.startsWith(`${a.getAttribute('href')}/`);
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  main.classList.remove('ready');
  if (!me) main.replaceChildren(loading());
  try {
    const info = me ?? (await loadMe());
    const path = route.path.replace(/\/+$/, '') || '/';
    if (path === '/' || path === '/night') await renderNight(main, undefined, info, signal);
    else if (path.startsWith('/night/'))
      await renderNight(main, decodeURIComponent(path.slice(7)), info, signal);
    else if (path === '/trends') await renderTrends(main, route.query, info, signal);
    else if (path === '/workouts') await renderWorkouts(main, route.query, info, signal);
    else if (path === '/data') await renderData(main, info, signal);
    else if (path === '/settings') renderSettings(main);
    else {
      const group = GROUP_PAGES.find((g) => g.path === path);
      if (group) await renderGroup(main, group, route.query, info, signal);
      else {
        navigate('/night', true);
        return;
      }
    }
    const title = main.querySelector('h1')?.textContent;
    document.title = title ? `${title} · Snowtorch` : 'Snowtorch';
  } catch (error) {
    if (!signal.aborted) main.replaceChildren(errorState(error, () => void render(route)));
  } finally {
    if (!signal.aborted) main.classList.add('ready');
  }
}

applyTheme();
matchMedia('(prefers-color-scheme: light)').addEventListener('change', applyTheme);
// Units, clock and theme change every number and chart colour: redraw the page.
onSettings(() => {
  if (currentRoute().path !== '/settings') void render(currentRoute());
});
let lastPath = '';
startRouter((route) => {
  const moved = route.path !== lastPath;
  lastPath = route.path;
  void render(route).then(() => {
    if (moved) main.focus({ preventScroll: true });
  });
});
