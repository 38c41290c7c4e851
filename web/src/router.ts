/** History-API routing: every page has a real URL that survives a reload and can be shared. */

export interface Route {
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface PageLink {
  href: string;
  label: string;
}

/** The pages in the menu, in order (the owner also gets Members, before Settings). */
export const PAGES: readonly PageLink[] = [
  { href: '/night', label: 'Night' },
  { href: '/week', label: 'Week' },
  { href: '/trends', label: 'Trends' },
  { href: '/readiness', label: 'Readiness' },
  { href: '/activity', label: 'Activity' },
  { href: '/breathing', label: 'SpO₂' },
  { href: '/stress', label: 'Stress' },
  { href: '/heart', label: 'Heart' },
  { href: '/signals', label: 'Signals' },
  { href: '/regularity', label: 'Regularity' },
  { href: '/experiments', label: 'Experiments' },
  { href: '/correlations', label: 'Correlations' },
  { href: '/workouts', label: 'Workouts' },
  { href: '/data', label: 'Data' },
  { href: '/settings', label: 'Settings' },
];

/** Pages outside the menu (reached from a link); the browser tests check these as well. */
export const OTHER_PAGES: readonly PageLink[] = [
  { href: '/members', label: 'Members' },
  { href: '/account', label: 'Account' },
];

type Listener = (route: Route) => void;
let listener: Listener | null = null;

export function currentRoute(): Route {
  return { path: location.pathname, params: {}, query: new URLSearchParams(location.search) };
}

export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listener?.(currentRoute());
}

export function startRouter(onRoute: Listener): void {
  listener = onRoute;
  window.addEventListener('popstate', () => onRoute(currentRoute()));
  // Same-origin links navigate in place; modified clicks still open new tabs.
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('a') : null;
    if (!target || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const href = target.getAttribute('href');
    if (!href?.startsWith('/') || href.startsWith('/api/') || target.target) return;
    event.preventDefault();
    navigate(href);
  });
  onRoute(currentRoute());
}
