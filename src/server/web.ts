import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { ApiErrorBody } from './errors.ts';
import { WEB_DIST } from './webBuild.ts';

export { WEB_DIST };

const MISSING_BUILD_PAGE = `<!doctype html><meta charset="utf-8"><title>Snowtorch</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>Dashboard not built</h1><p>The JSON API is running, but the dashboard's assets are missing.
Run <code>npx vite build -c web/vite.config.ts</code> (or start <code>snowtorch serve</code>
with dev dependencies installed, which builds them) and reload.</p></body>`;

/**
 * Serves the built dashboard. Hashed assets are cached for a year; every other GET that accepts
 * HTML gets index.html so client-side URLs (`/night/2026-01-31`) survive a reload.
 */
export async function registerWeb(app: FastifyInstance, distDir: string | null): Promise<void> {
  if (distDir) {
    await app.register(fastifyStatic, {
      root: distDir,
      prefix: '/',
      wildcard: false,
      index: false,
      // webBuild.ts writes .br/.gz beside each asset.
      preCompressed: true,
      setHeaders(res, path) {
        res.header(
          'cache-control',
          path.includes(`${join('/', 'assets', '/')}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      (request.headers.accept ?? '').includes('text/html');
    if (wantsPage) {
      reply.header('cache-control', 'no-cache');
      if (distDir) return reply.type('text/html').sendFile('index.html', distDir);
      return reply.code(503).type('text/html').send(MISSING_BUILD_PAGE);
    }
    return reply.code(404).send({
      error: { code: 'not_found', message: `No route for ${request.method} ${request.url}` },
    } satisfies ApiErrorBody);
  });
}
