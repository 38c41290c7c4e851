// Apply the saved theme before first paint (no flash of the wrong theme). A file, not an inline
// script: the Content-Security-Policy allows only this origin's scripts.
try {
  const s = JSON.parse(localStorage.getItem('snowtorch.settings') || '{}');
  const t =
    s.theme === 'light' || s.theme === 'dark'
      ? s.theme
      : matchMedia('(prefers-color-scheme: light)').matches
        ? 'light'
        : 'dark';
  document.documentElement.dataset.theme = t;
} catch {}
