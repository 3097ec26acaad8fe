// What the page and its worker say to each other. Files travel as File objects: a handle to
// the user's file, not a copy of its bytes.
import type { RawSpecOptions } from '../src/model/spec';

/** A file the user dropped or picked, with its path inside the folder given (a TF.js model's shards beside its model.json). */
export interface GivenFile {
  path: string;
  file: File;
}

/** How the result is shown and exported: the CLI's --depth, --top and the convention listed first. */
export interface ViewOptions {
  depth: number | undefined;
  top: number | undefined;
  /** The convention --top ranks by and markdown lists first. */
  convention: string;
}

export interface RunRequest {
  type: 'run';
  id: number;
  /** The CLI's option values: `file` names one of `files` (its path). */
  raw: RawSpecOptions;
  files: GivenFile[];
  measure: boolean;
  view: ViewOptions;
}

/** The last profile again, shown another way (no counting again). */
export interface RenderRequest {
  type: 'render';
  id: number;
  view: ViewOptions;
}

export type Request = RunRequest | RenderRequest;

export interface RuleText {
  key: string;
  rule: string;
  skipped: boolean;
}

/** Everything the page shows of one profile; every document as the CLI prints it. */
export interface View {
  title: string;
  /** The command line that prints the same documents. */
  command: string[];
  json: string;
  markdown: string;
  csv: string;
  /** The table as the terminal shows it. */
  table: string;
  /** Each op kind's rule under each convention, for explain. */
  rules: Record<string, RuleText[]>;
  conventions: { key: string; unit: string; source: string }[];
  /** The cost-by-op-kind chart of report.md, as SVG. */
  chart: string | undefined;
  /** Seconds the work took in the worker. */
  seconds: number;
}

export type Reply =
  | { type: 'ready'; networks: string[] }
  | { type: 'progress'; id: number; done: number; total: number; phase: string }
  | { type: 'result'; id: number; view: View }
  | { type: 'error'; id: number; message: string };
