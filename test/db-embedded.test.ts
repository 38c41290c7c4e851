import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  embeddedServerStatus,
  startEmbeddedServer,
  stopEmbeddedServer,
} from '../src/db/embedded/server.ts';
import { ensureWebBuild } from '../src/server/webBuild.ts';

/**
 * The embedded PostgreSQL as people use it: several `snowtorch` processes on one data directory,
 * started side by side in real child processes, sharing one server that none of them starts
 * twice.
 */

const BIN = new URL('../bin/snowtorch.js', import.meta.url).pathname;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

let root: string;
let children: ChildProcess[] = [];

/** A fresh SNOWTORCH_DATA_DIR and the environment a person's shell would have for it. */
async function dataDir(name: string): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = join(root, name);
  await mkdir(dir);
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('SQL_') && k !== 'DATABASE_URL' && !k.startsWith('SNOWTORCH_'),
    ),
  );
  return { dir, env: { ...base, SNOWTORCH_DATA_DIR: dir, LOG_LEVEL: 'silent' } };
}

function snowtorch(env: NodeJS.ProcessEnv, args: string[], input = ''): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  return typeof address === 'object' && address ? address.port : 0;
}

/** `snowtorch serve` in its own process, resolved once it logs that it listens. */
async function serve(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...env, SNOWTORCH_PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      if (/listening/i.test(output)) resolve();
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      output += d;
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'snowtorch-embedded-'));
  // Under root the server runs as `postgres`, which must be able to pass through.
  await chmod(root, 0o755);
  await ensureWebBuild(false);
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
  children = [];
  for (const name of ['shared', 'serve', 'stop', 'stale-lock', 'private/data']) {
    await stopEmbeddedServer(join(root, name)).catch(() => {});
  }
  await rm(root, { recursive: true, force: true });
});

describe('the embedded PostgreSQL', () => {
  it('is created once when two commands start at the same moment, and both use it', async () => {
    const { dir, env } = await dataDir('shared');
    const [a, b] = await Promise.all([
      snowtorch(env, ['migrate', '--json']),
      snowtorch(env, ['migrate', '--json']),
    ]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    // One of them applied every migration, the other found nothing left to do.
    const applied = [a, b].map((r) => JSON.parse(r.stdout).applied.length).sort();
    expect(applied[0]).toBe(0);
    expect(applied[1]).toBeGreaterThan(0);

    const status = await snowtorch(env, ['db', 'status', '--json']);
    expect(status.code).toBe(0);
    const running = JSON.parse(status.stdout);
    expect(running).toMatchObject({ initialised: true, running: true });
    // The socket lives in the data directory; the password only its owner may read.
    expect((await stat(join(dir, 'postgres', '.s.PGSQL.5432'))).isSocket()).toBe(true);
    expect((await stat(join(dir, 'postgres.password'))).mode & 0o777).toBe(0o600);
    // No TCP listener: the server's settings leave listen_addresses empty.
    const conf = await readFile(join(dir, 'postgres', 'postgresql.conf'), 'utf8');
    expect(conf).toMatch(/^listen_addresses = ''$/m);

    // Later commands connect to the same server rather than starting another.
    expect((await snowtorch(env, ['status'])).code).toBe(0);
    const pidFile = await readFile(join(dir, 'postgres', 'postmaster.pid'), 'utf8');
    expect(Number(pidFile.split('\n')[0])).toBe(running.pid);
  });

  it('lets the CLI work beside a running serve: its login link is accepted', async () => {
    const { env } = await dataDir('serve');
    const dashboard = await serve(env);
    const created = await snowtorch(
      env,
      ['users', 'create', 'olga', '--owner'],
      'owner password 1\n',
    );
    expect(created).toMatchObject({ code: 0, stdout: 'Created owner "olga".\n' });
    const link = await snowtorch(env, ['users', 'login-link', 'olga', '--url', dashboard.url]);
    expect(link.code).toBe(0);
    const url = /(http:\/\/\S+\/login\/link\?token=\S+)/.exec(link.stdout)?.[1];
    expect(url).toBeDefined();

    // The link opens a page with a "Log in" button; pressing it POSTs the token with the page's
    // CSRF token and the pre-login cookie that came with the page.
    const page = await fetch(url ?? '', { redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    const field = (name: string) =>
      new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
    const preLogin = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const response = await fetch(`${dashboard.url}/login/link`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: preLogin },
      body: new URLSearchParams({ token: field('token'), csrf: field('csrf') }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/night');
    const cookie = response.headers.get('set-cookie')?.split(';')[0] ?? '';
    const me = await fetch(`${dashboard.url}/api/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { name: 'olga', role: 'owner' } });
  });

  it('stops on `snowtorch db stop`, and the next command starts it again', async () => {
    const { dir, env } = await dataDir('stop');
    await startEmbeddedServer(dir);
    expect((await snowtorch(env, ['db', 'stop'])).stdout).toBe('Embedded PostgreSQL stopped.\n');
    const stopped = await snowtorch(env, ['db', 'status']);
    expect(stopped.code).toBe(3);
    expect(stopped.stdout).toContain('is stopped');
    expect((await snowtorch(env, ['users', 'list', '--json'])).stdout).toBe('[]\n');
    expect((await embeddedServerStatus(dir)).running).toBe(true);
  });

  it('takes over the start-up lock of a process that died holding it', async () => {
    const { dir } = await dataDir('stale-lock');
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'exit');
    await writeFile(join(dir, 'postgres.lock'), `${dead.pid}\n`);
    const connection = await startEmbeddedServer(dir);
    expect(connection.host).toBe(join(dir, 'postgres'));
    expect((await embeddedServerStatus(dir)).running).toBe(true);
    await expect(stat(join(dir, 'postgres.lock'))).rejects.toThrow(/ENOENT/);
  });

  it.runIf(process.getuid?.() === 0)(
    'as root, works from a data directory the postgres user cannot enter (a clone under /root)',
    async () => {
      // A folder like /root: mode 0700, so the `postgres` user the server runs as cannot pass.
      await mkdir(join(root, 'private'), { mode: 0o700 });
      await chmod(join(root, 'private'), 0o700);
      const { dir, env } = await dataDir('private/data');
      const migrated = await snowtorch(env, ['migrate', '--json']);
      expect([migrated.code, migrated.stderr]).toEqual([0, '']);
      const status = JSON.parse((await snowtorch(env, ['db', 'status', '--json'])).stdout);
      expect(status).toMatchObject({ initialised: true, running: true });
      // The cluster moved where the server can reach it; the password stayed with the data.
      expect(status.socketDir).toMatch(/^\/var\/lib\/snowtorch\/clusters\/[0-9a-f]{16}$/);
      expect((await stat(join(dir, 'postgres.password'))).mode & 0o777).toBe(0o600);
      expect((await snowtorch(env, ['users', 'list', '--json'])).stdout).toBe('[]\n');
      await stopEmbeddedServer(dir);
      await rm(status.socketDir, { recursive: true, force: true });
    },
  );

  it('refuses a data directory from the PGlite era and says how to start over', async () => {
    const { dir, env } = await dataDir('pglite-era');
    await mkdir(join(dir, 'pglite'));
    const result = await snowtorch(env, ['status']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('earlier Snowtorch (PGlite)');
    expect(result.stderr).toContain(`rm -r '${join(dir, 'pglite')}'`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
