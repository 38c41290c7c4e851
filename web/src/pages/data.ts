import { DATA_TYPES } from '../../../src/api/dataTypes.ts';
import type {
  CoverageResponse,
  MeResponse,
  SyncJobView,
  SyncStatusResponse,
  WebhookHealthResponse,
} from '../../../src/api/types.ts';
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

const OAUTH_OUTCOMES: Record<string, { ok: boolean; text: string }> = {
  connected: { ok: true, text: 'Oura connected. Fetching your history has started below.' },
  state_mismatch: {
    ok: false,
    text: 'This Oura authorization was not started from this session, or took longer than 10 minutes. Nothing was connected: try again.',
  },
  denied: { ok: false, text: 'Oura access was not granted. Nothing was connected.' },
  exchange_failed: { ok: false, text: 'Oura did not accept the authorization. Try again.' },
  already_connected: {
    ok: false,
    text: 'That Oura account is already connected to another Snowtorch user.',
  },
};

/** Connect / reconnect / disconnect Oura, with the granted scopes and what they allow. */
function ouraCard(me: MeResponse, query: URLSearchParams | undefined): HTMLElement {
  const outcome = OAUTH_OUTCOMES[query?.get('oauth') ?? ''];
  const status = me.connection.status;
  const notice = outcome
    ? h('p', { class: `banner ${outcome.ok ? 'ok' : 'warn'}`, role: 'status' }, outcome.text)
    : null;
  const message = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const fail = (error: unknown) => {
    message.textContent = error instanceof ApiRequestError ? error.message : String(error);
    message.hidden = false;
  };
  const connect = h(
    'button',
    { type: 'button', class: 'btn primary', id: 'connect-oura' },
    status === 'reconnect_needed' ? 'Reconnect Oura' : 'Connect Oura',
  );
  connect.addEventListener('click', async () => {
    connect.setAttribute('disabled', '');
    try {
      const { authorizeUrl } = await postJson<{ authorizeUrl: string }>('/api/oura/connect');
      location.assign(authorizeUrl);
    } catch (error) {
      fail(error);
      connect.removeAttribute('disabled');
    }
  });
  if (!me.oauthAvailable) connect.setAttribute('disabled', '');
  const body: (Node | null)[] = [notice];
  if (status === 'none') {
    body.push(
      h(
        'p',
        { class: 'lead' },
        me.oauthAvailable
          ? 'No Oura account is connected. Connect yours: Oura asks which data to share, then Snowtorch fetches your history.'
          : 'Connecting Oura is not configured on this server (OURA_CLIENT_ID, OURA_CLIENT_SECRET, SNOWTORCH_SECRET_KEY).',
      ),
      h('div', { class: 'oura-actions' }, connect),
    );
  } else {
    const deleteData = h('input', { type: 'checkbox', id: 'delete-data' });
    const disconnect = h(
      'button',
      { type: 'button', class: 'btn', id: 'disconnect-oura' },
      'Disconnect Oura',
    );
    disconnect.addEventListener('click', async () => {
      disconnect.setAttribute('disabled', '');
      try {
        await postJson('/api/oura/disconnect', { deleteData: deleteData.checked });
        location.assign('/data');
      } catch (error) {
        fail(error);
        disconnect.removeAttribute('disabled');
      }
    });
    if (status === 'reconnect_needed') {
      body.push(
        h(
          'p',
          { class: 'banner warn', role: 'alert' },
          h('strong', {}, 'Reconnect needed. '),
          'Oura rejected the stored grant (revoked or expired). Your stored data stays; reconnect to fetch new data.',
        ),
      );
    }
    body.push(
      h(
        'dl',
        { class: 'scopes' },
        h('dt', {}, 'Granted scopes'),
        h('dd', { id: 'granted-scopes' }, me.connection.scopes.join(', ') || 'none'),
        h('dt', {}, 'Data types allowed'),
        h('dd', {}, me.dataTypes.granted.map(titleCase).join(', ') || 'none'),
        me.dataTypes.missing.length ? h('dt', {}, 'Not allowed (skipped)') : null,
        me.dataTypes.missing.length
          ? h('dd', { class: 'muted' }, me.dataTypes.missing.map(titleCase).join(', '))
          : null,
      ),
      h(
        'div',
        { class: 'oura-actions' },
        status === 'reconnect_needed' ? connect : null,
        disconnect,
        h('label', { class: 'check' }, deleteData, 'Also delete my stored Oura data'),
      ),
    );
  }
  body.push(message);
  return card('Oura connection', ...body);
}

