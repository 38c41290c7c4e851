import type { Insertable, Selectable } from 'kysely';
import type { DocumentDataType } from '../../oura/routes.ts';
import type { Database } from '../schema.ts';
import type { Doc } from './values.ts';

export {
  type DocumentDataType,
  isTimeSeriesType,
  type TimeSeriesDataType,
} from '../../oura/routes.ts';

export type DocumentTable =
  | 'sleep_period'
  | 'daily_sleep'
  | 'daily_readiness'
  | 'daily_activity'
  | 'daily_spo2'
  | 'daily_stress'
  | 'daily_resilience'
  | 'daily_cardiovascular_age'
  | 'vo2_max'
  | 'workout'
  | 'session'
  | 'sleep_time'
  | 'enhanced_tag'
  | 'tag'
  | 'rest_mode_period'
  | 'ring_configuration';

export type SampleTable = 'heart_rate_sample' | 'battery_sample';
export type ProjectionTable = DocumentTable | SampleTable;

/** The JSON value a jsonb column reads back as (an array or object), or never for other columns. */
type JsonbValue<S> =
  NonNullable<S> extends readonly unknown[]
    ? S
    : NonNullable<S> extends Date
      ? never
      : NonNullable<S> extends Record<string, unknown>
        ? S
        : never;

/**
 * Every column of a row, nullable ones included, so multi-row inserts share one column list. A
 * jsonb column holds its JSON value itself, as upsertRows (rows.ts) writes it, not its text.
 */
export type ProjectionRow<T extends ProjectionTable> = Required<{
  [K in keyof Insertable<Database[T]>]: K extends keyof Selectable<Database[T]>
    ? [JsonbValue<Selectable<Database[T]>[K]>] extends [never]
      ? Insertable<Database[T]>[K]
      : readonly unknown[] | Readonly<Record<string, unknown>> | null
    : Insertable<Database[T]>[K];
}>;

/** Where a document sits in time, for raw_document.day / utc_offset_minutes. */
export interface DocumentPlace {
  day: string | null;
  utcOffsetMinutes: number | null;
}

export interface Projection<T extends DocumentTable> {
  readonly dataType: DocumentDataType;
  readonly table: T;
  place(doc: Doc): DocumentPlace;
  /** Throws ProjectionError on a bad value. */
  toRow(userId: number, doc: Doc): ProjectionRow<T>;
}

/** A projection with its table type erased, for the registry. */
export interface AnyProjection {
  readonly dataType: DocumentDataType;
  readonly table: DocumentTable;
  place(doc: Doc): DocumentPlace;
  toRow(userId: number, doc: Doc): Record<string, unknown>;
}

export function defineProjection<T extends DocumentTable>(p: Projection<T>): AnyProjection {
  return p;
}
