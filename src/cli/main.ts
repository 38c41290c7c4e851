/**
 * `snowtorch <command>`: one file per command group under commands/, loaded on demand so
 * `snowtorch --help` stays instant and a command pulls in only what it uses.
 */
const COMMANDS: Record<
  string,
  { summary: string; load: () => Promise<(argv: string[]) => Promise<void>> }
> = {
  demo: {
    summary: 'Run the demo: Oura simulator + sync into the embedded PostgreSQL + dashboard',
    load: async () => (await import('./commands/demo.ts')).runDemoCommand,
  },
  serve: {
    summary: 'Serve the dashboard and JSON API (SNOWTORCH_HOST, SNOWTORCH_PORT)',
    load: async () => (await import('./commands/serve.ts')).runServeCommand,
  },
  connect: {
    summary: 'Connect an Oura account with OAuth2 from the terminal',
    load: async () => (await import('./commands/connect.ts')).runConnectCommand,
  },
  sync: {
    summary: 'Fetch new and changed data from Oura (whole history on first run)',
    load: async () => (await import('./commands/sync.ts')).runSyncCommand,
  },
  status: {
    summary: 'Show what is stored per user and data type, and the last sync runs',
    load: async () => (await import('./commands/status.ts')).runStatusCommand,
  },
  report: {
    summary: 'Print the weekly report (--week [--user NAME] [--format md|html])',
    load: async () => (await import('./commands/report.ts')).runReportCommand,
  },
  backup: {
    summary: 'Back up the whole database to one file while Snowtorch runs',
    load: async () => (await import('./commands/backup.ts')).runBackupCommand,
  },
  restore: {
    summary: 'Restore a backup into an empty database, checked table by table',
    load: async () => (await import('./commands/backup.ts')).runRestoreCommand,
  },
  export: {
    summary: "Write one person's data to a file: raw NDJSON or typed CSV tables (zipped)",
    load: async () => (await import('./commands/export.ts')).runExportCommand,
  },
  migrate: {
    summary: 'Apply database migrations (also done at start-up)',
    load: async () => (await import('./commands/migrate.ts')).runMigrateCommand,
  },
  rebuild: {
    summary: 'Re-derive every typed table from the stored raw documents',
    load: async () => (await import('./commands/rebuild.ts')).runRebuildCommand,
  },
  simulator: {
    summary: 'Run the Oura API simulator (for demos, tests and benchmarks)',
    load: async () => (await import('./commands/simulator.ts')).runSimulatorCommand,
  },
  webhooks: {
    summary: 'Create, renew, list or delete the Oura webhook subscriptions (sync|list|delete-all)',
    load: async () => (await import('./commands/webhooks.ts')).runWebhooksCommand,
  },
  users: {
    summary: 'Dashboard accounts: list, create, reset-password, delete, login-link',
    load: async () => (await import('./commands/users.ts')).runUsersCommand,
  },
  db: {
    summary: 'The embedded PostgreSQL in SNOWTORCH_DATA_DIR: status, start, stop',
    load: async () => (await import('./commands/db.ts')).runDbCommand,
  },
  'rotate-key': {
    summary: 'Re-encrypt the stored Oura tokens with a new SNOWTORCH_SECRET_KEY',
    load: async () => (await import('./commands/rotateKey.ts')).runRotateKeyCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: snowtorch <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `snowtorch <command> --help` for the options of one command.',
    'Configuration comes from the environment; see .env.example.',
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  if (name === '--version' || name === '-v') {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`snowtorch: unknown command "${name}"\n\n${usage()}\n`);
    process.exitCode = 2;
    return;
  }
  const run = await command.load();
  await run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Matched by name: importing the config module here would load zod for `--help` too.
  if (
    error instanceof Error &&
    (error.name === 'ConfigError' ||
      error.name === 'UsageError' ||
      error.name === 'EmbeddedDatabaseError')
  ) {
    process.stderr.write(`snowtorch: ${error.message}\n`);
  } else {
    process.stderr.write(
      `snowtorch: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
