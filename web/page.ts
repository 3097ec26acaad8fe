// The page: what to profile (files dropped or opened, or a built-in block or network), sent to
// the worker (worker.ts), and the result shown from the CLI's own JSON document. Plain DOM: every
// text from a user's file reaches the page through textContent, never as markup.
import type { RawSpecOptions } from '../src/model/spec';
import type { GivenFile, Reply, Request, View, ViewOptions } from './protocol';

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
};

let worker = startWorker();
let nextId = 1;
let pending = 0;
let given: GivenFile[] = [];
let addSe: string[] = [];
/** The last run's request and view: the view's controls re-render it, +SE runs it again. */
let lastRun: { raw: RawSpecOptions; measure: boolean; files: GivenFile[] } | undefined;
let lastView: View | undefined;

type JsonCount = number | string;
interface Counted {
  name: string;
  params: JsonCount;
  counts: Record<string, JsonCount>;
}
interface LayerJson extends Counted {
  op: string;
  outputShape: number[];
  buffers: JsonCount;
}
interface TreeJson extends Counted {
  depth: number;
}
interface TotalsJson {
  params: JsonCount;
  buffers: JsonCount;
  counts: Record<string, JsonCount>;
}
interface ProfileDocument {
  spec: { block: string };
  backend: { name: string; tfjsVersion: string } | null;
  layers: LayerJson[];
  totals: TotalsJson;
  overhead: { baseline: string; plainTotals: TotalsJson; added: TotalsJson } | null;
  check: { status: string; reason?: string; layers: number; mismatches: { layer: string; quantity: string; analytic: string; measured: string }[] };
  tree?: TreeJson[];
  top?: { convention: string; layers: string[] };
  file?: { notes: string[]; unsupported: { opType: string; nodes: string[] }[]; seBlocks: (Record<string, unknown> & { where: string; totals: TotalsJson })[] };
}

// ---------- small DOM helpers ----------

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

/** Exact counts with thousands separators; JSON carries those past 2^53 as decimal strings, which stay exact. */
const withCommas = (n: JsonCount): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function status(text: string, busy = false): void {
  $('status-text').textContent = text;
  $('progress').hidden = !busy;
  $('stop').hidden = !busy;
}

/** A mistake: one line, as the CLI says it, and no result of something else left beside it to export. */
function refuse(message: string): void {
  status(`seprof: ${message}`);
  $('result').hidden = true;
  lastView = undefined;
  document.body.dataset['state'] = 'error';
}

// ---------- the worker ----------

function send(request: Request): void {
  pending = request.id;
  document.body.dataset['state'] = 'busy';
  worker.postMessage(request);
}

function viewOptions(): ViewOptions {
  const whole = (id: string): number | undefined => {
    const value = $<HTMLInputElement>(id).value.trim();
    return value === '' ? undefined : Number(value);
  };
  return { depth: whole('depth'), top: whole('top'), convention: $<HTMLSelectElement>('convention').value || 'thop' };
}

function run(raw: RawSpecOptions, files: GivenFile[]): void {
  const measure = $<HTMLInputElement>('measure').checked;
  lastRun = { raw, measure, files };
  status(measure ? 'Counting, then running the model in TensorFlow.js…' : 'Counting…', true);
  send({ type: 'run', id: nextId++, raw, files, measure, view: viewOptions() });
}

function startWorker(): Worker {
  const started = new Worker('worker.js');
  started.onmessage = answered;
  return started;
}

/** Stops the work under way: the worker goes, a fresh one takes its place. */
function stop(): void {
  worker.terminate();
  worker = startWorker();
  pending = 0;
  lastRun = undefined; // the new worker has nothing to render again
  status('Stopped.');
  document.body.dataset['state'] = 'stopped';
}

function answered(event: MessageEvent<Reply>): void {
  const reply = event.data;
  if (reply.type === 'ready') {
    if (document.body.dataset['ready'] === 'true') return; // a worker started again after a stop
    const select = $<HTMLSelectElement>('model');
    for (const name of reply.networks) select.append(element('option', name, { value: name }));
    select.value = 'se-resnet50';
    document.body.dataset['ready'] = 'true';
    fromHash();
    return;
  }
  if (reply.id !== pending) return; // an answer to a request since replaced
  if (reply.type === 'progress') {
    const bar = $<HTMLProgressElement>('progress');
    bar.max = reply.total;
    bar.value = reply.done;
    status(`${reply.phase}: ${reply.done} of ${reply.total}`, true);
  } else if (reply.type === 'error') {
    refuse(reply.message);
  } else {
    show(reply.view);
    document.body.dataset['state'] = 'done';
  }
}

