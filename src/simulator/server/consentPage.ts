const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ConsentPageArgs {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scopes: readonly string[];
  users: readonly string[];
  selectedUser: string;
}

/**
 * The stand-in for Oura's consent screen: pick the simulated account, untick scopes (users may
 * grant fewer than requested, NOTES "OAuth2"), approve or deny.
 */
export function consentPage(args: ConsentPageArgs): string {
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const scopeBoxes = args.scopes
    .map(
      (s) =>
        `<label><input type="checkbox" name="scope" value="${escapeHtml(s)}" checked> ${escapeHtml(s)}</label><br>`,
    )
    .join('\n');
  const userOptions = args.users
    .map(
      (u) =>
        `<option value="${escapeHtml(u)}"${u === args.selectedUser ? ' selected' : ''}>${escapeHtml(u)}</option>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Oura simulator: authorize ${escapeHtml(args.clientId)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;line-height:1.5}fieldset{margin:1rem 0}</style>
</head>
<body>
<h1>Authorize ${escapeHtml(args.clientId)}</h1>
<p>This is the Oura simulator. The application asks to read the data below.</p>
<form method="post" action="/oauth/authorize">
${hidden('response_type', 'code')}
${hidden('client_id', args.clientId)}
${hidden('redirect_uri', args.redirectUri)}
${args.state === undefined ? '' : hidden('state', args.state)}
${hidden('requested_scope', args.scopes.join(' '))}
<label>Account <select name="user">${userOptions}</select></label>
<fieldset><legend>Scopes</legend>
${scopeBoxes}
</fieldset>
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body>
</html>`;
}
