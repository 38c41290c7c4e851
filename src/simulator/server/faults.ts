import type { DataType } from '../../oura/routes.ts';
import type { DocumentDataType } from '../data/index.ts';

/**
 * Switches that make the simulator misbehave the ways the real API can. Counters ("...Next")
 * apply to the next N data requests (`/v2/usercollection/*`, `/v2/sandbox/*`) and count down.
 */
export interface FaultControls {
  /** Extra delay before every API response, in ms. */
  latencyMs: number;
  /** Probability (0..1) that a data request answers 500. */
  fail5xxRate: number;
  /** Next N data requests answer 500. */
  fail5xxNext: number;
  /** Next N data requests never answer (they hang until the client gives up). */
  timeoutNext: number;
  /** Next N successful data responses have their JSON body cut in the middle. */
  truncateNext: number;
  /** Next N data requests answer 429 with the rate-limit headers. */
  rateLimitNext: number;
  /** Next N data requests answer 426: the user's Oura app is too old to share that data. */
  appUpdateNext: number;
  /** Next N non-empty list pages carry one document with a field of the wrong type. */
  malformedNext: number;
  /** Limit `malformedNext` to list pages of this data type (null: any route). */
  malformedType: DataType | null;
  /** Every access token issued so far expires now (refresh tokens keep working). */
  expireTokensNow(): void;
  /** Revise the user's `n` most recent documents of a type; returns their ids. */
  changeDocuments(user: string, type: DocumentDataType, n: number): string[];
  /** Delete the user's `n` most recent documents of a type; returns their ids. */
  deleteDocuments(user: string, type: DocumentDataType, n: number): string[];
  /** Turn every switch off. */
  reset(): void;
}

export const FAULT_COUNTERS = [
  'fail5xxNext',
  'timeoutNext',
  'truncateNext',
  'rateLimitNext',
  'appUpdateNext',
  'malformedNext',
] as const;
export type FaultCounter = (typeof FAULT_COUNTERS)[number];

export interface FaultActions {
  expireTokensNow(): void;
  changeDocuments(user: string, type: DocumentDataType, n: number): string[];
  deleteDocuments(user: string, type: DocumentDataType, n: number): string[];
}

export class FaultState implements FaultControls {
  latencyMs: number;
  fail5xxRate = 0;
  fail5xxNext = 0;
  timeoutNext = 0;
  truncateNext = 0;
  rateLimitNext = 0;
  appUpdateNext = 0;
  malformedNext = 0;
  malformedType: DataType | null = null;
  readonly #baseLatencyMs: number;
  readonly #actions: FaultActions;

  constructor(actions: FaultActions, latencyMs = 0) {
    this.#actions = actions;
    this.#baseLatencyMs = latencyMs;
    this.latencyMs = latencyMs;
  }

  /** Consume one count of a counter; true when the fault fires for this request. */
  take(counter: FaultCounter): boolean {
    if (this[counter] <= 0) return false;
    this[counter]--;
    return true;
  }

  /** Whether this data request should fail with a 5xx (counter first, then the rate). */
  takeFailure(): boolean {
    return this.take('fail5xxNext') || (this.fail5xxRate > 0 && Math.random() < this.fail5xxRate);
  }

  expireTokensNow(): void {
    this.#actions.expireTokensNow();
  }

  changeDocuments(user: string, type: DocumentDataType, n: number): string[] {
    return this.#actions.changeDocuments(user, type, n);
  }

  deleteDocuments(user: string, type: DocumentDataType, n: number): string[] {
    return this.#actions.deleteDocuments(user, type, n);
  }

  reset(): void {
    this.latencyMs = this.#baseLatencyMs;
    this.fail5xxRate = 0;
    for (const counter of FAULT_COUNTERS) this[counter] = 0;
    this.malformedType = null;
  }

  toJSON(): Record<string, number | string | null> {
    return {
      latencyMs: this.latencyMs,
      fail5xxRate: this.fail5xxRate,
      fail5xxNext: this.fail5xxNext,
      timeoutNext: this.timeoutNext,
      truncateNext: this.truncateNext,
      rateLimitNext: this.rateLimitNext,
      appUpdateNext: this.appUpdateNext,
      malformedNext: this.malformedNext,
      malformedType: this.malformedType,
    };
  }
}
