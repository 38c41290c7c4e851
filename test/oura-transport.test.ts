import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OuraProtocolError, OuraTimeoutError } from '../src/oura/errors.ts';
import { sendRequest } from '../src/oura/http.ts';

/** The HTTP layer against a plain local server: compression, cut-off bodies, stalls. */
const DOC = { data: [{ id: 'a', day: '2024-03-11', score: 81 }], next_token: null };
const seen: IncomingMessage[] = [];
let server: Server;
let base: string;

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push(req);
  const json = Buffer.from(JSON.stringify(DOC));
  switch (req.url) {
    case '/gzip':
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(json));
      return;
    case '/br':
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
      res.end(brotliCompressSync(json));
      return;
    case '/cut':
      // Declares the whole body, sends half, then drops the connection.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': json.length });
      res.write(json.subarray(0, json.length >> 1));
      setImmediate(() => res.socket?.destroy());
      return;
    case '/unknown-encoding':
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'snappy' });
      res.end(json);
      return;
    case '/stall':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":[');
      return; // never ends
    case '/rate':
      res.writeHead(429, { 'Retry-After': '7', 'X-RateLimit-Limit': '5000' });
      res.end('{"detail":"slow down"}');
      return;
    default:
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(json);
  }
}

beforeAll(async () => {
  server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

describe('sendRequest', () => {
  it('asks for compressed bodies and reads gzip and brotli ones', async () => {
    for (const path of ['/gzip', '/br', '/plain']) {
      const res = await sendRequest({ url: `${base}${path}`, timeoutMs: 5000 });
      expect(res.status, path).toBe(200);
      expect(res.body, path).toEqual(DOC);
    }
    expect(seen.at(-1)?.headers['accept-encoding']).toMatch(/gzip/);
  });

  it('reads response headers whatever their case', async () => {
    const res = await sendRequest({ url: `${base}/rate`, timeoutMs: 5000 });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('X-RateLimit-Limit')).toBe('5000');
    expect(res.headers.get('x-ratelimit-window')).toBeNull();
    expect(res.body).toEqual({ detail: 'slow down' });
  });

  it('a body cut off before its declared length is a protocol error, never half a document', async () => {
    await expect(sendRequest({ url: `${base}/cut`, timeoutMs: 5000 })).rejects.toThrow(
      OuraProtocolError,
    );
  });

  it('an encoding it cannot read is a protocol error', async () => {
    await expect(sendRequest({ url: `${base}/unknown-encoding`, timeoutMs: 5000 })).rejects.toThrow(
      /content-encoding "snappy"/,
    );
  });

  it('a body that stalls ends in a timeout', async () => {
    await expect(sendRequest({ url: `${base}/stall`, timeoutMs: 300 })).rejects.toThrow(
      OuraTimeoutError,
    );
  });

  it("the caller's own cancellation comes back unchanged", async () => {
    const stop = new AbortController();
    const pending = sendRequest({ url: `${base}/stall`, timeoutMs: 5000, signal: stop.signal });
    setTimeout(() => stop.abort(new Error('stopped by the user')), 50);
    await expect(pending).rejects.toThrow('stopped by the user');
  });
});
