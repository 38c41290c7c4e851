import type { MeResponse } from '../../../src/api/types.ts';
import { deleteJson, getJson, postJson } from '../api.ts';
import { h } from '../dom.ts';
import { card, errorState, pageHeader } from '../ui.ts';

interface MembersResponse {
  members: {
    id: number;
    name: string;
    role: 'owner' | 'member';
    hasPassword: boolean;
    createdAt: string;
    connection: string;
  }[];
  openInvites: { createdAt: string; expiresAt: string }[];
}

const CONNECTION: Record<string, string> = {
  active: 'Oura connected',
  reconnect_needed: 'Reconnect needed',
  none: 'Oura not connected',
};

/** Owner only: invite household members with one-time links, remove them with their data. */
export async function renderMembers(
  main: HTMLElement,
  me: MeResponse,
  signal: AbortSignal,
): Promise<void> {
  const inviteButton = h(
    'button',
    { type: 'button', class: 'btn primary', id: 'invite' },
    'Invite a member',
  );
  const inviteOut = h('div', { class: 'invite-out' });
  const list = h('div', {});
  main.replaceChildren(
    pageHeader(
      'Members',
      'Everyone connects their own ring and sees only their own data',
      inviteButton,
    ),
    inviteOut,
    card('Accounts', list),
  );

  const draw = async () => {
    const data = await getJson<MembersResponse>('/api/members', signal);
    list.replaceChildren(
      h(
        'ul',
        { class: 'members' },
        data.members.map((m) => {
          const actions = h('div', { class: 'member-actions' });
          if (m.id !== me.user?.id) {
            const remove = h(
              'button',
              { type: 'button', class: 'btn', 'data-remove': m.name },
              'Remove',
            );
            remove.addEventListener('click', () => {
              const confirmButton = h(
                'button',
                { type: 'button', class: 'btn danger', 'data-confirm-remove': m.name },
                `Remove ${m.name} and all their data`,
              );
              const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
              cancel.addEventListener('click', () => actions.replaceChildren(remove));
              confirmButton.addEventListener('click', async () => {
                confirmButton.setAttribute('disabled', '');
                try {
                  await deleteJson(`/api/members/${m.id}`);
                  await draw();
                } catch (error) {
                  actions.replaceChildren(errorState(error));
                }
              });
              actions.replaceChildren(confirmButton, cancel);
            });
            actions.append(remove);
          }
          return h(
            'li',
            {},
            h(
              'div',
              {},
              h('strong', {}, m.name),
              m.role === 'owner' ? h('span', { class: 'pill' }, 'owner') : null,
              h(
                'div',
                { class: 'muted small' },
                `${CONNECTION[m.connection] ?? m.connection}${m.hasPassword ? '' : ' · no password yet'}`,
              ),
            ),
            actions,
          );
        }),
      ),
      h(
        'p',
        { class: 'muted small' },
        data.openInvites.length ? `${data.openInvites.length} unused invite link(s) open.` : '',
      ),
    );
  };

  inviteButton.addEventListener('click', async () => {
    inviteButton.setAttribute('disabled', '');
    try {
      const invite = await postJson<{ url: string; expiresAt: string }>('/api/members/invites');
      const field = h('input', {
        class: 'text-input invite-url',
        readonly: true,
        value: invite.url,
      });
      const copy = h('button', { type: 'button', class: 'btn' }, 'Copy');
      copy.addEventListener('click', () => {
        field.select();
        void navigator.clipboard?.writeText(invite.url).catch(() => {});
      });
      inviteOut.replaceChildren(
        card(
          'Invite link',
          h(
            'p',
            { class: 'muted small' },
            `Send this link to one person. It works once, until ${new Date(invite.expiresAt).toLocaleString('en-GB')}.`,
          ),
          h('div', { class: 'invite-row' }, field, copy),
        ),
      );
      await draw();
    } catch (error) {
      inviteOut.replaceChildren(errorState(error));
    } finally {
      inviteButton.removeAttribute('disabled');
    }
  });
  await draw();
}
