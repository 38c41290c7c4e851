import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';

/**
 * One HTTP exchange over node:http(s), the body read whole. Node's fetch would do the same
 * through undici, which costs a sync process about 16 MB of resident memory and a tenth of its
 * CPU for nothing it needs here (docs/benchmarks.md). Connections are kept alive by Node's
 * global agents; compressed bodies (gzip, deflate, br) are asked for and decompressed, as fetch
 * would.
 */

/** The response headers, read case-insensitively (what `Headers#get` offers). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface Exchange {
  status: number;
  headers: ResponseHeaders;
  /** Resolves with the decoded body text; rejects if the body ends early or cannot be decoded. */
  body(): Promise<string>;
}

export interface ExchangeRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

// Taken as the CommonJS module: an ES import of node:http builds its whole namespace, whose
// getters load undici, the very cost this file exists to avoid.
const { request: httpRequest } = process.getBuiltinModule('node:http');
const { request: httpsRequest } = process.getBuiltinModule('node:https');

const DECODERS: Record<string, (b: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

function headersOf(res: IncomingMessage): ResponseHeaders {
  return {
    get(name) {
      const v = res.headers[name.toLowerCase()];
      if (v === undefined) return null;
      return Array.isArray(v) ? v.join(', ') : v;
    },
  };
}

function readBody(res: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onAbort = () => {
      res.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(err);
    });
    res.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      // A connection closed before the declared length arrived ends the stream as 'aborted'.
      if (!res.complete) {
        reject(new Error('the connection closed before the body was complete'));
        return;
      }
      const raw = Buffer.concat(chunks);
      const encoding = res.headers['content-encoding']?.trim().toLowerCase();
      const decode = encoding && encoding !== 'identity' ? DECODERS[encoding] : undefined;
      if (encoding && encoding !== 'identity' && !decode) {
        reject(new Error(`unsupported content-encoding "${encoding}"`));
        return;
      }
      (decode ? decode(raw) : Promise.resolve(raw)).then(
        (b) => resolve(b.toString('utf8')),
        reject,
      );
    });
  });
}

/** Send a request; resolves once the status and headers have arrived. */
export function exchange(req: ExchangeRequest): Promise<Exchange> {
  const url = new URL(req.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = send(
      url,
      {
        method: req.method,
        headers: {
          'accept-encoding': 'gzip, deflate, br',
          ...req.headers,
          ...(req.body !== undefined ? { 'content-length': Buffer.byteLength(req.body) } : {}),
        },
        signal: req.signal,
      },
      (res) => {
        resolve({
          status: res.statusCode ?? 0,
          headers: headersOf(res),
          body: () => readBody(res, req.signal),
        });
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}
