// wasock/pyodide in a real browser (issue 14, item 7): headless Debian Chromium (playwright-core,
// no browser download; .ci/run installs it) loads a page from a loopback static server that
// serves only node_modules/pyodide (0.25.1) and dist/, as plain ES modules. In the page, Pyodide
// loads, wasock/pyodide's browser entry installs a `_socket` on the emulated network, and
// CPython's own http.server answers one request from CPython's own http.client, in one thread.
// The test asserts what http.server sent and http.server received, and that the page made no
// request but to the static server (Chromium's request log). In a module Worker too (UDP, and
// Python's makefile over a half-closed stream). Also in Node: the package's
// conditions pick the entry, and the browser entry's module graph loads no node: module.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { expectFreshDist } from './helpers/dist.js';
import { importsOf } from './helpers/imports.js';
import { loadPyodide } from 'pyodide';
import { installIntoPyodide } from '../src/pyodide-browser.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('..', import.meta.url));
const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.json': 'application/json',
  '.wasm': 'application/wasm', '.zip': 'application/zip',
};
/** What the static server serves: nothing else exists for the page. */
const SERVED = ['/node_modules/pyodide/', '/dist/'];

let server: Server;
let origin = '';
let browser: Browser | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    // The page maps 'wasock/pyodide' as the README's page does (no bundler: one import map entry).
    if (path === '/') {
      // An empty icon: Chromium asks the server for no /favicon.ico.
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>wasock + Pyodide</title><link rel="icon" href="data:,">' +
        '<script type="importmap">{ "imports": { "wasock/pyodide": "/dist/src/pyodide-browser.js" } }</script>');
      return;
    }
    const file = join(root, path);
    if (!SERVED.some((p) => path.startsWith(p)) || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  origin = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server.close(r));
});

/**
 * One request in one thread: Pyodide has no threads, and on the emulated network a blocking
 * call that nothing could satisfy fails at once, so each call below is one that can complete
 * when made. HTTPConnection.request connects (the handshake lands in the listener's backlog:
 * no accept needed) and sends the whole request into the socket buffer; the server's
 * handle_request() selects (the listener is readable: the emulated network's poll), accepts
 * and handles it, writes the response and closes; getresponse reads it all.
 */
const HTTP_EXCHANGE = String.raw`
import os, sys, stat, time, errno, socket, http.server, http.client
os.makedirs('/srv', exist_ok=True)
with open('/srv/hello.txt', 'w') as f:
    f.write('hello from http.server\n')
seen = {}
class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory='/srv', **k)
    def log_message(self, format, *args):
        seen['log'] = format % args
    def do_GET(self):
        seen['requestline'] = self.requestline
        seen['headers'] = sorted(self.headers.items())
        seen['client'] = self.client_address[0]
        super().do_GET()
t = time.perf_counter()
# HTTPServer's server_bind names the server by socket.getfqdn(): the emulated network's
# gethostbyaddr answers for 127.0.0.1.
srv = http.server.HTTPServer(('127.0.0.1', 8000), Handler)
t1 = time.perf_counter()
cli = http.client.HTTPConnection('127.0.0.1', 8000, timeout=5)
cli.request('GET', '/hello.txt', headers={'X-Test': 'wasock'})
srv.handle_request()
resp = cli.getresponse()
body = resp.read()
t2 = time.perf_counter()
ms = [(t1 - t) * 1e3, (t2 - t1) * 1e3]
out = {
    # The server's fd is an Emscripten stream of the instance's own table (src/pyodide/fd.ts).
    'socket': [type(srv.socket).__module__, sys.modules['_socket'].__wasock__, stat.S_ISSOCK(os.fstat(srv.socket.fileno()).st_mode)],
    'server_name': [srv.server_name, srv.server_port],
    'status': [resp.status, resp.reason, resp.version],
    'headers': resp.getheaders(),
    'body': body.decode(),
    'seen': seen,
    'ms': ms,
}
cli.close()
# The other order: the client waits for a response the server, in this same thread, has not
# been asked to send. Nothing else could ever answer, so the emulated network says so at once
# (EDEADLK, Pyodide's numbering) rather than hang the page.
cli = http.client.HTTPConnection('127.0.0.1', 8000)
cli.request('GET', '/hello.txt')
try:
    cli.getresponse()
except OSError as e:
    out['wrong_order'] = [type(e).__name__, e.errno == errno.EDEADLK, e.strerror]
cli.close(); srv.server_close()
out
`;

