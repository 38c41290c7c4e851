import type { Db } from '../db/database.ts';
import { getLocalUser, type LocalUser } from '../db/queries/getLocalUser.ts';
import { NoUserError } from './errors.ts';

/**
 * The single local user served until accounts exist: SNOWTORCH_USER by name, else the first
 * user. Found users are remembered; a missing one is looked up again on the next request (the
 * first sync may create it while the server runs).
 */
export function createUserResolver(db: Db, name?: string) {
  let cached: LocalUser | null = null;
  return {
    async find(): Promise<LocalUser | null> {
      if (cached) return cached;
      cached = await getLocalUser(db, name);
      return cached;
    },
    async require(): Promise<LocalUser> {
      const user = await this.find();
      if (!user) {
        throw new NoUserError(
          name
            ? `No user named '${name}' yet (SNOWTORCH_USER). Connect Oura with \`snowtorch connect\`, or run \`snowtorch demo\`.`
            : 'No user yet. Connect Oura with `snowtorch connect`, or run `snowtorch demo`.',
        );
      }
      return user;
    },
  };
}

export type UserResolver = ReturnType<typeof createUserResolver>;
