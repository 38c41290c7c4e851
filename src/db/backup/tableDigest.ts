import { createHash } from 'node:crypto';

/** Rows and sha256 of a COPY text stream, counted as the chunks pass through. */
export class TableDigest {
  readonly #hash = createHash('sha256');
  rows = 0;

  update(chunk: Buffer): void {
    this.#hash.update(chunk);
    // COPY text escapes newlines inside values, so each raw LF ends one row.
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.rows++;
  }

  hex(): string {
    return this.#hash.digest('hex');
  }
}

/** Pass the chunks on while digesting them. */
export async function* digesting(
  source: AsyncIterable<Buffer>,
  digest: TableDigest,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    digest.update(chunk);
    yield chunk;
  }
}
