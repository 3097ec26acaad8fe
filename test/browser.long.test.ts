// The browser page in a real browser (headless Chromium), served by `seprof serve`: the files a
// user opens there give the same documents as the CLI on the same files and options, byte for
// byte, and the measured check runs in the page (tfjs' wasm backend) and agrees. Screenshots of
// the main views go to test-results/browser/ for a person to look at.
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tl from '@tensorflow/tfjs-layers';
import { useBackend } from '../src/analyzers/measured/backend';
import { exported, launch, openPage, serve, settled } from './support/browser';
import { ROOT, seprofInProcess } from './support/cli';
import { seMobileNetBlock } from './support/graph-model';
import { saveLayersModel } from './support/layers-model';
import { encodeModel } from './support/onnx';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'onnx');
const SHOTS = join(ROOT, 'test-results', 'browser');
/** The cases that take seconds: a measured YOLO export, a 100 MB file. */
const HEAVY = process.env['SEPROF_BROWSER_HEAVY'] === '1';

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let url = '';

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launch(); // refuses, naming the package, when chromium is missing
  ({ url, server } = await serve());
});

afterAll(async () => {
  await browser?.close();
  server?.kill();
});

/** A Keras SE block (squeeze, two Dense, sigmoid gate, multiply) saved as model.json and weights.bin, on tfjs' cpu backend. */
async function saveSeLayersModel(dir: string): Promise<void> {
  // Building a layer allocates its weights on the current backend: cpu, then the one before.
  const previous: string | undefined = tf.getBackend(); // none before the first tensor
  await useBackend('cpu'); // seprof's own switch: without tfjs's banner about tfjs-node
  try {
    const x = tl.input({ shape: [8, 8, 16], name: 'image' });
    const conv = tl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', name: 'conv' }).apply(x) as tl.SymbolicTensor;
    const pooled = tl.layers.globalAveragePooling2d({ name: 'squeeze' }).apply(conv) as tl.SymbolicTensor;
    const fc1 = tl.layers.dense({ units: 4, activation: 'relu', useBias: false, name: 'fc1' }).apply(pooled) as tl.SymbolicTensor;
    const fc2 = tl.layers.dense({ units: 16, activation: 'sigmoid', useBias: false, name: 'fc2' }).apply(fc1) as tl.SymbolicTensor;
    const gate = tl.layers.reshape({ targetShape: [1, 1, 16], name: 'gate' }).apply(fc2) as tl.SymbolicTensor;
    const scaled = tl.layers.multiply({ name: 'scale' }).apply([conv, gate]) as tl.SymbolicTensor;
    const model = tl.model({ inputs: x, outputs: scaled });
    await saveLayersModel(model, dir);
    model.dispose();
  } finally {
    if (previous !== undefined && previous !== 'cpu') await tf.setBackend(previous);
  }
}

/**
 * The CLI on the same file, from its folder (so that the spec names the file as the page does),
 * in this process: one spawn per export was most of this file's time.
 */
async function cli(cwd: string, args: readonly string[]): Promise<string> {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const run = await seprofInProcess(args);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return run.stdout;
  } finally {
    process.chdir(before);
  }
}