// ---------- what to profile ----------

/** The files of a drop or an input, with their paths inside the folder given. */
function filesOf(list: FileList | File[]): GivenFile[] {
  return [...list].map((file) => {
    const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath ?? '';
    return { path: relative === '' ? file.name : relative, file };
  });
}

/** A dropped folder's files (a TF.js model folder), read through its entries; dropped files as they are. */
async function droppedFiles(transfer: DataTransfer | null): Promise<GivenFile[]> {
  if (transfer === null) return [];
  const entries = [...transfer.items].flatMap((item) => item.webkitGetAsEntry() ?? []);
  if (!entries.some((entry) => entry.isDirectory)) return filesOf(transfer.files);
  const found: GivenFile[] = [];
  const walk = async (entry: FileSystemEntry, folder: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((done, fail) => (entry as FileSystemFileEntry).file(done, fail));
      found.push({ path: `${folder}${entry.name}`, file });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries hands out a folder's entries in batches, until an empty one.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((done, fail) => reader.readEntries(done, fail));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${folder}${entry.name}/`);
    }
  };
  for (const entry of entries) await walk(entry, '');
  return found;
}

/** Files that can be a model: the format is told by the content, so any .onnx or .json (a TF.js model.json). */
const isModel = (path: string): boolean => /\.(onnx|json)$/i.test(path);

function takeFiles(files: GivenFile[]): void {
  if (files.length === 0) return;
  given = files;
  addSe = [];
  const models = files.filter((f) => isModel(f.path));
  const select = $<HTMLSelectElement>('main');
  select.replaceChildren(...models.map((f) => element('option', f.path, { value: f.path })));
  $('main-label').hidden = models.length < 2;
  const bytes = files.reduce((n, f) => n + f.file.size, 0);
  const names = files.slice(0, 3).map((f) => f.path);
  const more = files.length > 3 ? ` and ${files.length - 3} more` : '';
  $('given').textContent = `${names.join(', ')}${more}: ${(bytes / 2 ** 20).toFixed(1)} MB`;
  if (models.length === 0) {
    refuse('none of the files is a model (an .onnx file, or a TF.js model.json)');
    return;
  }
  runFile();
}

function fileRaw(): RawSpecOptions {
  const main = $<HTMLSelectElement>('main').value;
  const input = $<HTMLInputElement>('input').value.trim();
  const reduction = $<HTMLInputElement>('reduction').value.trim();
  const withSe = addSe.length > 0;
  return {
    file: main,
    ...(input !== '' && { input }),
    ...($<HTMLInputElement>('stand-in').checked && { standInWeights: true }),
    ...(withSe && { addSe: addSe.join(',') }),
    ...(withSe && reduction !== '' && { reduction }),
    ...(withSe && $<HTMLInputElement>('bias').checked && { bias: true }),
  };
}

function runFile(): void {
  renderAddSe();
  run(fileRaw(), given);
}

function renderAddSe(): void {
  $('add-se-list').textContent = addSe.length === 0 ? 'no SE added' : `SE added after ${addSe.join(', ')}`;
}

/** `--se-position post --kind basic` as option values; a switch is true. */
function moreOptions(text: string): Record<string, string | boolean> {
  const words = text.trim() === '' ? [] : text.trim().split(/\s+/);
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (!word.startsWith('--')) throw new Error(`'${word}' is not an option (--name value)`);
    const [name, inline] = word.slice(2).split('=', 2) as [string, string | undefined];
    const key = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const next = words[i + 1];
    if (inline !== undefined) options[key] = inline;
    else if (next !== undefined && !next.startsWith('--')) {
      options[key] = next;
      i++;
    } else options[key] = true;
  }
  return options;
}

function builtinRaw(): RawSpecOptions {
  const value = (id: string): string | undefined => {
    const text = $<HTMLInputElement>(id).value.trim();
    return text === '' ? undefined : text;
  };
  const block = $<HTMLSelectElement>('block').value;
  const raw: Record<string, string | boolean | undefined> = {
    ...(block === 'network' ? { model: $<HTMLSelectElement>('model').value } : block === 'se' ? {} : { block }),
    channels: value('channels'),
    reduction: value('reduction'),
    height: value('height'),
    width: value('width'),
    batch: value('batch'),
    ...($<HTMLInputElement>('bias').checked && { bias: true }),
    ...moreOptions($<HTMLInputElement>('more').value),
  };
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) as RawSpecOptions;
}

