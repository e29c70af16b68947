// A guest component of our own (test/fixtures/wasi-guest: a hand-written core module with the
// canonical ABI by hand, componentized with jco's JS API) that imports wasi:sockets and
// wasi:io: it makes a TCP socket, reads its keep-alive idle time, connects and echoes 4 bytes.
// Transpiled with jco 1.11.3 and with jco 1.35, with --map sending wasi:sockets, wasi:io and
// wasi:clocks to wasock/wasi-sockets, and run in this process (no worker): on the Linux host
// against an echo peer in a child process (the guest blocks the thread), and on the emulated
// network against a listener of the same network whose answer is queued before the echo.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The generated modules import 'wasock/wasi-sockets' (this package's dist/, by its own name);
// so does this test, so that both see the same module-level provider.
import { useNetwork as useDistNetwork, wasiSockets } from 'wasock/wasi-sockets';
import { network as linuxNetwork } from 'wasock/linux';
import { network as emulatedNetwork } from 'wasock/emulated';
import { policy } from 'wasock';
import { buildGuest, transpileGuest } from './helpers/wasi-guest.mjs';
import { expectFreshDist } from './helpers/dist.js';

interface Guest { setup(): number; idle(): bigint; connect(port: number): number; echo(v: number): number; close(): void }

const ERR = (code: string): number => 1 + ['unknown', 'access-denied', 'not-supported', 'invalid-argument', 'out-of-memory', 'timeout',
  'concurrency-conflict', 'not-in-progress', 'would-block', 'invalid-state', 'new-socket-limit', 'address-not-bindable',
  'address-in-use', 'remote-unreachable', 'connection-refused', 'connection-reset'].indexOf(code);

// The networks below come from dist/ at run time too; the type checker may see src/ for some
// of these entries and dist/ for others, so they cross as the provider's own argument type.
const useNetwork = (net: unknown): void => { useDistNetwork(net as Parameters<typeof useDistNetwork>[0]); };

const KEEPIDLE_NS = BigInt(readFileSync('/proc/sys/net/ipv4/tcp_keepalive_time', 'utf8').trim()) * 1_000_000_000n;

let component: Uint8Array;
const guests: Record<string, Guest> = {};
const sources: Record<string, string> = {};
let peer: ChildProcess;
let peerPort = 0;