const EMSCRIPTEN_ESCAPE = (port: string) => String.raw`
import _imp, importlib.machinery
em = _imp.create_builtin(importlib.machinery.ModuleSpec('_socket', None))
try:
    s = em.socket(); s.connect(('127.0.0.1', ${port})); r = ['connected']
except OSError as e:
    r = [type(e).__name__, e.strerror]
r
`;

describe('wasock/pyodide in headless Chromium', () => {
  it('Debian chromium is installed (.ci/run installs it), dist/ is built, Pyodide 0.25.1 is there to serve', () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
    expectFreshDist();
    expect(JSON.parse(readFileSync(join(root, 'node_modules/pyodide/package.json'), 'utf8')).version).toBe('0.25.1');
  });

  it("CPython's http.server answers CPython's http.client on the emulated network, and the page makes no request but to its static server", async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // The machine's network is closed: without these, Chromium's own connections fail at start.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
        '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    // The context's log sees the page's requests and its workers' (Pyodide starts none here).
    const context = await browser.newContext();
    const requests: string[] = [];
    const bad: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    context.on('requestfailed', (r) => bad.push(`failed ${r.url()}`));
    context.on('response', (r) => { if (r.status() !== 200) bad.push(`${r.status()} ${r.url()}`); });
    const page = await context.newPage();
    const websockets: string[] = [];
    page.on('websocket', (ws) => websockets.push(ws.url()));
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(`${origin}/`);
    // A string, not a function: vitest rewrites import() in this file's own functions.
    const got = await page.evaluate(`(async () => {
      const t0 = performance.now();
      const { loadPyodide } = await import('${origin}/node_modules/pyodide/pyodide.mjs');
      const pyodide = await loadPyodide({ indexURL: '${origin}/node_modules/pyodide/' });
      const t1 = performance.now();
      const { installIntoPyodide } = await import('wasock/pyodide');
      installIntoPyodide(pyodide);
      const t2 = performance.now();
      const r = pyodide.runPython(${JSON.stringify(HTTP_EXCHANGE)});
      const t3 = performance.now();
      const out = r.toJs({ dict_converter: Object.fromEntries });
      r.destroy();
      // Pyodide's own sockets, taken again from the built-in module: without wasock's retiring
      // them (src/pyodide/sockfs.ts) this connect opens a WebSocket to the static server.
      out.emscripten = pyodide.runPython(${JSON.stringify(EMSCRIPTEN_ESCAPE(new URL(origin).port))}).toJs();
      // Two paths that used Node's Buffer, in the JS API: a latin-1 text file, a str fcntl argument.
      const w = await import('${origin}/dist/src/browser.js');
      const [a, b] = w.socketpair();
      a.sendall(new Uint8Array([0x41, 0x80, 0x92, 0xe9, 0xff, 0x0a]));
      const latin1 = Array.from(b.makefile('r', null, { encoding: 'latin-1' }).readline(), (c) => c.charCodeAt(0));
      const fcntlStr = Array.from(w.fcntl.fcntl(a, w.fcntl.F_GETFL, 'h\u00e9llo'));
      a.close(); b.close();
      return { ...out, node: [typeof globalThis.Buffer, typeof globalThis.process], version: pyodide.version,
        latin1, fcntlStr, times: { load: t1 - t0, install: t2 - t1, run: t3 - t2 } };
    })()`) as Record<string, any>;

    expect(consoleErrors).toEqual([]);
    expect(got.emscripten).toEqual(['PermissionError', 'Operation not permitted']);
    expect(websockets).toEqual([]);
    expect(bad).toEqual([]);
    expect(got.version).toBe('0.25.1');
    expect(got.node).toEqual(['undefined', 'undefined']);
    expect(got.socket).toEqual(['socket', true, true]);
    expect(got.server_name).toEqual(['localhost', 8000]);
    expect(got.status).toEqual([200, 'OK', 10]);
    const headers = got.headers as [string, string][];
    expect(headers.map(([k]) => k)).toEqual(['Server', 'Date', 'Content-type', 'Content-Length', 'Last-Modified']);
    const h = Object.fromEntries(headers);
    expect(h.Server).toBe('SimpleHTTP/0.6 Python/3.11.3');
    expect(h['Content-type']).toBe('text/plain');
    expect(h['Content-Length']).toBe('23');
    expect(h.Date).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
    expect(got.body).toBe('hello from http.server\n');
    expect(got.wrong_order).toEqual(['OSError', true, 'Resource deadlock avoided: recv_into() would wait forever: ' +
      'no other party in the emulated network can send to this socket (set a timeout, or let the other side act first)']);
    expect(got.latin1).toEqual([0x41, 0x80, 0x92, 0xe9, 0xff, 0x0a]);   // not windows-1252's 0x20ac, 0x2019
    expect(got.fcntlStr).toEqual([0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]);
    expect(got.seen).toEqual({
      requestline: 'GET /hello.txt HTTP/1.1',
      headers: [['Accept-Encoding', 'identity'], ['Host', '127.0.0.1:8000'], ['X-Test', 'wasock']],
      client: '127.0.0.1',
      log: '"GET /hello.txt HTTP/1.1" 200 -',
    });

    // Every request the page made went to the static server, for files it serves.
    expect(requests.length).toBeGreaterThan(3);
    for (const u of requests) {
      const url = new URL(u);
      expect(url.origin, u).toBe(origin);
      expect(url.pathname === '/' || SERVED.some((p) => url.pathname.startsWith(p)), u).toBe(true);
    }
    expect(requests).toContain(`${origin}/node_modules/pyodide/python_stdlib.zip`);
    expect(requests).toContain(`${origin}/dist/src/pyodide-browser.js`);
    const t = got.times;
    console.log(`Chromium ${browser.version()}: Pyodide ${got.version} load ${t.load.toFixed(0)} ms, ` +
      `installIntoPyodide ${t.install.toFixed(1)} ms, http.server + http.client script ${t.run.toFixed(1)} ms ` +
      `(in Python: server start ${got.ms[0].toFixed(1)} ms, the request from connect to body read ${got.ms[1].toFixed(1)} ms); ${requests.length} requests, all to ${origin}`);
  }, 120_000);
});

