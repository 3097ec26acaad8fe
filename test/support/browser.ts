// The browser page under test: `seprof serve` in a child process, and Debian's Chromium driven
// by puppeteer-core (the DevTools protocol, Chromium only, which is all the page is tested on,
// and no browser download of its own: it drives /usr/bin/chromium).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type CDPSession, type Page } from 'puppeteer-core';
import { ROOT } from './cli';

export const CHROMIUM = process.env['SEPROF_CHROMIUM'] ?? '/usr/bin/chromium';

/** Refuses to run without the browser: a browser test that passes without one proves nothing. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: the browser tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it)`);
  }
}

/** `seprof serve --port 0` and the URL it prints. */
export async function serve(): Promise<{ url: string; server: ChildProcess }> {
  const server = spawn(process.execPath, [join(ROOT, 'bin', 'seprof'), 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const url = await new Promise<string>((done, fail) => {
    server.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(http:\/\/\S+)\n/.exec(out);
      if (line?.[1] !== undefined) done(line[1]);
    });
    server.on('exit', (code) => fail(new Error(`seprof serve exited (${code}): ${err}`)));
  });
  return { url, server };
}

export async function launch(): Promise<Browser> {
  requireChromium();
  // The flags of docs/ci.md's machine: no network of its own, no first-run work, a fresh profile.
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`,
    ],
  });
}

const sessions = new WeakMap<Page, CDPSession>();

/** A page of the served URL, once its worker is ready; errors the page throws are collected in `errors`. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.setViewport({ width: 1280, height: 900 });
  sessions.set(page, await page.createCDPSession());
  await page.goto(url);
  await page.waitForFunction("document.body.dataset.ready === 'true'");
  return { page, errors };
}

/** Waits for the page's current run (or the one it is `waiting` to start) to end; returns the status line. */
export async function settled(page: Page): Promise<string> {
  // A string: the tests' types have no DOM (the page runs it).
  await page.waitForFunction("!['busy', 'waiting'].includes(document.body.dataset.state)", { timeout: 60_000 });
  return page.$eval('#status-text', (e) => e.textContent ?? '');
}

/** Clicks an export button and returns the file it downloads (into a folder of its own). */
export async function exported(page: Page, format: 'json' | 'markdown' | 'csv'): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'download-'));
  await sessions.get(page)?.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: folder });
  await page.click(`[data-format="${format}"]`);
  for (let i = 0; i < 400; i++) {
    const files = readdirSync(folder);
    if (files.length === 1 && !files[0]?.endsWith('.crdownload')) return readFileSync(join(folder, files[0] as string), 'utf8');
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`no ${format} file was downloaded`);
}
