/** The simulated user's shape, shared by the generator and the dataset entry point. */
import type { DocumentDataType } from '../../oura/routes.ts';

export type { DocumentDataType } from '../../oura/routes.ts';

export interface SimUserData {
  /** 'demo' for user 0, then 'alex', 'sam', ... */
  name: string;
  personalInfo: {
    id: string;
    age: number;
    weight: number;
    height: number;
    biological_sex: string;
    email: string;
  };
  /** Every document-type route keyed by data type, each a Map id->document in day order. */
  documents: Record<DocumentDataType, Map<string, Record<string, unknown>>>;
  /** Heart-rate rows (spec `PublicHeartRateRow`) with timestamp in [startMs, endMs). */
  heartrate(startMs: number, endMs: number): Record<string, unknown>[];
  /** Battery rows (spec `PublicRingBatteryLevelRow`) with timestamp in [startMs, endMs). */
  batteryLevel(startMs: number, endMs: number): Record<string, unknown>[];
}