function runBuiltin(): void {
  try {
    run(builtinRaw(), []);
  } catch (error) {
    refuse(error instanceof Error ? error.message : String(error));
  }
}

// ---------- the link that reopens a built-in configuration ----------

const FORM_FIELDS = ['block', 'model', 'channels', 'height', 'width', 'batch', 'more', 'reduction'];

function hashOf(): string {
  const params = new URLSearchParams();
  for (const id of FORM_FIELDS) {
    const value = $<HTMLInputElement>(id).value.trim();
    if (value !== '' && (id !== 'model' || $<HTMLSelectElement>('block').value === 'network')) params.set(id, value);
  }
  if ($<HTMLInputElement>('bias').checked) params.set('bias', '1');
  if (!$<HTMLInputElement>('measure').checked) params.set('measure', '0');
  const view = viewOptions();
  if (view.depth !== undefined) params.set('depth', String(view.depth));
  if (view.top !== undefined) params.set('top', String(view.top));
  if (view.convention !== 'thop') params.set('convention', view.convention);
  return params.toString();
}

/** Opens the configuration a link names (`#block=se&channels=512`), once the worker is ready. */
function fromHash(): void {
  const params = new URLSearchParams(location.hash.slice(1));
  if ([...params.keys()].length === 0) return;
  for (const id of [...FORM_FIELDS, 'depth', 'top']) {
    const value = params.get(id);
    if (value !== null) $<HTMLInputElement>(id).value = value;
  }
  $<HTMLInputElement>('bias').checked = params.get('bias') === '1';
  $<HTMLInputElement>('measure').checked = params.get('measure') !== '0';
  const convention = params.get('convention');
  if (convention !== null) {
    $<HTMLSelectElement>('convention').append(element('option', convention, { value: convention }));
    $<HTMLSelectElement>('convention').value = convention;
  }
  showModelField();
  runBuiltin();
}

// ---------- the result ----------

function countCells(row: HTMLTableRowElement, counted: { params: JsonCount; counts: Record<string, JsonCount> }, keys: readonly string[]): void {
  row.append(element('td', withCommas(counted.params), { class: 'n' }));
  for (const key of keys) row.append(element('td', withCommas(counted.counts[key] ?? 0), { class: 'n' }));
}

function headRow(table: HTMLTableElement, first: string[], view: View): void {
  const head = element('tr');
  for (const name of first) head.append(element('th', name, { scope: 'col' }));
  head.append(element('th', 'Params', { scope: 'col', class: 'n' }));
  for (const c of view.conventions) head.append(element('th', `${c.unit} (${c.key})`, { scope: 'col', class: 'n', title: c.source }));
  table.replaceChildren(element('thead'), element('tbody'));
  table.tHead?.append(head);
}

function renderTotals(doc: ProfileDocument, view: View): void {
  const table = element('table');
  const head = element('tr');
  for (const name of ['', 'Params', ...view.conventions.map((c) => `${c.unit} (${c.key})`)]) head.append(element('th', name, { scope: 'col' }));
  table.append(head);
  const line = (label: string, totals: TotalsJson): void => {
    const row = element('tr');
    row.append(element('th', label, { scope: 'row' }));
    countCells(
      row,
      totals,
      view.conventions.map((c) => c.key),
    );
    table.append(row);
  };
  line('Total', doc.totals);
  if (doc.overhead !== null) {
    line(doc.overhead.baseline === 'as-given' ? 'As given' : 'Without SE', doc.overhead.plainTotals);
    line(doc.overhead.baseline === 'as-given' ? 'The added SE adds' : 'SE adds', doc.overhead.added);
  }
  $('totals').replaceChildren(table);
}

