import type { CopySession } from './copySession.ts';

/** Kysely's own bookkeeping: recreated by migrating the target, never copied. */
const MIGRATOR_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

export interface CatalogTable {
  name: string;
  /** Stored columns in declared order (generated columns are derived, not copied). */
  columns: string[];
  /** Primary-key columns: the row order that makes a table's copy, and its hash, repeatable. */
  key: string[];
  /** Identity or serial columns whose sequence must follow the restored rows. */
  sequences: { column: string; sequence: string }[];
}

/**
 * Every table of the public schema, parents before children (foreign keys), so COPY FROM in
 * this order never meets a row whose parent is missing.
 */
export async function readCatalog(session: CopySession): Promise<CatalogTable[]> {
  const tables = await session.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY c.relname`,
  );
  const columns = await session.query<{
    table: string;
    column: string;
    key: boolean;
    seq: string | null;
  }>(
    `SELECT c.relname AS table, a.attname AS column,
            COALESCE(a.attnum = ANY (i.indkey), false) AS key,
            pg_get_serial_sequence(format('public.%I', c.relname), a.attname) AS seq
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attgenerated = ''
     ORDER BY c.relname, a.attnum`,
  );
  const edges = await session.query<{ child: string; parent: string }>(
    `SELECT DISTINCT c.relname AS child, p.relname AS parent
     FROM pg_constraint k
     JOIN pg_class c ON c.oid = k.conrelid
     JOIN pg_class p ON p.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE k.contype = 'f' AND n.nspname = 'public' AND c.oid <> p.oid`,
  );
  const byName = new Map<string, CatalogTable>();
  for (const { name } of tables) {
    if (MIGRATOR_TABLES.has(name)) continue;
    byName.set(name, { name, columns: [], key: [], sequences: [] });
  }
  for (const c of columns) {
    const t = byName.get(c.table);
    if (!t) continue;
    t.columns.push(c.column);
    if (c.key) t.key.push(c.column);
    if (c.seq) t.sequences.push({ column: c.column, sequence: c.seq });
  }
  return dependencyOrder(byName, edges);
}

function dependencyOrder(
  tables: Map<string, CatalogTable>,
  edges: readonly { child: string; parent: string }[],
): CatalogTable[] {
  const ordered: CatalogTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new Error(`Foreign keys form a cycle through ${name}: no safe restore order`);
    }
    state.set(name, 'visiting');
    for (const e of edges) if (e.child === name && tables.has(e.parent)) visit(e.parent);
    state.set(name, 'done');
    const t = tables.get(name);
    if (t) ordered.push(t);
  };
  for (const name of [...tables.keys()].sort()) visit(name);
  return ordered;
}

/** PostgreSQL identifier quoting (names come from the catalogue, never from input). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The canonical copy of a table: its stored columns in key order, COPY text format. */
export function copyOutStatement(t: CatalogTable): string {
  const cols = t.columns.map(ident).join(', ');
  const order = (t.key.length > 0 ? t.key : t.columns).map(ident).join(', ');
  return `COPY (SELECT ${cols} FROM ${ident(t.name)} ORDER BY ${order}) TO STDOUT`;
}

/**
 * Session settings that make COPY text output the same bytes on every server and client: time
 * stamps in UTC, ISO dates, floats that round-trip exactly.
 */
export const CANONICAL_SETTINGS = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 1',
  "SET LOCAL bytea_output = 'hex'",
];
