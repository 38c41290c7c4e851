/** Per call: documents (or samples) new, changed, identical to what was stored, and rejected. */
export interface StoreResult {
  inserted: number;
  updated: number;
  unchanged: number;
  invalid: number;
}