/** In a worker: UDP, and a TCP stream read by Python's own makefile().readlines(), after a half-close. */
const WORKER_PY = String.raw`
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v.sendto(b'ping', u.getsockname())
data, addr = u.recvfrom(100)
srv = socket.create_server(('127.0.0.1', 0))
c = socket.create_connection(srv.getsockname())
conn, peer = srv.accept()
c.sendall(b'line one\nline two\n'); c.shutdown(socket.SHUT_WR)
with conn.makefile('rb') as f:
    lines = [l.decode() for l in f.readlines()]
# The sender was bound by its sendto, to the wildcard as on Linux; the datagram came from 127.0.0.1.
out = [data.decode(), [addr[0], addr[1] == v.getsockname()[1], v.getsockname()[0]], lines, peer == c.getsockname()]
for s in (u, v, c, conn, srv): s.close()
out
`;

describe('wasock/pyodide in a module Worker of headless Chromium', () => {
  it('Pyodide in a worker: UDP and a half-closed TCP stream read with makefile().readlines(), on the emulated network', async () => {
    browser ??= await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
        '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    const websockets: string[] = [];
    page.on('websocket', (ws) => websockets.push(ws.url()));
    await page.goto(`${origin}/`);
    const worker = `
      import { loadPyodide } from '${origin}/node_modules/pyodide/pyodide.mjs';
      import { installIntoPyodide } from '${origin}/dist/src/pyodide-browser.js';
      try {
        const pyodide = await loadPyodide({ indexURL: '${origin}/node_modules/pyodide/' });
        installIntoPyodide(pyodide);
        postMessage({ ok: pyodide.runPython(${JSON.stringify(WORKER_PY)}).toJs(),
          globals: [typeof window, typeof Buffer, typeof process] });
      } catch (e) { postMessage({ error: String(e) }); }`;
    const got = await page.evaluate(`new Promise((resolve) => {
      const w = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(worker)}], { type: 'text/javascript' })), { type: 'module' });
      w.onmessage = (m) => resolve(m.data);
      w.onerror = (e) => resolve({ error: e.message });
    })`);
    expect(got).toEqual({ ok: ['ping', ['127.0.0.1', true, '0.0.0.0'], ['line one\n', 'line two\n'], true], globals: ['undefined', 'undefined', 'undefined'] });
    expect(websockets).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('wasock/pyodide: the entries', () => {
  it("package.json's conditions pick pyodide-node.js in Node and pyodide-browser.js in a browser (a bundler's 'browser' or no condition)", () => {
    const resolveIn = (conditions: string[]) => execFileSync(process.execPath,
      [...conditions.map((c) => `--conditions=${c}`), '--input-type=module', '-e', "console.log(import.meta.resolve('wasock/pyodide'))"],
      { cwd: root, encoding: 'utf8' }).trim().slice(`file://${root}`.length);
    expect(resolveIn([])).toBe('dist/src/pyodide-node.js');
    expect(resolveIn(['browser'])).toBe('dist/src/pyodide-browser.js');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.exports['./pyodide'].default.default).toBe('./dist/src/pyodide-browser.js');
  });

  it("the default network: the entry's (Node: a Linux host's, named as the machine; browser: an emulated one), else the package's default host's, else NotAvailableError", () => {
    expectFreshDist();
    // A fresh process per case: what is registered depends on what was imported, in order.
    const defaults = (imports: string[]) => execFileSync(process.execPath, ['--input-type=module', '-e', `
      ${imports.map((m) => `await import('${root}dist/src/${m}');`).join(' ')}
      const { pyodideDefaults } = await import('${root}dist/src/pyodide/defaults.js');
      try { const d = pyodideDefaults(); console.log(d.network().host.constructor.name, d.hostname()); }
      catch (e) { console.log(e.constructor.name, e.message); }`], { encoding: 'utf8' }).trim();
    const machine = hostname();
    expect(defaults(['pyodide-node.js'])).toBe(`LinuxHost ${machine}`);
    expect(defaults(['pyodide-browser.js'])).toBe('EmulatedHost localhost');
    expect(defaults(['pyodide-node.js', 'pyodide-browser.js'])).toBe(`LinuxHost ${machine}`);
    expect(defaults(['pyodide-browser.js', 'pyodide-node.js'])).toBe(`LinuxHost ${machine}`);
    expect(defaults(['index.js', 'pyodide.js'])).toBe('LinuxHost localhost');
    expect(defaults(['browser.js', 'pyodide.js'])).toBe('EmulatedHost localhost');
    expect(defaults(['pyodide.js'])).toMatch(/^NotAvailableError installIntoPyodide: no default network here: import it from 'wasock\/pyodide'/);
  });

  it('the browser entry loads no node: module and no package: its import graph, from the sources', () => {
    const seen = new Set<string>();
    const outside: string[] = [];
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const { spec, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
        if (typeOnly) continue;
        if (!spec.startsWith('.')) { outside.push(`${file.slice(root.length)}: ${spec}`); continue; }
        walk(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
      }
    };
    walk(join(root, 'src/pyodide-browser.ts'));
    expect(seen.has(join(root, 'src/pyodide.ts'))).toBe(true);
    expect(seen.has(join(root, 'src/linux.ts'))).toBe(false);
    expect(outside).toEqual([]);
  });
});

describe("wasock/pyodide: what is left of Pyodide's own _socket", () => {
  it("after install no name of Python's socket module is bound to Pyodide's _socket (Emscripten's SOCKFS sockets, WebSockets in a page), as after a fresh import", async () => {
    const py = await loadPyodide();
    const bound = `sorted(k for k, v in vars(socket).items() if getattr(v, '__self__', None) is emscriptens)`;
    const before = py.runPython(`import socket, _socket as emscriptens\n${bound}`).toJs();
    // What wasock's _socket does not define (yet): the reload alone would have kept these.
    expect(before).toEqual(expect.arrayContaining(['gethostbyaddr', 'getnameinfo', 'getservbyname']));
    // The browser entry in Node: its default network is the emulated one unless the Node entry
    // registered another in this process (none here).
    installIntoPyodide(py);
    expect(py.runPython(bound).toJs()).toEqual([]);
    expect(py.runPython(`import sys\n[sys.modules['_socket'].__wasock__, socket.socket.__mro__[1] is sys.modules['_socket'].socket, socket.gethostname()]`).toJs())
      .toEqual([true, true, 'localhost']);
  }, 60_000);

  it("Pyodide's built-in _socket, imported again, makes no socket after install: socket() raises PermissionError (EPERM)", async () => {
    const py = await loadPyodide();
    // What Python can always do: take the built-in module again (here without touching
    // sys.modules, which importing it by name would replace).
    const emscriptens = `
import _imp, errno, importlib.machinery
em = _imp.create_builtin(importlib.machinery.ModuleSpec('_socket', None))
try:
    s = em.socket(); r = ['made', s.family == 2]; s.close()
except OSError as e:
    r = [type(e).__name__, e.errno == errno.EPERM, e.strerror]
r`;
    expect(py.runPython(emscriptens).toJs()).toEqual(['made', true]);
    installIntoPyodide(py);
    expect(py.runPython(emscriptens).toJs()).toEqual(['PermissionError', true, 'Operation not permitted']);
  }, 60_000);
});
