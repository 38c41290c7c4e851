import type { MeResponse } from '../../../src/api/types.ts';
import { ApiRequestError, postJson } from '../api.ts';
import { h } from '../dom.ts';
import { card, pageHeader } from '../ui.ts';

/** Your account: set a first password (users made by connect/demo) or change it. */
export function renderAccount(main: HTMLElement, me: MeResponse): void {
  const user = me.user;
  if (!user) return;
  const current = h('input', {
    type: 'password',
    name: 'current-password',
    autocomplete: 'current-password',
    class: 'text-input',
    maxlength: '256',
  });
  const next = h('input', {
    type: 'password',
    name: 'new-password',
    autocomplete: 'new-password',
    class: 'text-input',
    minlength: '10',
    maxlength: '256',
    required: true,
  });
  const message = h('p', { role: 'status' });
  const button = h(
    'button',
    { type: 'submit', class: 'btn primary' },
    user.hasPassword ? 'Change password' : 'Set password',
  );
  const form = h(
    'form',
    { class: 'auth-form', id: 'password-form' },
    user.hasPassword
      ? h('label', { class: 'field' }, h('span', {}, 'Current password'), current)
      : h(
          'p',
          { class: 'banner warn' },
          'You have no password yet (you came in with a one-time link). Set one to log in next time.',
        ),
    h('label', { class: 'field' }, h('span', {}, 'New password (at least 10 characters)'), next),
    button,
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.setAttribute('disabled', '');
    try {
      await postJson('/api/auth/password', {
        ...(user.hasPassword ? { currentPassword: current.value } : {}),
        newPassword: next.value,
      });
      message.className = 'banner ok';
      message.textContent = 'Password saved. Your other sessions were logged out.';
      current.value = '';
      next.value = '';
    } catch (error) {
      message.className = 'form-error';
      message.textContent = error instanceof ApiRequestError ? error.message : String(error);
    } finally {
      button.removeAttribute('disabled');
    }
  });
  main.replaceChildren(
    pageHeader('Account', `${user.name} · ${user.role === 'owner' ? 'owner' : 'member'}`),
    card('Password', form),
  );
}
