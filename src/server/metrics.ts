import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics at `/metrics`. Each app gets its own registry, so several apps in one process
 * (tests, the demo) never collide on metric names. Routes are labelled by their pattern
 * (`/api/nights/:day`), never by the raw URL, to keep label cardinality bounded.
 */
export async function registerMetrics(app: FastifyInstance): Promise<Registry> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'snowtorch_' });
  const duration = new Histogram({
    name: 'snowtorch_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern, method and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'snowtorch_http_requests_total',
    help: 'HTTP requests by route pattern, method and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    duration.observe(labels, reply.elapsedTime / 1000);
    requests.inc(labels);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  return registry;
}
