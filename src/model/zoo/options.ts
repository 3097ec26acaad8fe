/** What every network builder takes: SE or its SE-free twin, and the SE reduction ratio. */
export interface NetOptions {
  se: boolean;
  reduction: number;
}
