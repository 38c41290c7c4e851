/**
 * One export or backup in its own process, so its peak RSS is its own: prints
 * {bytes, seconds, maxRssMb} as JSON. Args: DATABASE_URL USER_ID csv|ndjson|backup OUT [SINCE]
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { backupDatabase } from '../src/db/backup/backup.ts';
import { openDatabase } from '../src/db/database.ts';
import { exportStream } from '../src/export/exportStream.ts';
import { parseExportOptions } from '../src/export/options.ts';

const [url = '', userId = '0', format = 'csv', out = '', since] = process.argv.slice(2);
const database = await openDatabase({ kind: 'postgres', connectionString: url, ssl: false });
const t = performance.now();
if (format === 'backup') {
  await backupDatabase(database, out);
} else {
  const opts = parseExportOptions({ format, types: 'heartrate', since });
  const { stream } = await exportStream(database.db, Number(userId), opts);
  await pipeline(stream, createWriteStream(out));
}
const seconds = (performance.now() - t) / 1000;
await database.close();
const { size } = await stat(out);
// resourceUsage().maxRSS is in kilobytes.
console.log(
  JSON.stringify({ bytes: size, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }),
);
