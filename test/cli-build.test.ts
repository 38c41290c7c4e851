import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../scripts/build-cli.ts';
import { openDatabase } from '../src/db/database.ts';
import { storeDocuments } from '../src/db/documents.ts';
import { fixture } from './fixtures/db/load.ts';
import { createCliDatabase } from './support/cliDatabase.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAUNCHER = join(ROOT, 'bin/snowtorch.js');

async function node(script: string, args: string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('the built CLI (dist/cli)', () => {
  // A build of its own, two levels below the project like dist/cli, removed afterwards.
  const outDir = join(ROOT, 'dist', `cli-test-${process.pid}`);
  let env: NodeJS.ProcessEnv;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const database = await createCliDatabase('cli-build');
    ({ env, cleanup } = database);
    await buildCli(outDir);
    expect((await node(join(outDir, 'main.cjs'), ['migrate'], env)).code).toBe(0);
    const open = await openDatabase(database.config);
    try {
      const { id } = await open.db
        .insertInto('app_user')
        .values({ name: 'ada' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await storeDocuments(open.db, { userId: id, dataType: 'sleep', documents: fixture('sleep') });
    } finally {
      await open.close();
    }
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
    await cleanup?.();
  });

  it.each([
    '--help',
    '--version',
    'sync --help',
    'migrate',
    'status',
    'status --json --user ada',
    'status --user nobody',
    'export --user ada --out -',
    'no-such-command',
  ])('answers `snowtorch %s` exactly as the sources do', async (command) => {
    const args = command.split(' ');
    const built = await node(join(outDir, 'main.cjs'), args, env);
    const sources = await node(join(ROOT, 'src/cli/main.ts'), args, env);
    expect(built).toEqual(sources);
    expect(built.stdout + built.stderr).not.toBe('');
  });
});

describe('bin/snowtorch.js', () => {
  // A project of its own: the real launcher, a "build" and "sources" that say which one ran.
  let project: string;
  let startedAt: number;
  const launch = (extra: NodeJS.ProcessEnv = {}) =>
    node(join(project, 'bin/snowtorch.js'), [], {
      ...process.env,
      SNOWTORCH_FROM_SOURCES: '',
      ...extra,
    });
  const setTime = (path: string, ms: number) => utimes(join(project, path), ms / 1000, ms / 1000);

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'snowtorch-launcher-'));
    for (const dir of ['bin', 'dist/cli', 'src/cli/commands']) {
      await mkdir(join(project, dir), { recursive: true });
    }
    await copyFile(LAUNCHER, join(project, 'bin/snowtorch.js'));
    await writeFile(join(project, 'package.json'), '{"type":"module"}\n');
    await writeFile(join(project, 'dist/cli/main.cjs'), "console.log('build');\n");
    await writeFile(join(project, 'src/cli/main.ts'), "console.log('sources');\n");
    await writeFile(join(project, 'src/cli/commands/status.ts'), 'export {};\n');
  });
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  /** Every input an hour old, the build made a minute ago. */
  async function freshBuild() {
    const hourAgo = Date.now() - 3_600_000;
    startedAt = Date.now() - 60_000;
    const inputs = ['package.json', 'src/cli/commands/status.ts', 'src/cli/main.ts'];
    await writeFile(join(project, 'dist/cli/build.json'), JSON.stringify({ startedAt, inputs }));
    for (const p of ['package.json', 'src/cli/main.ts', 'src/cli/commands/status.ts']) {
      await setTime(p, hourAgo);
    }
  }

  it('runs the build while no input changed since it started', async () => {
    await freshBuild();
    expect((await launch()).stdout).toBe('build\n');
  });

  it('runs the sources once a source it was made from is newer than the build', async () => {
    await freshBuild();
    await setTime('src/cli/commands/status.ts', startedAt + 1);
    expect((await launch()).stdout).toBe('sources\n');
  });

  it('runs the sources once package.json is newer than the build', async () => {
    await freshBuild();
    await setTime('package.json', startedAt + 1);
    expect((await launch()).stdout).toBe('sources\n');
  });

  it('runs the sources once a source the build was made from is gone', async () => {
    await freshBuild();
    await rename(join(project, 'src/cli/commands/status.ts'), join(project, 'src/cli/status.ts'));
    try {
      expect((await launch()).stdout).toBe('sources\n');
    } finally {
      await rename(join(project, 'src/cli/status.ts'), join(project, 'src/cli/commands/status.ts'));
    }
  });

  it('runs the sources when asked to, or when there is no build', async () => {
    await freshBuild();
    expect((await launch({ SNOWTORCH_FROM_SOURCES: '1' })).stdout).toBe('sources\n');
    await rm(join(project, 'dist/cli/build.json'));
    expect((await launch()).stdout).toBe('sources\n');
  });

  it('runs the build where there are no sources to compare (the container image)', async () => {
    await freshBuild();
    await setTime('package.json', startedAt + 1);
    await rename(join(project, 'src'), join(project, 'src.away'));
    try {
      expect((await launch()).stdout).toBe('build\n');
    } finally {
      await rename(join(project, 'src.away'), join(project, 'src'));
    }
  });
});
