// The page's engine, in a Web Worker so that the page stays responsive: the same spec builder,
// profile, measured check and renderers as the CLI (src/cli/profile.ts runs the same steps), so
// every document it hands back is byte for byte what `seprof` prints for the same options.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { CONVENTION_KEYS, conventionOf, type ConventionColumns, type ConventionKey } from '../src/analyzers/conventions';
import { explain } from '../src/analyzers/explain';
import { profile, type Profile } from '../src/analyzers/profile';
import { loadFileSupportWith } from '../src/model/file-support';
import { buildSpec, describeSpec, MODELS } from '../src/model/spec';
import { ZOO } from '../src/model/zoo';
import { renderCsv } from '../src/report/profile/csv';
import { renderJson } from '../src/report/profile/json';
import { renderMarkdown } from '../src/report/profile/markdown';
import { renderTable } from '../src/report/profile/table';
import { defaultDepth, type RenderOptions } from '../src/report/render-options';
import { opSplitChart } from '../src/report/report/charts';
import { toolVersion } from '../src/version';
import { pageOpener } from './browser-files';
import { commandLine } from './command';
import type { Reply, Request, RunRequest, View, ViewOptions } from './protocol';

// tfjs-backend-wasm fetches its .wasm files from beside this script (dist/web/).
setWasmPaths(new URL('./', self.location.href).href);

let last: { request: RunRequest; result: Profile; seconds: number } | undefined;

const post = (reply: Reply): void => self.postMessage(reply);

/** --conventions as the CLI reads it: the chosen one first, then the rest in their order. */
function columnsFor(convention: string): ConventionColumns {
  const first = CONVENTION_KEYS.find((k) => k === convention) ?? 'thop';
  return [first, ...CONVENTION_KEYS.filter((k) => k !== first)];
}

/** The chart's bar label: short (it has 200 pixels), the file, network or block. */
function chartName({ spec }: Profile): string {
  if (spec.block === 'file') return spec.file.slice(spec.file.lastIndexOf('/') + 1);
  return spec.block === 'network' ? spec.model : `${spec.block} block`;
}

function view(request: RunRequest, result: Profile, options: ViewOptions, seconds: number): View {
  const columns = columnsFor(options.convention);
  // Without --depth, the CLI's own default: a tree two deep for networks and files, except in CSV (one row per layer).
  const depth = (format: RenderOptions['format']): number | undefined => options.depth ?? (format === 'csv' ? undefined : defaultDepth(result.spec));
  const shown = (format: RenderOptions['format']): RenderOptions => ({ format, columns, toolVersion: toolVersion(), depth: depth(format), top: options.top });
  const explanation = explain(result, CONVENTION_KEYS, 'thop');
  const rules = Object.fromEntries(explanation.kinds.map((k) => [k.kind, k.forward.map((u) => ({ key: u.key, rule: u.rule, skipped: u.skipped }))]));
  const chart = opSplitChart([{ name: chartName(result), profile: result, seconds }], 'flops');
  return {
    title: describeSpec(result.spec),
    command: commandLine(request.raw, request.measure, options),
    json: renderJson(result, shown('json')),
    markdown: renderMarkdown(result, shown('markdown')),
    csv: renderCsv(result, shown('csv')),
    table: renderTable(result, shown('table')),
    rules,
    conventions: CONVENTION_KEYS.map((key: ConventionKey) => ({ key, unit: conventionOf(key).unit, source: conventionOf(key).source })),
    chart: chart?.svg,
    seconds,
  };
}

async function run(request: RunRequest): Promise<View> {
  const start = performance.now();
  if (request.raw.file !== undefined) await loadFileSupportWith(pageOpener(request.files));
  const spec = buildSpec(request.raw);
  const onProgress = (done: number, total: number, phase: string): void => post({ type: 'progress', id: request.id, done, total, phase });
  // The memory guard is the wasm heap's (what a tab can hold); a page cannot see free memory, which --max-memory's default reads.
  const result = await profile(spec, { measure: request.measure, backend: 'wasm', onProgress });
  const seconds = (performance.now() - start) / 1000;
  last = { request, result, seconds };
  return view(request, result, request.view, seconds);
}

/** A failure as the CLI's one line says it; an error that is no user's mistake keeps its kind. */
function message(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === 'UsageError' || error.name === 'IoError' ? error.message : `internal error: ${error.name}: ${error.message}`;
}

async function handle(request: Request): Promise<void> {
  try {
    if (request.type === 'run') {
      post({ type: 'result', id: request.id, view: await run(request) });
    } else {
      if (last === undefined) throw new Error('nothing profiled yet');
      post({ type: 'result', id: request.id, view: view(last.request, last.result, request.view, last.seconds) });
    }
  } catch (error) {
    post({ type: 'error', id: request.id, message: message(error) });
  }
}

// One request at a time, and only the newest of those waiting: the page shows the last one asked for.
let latest = 0;
let queue = Promise.resolve();
self.onmessage = (event: MessageEvent<Request>) => {
  const request = event.data;
  latest = request.id;
  queue = queue.then(() => (request.id === latest ? handle(request) : undefined));
};

post({ type: 'ready', networks: [...MODELS, ...ZOO.keys()] });
