/**
 * `npm run bench`: every benchmark, figures printed and written to docs/benchmarks.md.
 *   npm run bench -- --only versus,cli,sync,ingest,dashboard,export
 * Needs PostgreSQL at 127.0.0.1:5432 (SNOWTORCH_BENCH_PG_URL overrides) for the PostgreSQL rows.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { cliStartMarkdown, runCliStartBench } from './cliStart.ts';
import { EXPORT_HEAP_CAP_MB, EXPORT_YEARS, exportBenchMarkdown, runExportBench } from './export.ts';
import { ingestBenchMarkdown, runIngestBench } from './ingest.ts';
import { runSyncBench, SYNC_DAYS, syncBenchMarkdown } from './sync.ts';
import { runVersusNaiveBench, versusNaiveMarkdown } from './versusNaive.ts';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = new Set((values.only ?? 'versus,cli,sync,ingest,dashboard').split(','));
const DOC = new URL('../docs/benchmarks.md', import.meta.url);

/** Replace (or append) the section between `<!-- bench:NAME -->` markers in the report. */
async function writeSection(name: string, body: string): Promise<void> {
  let text = '';
  try {
    text = await readFile(DOC, 'utf8');
  } catch {
    text = '# Benchmarks\n\nWritten by `npm run bench`; each section is replaced when it runs.\n';
  }
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const re = new RegExp(`${start}[\\s\\S]*?${end}`);
  text = re.test(text) ? text.replace(re, block) : `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(DOC, text);
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, measured ${new Date().toISOString().slice(0, 10)}`;

if (only.has('versus')) {
  const rows = await runVersusNaiveBench();
  await writeSection(
    'versus',
    `## Sync against a naive ingester\n\n${SYNC_DAYS} days of one simulated user, simulator in its own process, ` +
      `PostgreSQL 15 at 127.0.0.1, first run (backfill) into an empty database each time. The naive ingester ` +
      `(\`bench/naive-ingester.ts\`) is the simplest correct one: one request at a time, each type's whole range, ` +
      `one INSERT per document (id, day, jsonb), one commit per type, no raw copy. Snowtorch is the real command, ` +
      `\`snowtorch sync\` started as \`./snowtorch\` starts it, in its own process; it keeps every document raw and ` +
      `typed, with windows, cursors and reconciliation. Both are timed the same way: from the start of their own ` +
      `work (connected, token in hand) to its end; the command's whole life, start to exit, is shown too. ` +
      `Each case runs three times, the two taking turns; the median run is shown. Targets: Snowtorch ÷ naive ` +
      `<= 0.5 at 0 ms and <= 0.35 at 50 ms simulated latency; requests within 1.05× of the minimum; peak RSS of ` +
      `the sync <= 100 MB. CPU is each process's own; PostgreSQL's and the simulator's are not counted.\n` +
      `Machine: ${machine}.\n\n${versusNaiveMarkdown(rows)}`,
  );
}
if (only.has('cli')) {
  const result = await runCliStartBench();
  await writeSection(
    'cli',
    `## CLI start\n\nTime from \`node bin/snowtorch.js <command>\` to its exit, with the launcher's flags. ` +
      `The launcher runs the build (dist/cli, bundled by \`scripts/build-cli.ts\`) while it is fresh and the ` +
      `TypeScript sources otherwise (\`SNOWTORCH_FROM_SOURCES=1\` here). It turns on Node's module compile ` +
      `cache: compiled modules are kept between runs, so only the first start after a change pays for them ` +
      `(the cold rows). Target: <= 0.3 s.\n` +
      `Machine: ${machine}.\n\n${cliStartMarkdown(result)}`,
  );
}
if (only.has('sync')) {
  const rows = await runSyncBench();
  await writeSection(
    'sync',
    `## Full sync\n\n${SYNC_DAYS} days of one simulated user, every route, simulator in its own process, ` +
      `first run (backfill) into an empty database. Targets: at 50 ms latency on PostgreSQL under 30 s; ` +
      `requests within 10% of the minimum (ratio <= 1.10); peak RSS under 300 MB on PostgreSQL. ` +
      `The sync runs with the V8 flags \`./snowtorch\` and the image set (\`--max-semi-space-size=4\`; ` +
      `without it V8's young generation alone adds about 100 MB to the peak).\n` +
      `Machine: ${machine}.\n\n${syncBenchMarkdown(rows)}`,
  );
}
if (only.has('ingest')) {
  const rows = await runIngestBench();
  await writeSection(
    'ingest',
    `## Heart-rate ingest\n\nThree years of 5-minute heart-rate rows stored through \`storeTimeSeries\` ` +
      `(one transaction per 30-day window, raw day documents kept) against a plain \`COPY\` of the ` +
      `same rows into the same table. Target: ratio >= 0.5.\nMachine: ${machine}.\n\n${ingestBenchMarkdown(rows)}`,
  );
}
if (only.has('export')) {
  const rows = await runExportBench();
  await writeSection(
    'export',
    `## Export and backup memory\n\n${EXPORT_YEARS} years of 5-minute heart rate (raw day documents kept) on ` +
      `PostgreSQL, exported in a process of its own (\`exportStream\` / \`backupDatabase\`, what ` +
      `\`snowtorch export\`, the Data page and \`snowtorch backup\` run), each with the V8 heap capped at ` +
      `${EXPORT_HEAP_CAP_MB} MB (\`--max-old-space-size\`): rows are streamed page by page, so five years finish ` +
      `under the same cap as one day; peak RSS includes Node itself (~100 MB for an empty run).\nMachine: ${machine}.\n\n${exportBenchMarkdown(rows)}`,
  );
}
if (only.has('dashboard')) {
  try {
    const mod = (await import('./dashboard.ts')) as { runDashboardBench?: () => Promise<string> };
    if (mod.runDashboardBench) {
      const markdown = await mod.runDashboardBench();
      await writeSection('dashboard', `## Dashboard\n\nMachine: ${machine}.\n\n${markdown}`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
}