/** A CPython echo server in a child process: it must answer while the guest blocks this thread. */
function echoPeer(): Promise<number> {
  peer = spawn('python3', ['-c', [
    'import socket',
    's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8); print(s.getsockname()[1], flush=True)',
    'while True:',
    '    c, _ = s.accept()',
    '    while True:',
    '        d = c.recv(64)',
    '        if not d: break',
    '        c.sendall(d)',
    '    c.close()',
  ].join('\n')], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => peer.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
}

beforeAll(async () => {
  expectFreshDist();
  component = await buildGuest();
  for (const v of ['1.11', '1.35'] as const) {
    const path = await transpileGuest(component, v, 'wasock');
    sources[v] = readFileSync(path, 'utf8');
    guests[v] = await import(/* @vite-ignore */ path) as Guest;
  }
  peerPort = await echoPeer();
}, 120_000);

/** The guest transpiled with --instantiation sync by jco `v`, instantiated with `imports`. */
async function instantiated(v: '1.11' | '1.35', imports: Record<string, object>): Promise<Guest> {
  const path = await transpileGuest(component, v, 'instantiation');
  const mod = await import(/* @vite-ignore */ path) as { instantiate(get: (name: string) => WebAssembly.Module, imports: object): Guest };
  return mod.instantiate((name) => new WebAssembly.Module(readFileSync(join(dirname(path), name))), imports);
}

afterAll(() => { peer?.kill(); });

describe('the guest component', () => {
  it('is a component whose only imports are wasi:sockets and wasi:io interfaces', async () => {
    const jco = await import('jco-1-11');
    const wit = await jco.componentWit(component);
    const imports = [...wit.matchAll(/^\s*import ([^;]+);/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThanOrEqual(5);
    for (const i of imports) expect(i).toMatch(/^wasi:(sockets|io|clocks)\//);
    expect(wit).toMatch(/export echo: func\(v: u32\) -> u32;/);
  });

  for (const v of ['1.11', '1.35']) {
    it(`jco ${v} with --map: the bindings import every WASI interface from wasock/wasi-sockets and nothing from preview2-shim`, () => {
      const src = sources[v];
      const from = [...src.matchAll(/^import .* from '([^']+)';/gm)].map((m) => m[1]);
      expect(from).toEqual(['wasock/wasi-sockets']);
      expect(src).not.toMatch(/preview2-shim/);
      expect(src).toMatch(/import \{[^}]*\btcpCreateSocket\b[^}]*\} from 'wasock\/wasi-sockets'/);
    });
  }
});

for (const v of ['1.11', '1.35']) {
  describe(`the guest transpiled by jco ${v}, in process`, () => {
    it('on the Linux host: the keep-alive idle time is the kernel\'s, and a 4-byte echo with a peer in a child process comes back', () => {
      useNetwork(linuxNetwork());
      const g = guests[v];
      expect(g.setup()).toBe(0);
      expect(g.idle()).toBe(KEEPIDLE_NS);
      expect(g.connect(peerPort)).toBe(0);
      for (const x of [0x01020304, 0xdeadbeef, 0]) expect(g.echo(x) >>> 0).toBe(x >>> 0);
      g.close();
    });

    it('on the emulated network: the answer queued by a listener of the same network is what the echo reads', () => {
      const net = emulatedNetwork({ seed: 5 });
      useNetwork(net);
      const listener = new net.socket();
      listener.bind(['127.0.0.1', 0]);
      listener.listen();
      const g = guests[v];
      expect(g.setup()).toBe(0);
      expect(g.idle()).toBe(7200n * 1_000_000_000n);
      expect(g.connect((listener.getsockname() as [string, number])[1])).toBe(0);
      const [conn] = listener.accept();
      conn.send(new Uint8Array([4, 3, 2, 1]));
      expect(g.echo(0x0a0b0c0d) >>> 0).toBe(0x01020304);
      expect(Array.from(conn.recv(4))).toEqual([0x0d, 0x0c, 0x0b, 0x0a]);
      g.close();
      conn.close(); listener.close();
    });

    it('under a policy: a connect the policy denies is access-denied to the guest, no connection made', () => {
      const pol = policy().allowTcp().allow('bind', '0.0.0.0', 0).allow('connect', '127.0.0.1', peerPort === 1 ? 2 : 1);
      useNetwork(linuxNetwork({ policy: pol }));
      const g = guests[v];
      expect(g.setup()).toBe(0);
      expect(g.connect(peerPort)).toBe(ERR('access-denied'));
      g.close();
    });

    it('a connect to a port nobody listens on is connection-refused', () => {
      const net = linuxNetwork();
      useNetwork(net);
      const probe = new net.socket();
      probe.bind(['127.0.0.1', 0]);
      const port = (probe.getsockname() as [string, number])[1];
      probe.close();
      const g = guests[v];
      expect(g.setup()).toBe(0);
      expect(g.connect(port)).toBe(ERR('connection-refused'));
      g.close();
    });
  });
}

describe('a provider of its own, for --instantiation', () => {
  for (const v of ['1.11', '1.35'] as const) {
    it(`jco ${v}: wasiSockets({ network }).imports() serves a guest instantiated with it, on its own emulated network`, async () => {
      const net = emulatedNetwork({ seed: 9 });
      const p = wasiSockets({ network: net as never });   // dist's network type (see useNetwork above)
      const g = await instantiated(v, p.imports());
      const listener = new net.socket();
      listener.bind(['127.0.0.1', 0]);
      listener.listen();
      expect(g.setup()).toBe(0);
      expect(g.idle()).toBe(7200n * 1_000_000_000n);
      expect(g.connect((listener.getsockname() as [string, number])[1])).toBe(0);
      const [conn] = listener.accept();
      conn.send(new Uint8Array([1, 0, 0, 0]));
      expect(g.echo(7)).toBe(1);
      expect(Array.from(conn.recv(4))).toEqual([7, 0, 0, 0]);
      g.close();
      conn.close(); listener.close();
    });
  }
});
