// A guest nobody here wrote: test/guests/echo/echo.c, a plain C echo server for wasi-libc
// (poll, accept, recv, send, close on the pre-opened fd 3), built with clang-14 and Debian's
// wasi-libc (build.sh; the committed echo.wasm is its output). It runs in @wasmer/wasi with
// wasock's p1 socket functions, served by the Linux host (its peers in a child process: the
// guest blocks this thread) and by an emulated network (its peer connected and done before the
// guest runs: the network queues everything, as a kernel would).
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { WASI } from '@wasmer/wasi';
import { network as linux } from '../src/linux.js';
import { network as emulated } from '../src/emulated.js';
import { P1Sockets, instantiateP1 } from '../src/wasi-p1.js';
import { SHUT_WR } from '../src/index.js';

const echoWasm = new WebAssembly.Module(readFileSync(new URL('./guests/echo/echo.wasm', import.meta.url)));

/** Runs echo.wasm to its exit on `sockets` (fd 3 the listener): exit code, stdout, stderr. */
function runEcho(sockets: P1Sockets, conns: number): { code: number; out: string; err: string } {
  const wasi = new WASI({ args: ['echo', String(conns)], env: {} });
  instantiateP1(echoWasm, sockets, {}, wasi);
  const code = wasi.start();
  return { code, out: wasi.getStdoutString(), err: wasi.getStderrString() };
}

/** A child process connecting `n` times to port, each sending its text and reading the echo until EOF. */
function peers(port: number, texts: string[]): Promise<string[]> {
  const script = `
    const net = require('net');
    const texts = ${JSON.stringify(texts)};
    (async () => {
      const out = [];
      for (const t of texts) {
        out.push(await new Promise((resolve, reject) => {
          const s = net.connect(${port}, '127.0.0.1', () => s.end(t));
          let got = ''; s.on('data', (d) => { got += d; }); s.on('close', () => resolve(got)); s.on('error', reject);
        }));
      }
      console.log(JSON.stringify(out));
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  return new Promise((resolve, reject) => {
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`peer exited ${code}`))));
  });
}

describe('echo.wasm (C, wasi-libc) on wasock p1 sockets', () => {
  it('Linux host: echoes one connection from another process', async () => {
    const L = linux();
    const lst = new L.socket(); lst.bind(['127.0.0.1', 0]); lst.listen();
    const done = peers((lst.getsockname() as [string, number])[1], ['hello from a peer']);
    const r = runEcho(new P1Sockets([lst]), 1);
    expect(r).toEqual({ code: 0, out: 'echoed 17 bytes on 1 connection(s)\n', err: '' });
    expect(await done).toEqual(['hello from a peer']);
    expect(lst.fileno()).toBeGreaterThanOrEqual(0);   // the guest closed its connections, not fd 3
    lst.close();
  });

  it('Linux host: three connections one after another, 100 KB each way on the last', async () => {
    const L = linux();
    const lst = new L.socket(); lst.bind(['127.0.0.1', 0]); lst.listen();
    const big = 'x'.repeat(100_000);
    const done = peers((lst.getsockname() as [string, number])[1], ['a', 'bb', big]);
    const r = runEcho(new P1Sockets([lst]), 3);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`echoed ${3 + big.length} bytes on 3 connection(s)\n`);
    expect(await done).toEqual(['a', 'bb', big]);
    lst.close();
  });

  it('emulated network: echoes two queued connections; the peers read the echo and EOF afterwards', () => {
    const E = emulated({ seed: 3 });
    const lst = new E.socket(); lst.bind(['127.0.0.1', 0]); lst.listen();
    const addr = lst.getsockname() as [string, number];
    const clients = ['first', 'second one'].map((t) => {
      const c = new E.socket(); c.connect(addr);
      c.sendall(new TextEncoder().encode(t));
      c.shutdown(SHUT_WR);
      return c;
    });
    const r = runEcho(new P1Sockets([lst]), 2);
    expect(r).toEqual({ code: 0, out: 'echoed 15 bytes on 2 connection(s)\n', err: '' });
    const echoed = clients.map((c) => { const d = new TextDecoder().decode(c.recv(100)); expect(c.recv(100).length).toBe(0); c.close(); return d; });
    expect(echoed).toEqual(['first', 'second one']);
    lst.close();
  });

  it('emulated network: with nobody connecting, the guest\'s wait ends in an error it reports (no hang)', () => {
    const E = emulated({ seed: 4 });
    const lst = new E.socket(); lst.bind(['127.0.0.1', 0]); lst.listen();
    const r = runEcho(new P1Sockets([lst]), 1);
    // poll(fd 3, POLLIN, -1) on the emulated kernel: EDEADLK (nothing can ever connect), which
    // wasi-libc reports through errno as its EDEADLK text.
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^poll: Resource deadlock would occur/);
    lst.close();
  });
});
