// The browser entry in a real browser (issue 10): headless Debian Chromium, driven by
// playwright-core, imports dist/src/browser.js over http (plain relative ES modules, no
// bundler), packs and unpacks a struct, and runs a client/server exchange on the entry's
// default host, the emulated network (issue 11). Chromium comes from Debian's package (.ci/run installs it); when it is missing
// this test fails rather than skips, so CI cannot pass without it.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { expectFreshDist } from './helpers/dist.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('..', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html' };

let server: Server;
let origin = '';
let browser: Browser;

beforeAll(async () => {
  // Only dist/ and an empty page are served: anything else the entry reached for would 404.
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    if (path === '/') { res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>wasock</title>'); return; }
    const file = join(root, path);
    if (!path.startsWith('/dist/') || !existsSync(file)) { res.writeHead(404).end(); return; }
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

it('Debian chromium is installed (.ci/run installs it) and dist/ is built', () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
  expectFreshDist();
});

it('the browser entry packs a struct and runs a TCP and a UDP exchange on the emulated network, in headless Chromium', async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // The machine's network is closed: without these, Chromium's own connections fail at start.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('response', (r) => { if (r.status() !== 200) failed.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${origin}/`);
  // A string, not a function: vitest rewrites import() in this file's own functions.
  const got = await page.evaluate(`(async () => {
    const w = await import('${origin}/dist/src/browser.js');
    const packed = w.struct.pack('<hi', -2, 70000);
    // A client/server exchange on the default host: the emulated network, in the page.
    const enc = new TextEncoder(), dec = new TextDecoder();
    const srv = new w.socket(w.AF_INET, w.SOCK_STREAM);
    srv.bind(['127.0.0.1', 8080]);
    srv.listen();
    const cli = w.create_connection(['127.0.0.1', 8080]);
    const [conn, peer] = srv.accept();
    cli.sendall(enc.encode('GET / HTTP/1.0\\r\\n\\r\\n'));
    const request = dec.decode(conn.recv(100));
    conn.sendall(enc.encode('HTTP/1.0 200 OK\\r\\n\\r\\nhello'));
    conn.close();
    let reply = '';
    for (let b = cli.recv(4); b.length > 0; b = cli.recv(4)) reply += dec.decode(b);
    cli.close();
    let error = null;
    try { cli.recv(1); } catch (e) { error = e; }
    const u = new w.socket(w.AF_INET, w.SOCK_DGRAM);
    u.bind(['127.0.0.1', 0]);
    u.sendto(enc.encode('ping'), u.getsockname());
    const [dgram] = u.recvfrom(10);
    u.close(); srv.close();
    return {
      exchange: [request, reply, peer[0], dec.decode(dgram), srv.fileno()],
      // No Node in the page: the entry must have done without Buffer and process.
      node: [typeof globalThis.Buffer, typeof globalThis.process],
      packed: Array.from(packed),
      isUint8Array: packed instanceof Uint8Array,
      unpacked: w.struct.unpack('<hi', packed),
      calcsize: w.struct.calcsize('<hi'),
      long: Array.from(w.struct.pack('<20i', ...Array.from({ length: 20 }, (_x, i) => i - 10))).slice(0, 8),
      linger: w.DECODERS.linger.decode(w.struct.pack('ii', 1, 5)),
      error: error === null ? null : [error.constructor.name, error instanceof w.OSError, error.errno, error.message],
    };
  })()`);
  expect(failed).toEqual([]);
  expect(got).toEqual({
    node: ['undefined', 'undefined'],
    packed: [0xfe, 0xff, 0x70, 0x11, 0x01, 0x00],
    isUint8Array: true,
    unpacked: [-2, 70000],
    calcsize: 6,
    long: [0xf6, 0xff, 0xff, 0xff, 0xf7, 0xff, 0xff, 0xff],
    linger: { onoff: 1, linger: 5 },
    exchange: ['GET / HTTP/1.0\r\n\r\n', 'HTTP/1.0 200 OK\r\n\r\nhello', '127.0.0.1', 'ping', -1],
    error: ['OSError', true, 9, '[Errno 9] Bad file descriptor'],
  });
}, 90_000);
