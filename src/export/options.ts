import { DATA_TYPES, type DataType, isDataType } from '../oura/routes.ts';

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What to export: checked once, shared by `snowtorch export` and `GET /api/export`. */
export interface ExportOptions {
  format: ExportFormat;
  /** Data types in registry order (all when none were asked for). */
  types: readonly DataType[];
  /** Inclusive local days (time series: UTC days). */
  since?: string;
  until?: string;
}

/** A wrong export option; the message names the option and what it accepts. */
export class ExportOptionError extends Error {
  override name = 'ExportOptionError';
  readonly details: Record<string, unknown>;
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.details = details;
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const d = new Date(`${raw}T00:00:00Z`);
  if (!DAY.test(raw) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw) {
    throw new ExportOptionError(`${name} must be a day as YYYY-MM-DD, got "${raw}".`, {
      [name]: raw,
    });
  }
  return raw;
}

export function parseExportOptions(raw: {
  format?: string | undefined;
  types?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}): ExportOptions {
  const format = raw.format ?? 'ndjson';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new ExportOptionError(`format must be csv or ndjson, got "${format}".`, { format });
  }
  const asked = (raw.types ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const unknown = asked.filter((t) => !isDataType(t));
  if (unknown.length > 0) {
    throw new ExportOptionError(
      `Unknown data type: ${unknown.join(', ')}. Known types: ${DATA_TYPES.join(', ')}.`,
      { unknown },
    );
  }
  const types = asked.length === 0 ? DATA_TYPES : DATA_TYPES.filter((t) => asked.includes(t));
  const since = parseDay('since', raw.since);
  const until = parseDay('until', raw.until);
  if (since && until && since > until) {
    throw new ExportOptionError(`since (${since}) is after until (${until}).`, { since, until });
  }
  return {
    format: format as ExportFormat,
    types,
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

/** The download's file name: `snowtorch-export-<user>-<day>.zip|ndjson`, header-safe. */
export function exportFileName(userName: string, today: string, format: ExportFormat): string {
  const part = userName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'user';
  return `snowtorch-export-${part}-${today}.${format === 'csv' ? 'zip' : 'ndjson'}`;
}