function renderSe(doc: ProfileDocument, view: View): void {
  const blocks = doc.file?.seBlocks ?? [];
  const box = $('se');
  box.replaceChildren();
  if (doc.file === undefined) return;
  box.append(element('h3', blocks.length === 0 ? 'No SE blocks found' : `SE blocks found: ${blocks.length}`));
  if (blocks.length > 0) {
    const table = element('table');
    headRow(table, ['Where', 'Channels', 'Hidden', 'Gate'], view);
    for (const b of blocks) {
      const row = element('tr');
      row.append(
        element('td', b.where),
        element('td', String(b['channels'] ?? '')),
        element('td', String(b['hidden'] ?? '')),
        element('td', String(b['gate'] ?? '')),
      );
      countCells(
        row,
        b.totals,
        view.conventions.map((c) => c.key),
      );
      table.tBodies[0]?.append(row);
    }
    box.append(element('div', undefined, { class: 'scroll' }));
    box.lastElementChild?.append(table);
  }
  for (const note of doc.file.notes) box.append(element('p', `Note: ${note}`, { class: 'help' }));
  for (const u of doc.file.unsupported) box.append(element('p', `Counted as 0 (no rule): ${u.opType} at ${u.nodes.join(', ')}`, { class: 'help' }));
}

function renderCheck(doc: ProfileDocument): void {
  const { check, backend } = doc;
  const box = $('check');
  box.className = `check ${check.status}`;
  if (check.status === 'match') {
    box.textContent = `Proved: analytic and measured agree on every layer (${check.layers} layers), measured on ${backend?.name ?? '?'} (tfjs ${backend?.tfjsVersion ?? '?'}).`;
  } else if (check.status === 'skipped') {
    box.textContent = `Measured run skipped: ${check.reason ?? ''}`;
  } else {
    box.textContent = `Analytic and measured differ in ${check.mismatches.length} place(s): ${check.mismatches
      .slice(0, 5)
      .map((m) => `${m.layer} ${m.quantity} ${m.analytic} vs ${m.measured}`)
      .join('; ')}`;
  }
}

function explainRow(layer: LayerJson, view: View): void {
  const box = $('explain');
  const rules = view.rules[layer.op] ?? [];
  const table = element('table');
  table.append(element('caption', `Explain ${layer.name} (${layer.op}, output ${layer.outputShape.join('x')})`));
  const head = element('tr');
  for (const name of ['Convention', 'Count', 'Rule']) head.append(element('th', name, { scope: 'col' }));
  table.append(head);
  for (const r of rules) {
    const row = element('tr');
    row.append(element('th', r.key, { scope: 'row' }), element('td', withCommas(layer.counts[r.key] ?? 0), { class: 'n' }), element('td', r.rule));
    table.append(row);
  }
  box.replaceChildren(table);
  box.scrollIntoView({ block: 'nearest' });
}

/** More rows than a page draws quickly: the rest are in the exports (and under Top and Depth). */
const MAX_ROWS = 2000;

function renderLayers(doc: ProfileDocument, view: View): void {
  const table = $<HTMLTableElement>('layers');
  const isFile = doc.spec.block === 'file';
  headRow(table, ['Layer', 'Op', 'Output', ''], view);
  const top = doc.top?.layers;
  const byName = new Map(doc.layers.map((l) => [l.name, l]));
  const ranked = top === undefined ? doc.layers : top.flatMap((name) => byName.get(name) ?? []);
  const shown = ranked.slice(0, MAX_ROWS);
  const cut = ranked.length > shown.length ? `, the first ${MAX_ROWS.toLocaleString('en-US')} shown: every one is in the exports` : '';
  $('layers-title').textContent =
    top === undefined ? `Layers (${doc.layers.length.toLocaleString('en-US')}${cut})` : `The ${top.length} layers that cost most (${doc.top?.convention})`;
  const body = table.tBodies[0];
  const rows = shown.map((layer) => {
    const row = element('tr');
    const actions = element('td', undefined, { class: 'actions' });
    const explain = element('button', 'Explain', { type: 'button', 'aria-label': `Explain ${layer.name}` });
    explain.addEventListener('click', () => explainRow(layer, view));
    actions.append(explain);
    if (isFile) {
      const plus = element('button', addSe.includes(layer.name) ? '−SE' : '+SE', {
        type: 'button',
        'aria-label': `${addSe.includes(layer.name) ? 'Remove the SE added' : 'Add SE'} after ${layer.name}`,
      });
      plus.addEventListener('click', () => {
        addSe = addSe.includes(layer.name) ? addSe.filter((n) => n !== layer.name) : [...addSe, layer.name];
        runFile();
      });
      actions.append(plus);
    }
    row.append(element('th', layer.name, { scope: 'row' }), element('td', layer.op), element('td', layer.outputShape.join('x')), actions);
    countCells(
      row,
      layer,
      view.conventions.map((c) => c.key),
    );
    return row;
  });
  body?.append(...rows);
}

