// How the measured path reports that work advances, without knowing who draws it.
/** `done` of `total` steps of the phase named, e.g. 120 of 514 'layers measured'. */
export type OnProgress = (done: number, total: number, phase: string) => void;