const LIVE_STATES: Record<WebhookHealthResponse['state'], { pill: string; label: string }> = {
  none: { pill: 'muted', label: 'Polling only' },
  ok: { pill: 'succeeded', label: 'Working' },
  silent: { pill: 'partial', label: 'Silent' },
  expired: { pill: 'failed', label: 'Expired' },
};

function pollText(minutes: number): string {
  return minutes > 0 ? `Snowtorch polls every ${minutes} minutes` : 'syncs run only when started';
}

/** Oura webhooks: usually not set up (polling alone is the normal case), else whether they arrive. */
function liveUpdatesView(health: WebhookHealthResponse): HTMLElement {
  const state = LIVE_STATES[health.state];
  const headline =
    health.state === 'none'
      ? `Webhooks not set up — ${pollText(health.pollIntervalMinutes)}`
      : health.state === 'ok'
        ? `Webhooks are delivering; ${pollText(health.pollIntervalMinutes)} as a fallback`
        : health.state === 'silent'
          ? 'No webhook event for 48 h — polling continues'
          : 'Every webhook subscription has expired — polling continues (snowtorch webhooks sync renews them)';
  return h(
    'div',
    { id: 'live-updates', 'data-state': health.state },
    h(
      'p',
      { class: 'live-state' },
      h('span', { class: `pill ${state.pill}` }, state.label),
      h('span', {}, headline),
    ),
    health.state === 'none'
      ? null
      : h(
          'dl',
          { class: 'scopes' },
          h('dt', {}, 'Subscriptions'),
          h(
            'dd',
            {},
            `${health.activeSubscriptions} active of ${health.subscriptions}`,
            health.nextExpiry
              ? ` · ${health.activeSubscriptions ? 'next expires' : 'expired'} ${when(health.nextExpiry)}`
              : '',
            health.expiresSoon
              ? h('span', { class: 'muted' }, ' (renewed by webhooks sync)')
              : null,
          ),
          h('dt', {}, 'Last event'),
          h('dd', { title: when(health.lastEventAt) }, ago(health.lastEventAt)),
          h('dt', {}, 'Events, last 24 h'),
          h('dd', {}, health.eventsLast24h.toLocaleString('en')),
        ),
  );
}

type LastRun = SyncStatusResponse['runs'][number] | undefined;

/**
 * The live job when this server started one; otherwise the last recorded run (a scheduled or
 * CLI sync), so the card never says "no sync" above a history of successful ones.
 */