function renderTree(doc: ProfileDocument, view: View): void {
  const table = $<HTMLTableElement>('tree');
  const tree = doc.tree;
  $('tree-title').hidden = tree === undefined;
  table.hidden = tree === undefined;
  if (tree === undefined) return;
  headRow(table, ['Module'], view);
  $('tree-title').textContent =
    tree.length > MAX_ROWS ? `Modules (the first ${MAX_ROWS.toLocaleString('en-US')} of ${tree.length.toLocaleString('en-US')})` : 'Modules';
  table.tBodies[0]?.append(
    ...tree.slice(0, MAX_ROWS).map((r) => {
      const row = element('tr');
      const name = element('th', r.name, { scope: 'row' });
      name.style.paddingLeft = `${(r.depth - 1) * 1.2 + 0.4}em`;
      row.append(name);
      countCells(
        row,
        r,
        view.conventions.map((c) => c.key),
      );
      return row;
    }),
  );
}

function renderChart(view: View): void {
  const box = $('chart');
  box.replaceChildren();
  if (view.chart === undefined) return;
  // As an image: the SVG is seprof's own, and an <img> runs nothing in it whatever names it quotes.
  const url = URL.createObjectURL(new Blob([view.chart], { type: 'image/svg+xml' }));
  box.append(element('img', undefined, { src: url, alt: 'Each op kind’s share of the FLOPs (flops convention)' }));
}

function show(view: View): void {
  lastView = view;
  const doc = JSON.parse(view.json) as ProfileDocument;
  $('result').hidden = false;
  $('title').textContent = view.title;
  const select = $<HTMLSelectElement>('convention');
  if (select.options.length < view.conventions.length) {
    const chosen = select.value || 'thop';
    select.replaceChildren(...view.conventions.map((c) => element('option', `${c.key} (${c.unit})`, { value: c.key })));
    select.value = chosen;
  }
  renderCheck(doc);
  renderTotals(doc, view);
  renderSe(doc, view);
  renderLayers(doc, view);
  renderTree(doc, view);
  renderChart(view);
  $('explain').replaceChildren();
  $('command').textContent = `${view.command.join(' ')} --format json|markdown|csv`;
  $('markdown-view').textContent = view.table;
  $('copy-link').hidden = doc.spec.block === 'file';
  status(`Done in ${view.seconds.toFixed(1)} s.`);
}

function download(format: 'json' | 'markdown' | 'csv'): void {
  if (lastView === undefined) return;
  const text = lastView[format];
  const type = { json: 'application/json', markdown: 'text/markdown', csv: 'text/csv' }[format];
  const link = element('a', undefined, { href: URL.createObjectURL(new Blob([text], { type })), download: `seprof.${format === 'markdown' ? 'md' : format}` });
  link.click();
  URL.revokeObjectURL(link.href);
}

// ---------- wiring ----------

function showModelField(): void {
  $('model-label').hidden = $<HTMLSelectElement>('block').value !== 'network';
}

$('block').addEventListener('change', showModelField);
$('stop').addEventListener('click', stop);
$('use-builtin').addEventListener('click', () => {
  history.replaceState(null, '', `#${hashOf()}`);
  runBuiltin();
});
$('open-files').addEventListener('change', (e) => takeFiles(filesOf((e.target as HTMLInputElement).files ?? [])));
$('open-folder').addEventListener('change', (e) => takeFiles(filesOf((e.target as HTMLInputElement).files ?? [])));
$('main').addEventListener('change', () => {
  addSe = [];
  runFile();
});
$('input').addEventListener('change', () => given.length > 0 && runFile());
$('stand-in').addEventListener('change', () => given.length > 0 && runFile());
// Files dropped anywhere on the page are taken; the box shows where.
const drop = $('drop');
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
document.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) drop.classList.remove('over');
});
document.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  void droppedFiles(e.dataTransfer).then(takeFiles);
});
$('view').addEventListener('change', () => {
  if (lastRun === undefined) return;
  send({ type: 'render', id: nextId++, view: viewOptions() });
});
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-format]')) {
  button.addEventListener('click', () => download(button.dataset['format'] as 'json' | 'markdown' | 'csv'));
}
$('copy-link').addEventListener('click', () => {
  history.replaceState(null, '', `#${hashOf()}`);
  void navigator.clipboard?.writeText(location.href);
  status('The link is in the address bar (and copied).');
});
showModelField();
