/** The simulated user's shape, shared by the generator and the dataset entry point. */
import type { DocumentDataType } from '../../oura/routes.ts';
import type { PlantedTruth } from './episodes.ts';
import type { TagTruth } from './tagEffects.ts';

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
  /** The effects planted in this user's data (illness, short sleep, weekend shift). */
  truth(): PlantedTruth;
  /** The planted tag effects and tagged days (absent for hand-made datasets). */
  tagTruth?: () => TagTruth;
}
