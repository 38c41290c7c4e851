import type { RangeKey } from '../api/types.ts';
import { addDays, isValidDay } from '../insights/days.ts';
import { ApiError } from './errors.ts';

export const RANGE_KEYS: readonly RangeKey[] = ['7d', '30d', '90d', '1y', 'all'];
const SPAN: Record<Exclude<RangeKey, 'all'>, number> = { '7d': 7, '30d': 30, '90d': 90, '1y': 365 };

export const rangeQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    range: {
      type: 'string',
      enum: RANGE_KEYS,
      default: '90d',
      description: 'Time range ending on `end`',
    },
    end: {
      type: 'string',
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'Last day of the range (default: the latest day with data)',
    },
  },
} as const;

export interface RangeQuery {
  range?: RangeKey;
  end?: string;
}

/**
 * Resolves a range key to inclusive days. The range ends on the latest stored day (not the
 * server's today), so a history that stopped syncing still shows its last weeks.
 */
export function resolveRange(
  query: RangeQuery,
  span: { firstDay: string | null; lastDay: string | null },
  today: string,
): { key: RangeKey; from: string; to: string } {
  const key = query.range ?? '90d';
  if (query.end !== undefined && !isValidDay(query.end)) {
    throw new ApiError(
      400,
      'invalid_request',
      `end must be a real day 'YYYY-MM-DD', got '${query.end}'`,
    );
  }
  const to = query.end ?? span.lastDay ?? today;
  if (key === 'all') {
    const from = span.firstDay && span.firstDay < to ? span.firstDay : addDays(to, -6);
    return { key, from, to };
  }
  return { key, from: addDays(to, -(SPAN[key] - 1)), to };
}
