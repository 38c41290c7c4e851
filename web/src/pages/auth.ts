import { ApiRequestError, getJson, postJson } from '../api.ts';
import { h } from '../dom.ts';

/** Setup (first start), login and invite pages: shown instead of the dashboard until logged in. */

function field(label: string, input: HTMLInputElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

function input(name: string, type: string, autocomplete: string): HTMLInputElement {
  return h('input', {
    name,
    type,
    autocomplete,
    required: true,
    class: 'text-input',
    maxlength: type === 'password' ? '256' : '40',
    ...(type === 'password' ? { minlength: '10' } : {}),
  });
}

function authForm(opts: {
  title: string;
  lead: string;
  submit: string;
  newPassword: boolean;
  notice?: string | null;
  /** A further field shown before the name (the setup token on a public server). */
  extra?: { label: string; input: HTMLInputElement } | undefined;
  /** A line under the form (how else to get in). */
  hint?: HTMLElement;
  onSubmit: (name: string, password: string) => Promise<void>;
}): HTMLElement {
  const name = input('name', 'text', 'username');
  const password = input(
    'password',
    'password',
    opts.newPassword ? 'new-password' : 'current-password',
  );
  if (!opts.newPassword) password.removeAttribute('minlength');
  const message = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit', class: 'btn primary' }, opts.submit);
  const form = h(
    'form',
    { class: 'auth-form card', novalidate: false },
    h('h1', {}, opts.title),
    h('p', { class: 'lead' }, opts.lead),
    opts.notice ? h('p', { class: 'banner warn' }, opts.notice) : null,
    opts.extra ? field(opts.extra.label, opts.extra.input) : null,
    field('Name', name),
    field(opts.newPassword ? 'Password (at least 10 characters)' : 'Password', password),
    message,
    button,
    opts.hint ?? null,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.setAttribute('disabled', '');
    message.hidden = true;
    try {
      await opts.onSubmit(name.value.trim(), password.value);
      location.assign('/night');
    } catch (error) {
      message.textContent =
        error instanceof ApiRequestError ? error.message : 'Something went wrong. Try again.';
      message.hidden = false;
      button.removeAttribute('disabled');
      password.select();
    }
  });
  return h('div', { class: 'auth-page' }, form);
}

export function renderSetup(main: HTMLElement, tokenRequired: boolean): void {
  // On a server reachable beyond its own machine, only whoever can read its log may set it up.
  const token = h('input', {
    name: 'setupToken',
    type: 'password',
    autocomplete: 'off',
    required: true,
    class: 'text-input',
    maxlength: '100',
  });
  main.replaceChildren(
    authForm({
      title: 'Welcome to Snowtorch',
      lead: 'Create the owner account. The owner invites the rest of the household; everyone connects their own ring and sees only their own data.',
      submit: 'Create owner account',
      newPassword: true,
      notice: tokenRequired
        ? 'This server is reachable from other machines: enter the setup token it printed when it started (or create the owner with snowtorch users create NAME --owner).'
        : null,
      extra: tokenRequired ? { label: 'Setup token', input: token } : undefined,
      onSubmit: async (name, password) => {
        await postJson('/api/auth/setup', {
          name,
          password,
          ...(tokenRequired ? { setupToken: token.value.trim() } : {}),
        });
      },
    }),
  );
}

export function renderLogin(main: HTMLElement, query: URLSearchParams): void {
  const notice =
    query.get('link') === 'invalid'
      ? 'That login link was already used or has expired. Get a fresh one in the terminal: snowtorch users login-link NAME (for the demo: run snowtorch demo again, it prints a new link).'
      : query.get('oauth') === 'session'
        ? 'Log in again, then connect Oura.'
        : null;
  main.replaceChildren(
    authForm({
      title: 'Log in',
      lead: 'Log in to see your sleep data.',
      submit: 'Log in',
      newPassword: false,
      notice,
      hint: h(
        'p',
        { class: 'muted small', id: 'login-link-hint' },
        'No password? Accounts made in the terminal, like the demo’s “demo”, log in with a one-time link: run ',
        h('code', {}, 'snowtorch users login-link NAME'),
        ' (or ',
        h('code', {}, 'snowtorch demo'),
        ' again, which prints a fresh link).',
      ),
      onSubmit: async (name, password) => {
        await postJson('/api/auth/login', { name, password });
      },
    }),
  );
}

export async function renderInvite(main: HTMLElement, token: string): Promise<void> {
  const { valid } = await getJson<{ valid: boolean }>(`/api/invites/${encodeURIComponent(token)}`);
  if (!valid) {
    main.replaceChildren(
      h(
        'div',
        { class: 'auth-page' },
        h(
          'div',
          { class: 'card auth-form' },
          h('h1', {}, 'Invite link not valid'),
          h(
            'p',
            { class: 'lead' },
            'This invite was already used or has expired. Ask the owner for a new one.',
          ),
          h('a', { class: 'btn', href: '/login' }, 'Log in'),
        ),
      ),
    );
    return;
  }
  main.replaceChildren(
    authForm({
      title: 'Join Snowtorch',
      lead: 'You were invited. Choose a name and a password; then connect your own Oura ring.',
      submit: 'Create my account',
      newPassword: true,
      onSubmit: async (name, password) => {
        await postJson('/api/auth/accept-invite', { token, name, password });
      },
    }),
  );
}
