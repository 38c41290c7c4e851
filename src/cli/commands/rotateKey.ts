import { decodeKey, loadConfig } from '../../config/env.ts';
import { keyId } from '../../crypto/tokenCipher.ts';
import { type OpenDatabase, openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { reencryptTokens } from '../../sync/tokenRotation.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const HELP = `Usage: snowtorch rotate-key [--old-key-env VAR] [--json]

Re-encrypts every stored Oura token with the current SNOWTORCH_SECRET_KEY, in one transaction:
either every token moves to the new key or nothing changes. Tokens already under the new key are
left as they are, so running it twice is harmless.

  1. stop Snowtorch (serve, scheduled syncs)
  2. SNOWTORCH_OLD_SECRET_KEY=<old key> SNOWTORCH_SECRET_KEY=<new key> snowtorch rotate-key
  3. start Snowtorch with the new SNOWTORCH_SECRET_KEY, then discard the old key

  --old-key-env VAR   read the old key from this environment variable
                      (default SNOWTORCH_OLD_SECRET_KEY)
  --json              print {"connections", "reencrypted", "alreadyCurrent"} as JSON

Environment:
  SNOWTORCH_SECRET_KEY       the new key (64 hex characters or base64 of 32 bytes)
  SNOWTORCH_OLD_SECRET_KEY   the old key (or the variable named by --old-key-env)
  DATABASE_URL or SQL_*      PostgreSQL (default: embedded database in SNOWTORCH_DATA_DIR)`;

export async function runRotateKeyCommand(
  argv: string[],
  io: { env?: NodeJS.ProcessEnv; database?: OpenDatabase; out?: (text: string) => void } = {},
): Promise<void> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((text: string) => process.stdout.write(text));
  const { values } = parseCommandArgs('rotate-key', argv, {
    'old-key-env': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(`${HELP}\n`);
    return;
  }
  const config = loadConfig(env);
  if (!config.secretKey) {
    throw new UsageError('rotate-key: SNOWTORCH_SECRET_KEY (the new key) is not set');
  }
  const variable = values['old-key-env']?.trim() || 'SNOWTORCH_OLD_SECRET_KEY';
  const oldText = env[variable]?.trim();
  if (!oldText) {
    throw new UsageError(`rotate-key: ${variable} (the old key) is not set`);
  }
  const oldKey = decodeKey(oldText);
  if (!oldKey) {
    throw new UsageError(`rotate-key: ${variable} must be 32 bytes as 64 hex characters or base64`);
  }
  const database = io.database ?? (await openDatabase(config.database));
  try {
    if (!io.database) await migrateToLatest(database.db);
    const result = await reencryptTokens(database.db, {
      newKey: config.secretKey,
      oldKeys: [oldKey],
    });
    if (values.json) {
      out(`${JSON.stringify(result)}\n`);
    } else {
      out(
        `Re-encrypted the tokens of ${result.reencrypted} connection${result.reencrypted === 1 ? '' : 's'} with key ${keyId(config.secretKey)}` +
          (result.alreadyCurrent ? ` (${result.alreadyCurrent} already used it)` : '') +
          '.\n',
      );
    }
  } finally {
    if (!io.database) await database.close();
  }
}
