import { OuraProtocolError } from './errors.ts';
import { describeIssues, listEnvelopeSchema } from './schemas.ts';

/**
 * Follow `next_token` until it is null or absent: the list envelope is
 * `{data: [...], next_token: string|null}` and the same query is repeated with the token [S].
 */
export async function* followNextToken(
  fetchPage: (nextToken: string | undefined) => Promise<unknown>,
  what: string,
): AsyncGenerator<unknown[]> {
  let nextToken: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const body = await fetchPage(nextToken);
    const envelope = listEnvelopeSchema.safeParse(body);
    if (!envelope.success) {
      throw new OuraProtocolError(
        `${what}: response is not a list envelope (${describeIssues(envelope.error)})`,
      );
    }
    yield envelope.data.data;
    const next = envelope.data.next_token;
    if (next === null || next === undefined || next === '') return;
    // A token seen before would page forever.
    if (seen.has(next)) {
      throw new OuraProtocolError(`${what}: next_token repeated, stopping to avoid a loop`);
    }
    seen.add(next);
    nextToken = next;
  }
}
