import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/snowtorch.js', import.meta.url));

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'simulator', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OURA_CLIENT_ID: '', OURA_CLIENT_SECRET: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
  });
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, out: () => stdout, err: () => stderr, exited };
}

describe('snowtorch simulator', () => {
  it('prints "listening on http://127.0.0.1:P", serves, and stops cleanly on SIGTERM', async () => {
    const p = run(['--port', '0', '--seed', '3', '--users', '2', '--days', '10', '--auto-approve']);
    for (let i = 0; i < 600 && !p.out().includes('\n'); i++)
      await new Promise((r) => setTimeout(r, 50));
    const line = p.out();
    expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = line.trim().replace('listening on ', '');
    const authorize = await fetch(
      `${url}/oauth/authorize?response_type=code&client_id=snowtorch-dev&redirect_uri=http://127.0.0.1:9/cb&user=alex`,
      { redirect: 'manual' },
    );
    expect(authorize.status).toBe(302);
    p.child.kill('SIGTERM');
    const [code, signal] = await p.exited;
    expect({ code, signal, stderr: p.err() }).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('names every option in --help', async () => {
    const p = run(['--help']);
    await p.exited;
    for (const option of [
      '--port',
      '--seed',
      '--users',
      '--days',
      '--latency-ms',
      '--host',
      '--auto-approve',
    ]) {
      expect(p.out()).toContain(option);
    }
  });

  it('rejects a bad option value with a usage message and exit code 1', async () => {
    const p = run(['--port', 'eighty']);
    const [code] = await p.exited;
    expect(code).toBe(1);
    expect(p.err()).toMatch(/--port/);
  });
});
