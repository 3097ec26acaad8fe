// The backend names, apart from backend.ts so that checking an option loads no tfjs.
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

export interface BackendInfo {
  name: BackendName;
  tfjsVersion: string;
}
