// The package as a consumer meets it (issue 10, "the package loads anywhere"): package.json's
// exports resolve per condition from another directory, the host-free parts load no native
// addon until a socket needs the Linux host, the browser entry works without a host, and the
// core embedded for loading without node:fs is build/core.wasm. Runs the built dist/ (what
// `npm run build` makes, as `npm ci` does through prepare).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreWasm } from '../src/core.js';
import { expectFreshDist } from './helpers/dist.js';

const root = fileURLToPath(new URL('..', import.meta.url));

let consumer = '';
beforeAll(() => {
  // A consumer project whose node_modules/wasock is this package, as npm links a local one.
  consumer = mkdtempSync(join(tmpdir(), 'wasock-consumer-'));
  mkdirSync(join(consumer, 'node_modules'));
  symlinkSync(root, join(consumer, 'node_modules', 'wasock'), 'dir');
});
afterAll(() => rmSync(consumer, { recursive: true, force: true }));

/** Runs an ES module script in the consumer directory; returns its stdout lines. */
function consume(code: string, conditions: string[] = []): string[] {
  const out = execFileSync(process.execPath, [...conditions.map((c) => `--conditions=${c}`), '--input-type=module', '-e', code], { cwd: consumer, encoding: 'utf8' });
  return out.trim().split('\n');
}

const koffiLoaded = "process.report.getReport().sharedObjects.some((s) => /koffi.*\\.node$/.test(s))";

describe('package.json exports', () => {
  it('the built package is up to date', () => expectFreshDist());

  it("'wasock' is the Node entry and 'wasock/linux' the Linux host's in Node; the browser condition picks the browser entry", () => {
    const rel = (u: string) => fileURLToPath(u).slice(root.length);
    const resolve = "for (const s of ['wasock', 'wasock/linux']) { try { console.log(import.meta.resolve(s)) } catch (e) { console.log(e.code) } }";
    expect(consume(resolve).map((u) => u.startsWith('file:') ? rel(u) : u)).toEqual(['dist/src/index.js', 'dist/src/linux.js']);
    expect(consume(resolve, ['browser']).map((u) => u.startsWith('file:') ? rel(u) : u)).toEqual(['dist/src/browser.js', 'dist/src/linux.js']);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const entry of [pkg.exports['.'].node, pkg.exports['.'].browser, pkg.exports['.'].default, pkg.exports['./linux'].node]) {
      expect(statSync(join(root, entry.types)).isFile()).toBe(true);
      expect(statSync(join(root, entry.default)).isFile()).toBe(true);
    }
  });

  it('koffi is an optional dependency, nothing else is a dependency', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toBeUndefined();
    expect(Object.keys(pkg.optionalDependencies)).toEqual(['koffi']);
  });
});

describe('wasock/wasi-p1', () => {
  it('@wasmer/wasi is an optional peer dependency: only wasock/wasi-p1 loads it', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.peerDependencies['@wasmer/wasi']).toBe('^1.2.2');
    expect(pkg.peerDependenciesMeta['@wasmer/wasi']).toEqual({ optional: true });
    expect(pkg.dependencies?.['@wasmer/wasi']).toBeUndefined();
    expect(statSync(join(root, pkg.exports['./wasi-p1'].types)).isFile()).toBe(true);
  });

  it("a consumer imports 'wasock/wasi-p1' and serves a pre-opened Linux socket through it", () => {
    const lines = consume(`
      const { network } = await import('wasock/wasi-p1');
      const { network: linux } = await import('wasock/linux');
      const L = linux();
      const l = new L.socket(); l.bind(['127.0.0.1', 0]); l.listen();
      const c = new L.socket(); c.connect(l.getsockname());
      const [a] = l.accept(); l.close();
      const net = network({ preopened: [a] });
      const s = new net.socket(undefined, undefined, undefined, 3);
      c.sendall(new TextEncoder().encode('hi'));
      s.sendall(s.recv(2));
      console.log(new TextDecoder().decode(c.recv(2)), s.fileno(), net.host.name);
      s.close(); c.close();`);
    expect(lines).toEqual(['hi 3 wasi-p1']);
  });
});

describe('loading', () => {
  it("import { struct } from 'wasock' loads no native addon; the first socket loads koffi", () => {
    const lines = consume(`
      const { struct, socket, DECODERS, OSError, AF_INET } = await import('wasock');
      console.log(Buffer.from(struct.pack('<hi', -2, 70000)).toString('hex'));
      console.log(DECODERS.linger.decode(struct.pack('ii', 1, 5)).linger, new OSError(92, 'x').errno, AF_INET);
      console.log(${koffiLoaded});
      const s = new socket();
      console.log(${koffiLoaded}, s.gettimeout());
      s.close();`);
    expect(lines).toEqual(['feff70110100', '5 92 2', 'false', 'true null']);
  });

  it("the default timeout set before the first socket is the first socket's (the core moves onto its host)", () => {
    const lines = consume(`
      const w = await import('wasock');
      w.setdefaulttimeout(3);
      console.log(${koffiLoaded});
      const s = new w.socket();
      console.log(${koffiLoaded}, s.gettimeout(), w.getdefaulttimeout());
      s.close();`);
    expect(lines).toEqual(['false', 'true 3 3']);
  });

  it("'wasock/linux' loads koffi only when network() is called", () => {
    const lines = consume(`
      const { network } = await import('wasock/linux');
      console.log(${koffiLoaded});
      const net = network();
      const [a, b] = net.socketpair();
      console.log(${koffiLoaded}, a.family);
      a.close(); b.close();`);
    expect(lines).toEqual(['false', 'true 1']);
  });

  it('the browser entry, in Node: struct works, sockets run on the emulated network (no system call, no koffi)', () => {
    const lines = consume(`
      const w = await import('wasock');
      console.log(Buffer.from(w.struct.pack('<hi', -2, 70000)).toString('hex'), typeof w.fromNode);
      for (const f of [() => new w.socket().family, () => w.socketpair().length, () => w.create_connection(['127.0.0.1', 1]), () => w.fcntl.fcntl(0, w.fcntl.F_GETFL)]) {
        try { console.log('ok', f()); } catch (e) { console.log(e.constructor.name, e instanceof w.OSError, e.message); }
      }
      w.setdefaulttimeout(1.5);
      console.log(w.getdefaulttimeout(), ${koffiLoaded});`, ['browser']);
    // fd 0 of the emulated process is its standard input: O_RDWR, not a socket.
    expect(lines).toEqual(['feff70110100 undefined', 'ok 2', 'ok 2', 'ConnectionRefusedError true [Errno 111] Connection refused', 'ok 2', '1.5 false']);
  });
});

it('the embedded core is build/core.wasm (npm run build:core writes both)', () => {
  const file = readFileSync(join(root, 'build', 'core.wasm'));
  expect(Buffer.compare(Buffer.from(coreWasm()), file), 'src/core-wasm.generated.ts is stale: run `npm run build:core`').toBe(0);
});
