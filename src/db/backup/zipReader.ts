import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** A zip opened for random access: entries by name, each read as a stream when needed. */
export interface ZipReader {
  names(): string[];
  open(name: string): Promise<Readable>;
  close(): void;
}

export async function openZip(file: string): Promise<ZipReader> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, z) =>
      err ? reject(err) : resolve(z),
    ),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return {
    names: () => [...entries.keys()],
    open(name) {
      const entry = entries.get(name);
      if (!entry) return Promise.reject(new Error(`The archive has no ${name}`));
      return new Promise((resolve, reject) =>
        zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))),
      );
    },
    close: () => zip.close(),
  };
}

export async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