/** Gives files to the page through its file (or folder) button and waits for the run they start. */
async function upload(page: Page, files: readonly string[], button = '#open-files'): Promise<string> {
  // The input's change event comes after uploadFile returns: until the run it starts, the page is waiting.
  await page.evaluate("document.body.dataset.state = 'waiting'");
  // An <input type=file>: the test's types have no DOM to name it by.
  const input = (await page.$(button)) as any;
  await input.uploadFile(...files);
  return settled(page);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe('the browser page', () => {
  it('opens a built-in SE block from a link, measures it in tfjs and exports what the CLI prints', async () => {
    const { page, errors } = await openPage(browser as Browser, `${url}#channels=512&reduction=8`);
    expect(await settled(page)).toMatch(/^Done/);
    // The proof ran in the page: analytic and measured agree on each of the block's 6 layers.
    expect(await page.$eval('#check', (e) => e.textContent)).toMatch(/^Proved: analytic and measured agree on every layer \(6 layers\), measured on wasm/);
    const json = await exported(page, 'json');
    expect(json).toBe(await cli(ROOT, ['--channels', '512', '--reduction', '8', '--conventions', 'all', '--json']));
    // SE(512, r=8): two 512x64 linears, 2 * 512 * 64 params (no bias), derived here, not read from seprof.
    expect(JSON.parse(json).totals.params).toBe(2 * 512 * 64);
    expect(await page.$eval('#command', (e) => e.textContent)).toBe('seprof --channels 512 --reduction 8 --conventions all --format json|markdown|csv');
    await shot(page, 'se-block');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stops a long run, then profiles a network from the form as the CLI does', async () => {
    const { page, errors } = await openPage(browser as Browser, `${url}#block=network&model=se-resnet152`);
    // Stop pressed while the measured run is under way (checked in the same turn of the page's loop).
    expect(await page.evaluate("document.body.dataset.state === 'busy' && (document.getElementById('stop').click(), true)")).toBe(true);
    expect(await settled(page)).toBe('Stopped.');
    await page.select('#model', 'mobilenet_v3_small');
    await page.click('#measure'); // off: --no-measure
    await page.click('#use-builtin');
    expect(await settled(page)).toMatch(/^Done/);
    expect(await page.$eval('#check', (e) => e.textContent)).toBe('Measured run skipped: --no-measure');
    expect(await exported(page, 'json')).toBe(await cli(ROOT, ['--model', 'mobilenet_v3_small', '--conventions', 'all', '--no-measure', '--json']));
    // The link now names that configuration.
    expect(await page.evaluate('location.hash')).toBe('#block=network&model=mobilenet_v3_small&measure=0');
    await shot(page, 'network');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('profiles an ONNX file with SE: its SE block, explain, +SE, and every export as the CLI writes it', async () => {
    const { page, errors } = await openPage(browser as Browser, url);
    expect(await upload(page, [join(FIXTURES, 'tiny_yolo_se.onnx')])).toMatch(/^Done/);
    expect(await page.$eval('#check', (e) => e.textContent)).toMatch(/^Proved: analytic and measured agree on every layer/);
    // The fixture's one SE block (test/fixtures/onnx/README.md: SE r=4 after the C2f-like block, 32 channels).
    expect(await page.$eval('#se h3', (e) => e.textContent)).toBe('SE blocks found: 1');
    const args = ['tiny_yolo_se.onnx', '--conventions', 'all'];
    expect(await exported(page, 'json')).toBe(await cli(FIXTURES, [...args, '--format', 'json']));
    expect(await exported(page, 'markdown')).toBe(await cli(FIXTURES, [...args, '--format', 'markdown']));
    expect(await exported(page, 'csv')).toBe(await cli(FIXTURES, [...args, '--format', 'csv']));
    await shot(page, 'onnx-file');

    // Depth and Top, as --depth and --top (no counting again: the worker renders its last profile).
    await page.type('#depth', '1');
    await page.type('#top', '3');
    await page.evaluate("document.body.dataset.state = 'waiting'; document.getElementById('view').dispatchEvent(new Event('change'))");
    expect(await settled(page)).toMatch(/^Done/);
    expect(await page.$eval('#layers-title', (e) => e.textContent)).toBe('The 3 layers that cost most (thop)');
    expect(await page.$$eval('#layers tbody tr', (rows) => rows.length)).toBe(3);
    expect(await exported(page, 'json')).toBe(await cli(FIXTURES, [...args, '--depth', '1', '--top', '3', '--json']));
    await page.evaluate(
      "document.getElementById('depth').value = ''; document.getElementById('top').value = ''; document.body.dataset.state = 'waiting'; document.getElementById('view').dispatchEvent(new Event('change'))",
    );
    expect(await settled(page)).toMatch(/^Done/);

    // Explain a conv row: one rule per convention, thop's being kernel MACs per output element.
    await page.click('button[aria-label="Explain cv1.conv"]');
    const rules = await page.$$eval('#explain tr th[scope="row"]', (cells) => cells.map((c) => c.textContent));
    expect(rules).toEqual(['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'macs', 'flops', 'senet']);
    await shot(page, 'explain');

    // What-if: SE after cv1.conv, as --add-se does it.
    await page.click('button[aria-label="Add SE after cv1.conv"]');
    expect(await settled(page)).toMatch(/^Done/);
    expect(await page.$eval('#add-se-list', (e) => e.textContent)).toBe('SE added after cv1.conv');
    expect(await exported(page, 'json')).toBe(await cli(FIXTURES, [...args, '--add-se', 'cv1.conv', '--json']));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('takes a file dropped anywhere on the page', async () => {
    const { page, errors } = await openPage(browser as Browser, url);
    const bytes = readFileSync(join(FIXTURES, 'mbv3_block.onnx')).toString('base64');
    // What a drag from the desktop delivers: a DataTransfer holding the file, dropped on the heading.
    await page.evaluate(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob('${bytes}'), (c) => c.charCodeAt(0))], 'mbv3_block.onnx'));
      document.body.dataset.state = 'waiting';
      document.querySelector('h1').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    })()`);
    expect(await settled(page)).toMatch(/^Done/);
    expect(await exported(page, 'json')).toBe(await cli(FIXTURES, ['mbv3_block.onnx', '--conventions', 'all', '--json']));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reads external data given beside the model and measures with its weights', async () => {
    const { page, errors } = await openPage(browser as Browser, url);
    const files = ['se_resnet_block_external.onnx', 'se_resnet_block_external.data'].map((f) => join(FIXTURES, f));
    expect(await upload(page, files)).toMatch(/^Done/);
    expect(await page.$eval('#check', (e) => e.textContent)).toMatch(/^Proved/);
    expect(await exported(page, 'json')).toBe(await cli(FIXTURES, ['se_resnet_block_external.onnx', '--conventions', 'all', '--json']));
    expect(errors).toEqual([]);
    await page.close();
  });

  // A weight-stripped export (its external data not committed), measured with stand-in weights.
  it('a weight-stripped export with stand-in weights checked: proved, and the same JSON as --stand-in-weights', async () => {
    const dir = join(ROOT, 'test', 'fixtures', 'onnx-real');
    const { page, errors } = await openPage(browser as Browser, url);
    await page.click('#stand-in');
    expect(await upload(page, [join(dir, 'polynet_c_poly3_1x8_op17.onnx')])).toMatch(/^Done/);
    expect(await page.$eval('#check', (e) => e.textContent)).toMatch(/^Proved/);
    expect(await exported(page, 'json')).toBe(await cli(dir, ['polynet_c_poly3_1x8_op17.onnx', '--stand-in-weights', '--conventions', 'all', '--json']));
    expect(errors).toEqual([]);
    await page.close();
  });

  // Counted by default; measured too with SEPROF_BROWSER_HEAVY=1 (464 layers run in the page and in the CLI: seconds).
  it(`a YOLOv9 (GELAN-t) export with SE: the same JSON${HEAVY ? ' and a measured check that agrees' : ', its weights not given'}`, async () => {
    const dir = join(ROOT, 'test', 'fixtures', 'onnx-real');
    const { page, errors } = await openPage(browser as Browser, url);
    // The export is weight-stripped: measured with stand-in weights (counts do not depend on values).
    await page.click(HEAVY ? '#stand-in' : '#measure');
    expect(await upload(page, [join(dir, 'gelan_t_se_2x320_op17.onnx')])).toMatch(/^Done/);
    expect(await page.$eval('#check', (e) => e.textContent)).toMatch(HEAVY ? /^Proved/ : /^Measured run skipped: --no-measure$/);
    const json = await exported(page, 'json');
    expect(json).toBe(
      await cli(dir, [
        'gelan_t_se_2x320_op17.onnx',
        ...(HEAVY ? ['--stand-in-weights'] : []),
        '--conventions',
        'all',
        '--json',
        ...(HEAVY ? [] : ['--no-measure']),
      ]),
    );
    // The SEAttention(128) the export inserted after model.9 (the fixture's README), found in the page too.
    expect(JSON.parse(json).file.seBlocks.map((b: { channels: number }) => b.channels)).toEqual([128]);
    await shot(page, 'yolo-se');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a TF.js LayersModel folder (model.json and its weight shard)', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'layers-'));
    mkdirSync(join(parent, 'se-model'));
    await saveSeLayersModel(join(parent, 'se-model'));
    const { page, errors } = await openPage(browser as Browser, url);
    // A folder as the folder button gives it: its files with their paths inside it.
    expect(await upload(page, [join(parent, 'se-model')], '#open-folder')).toMatch(/^Done/);
    expect(await page.$eval('#check', (e) => e.textContent)).toMatch(/^Proved/);
    expect(await page.$eval('#se h3', (e) => e.textContent)).toBe('SE blocks found: 1');
    expect(await exported(page, 'json')).toBe(await cli(parent, ['se-model/model.json', '--conventions', 'all', '--json']));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a TF.js GraphModel given as its files (model.json and its shard)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graph-model-'));
    seMobileNetBlock().write(dir);
    const { page, errors } = await openPage(browser as Browser, url);
    expect(await upload(page, [join(dir, 'model.json'), join(dir, 'group1-shard1of1.bin')])).toMatch(/^Done/);
    expect(await page.$eval('#check', (e) => e.textContent)).toMatch(/^Proved/);
    // The writer's one SE (test/support/graph-model.ts: hidden 8 of the 32 expanded channels).
    expect(await page.$eval('#se h3', (e) => e.textContent)).toBe('SE blocks found: 1');
    expect(await exported(page, 'json')).toBe(await cli(dir, ['model.json', '--conventions', 'all', '--json']));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says what is wrong with a file in one line, as the CLI does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-'));
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'model.onnx'));
    const { page } = await openPage(browser as Browser, url);
    const line = await upload(page, [join(dir, 'model.onnx')]);
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'seprof'), 'model.onnx'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(`${line}\n`).toBe(run.stderr);
    await shot(page, 'refused');
    expect(readFileSync(join(dir, 'model.onnx'), 'utf8')).toContain('"name": "seprof"'); // never written
    await page.close();
  });

  // Opt-in (SEPROF_BROWSER_HEAVY=1): 100 MB of weights through the page, counted and measured.
  it.runIf(HEAVY)('a 100 MB ONNX file opens, counts and measures as the CLI does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'large-'));
    const weights = new Uint8Array(50176 * 512 * 4); // 102,760,448 bytes
    const model = encodeModel({
      input: { name: 'x', dims: [1, 1024, 7, 7] },
      nodes: [
        { op: 'Flatten', inputs: ['x'], outputs: ['f'] },
        { op: 'MatMul', inputs: ['f', 'w'], outputs: ['y'] },
      ],
      initializers: [{ name: 'w', dims: [50176, 512], rawData: weights }],
    });
    writeFileSync(join(dir, 'large.onnx'), model);
    const { page, errors } = await openPage(browser as Browser, url);
    expect(await upload(page, [join(dir, 'large.onnx')])).toMatch(/^Done/);
    const json = await exported(page, 'json');
    expect(json).toBe(await cli(dir, ['large.onnx', '--conventions', 'all', '--json']));
    // One MatMul of 50176 x 512: as many params and MACs (batch 1) as weights.
    expect(JSON.parse(json).totals.params).toBe(50176 * 512);
    expect(errors).toEqual([]);
    await page.close();
  });
});
