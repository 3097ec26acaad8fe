// `seprof serve`: the browser page (dist/web, docs/browser.md) on a local port. A page's Web
// Worker and its .wasm files do not load from file:// URLs, so the page needs a server; this
// one serves that folder alone, to this machine alone by default, and only GET and HEAD.
import { realpathSync, statSync, createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { IoError, UsageError } from '../errors';
import { wholeNumber } from '../parse';
import { packageRoot } from '../version';
import { compose, debugOption } from './option-groups';
import { outcome, type CommandContext } from './outcome';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  // instantiateStreaming compiles a .wasm only when served as application/wasm.
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

const DEFAULT_PORT = 5180;

/** The file a request path names inside `root`, or undefined: no `..`, no link out, regular files only, `/` is index.html. */
export function fileFor(root: string, url: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.split('/').includes('..')) return undefined;
  const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
  try {
    const real = realpathSync(file);
    if (!real.startsWith(root + sep) || !statSync(real).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

function answer(root: string, request: IncomingMessage, response: ServerResponse): void {
  const headers = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const file = fileFor(root, request.url ?? '/');
  const type = file === undefined ? undefined : TYPES[extname(file)];
  if (file === undefined || type === undefined) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': statSync(file).size });
  if (request.method === 'HEAD') response.end();
  else
    createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
}

/** The built page's folder, real path, or a usage error saying how to build it. */
function webRoot(): string {
  const folder = join(packageRoot(), 'dist', 'web');
  try {
    if (statSync(join(folder, 'index.html')).isFile()) return realpathSync(folder);
  } catch {
    // told below
  }
  throw new UsageError(`${folder} has no page: run \`npm run build\` in ${packageRoot()}`);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} is in use: choose another with --port (0 picks a free one)`)
          : new IoError(`cannot listen on ${host}:${port}: ${error.message}`),
      ),
    );
    server.listen(port, host, () => {
      const address = server.address();
      done(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

export function addServeCommand(program: Command, { finish }: CommandContext): void {
  const command = program.command('serve').description('serve the browser page (dist/web) on this machine; prints its URL and runs until stopped');
  command
    .option('--port <N>', `the port, 0 for any free one (default: ${DEFAULT_PORT})`)
    .option('--host <address>', 'the address to listen on (default: 127.0.0.1, this machine only)');
  compose(command, debugOption).action(async (flags: { port?: string; host?: string }) => {
    const port = flags.port === undefined ? DEFAULT_PORT : wholeNumber('port', flags.port, 0);
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const host = flags.host ?? '127.0.0.1';
    const root = webRoot();
    const server = createServer((request, response) => answer(root, request, response));
    const bound = await listen(server, port, host);
    const shown = host.includes(':') ? `[${host}]` : host;
    finish(outcome(`http://${shown}:${bound}/\n`, [`seprof: serving ${root} at that address until stopped (Ctrl-C)`]));
  });
}
