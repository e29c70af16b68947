// wasock/pyodide in headless Chromium against native python3, in the same run: Pyodide 0.25.1
// page load, installIntoPyodide, and one HTTP request (CPython's http.client to CPython's
// http.server, one thread: connect + send, server handles, client reads) on the emulated
// network, against the same Python code on the kernel's loopback in native python3. Figures
// only (not a test; test/pyodide-browser.test.ts is the test).
// Run: node bench/pyodide-browser.mjs   (BENCH_ROUNDS, default 5; `taskset -c 1` for steady figures)
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = 300;   // requests per round
const root = fileURLToPath(new URL('..', import.meta.url));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.zip': 'application/zip' };

/** N requests, one thread; returns the median µs per request (connect to body read). */
const EXCHANGE = (dir, n) => String.raw`
import os, time, statistics, http.server, http.client
os.makedirs(${JSON.stringify(dir)}, exist_ok=True)
with open(${JSON.stringify(dir)} + '/hello.txt', 'w') as f:
    f.write('hello from http.server\n')
class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k): super().__init__(*a, directory=${JSON.stringify(dir)}, **k)
    def log_message(self, *a): pass
srv = http.server.HTTPServer(('127.0.0.1', 0), Handler)
port = srv.server_address[1]
times = []
for _ in range(${n}):
    t = time.perf_counter()
    c = http.client.HTTPConnection('127.0.0.1', port)
    c.request('GET', '/hello.txt')
    srv.handle_request()
    r = c.getresponse()
    assert r.status == 200 and r.read() == b'hello from http.server\n'
    c.close()
    times.append((time.perf_counter() - t) * 1e6)
srv.server_close()
statistics.median(times[${n} // 10:])
`;

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (path === '/') { res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>'); return; }
  const file = join(root, path);
  if (!['/node_modules/pyodide/', '/dist/'].some((p) => path.startsWith(p)) || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
});

const res = { load: [], install: [], reqPage: [], reqNative: [] };
const dir = mkdtempSync(join(tmpdir(), 'wasock-bench-'));
try {
  for (let r = 0; r < ROUNDS; r++) {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const got = await page.evaluate(`(async () => {
      const t0 = performance.now();
      const { loadPyodide } = await import('${origin}/node_modules/pyodide/pyodide.mjs');
      const pyodide = await loadPyodide({ indexURL: '${origin}/node_modules/pyodide/' });
      const t1 = performance.now();
      const { installIntoPyodide } = await import('${origin}/dist/src/pyodide-browser.js');
      installIntoPyodide(pyodide);
      const t2 = performance.now();
      return { load: t1 - t0, install: t2 - t1, req: pyodide.runPython(${JSON.stringify(EXCHANGE('/srv', N))}) };
    })()`);
    await page.close();
    res.load.push(got.load); res.install.push(got.install); res.reqPage.push(got.req);
    const code = EXCHANGE(dir, N).trim().split('\n');
    const last = code.pop();
    res.reqNative.push(Number(execFileSync('python3', ['-c', [...code, `print(${last})`].join('\n')], { encoding: 'utf8' }).trim()));
  }
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
const m = (k) => median(res[k]);
console.log(`Chromium ${browser.version()}, Pyodide 0.25.1 + wasock/pyodide (emulated network) vs native ${execFileSync('python3', ['-V'], { encoding: 'utf8' }).trim()} (kernel loopback); ${ROUNDS} rounds, medians`);
console.log(`page: Pyodide load ${m('load').toFixed(0)} ms, installIntoPyodide ${m('install').toFixed(1)} ms (first import of dist/ and the emulated core included)`);
console.log(`one request, http.client -> http.server in one thread: page ${m('reqPage').toFixed(0)} µs, native ${m('reqNative').toFixed(0)} µs, ratio ${(m('reqPage') / m('reqNative')).toFixed(2)}x`);
