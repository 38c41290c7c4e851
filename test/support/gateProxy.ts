import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 in front of the simulator that can hold Oura data requests, so a
 * test can act while a sync is provably in the middle of its run (holding its lock, waiting on
 * Oura) instead of guessing with timers.
 */
export interface GateProxy {
  url: string;
  /** Let `passFirst` more data requests through, then hold every later one. */
  closeAfter(passFirst: number): void;
  /** Resolves when a data request is being held. */
  held(): Promise<void>;
  /** Let the held requests (and every later one) through. */
  open(): void;
  close(): Promise<void>;
}

const isDataRequest = (path: string) => path.startsWith('/v2/usercollection/');

export async function startGateProxy(target: string): Promise<GateProxy> {
  const upstream = new URL(target);
  let passes = Number.POSITIVE_INFINITY;
  let waiting: (() => void)[] = [];
  let onHeld: (() => void) | undefined;
  let heldOnce = false;

  const server = createServer((req, res) => {
    const forward = () => {
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      req.pipe(out);
    };
    if (!isDataRequest(req.url ?? '') || passes > 0) {
      if (isDataRequest(req.url ?? '')) passes -= 1;
      forward();
      return;
    }
    waiting.push(forward);
    heldOnce = true;
    onHeld?.();
  });
  const open = () => {
    passes = Number.POSITIVE_INFINITY;
    const go = waiting;
    waiting = [];
    for (const f of go) f();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    closeAfter(passFirst) {
      passes = passFirst;
      heldOnce = false;
    },
    held() {
      if (heldOnce) return Promise.resolve();
      return new Promise((resolve) => {
        onHeld = resolve;
      });
    },
    open,
    async close() {
      open();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