function progressView(job: SyncJobView | null, lastRun: LastRun): HTMLElement {
  if (!job) {
    if (!lastRun) return h('p', { class: 'muted', id: 'sync-state' }, 'No sync has run yet.');
    return h(
      'p',
      { class: 'muted', id: 'sync-state' },
      h('span', { class: `pill ${lastRun.status}` }, lastRun.status),
      ` Last sync ${ago(lastRun.finishedAt ?? lastRun.startedAt)} (${lastRun.trigger})`,
    );
  }
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

/**
 * Download your data: typed tables as CSV (zipped, with a README of columns and units) or the
 * raw documents as NDJSON, optionally for some types and days. A plain link: the browser streams
 * the file to disk with the session cookie, however long the history.
 */
function exportCard(): HTMLElement {
  const csv = h('input', { type: 'radio', name: 'export-format', value: 'csv', checked: true });
  const ndjson = h('input', { type: 'radio', name: 'export-format', value: 'ndjson' });
  const since = h('input', { type: 'date', id: 'export-since', class: 'date-input' });
  const until = h('input', { type: 'date', id: 'export-until', class: 'date-input' });
  const boxes = DATA_TYPES.map((t) => h('input', { type: 'checkbox', value: t, checked: true }));
  const link = h(
    'a',
    { class: 'btn primary', id: 'export-data', href: '/api/export?format=csv', download: true },
    'Download export',
  );
  const update = () => {
    const params = new URLSearchParams({ format: csv.checked ? 'csv' : 'ndjson' });
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    if (chosen.length > 0 && chosen.length < boxes.length) params.set('types', chosen.join(','));
    if (since.value) params.set('since', since.value);
    if (until.value) params.set('until', until.value);
    link.setAttribute('href', `/api/export?${params}`);
    link.toggleAttribute('aria-disabled', chosen.length === 0);
    if (chosen.length === 0) link.removeAttribute('href');
  };
  for (const input of [csv, ndjson, since, until, ...boxes]) {
    input.addEventListener('change', update);
  }
  return card(
    'Export',
    h(
      'form',
      { class: 'export-form', id: 'export-form', onsubmit: (e: Event) => e.preventDefault() },
      h(
        'fieldset',
        {},
        h('legend', {}, 'Format'),
        h(
          'label',
          { class: 'check' },
          csv,
          'Tables as CSV (zip, with a README of columns and units)',
        ),
        h('label', { class: 'check' }, ndjson, 'Raw documents as Oura sent them (NDJSON)'),
      ),
      h(
        'fieldset',
        { class: 'export-days' },
        h('legend', {}, 'Days (optional)'),
        h('label', {}, 'From ', since),
        h('label', {}, 'To ', until),
      ),
      h(
        'details',
        {},
        h('summary', {}, 'Data types (all)'),
        h(
          'div',
          { class: 'export-types' },
          boxes.map((b) => h('label', { class: 'check' }, b, titleCase(b.value))),
        ),
      ),
      h('div', { class: 'oura-actions' }, link),
    ),
  );
}

type TypeRow = SyncStatusResponse['dataTypes'][number];

/**
 * A time series is its samples: "2 documents" would hide 540 heart-rate readings. Documents
 * are shown for every other type.
 */
function storedCell(t: TypeRow): HTMLElement {
  if (!t.samples) return h('td', { class: 'num' }, t.documents.toLocaleString('en'));
  const { count, first, last } = t.samples;
  return h(
    'td',
    { class: 'num', 'data-samples': String(count) },
    `${count.toLocaleString('en')} samples`,
    first && last
      ? h(
          'div',
          { class: 'muted small' },
          `${t.documents.toLocaleString('en')} ${t.documents === 1 ? 'day' : 'days'} · ${shortDate(first)} – ${shortDate(last)}`,
        )
      : null,
  );
}

function shortDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

export async function renderData(
  main: HTMLElement,
  me: MeResponse,
  signal: AbortSignal,
  query?: URLSearchParams,
): Promise<void> {
  const button = h('button', { type: 'button', class: 'btn primary', id: 'sync-now' }, 'Sync now');
  const progressEl = h('div', {});
  const statusEl = h('div', {}, loading());
  const coverageEl = h('div', {}, loading());
  const liveEl = h('div', {}, loading());
  main.replaceChildren(
    pageHeader('Data & sync', 'What is stored, what is missing, and syncing with Oura', button),
    ouraCard(me, query),
    card('Sync', progressEl),
    exportCard(),
    card('Live updates', liveEl),
    card('Coverage, last 12 months', coverageEl),
    statusEl,
  );

  let polling = false;
  const showStatus = async () => {
    const status = await getJson<SyncStatusResponse>('/api/sync/status', signal);
    progressEl.replaceChildren(progressView(status.job, status.runs[0]));
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
            { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Data types' },
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
                    storedCell(t),
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
    let sawRunning = false;
    try {
      while (!signal.aborted) {
        const status = await showStatus();
        if (status.job?.state !== 'running') break;
        sawRunning = true;
        await new Promise((r) => setTimeout(r, 1000));
      }
    } finally {
      polling = false;
    }
    // New nights arrived: other pages must not reuse the stored span they knew.
    if (sawRunning) window.dispatchEvent(new Event('snowtorch:data-changed'));
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
  const loadLive = async () => {
    try {
      liveEl.replaceChildren(
        liveUpdatesView(await getJson<WebhookHealthResponse>('/api/webhooks/health', signal)),
      );
    } catch (error) {
      if (!signal.aborted) liveEl.replaceChildren(errorState(error));
    }
  };
  try {
    await Promise.all([poll(), loadCoverage(), loadLive()]);
  } catch (error) {
    if (!signal.aborted) statusEl.replaceChildren(errorState(error));
  }
}
