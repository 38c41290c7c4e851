import type {
  CoverageResponse,
  MeResponse,
  SyncJobView,
  SyncStatusResponse,
} from '../../../src/server/apiTypes.ts';
import { ApiRequestError, getJson, postJson } from '../api.ts';
import { coverageCalendar } from '../charts/svgCharts.ts';
import { h } from '../dom.ts';
import { titleCase } from '../format.ts';
import { card, errorState, loading, pageHeader } from '../ui.ts';

function when(iso: string | null): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

function ago(iso: string | null): string {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 90) return 'just now';
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

function connectionBanner(conn: SyncStatusResponse['connection']): HTMLElement | null {
  if (conn.status === 'active') return null;
  const text =
    conn.status === 'reconnect_needed'
      ? 'Oura rejected the stored grant (revoked or expired). Reconnect with `snowtorch connect`, then sync again.'
      : 'No Oura account is connected. Connect one with `snowtorch connect` (or run `npm run demo` for simulated data).';
  return h(
    'div',
    { class: 'banner warn', role: 'alert' },
    h('strong', {}, conn.status === 'reconnect_needed' ? 'Oura disconnected. ' : 'Not connected. '),
    text,
  );
}

function progressView(job: SyncJobView | null): HTMLElement {
  if (!job) return h('p', { class: 'muted' }, 'No sync has run since the server started.');
  const pct = job.total ? Math.round((job.done / job.total) * 100) : 0;
  const running = job.state === 'running';
  return h(
    'div',
    { class: 'progress-block', 'aria-live': 'polite' },
    h(
      'div',
      {
        class: 'progress',
        role: 'progressbar',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': String(pct),
        'aria-label': 'Sync progress',
      },
      h('span', { style: `width:${running ? pct : 100}%`, class: job.state }),
    ),
    h(
      'p',
      { class: 'muted' },
      running
        ? `Syncing… ${job.done} of ${job.total} data types${job.current ? ` · now ${titleCase(job.current)}` : ''}`
        : `Last sync ${job.state} ${ago(job.finishedAt)}${job.message ? ` · ${job.message}` : ''}`,
    ),
  );
}

export async function renderData(
  main: HTMLElement,
  me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  const button = h('button', { type: 'button', class: 'btn primary', id: 'sync-now' }, 'Sync now');
  const progressEl = h('div', {});
  const statusEl = h('div', {}, loading());
  const coverageEl = h('div', {}, loading());
  main.replaceChildren(
    pageHeader('Data & sync', 'What is stored, what is missing, and syncing with Oura', button),
    card('Sync', progressEl),
    card('Coverage, last 12 months', coverageEl),
    statusEl,
  );

  let polling = false;
  const showStatus = async () => {
    const status = await getJson<SyncStatusResponse>('/api/sync/status', signal);
    progressEl.replaceChildren(
      ...[connectionBanner(status.connection), progressView(status.job)].filter(
        (x): x is HTMLElement => x !== null,
      ),
    );
    button.toggleAttribute(
      'disabled',
      status.job?.state === 'running' || status.connection.status === 'none',
    );
    const types = status.dataTypes.filter((t) => t.documents > 0 || t.lastSuccessAt || t.lastError);
    statusEl.replaceChildren(
      h(
        'div',
        { class: 'grid two' },
        card(
          'Data types',
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              {},
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', {}, 'Type'),
                  h('th', { class: 'num' }, 'Stored'),
                  h('th', {}, 'Latest day'),
                  h('th', {}, 'Last sync'),
                ),
              ),
              h(
                'tbody',
                {},
                types.map((t) =>
                  h(
                    'tr',
                    { class: t.lastError ? 'has-error' : '' },
                    h(
                      'td',
                      {},
                      titleCase(t.dataType),
                      t.lastError ? h('div', { class: 'err small' }, t.lastError) : null,
                    ),
                    h('td', { class: 'num' }, t.documents.toLocaleString('en')),
                    h('td', {}, t.lastDay ?? '–'),
                    h('td', { title: when(t.lastSuccessAt) }, ago(t.lastSuccessAt)),
                  ),
                ),
              ),
            ),
          ),
          status.invalidDocuments
            ? h(
                'p',
                { class: 'muted small' },
                `${status.invalidDocuments} documents failed validation and are kept aside (see snowtorch status).`,
              )
            : null,
        ),
        card(
          'Sync history',
          status.runs.length === 0
            ? h('p', { class: 'state-inline' }, 'No sync has run yet.')
            : h(
                'ul',
                { class: 'runs' },
                status.runs.map((r) =>
                  h(
                    'li',
                    {},
                    h('span', { class: `pill ${r.status}` }, r.status),
                    h(
                      'span',
                      {},
                      `${when(r.startedAt)} · ${r.trigger} · ${r.fetched.toLocaleString('en')} documents`,
                    ),
                    r.errors.length
                      ? h(
                          'ul',
                          { class: 'err small' },
                          r.errors
                            .slice(0, 5)
                            .map((e) => h('li', {}, `${e.dataType}: ${e.code} – ${e.message}`)),
                        )
                      : null,
                  ),
                ),
              ),
        ),
      ),
    );
    return status;
  };
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      while (!signal.aborted) {
        const status = await showStatus();
        if (status.job?.state !== 'running') break;
        await new Promise((r) => setTimeout(r, 1000));
      }
    } finally {
      polling = false;
    }
    if (!signal.aborted) void loadCoverage();
  };
  button.addEventListener('click', async () => {
    button.setAttribute('disabled', '');
    try {
      await postJson<SyncJobView>('/api/sync');
    } catch (error) {
      if (!(error instanceof ApiRequestError && error.code === 'sync_running')) {
        progressEl.prepend(errorState(error));
        button.removeAttribute('disabled');
        return;
      }
    }
    void poll();
  });
  const loadCoverage = async () => {
    try {
      const cov = await getJson<CoverageResponse>('/api/coverage', signal);
      coverageEl.replaceChildren(
        cov.days.length
          ? coverageCalendar(cov)
          : h('p', { class: 'state-inline' }, 'Nothing stored yet.'),
      );
    } catch (error) {
      if (!signal.aborted) coverageEl.replaceChildren(errorState(error));
    }
  };
  try {
    await Promise.all([poll(), loadCoverage()]);
  } catch (error) {
    if (!signal.aborted) statusEl.replaceChildren(errorState(error));
  }
  void me;
}
