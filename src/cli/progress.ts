import type { SyncProgressEvent, SyncRunSummary } from '../sync/types.ts';

/**
 * Sync progress for the terminal. On a TTY: one live line per data type (bar, documents,
 * windows, ETA), redrawn in place with ANSI escapes at most every `throttleMs`. Otherwise
 * (piped, CI, logs): plain lines when a type starts, passes each quarter, finishes or fails.
 */

export interface ProgressDisplay {
  onProgress(event: SyncProgressEvent): void;
  /** Stop redrawing and leave the final state on screen. */
  finish(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Force live (true) or plain (false) output; default: live when the stream is a TTY. */
  live?: boolean;
  throttleMs?: number;
  /** Who is being synced, for plain lines (default "user <id>"). */
  label?: string;
}

const BAR_WIDTH = 20;
const ESC = '\x1b[';

function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `ETA ${m}:${String(s % 60).padStart(2, '0')}`;
}

function bar(done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

/**
 * 12345 -> "12,345", as toLocaleString('en-US') writes it, without touching Intl: its ICU data
 * would add about 6 MB to a sync's resident memory for a thousands separator.
 */
export const num = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const plural = (n: number, word: string) => `${num(n)} ${word}${n === 1 ? '' : 's'}`;

export function formatProgressLine(e: SyncProgressEvent, nameWidth: number): string {
  const name = e.dataType.padEnd(nameWidth);
  switch (e.phase) {
    case 'pending':
      return `${name} waiting`;
    case 'done':
      return `${name} ${bar(1, 1)} done ${num(e.documents)} docs in ${plural(e.windowsDone, 'window')}`;
    case 'failed':
      return `${name} failed: ${e.message ?? 'error'}`;
    case 'skipped':
      return `${name} skipped${e.message ? `: ${e.message}` : ''}`;
    default:
      return [
        name,
        bar(e.windowsDone, e.windowsTotal),
        `${e.windowsDone}/${e.windowsTotal || '?'} windows`,
        `${num(e.documents)} docs`,
        formatEta(e.etaSeconds),
      ]
        .filter(Boolean)
        .join(' ');
  }
}

export function createProgressDisplay(opts: ProgressOptions = {}): ProgressDisplay {
  const stream = opts.stream ?? process.stdout;
  const live = opts.live ?? stream.isTTY === true;
  const throttleMs = opts.throttleMs ?? 100;
  const latest = new Map<string, SyncProgressEvent>();
  const nameWidth = () => Math.max(12, ...[...latest.keys()].map((k) => k.length));

  if (!live) {
    const quarter = new Map<string, number>();
    return {
      onProgress(e) {
        const prev = latest.get(e.dataType);
        latest.set(e.dataType, e);
        const user = opts.label ?? `user ${e.userId}`;
        if (e.phase === 'fetching' && prev?.phase !== 'fetching') {
          const range = e.range ? ` ${e.range.from}..${e.range.to}` : '';
          stream.write(`${user} ${e.dataType}: fetching${range}\n`);
        } else if (e.phase === 'fetching' && e.windowsTotal > 0) {
          const q = Math.floor((e.windowsDone / e.windowsTotal) * 4);
          if (q > (quarter.get(e.dataType) ?? 0) && q < 4) {
            quarter.set(e.dataType, q);
            const eta = formatEta(e.etaSeconds);
            stream.write(
              `${user} ${e.dataType}: ${e.windowsDone}/${e.windowsTotal} windows, ${num(e.documents)} docs${eta ? `, ${eta}` : ''}\n`,
            );
          }
        } else if (e.phase !== 'fetching' && e.phase !== 'pending' && prev?.phase !== e.phase) {
          stream.write(`${user} ${formatProgressLine(e, e.dataType.length)}\n`);
        }
      },
      finish() {},
    };
  }

  let drawnLines = 0;
  let timer: NodeJS.Timeout | undefined;
  let lastDraw = 0;
  const draw = () => {
    timer = undefined;
    lastDraw = Date.now();
    const width = stream.columns && stream.columns > 20 ? stream.columns - 1 : 100;
    const w = nameWidth();
    // Lines are cut to the terminal width: a wrapped line would break the cursor arithmetic.
    const lines = [...latest.values()].map((e) => formatProgressLine(e, w).slice(0, width));
    let out = drawnLines > 0 ? `${ESC}${drawnLines}F` : '';
    for (const line of lines) out += `${ESC}2K${line}\n`;
    stream.write(out);
    drawnLines = lines.length;
  };
  return {
    onProgress(e) {
      latest.set(e.dataType, e);
      if (timer) return;
      const wait = Math.max(0, throttleMs - (Date.now() - lastDraw));
      timer = setTimeout(draw, wait);
    },
    finish() {
      if (timer) clearTimeout(timer);
      if (latest.size) draw();
    },
  };
}

/** A finished run as a short table: per type what was fetched and what changed. */
export function formatRunSummary(s: SyncRunSummary, userName: string): string {
  const seconds = ((s.finishedAt.getTime() - s.startedAt.getTime()) / 1000).toFixed(1);
  const lines = [`${userName}: ${s.status} in ${seconds} s, ${num(s.requests)} requests`];
  const header = ['type', 'fetched', 'new', 'changed', 'same', 'deleted', 'invalid', 'requests'];
  const rows = Object.entries(s.counts).map(([type, c]) => [
    type,
    ...[c.fetched, c.inserted, c.updated, c.unchanged, c.deleted, c.invalid, c.requests].map(num),
  ]);
  if (rows.length) {
    const widths = header.map((h, i) =>
      Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)),
    );
    const fmt = (r: string[]) =>
      `  ${r.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ')}`;
    lines.push(fmt(header), ...rows.map(fmt));
  }
  if (s.skipped.length) lines.push(`  skipped (scope not granted): ${s.skipped.join(', ')}`);
  const shown = s.errors.slice(0, 10);
  if (shown.length) {
    lines.push('  errors:');
    for (const e of shown) {
      lines.push(`    ${e.dataType}${e.docId ? ` ${e.docId}` : ''}: ${e.code}: ${e.message}`);
    }
    if (s.errors.length > shown.length)
      lines.push(`    ... ${s.errors.length - shown.length} more`);
  }
  if (s.message && s.status !== 'succeeded') lines.push(`  ${s.message}`);
  return lines.join('\n');
}
