/**
 * postgresql.conf for the embedded server: one person's data on a small machine (a 1 GB droplet,
 * a Raspberry Pi), reached only through a Unix socket. Every value is about memory first:
 * the dashboard's working set (years of nights, a few hundred MB at most) is served well from
 * the OS page cache, so PostgreSQL's own caches stay small. Figures in docs/benchmarks.md.
 */
export const EMBEDDED_SETTINGS: Readonly<Record<string, string>> = {
  // No TCP at all: clients come through the socket in the data directory (see server.ts).
  listen_addresses: "''",
  unix_socket_permissions: '0700',
  // serve (pool of 5) + a sync and a few CLI commands beside it, with room to spare; each
  // slot costs shared memory whether used or not.
  max_connections: '30',
  // Default 128 MB: resident once touched, counted against the machine even when idle. Five
  // years of one person's data is ~100 MB on disk; the OS page cache holds what does not fit.
  shared_buffers: '16MB',
  // Per sort/hash node; the dashboard's largest sort (five years of daily rows) fits easily.
  work_mem: '4MB',
  maintenance_work_mem: '32MB',
  // Planner hint only (what the OS cache probably holds on a 1 GB machine).
  effective_cache_size: '256MB',
  // Bounds pg_wal on disk (default 1 GB); a full sync writes far less between checkpoints.
  max_wal_size: '256MB',
  min_wal_size: '32MB',
  // Parallel workers would double memory for queries that take milliseconds anyway.
  max_parallel_workers_per_gather: '0',
  max_worker_processes: '4',
  // PostgreSQL 18 starts three I/O worker processes by default; synchronous I/O needs none.
  io_method: "'sync'",
  autovacuum_max_workers: '2',
  jit: 'off',
  // Dates are stored and compared as calendar days; keep the session zone fixed.
  timezone: "'UTC'",
  log_timezone: "'UTC'",
};

/**
 * Extra settings for the suite's throwaway server: crash safety buys nothing for data that is
 * deleted after the run, and many test files connect at once.
 */
export const TEST_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '300',
  shared_buffers: '128MB',
};

export function settingsText(settings: Readonly<Record<string, string>>): string {
  return Object.entries(settings)
    .map(([k, v]) => `${k} = ${v}\n`)
    .join('');
}
