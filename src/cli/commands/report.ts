import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../../config/env.ts';
import { openDatabase } from '../../db/database.ts';
import { getOverview } from '../../db/queries/getOverview.ts';
import { findUserByName, listUsers } from '../../db/users.ts';
import { isValidDay } from '../../insights/days.ts';
import { weekReportHtml, weekReportMarkdown } from '../../reports/render.ts';
import { buildWeekReport } from '../../reports/week.ts';
import { migrateIfBehind } from '../schema.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const HELP = `Usage: snowtorch report --week [--user NAME] [--day YYYY-MM-DD] [--format md|html] [--out FILE]

The weekly report of one user: the week's averages against the 60 nights before it (with 95 %
intervals), best and worst night, sleep debt and bedtime window, Sleep Regularity Index and
social jetlag, flagged body-signal days and the tags logged. Weeks run Monday to Sunday
(wake-up days).

  --week          the weekly report (the only report so far)
  --user NAME     whose report (needed when there are several users)
  --day DAY       any day of the week to report (default: the week of the latest night)
  --format F      md (Markdown, default) or html (a standalone page)
  --out FILE      write to FILE instead of standard output
  --json          the report as JSON (the same as GET /api/insights/week)

Environment: DATABASE_URL or SQL_* (PostgreSQL), else the embedded database in SNOWTORCH_DATA_DIR.`;

export async function runReportCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs('report', argv, {
    week: { type: 'boolean' },
    user: { type: 'string', short: 'u' },
    day: { type: 'string' },
    format: { type: 'string', default: 'md' },
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (!values.week)
    throw new UsageError('report: say which report: --week (see snowtorch report --help)');
  if (values.format !== 'md' && values.format !== 'html')
    throw new UsageError(`report: --format must be md or html, got "${values.format}"`);
  if (values.day !== undefined && !isValidDay(values.day))
    throw new UsageError(`report: --day must be a real day YYYY-MM-DD, got "${values.day}"`);
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    await migrateIfBehind(database.db);
    let user: { id: number; name: string } | undefined;
    if (values.user !== undefined) {
      user = await findUserByName(database.db, values.user);
      if (!user) throw new UsageError(`report: no user named "${values.user}"`);
    } else {
      const users = await listUsers(database.db);
      if (users.length === 0) throw new UsageError('report: no users yet: run snowtorch connect');
      if (users.length > 1)
        throw new UsageError(
          `report: several users (${users.map((u) => u.name).join(', ')}): choose one with --user`,
        );
      user = users[0];
    }
    if (!user) return;
    const overview = await getOverview(database.db, user.id);
    const day = values.day ?? overview.lastNight;
    if (!day)
      throw new UsageError(`report: no nights stored for "${user.name}" yet: run snowtorch sync`);
    const report = await buildWeekReport(database.db, user, day);
    const text = values.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : values.format === 'html'
        ? weekReportHtml(report)
        : weekReportMarkdown(report);
    if (values.out) {
      await writeFile(values.out, text);
      process.stderr.write(`Wrote the week ${report.from} to ${report.to} to ${values.out}\n`);
    } else process.stdout.write(text);
  } finally {
    await database.close();
  }
}
