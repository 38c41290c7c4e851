import type { MeResponse } from '../../src/api/types.ts';
import { ApiRequestError, getJson, postJson, setCsrfToken } from './api.ts';
import { h } from './dom.ts';
import { renderAccount } from './pages/account.ts';
import { renderInvite, renderLogin, renderSetup } from './pages/auth.ts';
import { renderCorrelations } from './pages/correlations.ts';
import { renderData } from './pages/data.ts';
import { renderExperiments } from './pages/experiments.ts';
import { renderRegularity } from './pages/insights/regularityPage.ts';
import { renderSignals } from './pages/insights/signalsPage.ts';
import { renderWeek } from './pages/insights/weekPage.ts';
import { renderMembers } from './pages/members.ts';
import { GROUP_PAGES, renderGroup } from './pages/metricGroup.ts';
import { renderNight } from './pages/night.ts';
import { nightAddressPage } from './pages/nightAddress.ts';
import { renderSettings } from './pages/settings.ts';
import { renderTrends } from './pages/trends.ts';
import { renderWorkout } from './pages/workout.ts';
import { renderWorkouts } from './pages/workouts.ts';
import { currentRoute, navigate, PAGES, type Route, startRouter } from './router.ts';
import { applyTheme, onSettings } from './settings.ts';
import { errorState, loading } from './ui.ts';
import './styles.css';

const app = document.getElementById('app') as HTMLElement;
const main = h('main', { id: 'main', tabindex: '-1' });
const navEl = h('nav', { class: 'top-nav', 'aria-label': 'Pages' });
const userEl = h('a', { class: 'user', href: '/account', title: 'Your account' });
const logoutEl = h(
  'button',
  { type: 'button', class: 'btn small logout', id: 'logout', hidden: true },
  'Log out',
);
logoutEl.addEventListener('click', async () => {
  try {
    await postJson('/api/auth/logout');
  } finally {
    location.assign('/login');
  }
});
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
    h('div', { class: 'user-box' }, userEl, logoutEl),
  ),
  main,
);
for (const item of PAGES) navEl.append(h('a', { href: item.href }, item.label));

let me: MeResponse | null = null;
let controller = new AbortController();

const banner = h('div', { class: 'banner warn global', role: 'alert', hidden: true });
app.insertBefore(banner, main);

async function loadMe(): Promise<MeResponse> {
  me = await getJson<MeResponse>('/api/me');
  setCsrfToken(me.csrfToken);
  userEl.textContent = me.user ? me.user.name : '';
  logoutEl.hidden = !me.user;
  navEl.hidden = !me.user;
  if (me.user?.role === 'owner' && !navEl.querySelector('a[href="/members"]')) {
    navEl.insertBefore(h('a', { href: '/members' }, 'Members'), navEl.lastElementChild);
  }
  // Oura rejected the stored grant: every page says so, not only Data & sync.
  if (me.connection.status === 'reconnect_needed') {
    banner.replaceChildren(
      h('strong', {}, 'Reconnect needed. '),
      'Oura rejected the stored grant (revoked or expired): new data cannot be fetched until you reconnect. ',
      h('a', { href: '/data' }, 'Reconnect Oura'),
    );
    banner.hidden = false;
  }
  return me;
}

/** Before login: setup (no owner yet), an invite, or the login page. */
async function renderLoggedOut(route: Route, info: MeResponse): Promise<void> {
  const path = route.path.replace(/\/+$/, '') || '/';
  if (path.startsWith('/invite/')) {
    await renderInvite(main, decodeURIComponent(path.slice(8)));
  } else if (info.setupNeeded) {
    if (path !== '/setup') history.replaceState(null, '', '/setup');
    renderSetup(main, info.setupTokenRequired);
  } else {
    if (path !== '/login') history.replaceState(null, '', `/login${location.search}`);
    renderLogin(main, route.query);
  }
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
    if (!info.user) await renderLoggedOut(route, info);
    else if (path === '/' || path === '/night' || path === '/login' || path === '/setup')
      await renderNight(main, undefined, info, signal);
    else if (path.startsWith('/night/')) {
      const problem = nightAddressPage(path.slice(7), info);
      if (problem) main.replaceChildren(...problem);
      else await renderNight(main, decodeURIComponent(path.slice(7)), info, signal);
    } else if (path === '/trends') await renderTrends(main, route.query, info, signal);
    else if (path === '/week') await renderWeek(main, route.query, info, signal);
    else if (path === '/signals') await renderSignals(main, route.query, info, signal);
    else if (path === '/regularity') await renderRegularity(main, info, signal);
    else if (path === '/workouts') await renderWorkouts(main, route.query, info, signal);
    else if (path.startsWith('/workouts/'))
      await renderWorkout(main, decodeURIComponent(path.slice(10)), info, signal);
    else if (path === '/experiments') await renderExperiments(main, route.query, info, signal);
    else if (path === '/correlations') await renderCorrelations(main, route.query, info, signal);
    else if (path === '/data') await renderData(main, info, signal, route.query);
    else if (path === '/members' && info.user.role === 'owner')
      await renderMembers(main, info, signal);
    else if (path === '/settings') renderSettings(main);
    else if (path === '/account') renderAccount(main, info);
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
    // The session ended (logged out elsewhere, expired, removed): back to the login page.
    if (error instanceof ApiRequestError && error.status === 401 && me?.user) {
      location.assign('/login');
      return;
    }
    if (!signal.aborted) main.replaceChildren(errorState(error, () => void render(route)));
  } finally {
    if (!signal.aborted) main.classList.add('ready');
  }
}

window.addEventListener('snowtorch:data-changed', () => {
  me = null;
});

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
