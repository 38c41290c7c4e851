import { loadConfig } from '../../config/env.ts';
import { type OpenDatabase, openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { createWebhookApi } from '../../oura/webhookApi.ts';
import {
  deleteAllWebhookSubscriptions,
  mirrorSubscriptions,
  syncWebhookSubscriptions,
  WEBHOOK_DATA_TYPES,
  webhookCallbackUrl,
} from '../../sync/webhookSubscriptions.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const HELP = `Usage: snowtorch webhooks <sync|list|delete-all> [--callback-url URL] [--json]

Manages the app's Oura webhook subscriptions: one per event (create, update, delete) for each
of the ${WEBHOOK_DATA_TYPES.length} data types Oura announces. Webhooks make new data arrive
within seconds; scheduled polling keeps running either way.

  sync         create the missing subscriptions, renew those expiring within 7 days, delete
               those pointing at another URL. Snowtorch must be serving at the callback URL:
               Oura calls it to verify each new subscription. Run it daily (serve renews too).
  list         show the subscriptions Oura holds for the app
  delete-all   delete every subscription of the app

  --callback-url URL   where Oura delivers events (default: $SNOWTORCH_PUBLIC_URL/webhooks/oura)
  --json               machine-readable output

Environment:
  OURA_CLIENT_ID, OURA_CLIENT_SECRET   your Oura app (webhooks are per app, not per user)
  SNOWTORCH_PUBLIC_URL                 public https URL of this server
  OURA_API_BASE_URL                    Oura API (default https://api.ouraring.com)
  DATABASE_URL or SQL_*                database the subscriptions are recorded in`;

const ACTIONS = ['sync', 'list', 'delete-all'] as const;

export async function runWebhooksCommand(
  argv: string[],
  io: { env?: NodeJS.ProcessEnv; database?: OpenDatabase; out?: (text: string) => void } = {},
): Promise<void> {
  const out = io.out ?? ((text: string) => process.stdout.write(text));
  const [action, ...rest] = argv;
  const { values } = parseCommandArgs('webhooks', rest, {
    'callback-url': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (action === undefined || action === '--help' || action === '-h' || values.help) {
    out(`${HELP}\n`);
    return;
  }
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(
      `webhooks: unknown action "${action}"; use one of ${ACTIONS.join(', ')} (see snowtorch webhooks --help)`,
    );
  }
  const config = loadConfig(io.env ?? process.env);
  const { clientId, clientSecret } = config.oura;
  if (!clientId || !clientSecret) {
    throw new UsageError('webhooks: OURA_CLIENT_ID and OURA_CLIENT_SECRET must be set');
  }
  const flagUrl = values['callback-url']?.trim();
  if (
    flagUrl !== undefined &&
    !(URL.canParse(flagUrl) && /^https?:$/.test(new URL(flagUrl).protocol))
  ) {
    throw new UsageError(`webhooks: --callback-url must be an http(s) URL, got "${flagUrl}"`);
  }
  const callbackUrl =
    flagUrl || (config.publicUrl ? webhookCallbackUrl(config.publicUrl) : undefined);
  if (action === 'sync' && !callbackUrl) {
    throw new UsageError('webhooks sync: set SNOWTORCH_PUBLIC_URL or pass --callback-url URL');
  }
  const api = createWebhookApi({ baseUrl: config.oura.apiBaseUrl, clientId, clientSecret });
  const database = io.database ?? (await openDatabase(config.database));
  try {
    if (!io.database) await migrateToLatest(database.db);
    if (action === 'list') {
      const subs = await api.list();
      await mirrorSubscriptions(database.db, subs);
      if (values.json) {
        out(`${JSON.stringify(subs)}\n`);
      } else if (subs.length === 0) {
        out('No webhook subscriptions. Create them with: snowtorch webhooks sync\n');
      } else {
        for (const s of subs) {
          out(
            `${s.data_type.padEnd(26)} ${s.event_type.padEnd(7)} expires ${s.expiration_time}  ${s.callback_url}\n`,
          );
        }
        out(`${subs.length} subscription${subs.length === 1 ? '' : 's'}\n`);
      }
      return;
    }
    if (action === 'delete-all') {
      const result = await deleteAllWebhookSubscriptions(database.db, api);
      if (values.json) out(`${JSON.stringify(result)}\n`);
      else out(`Deleted ${result.deleted.length} subscription(s).\n`);
      for (const e of result.errors) process.stderr.write(`webhooks: ${e.id}: ${e.message}\n`);
      if (result.errors.length) process.exitCode = 1;
      return;
    }
    const result = await syncWebhookSubscriptions(database.db, {
      api,
      callbackUrl: callbackUrl ?? '',
      clientSecret,
    });
    if (values.json) {
      out(`${JSON.stringify(result)}\n`);
    } else {
      out(
        `Webhooks for ${callbackUrl}: ${result.created.length} created, ${result.renewed.length} renewed, ${result.deleted.length} deleted, ${result.unchanged.length} unchanged.\n`,
      );
    }
    for (const e of result.errors) {
      process.stderr.write(`webhooks: ${e.dataType}/${e.eventType}: ${e.message}\n`);
    }
    if (result.errors.length) process.exitCode = 1;
  } finally {
    if (!io.database) await database.close();
  }
}
