import { createTokenCipher, keyId } from '../crypto/tokenCipher.ts';
import type { Db } from '../db/database.ts';

/**
 * Re-encrypt every stored Oura token with `newKey` (key rotation). Each token is decrypted with
 * whichever key its envelope names (the new one or an old one), in one transaction with the rows
 * locked: either every token ends up under the new key, or, when one cannot be decrypted, nothing
 * changes and the error names the user.
 */
export async function reencryptTokens(
  db: Db,
  args: { newKey: Buffer; oldKeys: readonly Buffer[] },
): Promise<{ connections: number; reencrypted: number; alreadyCurrent: number }> {
  const cipher = createTokenCipher([args.newKey, ...args.oldKeys]);
  const current = `v1:${keyId(args.newKey)}:`;
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('oura_connection')
      .select(['user_id', 'access_token_enc', 'refresh_token_enc'])
      .orderBy('user_id')
      .forUpdate()
      .execute();
    let reencrypted = 0;
    let alreadyCurrent = 0;
    for (const row of rows) {
      const rotate = (envelope: string, what: string): string => {
        try {
          return cipher.encrypt(cipher.decrypt(envelope));
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new Error(
            `user ${row.user_id}: cannot decrypt the ${what} (${reason}); nothing was changed`,
          );
        }
      };
      const tokens = [row.access_token_enc, row.refresh_token_enc].filter(
        (t): t is string => typeof t === 'string' && t !== '',
      );
      if (tokens.every((t) => t.startsWith(current))) {
        alreadyCurrent += 1;
        continue;
      }
      await trx
        .updateTable('oura_connection')
        .set({
          access_token_enc: row.access_token_enc
            ? rotate(row.access_token_enc, 'access token')
            : '',
          refresh_token_enc: row.refresh_token_enc
            ? rotate(row.refresh_token_enc, 'refresh token')
            : null,
          updated_at: new Date(),
        })
        .where('user_id', '=', row.user_id)
        .execute();
      reencrypted += 1;
    }
    return { connections: rows.length, reencrypted, alreadyCurrent };
  });
}
