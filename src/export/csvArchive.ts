import { Readable } from 'node:stream';
import yazl from 'yazl';
import type { Db } from '../db/database.ts';
import { listTableColumns, type TableColumn } from '../db/queries/listTableColumns.ts';
import { listTypedRows } from '../db/queries/listTypedRows.ts';
import type { DataType } from '../oura/routes.ts';
import { csvRecord } from './csv.ts';
import { columnUnit, EXPORT_TABLES, type ExportTable } from './exportTables.ts';
import type { ExportOptions } from './options.ts';

interface CsvFile {
  dataType: DataType;
  table: ExportTable;
  /** The table's columns but user_id: an export holds one person's rows only. */
  columns: TableColumn[];
}

/**
 * The typed tables of one user as a zip: `README.md` (files, columns, units) and one
 * `<data type>.csv` per type. Streamed end to end: yazl deflates one entry at a time and pulls
 * the next batch of rows only when the reader has taken the previous output, so memory stays
 * flat whatever the history's length.
 */
export async function csvArchive(
  db: Db,
  userId: number,
  opts: ExportOptions,
  now = new Date(),
): Promise<Readable> {
  const files: CsvFile[] = [];
  for (const dataType of opts.types) {
    const table = EXPORT_TABLES[dataType];
    const columns = (await listTableColumns(db, table.table)).filter((c) => c.name !== 'user_id');
    files.push({ dataType, table, columns });
  }
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(readme(files, opts, now)), 'README.md', { mtime: now });
  for (const file of files) {
    zip.addReadStream(Readable.from(csvLines(db, userId, file, opts)), `${file.dataType}.csv`, {
      mtime: now,
    });
  }
  zip.end();
  // yazl's output is a PassThrough (typed as the NodeJS interface).
  const output = zip.outputStream as Readable;
  // A failing query surfaces on the zip file, not on its output: end the download with it.
  zip.on('error', (error: Error) => output.destroy(error));
  return output;
}

async function* csvLines(
  db: Db,
  userId: number,
  file: CsvFile,
  opts: ExportOptions,
): AsyncGenerator<string> {
  const names = file.columns.map((c) => c.name);
  yield csvRecord(names);
  const batches = listTypedRows(
    db,
    userId,
    {
      table: file.table.table,
      columns: names,
      key: file.table.key,
      range: file.table.range,
      ...(opts.since ? { since: opts.since } : {}),
      ...(opts.until ? { until: opts.until } : {}),
    },
    file.table.batchSize,
  );
  for await (const rows of batches) {
    yield rows.map((r) => csvRecord(names.map((n) => r[n]))).join('');
  }
}

function readme(files: readonly CsvFile[], opts: ExportOptions, now: Date): string {
  const span =
    opts.since || opts.until
      ? `Days ${opts.since ?? 'from the first'} to ${opts.until ?? 'the last'} (inclusive; heart rate and battery by UTC day; ring configuration whole).`
      : 'The whole stored history.';
  const lines = [
    '# Snowtorch export',
    '',
    `Exported ${now.toISOString()}. ${span}`,
    '',
    'One CSV file per data type (RFC 4180, UTF-8, header row, comma-separated).',
    'Instants are ISO 8601 in UTC; each row keeps the UTC offset of its own local time.',
    'Empty fields are values Oura did not send. Sample series (`*_items`) are JSON arrays.',
    'These are the typed tables; the documents exactly as Oura sent them are in the NDJSON export.',
  ];
  for (const f of files) {
    lines.push(
      '',
      `## ${f.dataType}.csv`,
      '',
      '| column | type | unit / meaning |',
      '|---|---|---|',
    );
    for (const c of f.columns)
      lines.push(`| ${c.name} | ${c.type} | ${columnUnit(c.name, c.type)} |`);
  }
  return `${lines.join('\n')}\n`;
}
