import type { Insertable } from 'kysely';
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

/** Every column of a row, nullable ones included, so multi-row inserts share one column list. */
export type ProjectionRow<T extends ProjectionTable> = Required<Insertable<Database[T]>>;

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
