// The core as a component (wit/core.wit, build/wasock.component.wasm), run as an embedder runs
// it: transpiled by jco 1.11.3 with `--instantiation sync` (test/helpers/component.ts), the
// host supplied at run time (host/component/index.ts) — real kernel sockets through the Linux
// host, then the emulated network. Values and messages are CPython's (test/fixtures).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { componentWit } from 'jco-1-11';
import { LinuxHost } from '../host/linux/index.js';
import { CAPABILITIES, type Capability } from '../host/types.js';
import { componentHost, emulatedComponentHost } from '../host/component/index.js';
import * as w from '../src/index.js';
import { network as linuxNetwork } from '../src/linux.js';
import { network as emulatedNetwork } from '../src/emulated.js';
import { COMPONENT_PATH, failure, instantiate, instantiateWithPolicy, loadComponent, type Address, type Sockets } from './helpers/component.js';
import { fdCount } from './helpers/fds.js';
import { loadFixture } from './helpers/replay.js';
// @ts-expect-error a build script (JavaScript, no types)
import { render, OUT } from '../scripts/gen-component-errors.mjs';

const AF_INET = 2, SOCK_STREAM = 1, SOL_SOCKET = 1, SO_TYPE = 3, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_LINGER = 13;
const loopback = (port: number): Address => ({ tag: 'inet', val: { host: '127.0.0.1', port } });

/** CPython's answer for a fixture case's last getsockopt step after its setsockopt steps. */
function roundtrip(id: string): { level: number; opt: number; set: number; get: number } {
  const fx = loadFixture('sockopt-roundtrip.json') as unknown as { cases: { id: string; steps: { call: string; args: { v: string }[]; result: { ok?: { v: string } } }[] }[] };
  const c = fx.cases.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no fixture case ${id}`);
  const set = c.steps.find((s) => s.call === 'setsockopt')!, get = [...c.steps].reverse().find((s) => s.call === 'getsockopt')!;
  return { level: Number(set.args[0].v), opt: Number(set.args[1].v), set: Number(set.args[2].v), get: Number(get.result.ok!.v) };
}

/** A CPython fixture case's raised exception at step `step`. */
function raised(id: string, step = 0): { type: string; errno: number | null; message: string } {
  const fx = loadFixture('socket-api.json') as unknown as { cases: { id: string; steps: { result: { raises?: { type: string; errno: number | null; message: string } } }[] }[] };
  const r = fx.cases.find((x) => x.id === id)?.steps[step].result.raises;
  if (r === undefined) throw new Error(`no raising step in ${id}`);
  return r;
}

/** socket, options, bind/listen/connect/accept, 4 bytes each way, close: what every host must do alike. */
function scenario(s: Sockets): void {
  const srv = s.socket(AF_INET, SOCK_STREAM, 0);
  expect(s.getsockopt(srv, SOL_SOCKET, SO_TYPE)).toBe(SOCK_STREAM);
  for (const id of ['roundtrip/inet-stream-fresh/SO_KEEPALIVE/set5', 'roundtrip/inet-stream-fresh/SO_RCVBUF/small']) {
    const c = roundtrip(id);
    s.setsockopt(srv, c.level, c.opt, c.set);
    expect(s.getsockopt(srv, c.level, c.opt), id).toBe(c.get);
  }
  // The bytes form: struct linger {0, 0}, 8 bytes.
  expect([...s.getsockoptBytes(srv, SOL_SOCKET, SO_LINGER, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  s.bind(srv, loopback(0));
  s.listen(srv);
  const name = s.getsockname(srv);
  if (name.tag !== 'inet') throw new Error(`getsockname: ${name.tag}`);
  expect(name.val.host).toBe('127.0.0.1');
  expect(name.val.port).toBeGreaterThan(0);

  const cli = s.socket(AF_INET, SOCK_STREAM, 0);
  s.connect(cli, loopback(name.val.port));
  const { socket: conn, address } = s.accept(srv);
  expect(address).toEqual(s.getsockname(cli));
  expect(s.getpeername(cli)).toEqual(name);

  expect(s.send(cli, new Uint8Array([1, 2, 3, 4]), 0)).toBe(4);
  expect([...s.recv(conn, 4n, 0)]).toEqual([1, 2, 3, 4]);
  s.sendall(conn, new Uint8Array([5, 6, 7, 8]), 0);
  expect([...s.recv(cli, 1024n, 0)]).toEqual([5, 6, 7, 8]);
  s.shutdown(cli, 1);
  expect(s.recv(conn, 16n, 0).length).toBe(0);   // EOF after SHUT_WR
  for (const h of [conn, cli, srv]) s.close(h);
  expect(s.fileno(srv)).toBe(-1);
}

/** Bad arguments and OS errors: CPython's exception class, errno and message, word for word. */
function errors(s: Sockets): void {
  const h = s.socket(AF_INET, SOCK_STREAM, 0);
  const port = raised('bind/inet-stream/port=65536');
  expect(failure(() => s.bind(h, loopback(65536)))).toMatchObject({ exception: port.type, message: port.message, errno: 0 });
  expect(failure(() => s.getsockoptBytes(h, SOL_SOCKET, SO_LINGER, 1025))).toMatchObject({ exception: 'OSError', message: 'getsockopt buflen out of range' });
  expect(failure(() => s.recv(h, -1n, 0))).toMatchObject({ exception: 'ValueError', message: 'negative buffersize in recv' });
  expect(failure(() => s.settimeout(h, Number.NaN))).toMatchObject({ exception: 'ValueError', message: 'Invalid value NaN (not a number)' });
  // ECONNREFUSED: a port nobody listens on (bound, never listening, so it stays unused).
  const idle = s.socket(AF_INET, SOCK_STREAM, 0);
  s.bind(idle, loopback(0));
  const to = s.getsockname(idle) as Extract<Address, { tag: 'inet' }>;
  const refused = raised('connect/inet-stream/refused');
  expect(failure(() => s.connect(h, loopback(to.val.port)))).toMatchObject({ exception: refused.type, errno: refused.errno, message: refused.message, code: -refused.errno! });
  s.close(idle);
  s.close(h);
  // A handle after close names a closed socket: EBADF, as CPython's calls on a closed socket.
  expect(failure(() => s.getsockopt(h, SOL_SOCKET, SO_TYPE))).toMatchObject({ exception: 'OSError', errno: 9, message: '[Errno 9] Bad file descriptor' });
}

/** `size` bytes one way through sendall and recv of 150,000 bytes at a time, then EOF. */
function transfer(s: Sockets, size: number): void {
  const { cli, conn, srv } = pair(s);
  const data = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
  s.sendall(cli, data, 0);
  s.shutdown(cli, 1);
  const got = new Uint8Array(size + 1);
  let n = 0;
  for (;;) {
    const chunk = s.recv(conn, 150_000n, 0);
    if (chunk.length === 0) break;
    got.set(chunk, n);
    n += chunk.length;
  }
  expect(n).toBe(size);
  expect(got.subarray(0, n)).toEqual(data);
  for (const h of [cli, conn, srv]) s.close(h);
}

/** A connected TCP pair on loopback. */
function pair(s: Sockets): { srv: number; cli: number; conn: number } {
  const srv = s.socket(AF_INET, SOCK_STREAM, 0);
  s.bind(srv, loopback(0));
  s.listen(srv);
  const cli = s.socket(AF_INET, SOCK_STREAM, 0);
  s.connect(cli, s.getsockname(srv));
  return { srv, cli, conn: s.accept(srv).socket };
}

beforeAll(async () => { await loadComponent(); }, 60_000);

describe('the component', () => {
  it('imports only wasock:core/host (and its types) and exports wasock:core/sockets and wasock:core/policy (wit/core.wit)', async () => {
    const wit: string = await componentWit(readFileSync(COMPONENT_PATH));
    const lines = wit.split('\n').map((l) => l.trim());
    // `types` holds only types (records, the address variant): an embedder supplies nothing for it.
    expect(lines.filter((l) => l.startsWith('import '))).toEqual(['import wasock:core/host;', 'import wasock:core/types;']);
    expect(lines.filter((l) => l.startsWith('export '))).toEqual(['export wasock:core/sockets;', 'export wasock:core/policy;']);
  });

  it('jco 1.35 runs it too (the same scenario through its bindings)', async () => {
    const { transpile: transpile135 } = await import('@bytecodealliance/jco');
    try {
      await loadComponent(readFileSync(COMPONENT_PATH), transpile135 as never);
      scenario(instantiate(emulatedComponentHost().imports));
    } finally {
      await loadComponent();
    }
  }, 60_000);

  it('docs/embedding.md quotes wit/core.wit verbatim', () => {
    const doc = readFileSync(new URL('../docs/embedding.md', import.meta.url), 'utf8');
    expect(doc).toContain('```wit\n' + readFileSync(new URL('../wit/core.wit', import.meta.url), 'utf8') + '```');
  });

  it('its core error table is generated from src/errors.ts and current (npm run build:component regenerates nothing by hand)', async () => {
    expect(readFileSync(OUT, 'utf8')).toBe(await render());
  });
});

/**
 * socketpair, dup, detach and socket(fileno=): data crosses the pair both ways; a duplicate
 * keeps the timeout and the same connection; a detached fd adopted again reads its family and
 * type from the fd (-1s), as CPython's socket(fileno=); a handle used after detach is EBADF.
 */
function pairAndDup(s: Sockets, family: number): void {
  const [a, b] = s.socketpair(family, SOCK_STREAM, 0);
  const enc = new TextEncoder(), dec = new TextDecoder();
  s.settimeout(a, 2.5);
  const d = s.dup(a);
  expect(s.gettimeout(d)).toBe(2.5);
  expect(s.fileno(d)).not.toBe(s.fileno(a));
  s.sendall(d, enc.encode('via dup'), 0);
  expect(dec.decode(s.recv(b, 100n, 0))).toBe('via dup');
  const fd = s.detach(b);
  expect(fd).toBeGreaterThanOrEqual(0);
  expect(failure(() => s.recv(b, 1n, 0))).toMatchObject({ exception: 'OSError', errno: 9 });
  const c = s.adopt(fd, -1, -1, -1);
  expect(s.getsockopt(c, SOL_SOCKET, SO_TYPE)).toBe(SOCK_STREAM);
  s.sendall(c, enc.encode('back'), 0);
  expect(dec.decode(s.recv(a, 100n, 0))).toBe('back');
  for (const h of [a, c, d]) s.close(h);
  // A bad fd is the kernel's EBADF from the adoption's check, as CPython's getsockname check.
  expect(failure(() => s.adopt(fd, -1, -1, -1))).toMatchObject({ exception: 'OSError', errno: 9, message: '[Errno 9] Bad file descriptor' });
  expect(failure(() => s.socketpair(AF_INET, 2, 0))).toMatchObject({ exception: 'OSError' });
}

describe('the component on the Linux host (real kernel sockets)', () => {
  it('socketpair, dup, detach and socket(fileno=) (adopt); no fd leaks', () => {
    const before = fdCount();
    pairAndDup(instantiate(componentHost(new LinuxHost())), 1);
    expect(fdCount()).toBe(before);
  });

  it('socket, CPython option values, bind/listen/connect/accept, 4 bytes each way; no fd leaks', () => {
    const s = instantiate(componentHost(new LinuxHost()));
    const before = fdCount();
    scenario(s);
    expect(fdCount()).toBe(before);
  });

  it('bad arguments and OS errors carry CPython\'s exception, errno and message', () => {
    const before = fdCount();
    errors(instantiate(componentHost(new LinuxHost())));
    expect(fdCount()).toBe(before);
  });

  it('timeouts: settimeout/gettimeout, accept timing out (TimeoutError), non-blocking accept (BlockingIOError)', () => {
    const s = instantiate(componentHost(new LinuxHost()));
    const srv = s.socket(AF_INET, SOCK_STREAM, 0);
    expect(s.gettimeout(srv)).toBeUndefined();
    expect(s.getblocking(srv)).toBe(true);
    s.bind(srv, loopback(0));
    s.listen(srv, 1);
    s.settimeout(srv, 0.05);
    expect(s.gettimeout(srv)).toBe(0.05);
    const t0 = performance.now();
    expect(failure(() => s.accept(srv))).toMatchObject({ exception: 'TimeoutError', message: 'timed out', errno: 0 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    s.setblocking(srv, false);
    expect(s.gettimeout(srv)).toBe(0);
    expect(failure(() => s.accept(srv))).toMatchObject({ exception: 'BlockingIOError', errno: 11, message: '[Errno 11] Resource temporarily unavailable' });
    s.setdefaulttimeout(2.5);
    expect(s.getdefaulttimeout()).toBe(2.5);
    const c = s.socket(AF_INET, SOCK_STREAM, 0);
    expect(s.gettimeout(c)).toBe(2.5);
    s.setdefaulttimeout(undefined);
    for (const h of [c, srv]) s.close(h);
  });

  it('the capability set is the embedder\'s: a missing one is NotAvailableError with the message wasock\'s own API gives', () => {
    const caps = CAPABILITIES.filter((c) => c !== 'getsockopt' && c !== 'js_buffers') as Capability[];
    const s = instantiate(componentHost(new LinuxHost(caps, 'linux-sandbox')));
    const h = s.socket(AF_INET, SOCK_STREAM, 0);
    const e = failure(() => s.getsockopt(h, SOL_SOCKET, SO_TYPE));
    // The same host through wasock's own API (the raw core) words it identically.
    const net = linuxNetwork({ capabilities: caps, name: 'linux-sandbox' });
    const own = new net.socket(w.AF_INET, w.SOCK_STREAM);
    let expected: Error | null = null;
    try { own.getsockopt(w.SOL_SOCKET, w.SO_TYPE); } catch (x) { expected = x as Error; }
    own.close();
    expect(e).toMatchObject({ exception: 'NotAvailableError', errno: 0, message: expected?.message });
    expect(s.hasCapability('getsockopt')).toBe(false);
    expect(s.hasCapability('setsockopt')).toBe(true);
    // What the host interface cannot carry is never granted, whatever the host declares.
    expect(s.hasCapability('fcntl')).toBe(false);
    expect(s.hasCapability('no-such-capability')).toBe(false);
    s.close(h);
  });

  it('datagrams: sendto/recvfrom with the sender\'s address', () => {
    const s = instantiate(componentHost(new LinuxHost()));
    const a = s.socket(AF_INET, 2, 0), b = s.socket(AF_INET, 2, 0);
    s.bind(a, loopback(0));
    const to = s.getsockname(a);
    expect(s.sendto(b, new TextEncoder().encode('ping'), 0, to)).toBe(4);
    const got = s.recvfrom(a, 100n, 0);
    expect(new TextDecoder().decode(got.data)).toBe('ping');
    // b was bound implicitly to 0.0.0.0 by sendto; the datagram's source is the loopback address.
    const from = s.getsockname(b) as Extract<Address, { tag: 'inet' }>;
    expect(got.address).toEqual(loopback(from.val.port));
    s.close(a); s.close(b);
  });
});

describe('the component\'s addresses and buffers (each case of the canonical ABI by hand)', () => {
  it('inet6: bind, getsockname as (host, port, flowinfo, scope_id), connect and accept; flowinfo out of range is CPython\'s OverflowError', () => {
    const s = instantiate(componentHost(new LinuxHost()));
    const srv = s.socket(10, SOCK_STREAM, 0);
    s.bind(srv, { tag: 'inet6', val: { host: '::1', port: 0, flowinfo: 0, scopeId: 0 } });
    s.listen(srv);
    const name = s.getsockname(srv) as Extract<Address, { tag: 'inet6' }>;
    expect(name).toMatchObject({ tag: 'inet6', val: { host: '::1', flowinfo: 0, scopeId: 0 } });
    const cli = s.socket(10, SOCK_STREAM, 0);
    expect(s.connectEx(cli, name)).toBe(0);
    const { socket: conn, address } = s.accept(srv);
    expect(address).toEqual(s.getsockname(cli));
    const bad = raised('bind/inet6-stream/flowinfo=1048576');
    const h = s.socket(10, SOCK_STREAM, 0);
    expect(failure(() => s.bind(h, { tag: 'inet6', val: { host: '::1', port: 0, flowinfo: 1048576, scopeId: 0 } })))
      .toMatchObject({ exception: bad.type, message: bad.message });
    for (const x of [h, conn, cli, srv]) s.close(x);
  });

  it('unix paths and the abstract namespace (bytes with the leading NUL, as CPython returns them)', () => {
    const s = instantiate(componentHost(new LinuxHost()));
    const dir = mkdtempSync(join(tmpdir(), 'wasock-component-unix-'));
    const a = s.socket(1, SOCK_STREAM, 0);
    s.bind(a, { tag: 'unix', val: join(dir, 'sock') });
    expect(s.getsockname(a)).toEqual({ tag: 'unix', val: join(dir, 'sock') });
    const b = s.socket(1, SOCK_STREAM, 0);
    const abstract = new TextEncoder().encode(`\0wasock-component-${process.pid}`);
    s.bind(b, { tag: 'unix-abstract', val: abstract });
    expect(s.getsockname(b)).toEqual({ tag: 'unix-abstract', val: abstract });
    expect(failure(() => s.bind(s.socket(1, SOCK_STREAM, 0), { tag: 'unix', val: 'x'.repeat(200) })))
      .toMatchObject({ exception: 'OSError', message: 'AF_UNIX path too long' });
    s.close(a); s.close(b);
    rmSync(dir, { recursive: true });
  });

  it('connect_ex returns the errno; a host name that needs a lookup and an address of no family fail as the core decides', () => {
    const s = instantiate(componentHost(new LinuxHost()));
    const idle = s.socket(AF_INET, SOCK_STREAM, 0);
    s.bind(idle, loopback(0));
    const h = s.socket(AF_INET, SOCK_STREAM, 0);
    expect(s.connectEx(h, s.getsockname(idle))).toBe(111);
    expect(failure(() => s.bind(h, { tag: 'inet', val: { host: 'no-such-host.invalid', port: 0 } })))
      .toMatchObject({ exception: 'gaierror', errno: -2, message: '[Errno -2] Name or service not known' });
    expect(failure(() => s.bind(h, { tag: 'none' }))).toMatchObject({ exception: 'OSError', message: 'bind(): bad family' });
    s.close(h); s.close(idle);
  });

  it('a handle kept after close never names the socket that reuses its slot', () => {
    const s = instantiate(componentHost(new LinuxHost()));
    const a = s.socket(AF_INET, SOCK_STREAM, 0);
    s.close(a);
    const b = s.socket(AF_INET, 2, 0);
    expect(b & 0xfffff).toBe(a & 0xfffff);   // the same slot, another generation
    expect(failure(() => s.getsockopt(a, SOL_SOCKET, SO_TYPE))).toMatchObject({ errno: 9 });
    expect(s.fileno(a)).toBe(-1);
    expect(s.getsockopt(b, SOL_SOCKET, SO_TYPE)).toBe(2);
    s.close(a);                                // closing again is a no-op, as in CPython
    expect(s.getsockopt(b, SOL_SOCKET, SO_TYPE)).toBe(2);
    s.close(b);
  });

  it('recv of a size no buffer can hold is MemoryError, as CPython\'s', () => {
    const s = instantiate(componentHost(new LinuxHost()));
    const h = s.socket(AF_INET, SOCK_STREAM, 0);
    expect(failure(() => s.recv(h, 2n ** 40n, 0))).toMatchObject({ exception: 'MemoryError', message: '', errno: 0 });
    s.close(h);
  });

  it('setsockopt with bytes and getsockopt\'s bytes form round-trip struct linger', () => {
    const s = instantiate(componentHost(new LinuxHost()));
    const h = s.socket(AF_INET, SOCK_STREAM, 0);
    const linger = new Uint8Array([1, 0, 0, 0, 5, 0, 0, 0]);
    s.setsockoptBytes(h, SOL_SOCKET, SO_LINGER, linger);
    expect(s.getsockoptBytes(h, SOL_SOCKET, SO_LINGER, 8)).toEqual(linger);
    // buflen 4: the kernel writes (and reports) only what was offered.
    expect(s.getsockoptBytes(h, SOL_SOCKET, SO_LINGER, 4)).toEqual(linger.subarray(0, 4));
    s.close(h);
  });

  it('a transfer larger than every scratch area (core staging, the host\'s own memory) arrives intact', () => {
    transfer(instantiate(componentHost(new LinuxHost())), 200_000);
  });
});

describe('the component\'s sandbox policy (wasock:core/policy)', () => {
  /** The same policy through wasock's own API and through the component, both on the Linux host. */
  function both() {
    const own = linuxNetwork({
      policy: w.policy().allowTcp()
        .allow(['bind', 'listen', 'accept'], '127.0.0.1')
        .allow('connect', '127.0.0.0/8', [1024, 65535])
        .allow('bind', '0.0.0.0', 0)                     // the implicit bind of connect()
        .allowOption(w.SOL_SOCKET, w.SO_RCVBUF, { max: 1 << 20 }),
    });
    const { sockets: s, policy } = instantiateWithPolicy(componentHost(new LinuxHost()));
    policy.install({ tcp: true }, [
      { uses: { bind: true, listen: true, accept: true }, address: '127.0.0.1', ports: undefined },
      { uses: { connect: true }, address: '127.0.0.0/8', ports: [1024, 65535] },
      { uses: { bind: true }, address: '0.0.0.0', ports: [0, 0] },
    ], [{ level: SOL_SOCKET, optname: SO_RCVBUF, bounds: [-Infinity, 1 << 20] }]);
    return { own, s };
  }
  const ownError = (f: () => unknown): Error => { try { f(); } catch (e) { return e as Error; } throw new Error('expected a denial'); };

  it('denies what the rules do not allow, with the PermissionError wasock\'s own API raises, before any host call', () => {
    const { own, s } = both();
    const before = fdCount();
    const d1 = failure(() => s.socket(AF_INET, 2, 0));
    expect(d1).toMatchObject({ exception: 'PermissionError', errno: 1, message: ownError(() => new own.socket(w.AF_INET, w.SOCK_DGRAM)).message });
    expect(d1.message).toBe('[Errno 1] socket(AF_INET, SOCK_DGRAM) denied by policy: udp sockets are not allowed');
    expect(fdCount()).toBe(before);   // no socket was made
    const h = s.socket(AF_INET, SOCK_STREAM, 0);
    const o = new own.socket();
    for (const [addr, port] of [['10.0.0.1', 80], ['127.0.0.1', 80]] as const) {
      expect(failure(() => s.connect(h, { tag: 'inet', val: { host: addr, port } })).message).toBe(ownError(() => o.connect([addr, port])).message);
    }
    expect(s.connectEx(h, { tag: 'inet', val: { host: '10.0.0.1', port: 80 } })).toBe(1);
    expect(failure(() => s.setsockopt(h, SOL_SOCKET, SO_RCVBUF, 1 << 24)).message)
      .toBe(ownError(() => o.setsockopt(w.SOL_SOCKET, w.SO_RCVBUF, 1 << 24)).message);
    expect(failure(() => s.setsockopt(h, SOL_SOCKET, SO_KEEPALIVE, 1)).message)
      .toBe(ownError(() => o.setsockopt(w.SOL_SOCKET, w.SO_KEEPALIVE, 1)).message);
    const other = { tag: 'inet', val: { host: '127.0.0.2', port: 0 } } as const;
    expect(failure(() => s.bind(h, other)).message).toBe(ownError(() => o.bind(['127.0.0.2', 0])).message);
    o.close(); s.close(h);
  });

  it('allows what the rules allow: a server on 127.0.0.1, a client connecting to it, bounded setsockopt', () => {
    const { s } = both();
    const srv = s.socket(AF_INET, SOCK_STREAM, 0);
    s.bind(srv, loopback(0));
    s.listen(srv);
    const cli = s.socket(AF_INET, SOCK_STREAM, 0);
    s.setsockopt(cli, SOL_SOCKET, SO_RCVBUF, 4096);
    s.connect(cli, s.getsockname(srv));
    const { socket: conn } = s.accept(srv);
    s.sendall(cli, new Uint8Array([9, 9]), 0);
    expect([...s.recv(conn, 2n, 0)]).toEqual([9, 9]);
    for (const h of [cli, conn, srv]) s.close(h);
  });

  it('a peer accept refuses is reset and accept waits on (its timeout covers the whole call)', () => {
    const { sockets: s, policy } = instantiateWithPolicy(componentHost(new LinuxHost()));
    policy.install({ tcp: true }, [
      { uses: { bind: true, listen: true }, address: '127.0.0.1', ports: undefined },
      { uses: { accept: true }, address: '127.0.0.2', ports: undefined },    // not where the client is
      { uses: { connect: true }, address: '127.0.0.1', ports: undefined },
      { uses: { bind: true }, address: '0.0.0.0', ports: [0, 0] },
    ], []);
    const before = fdCount();
    const srv = s.socket(AF_INET, SOCK_STREAM, 0);
    s.bind(srv, loopback(0));
    s.listen(srv);
    const cli = s.socket(AF_INET, SOCK_STREAM, 0);
    s.connect(cli, s.getsockname(srv));
    s.settimeout(srv, 0.1);
    expect(failure(() => s.accept(srv))).toMatchObject({ exception: 'TimeoutError', message: 'timed out' });
    // The refused peer was reset (SO_LINGER {1, 0} and close): the client sees ECONNRESET.
    expect(failure(() => s.recv(cli, 1n, 0))).toMatchObject({ exception: 'ConnectionResetError', errno: 104, message: '[Errno 104] Connection reset by peer' });
    s.close(cli); s.close(srv);
    expect(fdCount()).toBe(before);
  });

  it('an invalid rule is refused whole with wasock\'s ValueError message, and nothing is installed', () => {
    const { policy, sockets: s } = instantiateWithPolicy(componentHost(new LinuxHost()));
    const e = failure(() => policy.install({ tcp: true }, [{ uses: { bind: true }, address: 'not-an-address', ports: undefined }], []));
    expect(e).toMatchObject({ exception: 'ValueError', message: ownError(() => w.policy().allow('bind', 'not-an-address')).message });
    expect(failure(() => policy.install({}, [{ uses: {}, address: '::1', ports: undefined }], [])).message)
      .toBe(ownError(() => w.policy().allow([], '::1')).message);
    expect(failure(() => policy.install({}, [{ uses: { bind: true }, address: '/run/x.sock', ports: [1, 2] }], [])).message)
      .toBe(ownError(() => w.policy().allow('bind', '/run/x.sock', [1, 2])).message);
    expect(failure(() => policy.install({}, [], [{ level: 1, optname: 8, bounds: [5, 1] }])).message)
      .toBe(ownError(() => w.policy().allowOption(1, 8, { min: 5, max: 1 })).message);
    // Nothing was installed: a UDP socket is still allowed.
    s.close(s.socket(AF_INET, 2, 0));
  });
});

describe('the component on the emulated network (supplied at run time)', () => {
  it('socketpair, dup, detach and socket(fileno=) (adopt); every fd closed', () => {
    const emu = emulatedComponentHost();
    pairAndDup(instantiate(emu.imports), 1);
    expect(emu.openFds()).toBe(0);
  });

  it('the same scenario: CPython option values, handshake, 4 bytes each way; every fd closed', () => {
    const emu = emulatedComponentHost();
    scenario(instantiate(emu.imports));
    expect(emu.openFds()).toBe(0);
  });

  it('the same errors, with CPython\'s messages', () => {
    const emu = emulatedComponentHost();
    errors(instantiate(emu.imports));
    expect(emu.openFds()).toBe(0);
  });

  it('timeouts run on the network\'s virtual clock: accept times out at once, non-blocking accept is BlockingIOError', () => {
    const emu = emulatedComponentHost();
    const s = instantiate(emu.imports);
    const srv = s.socket(AF_INET, SOCK_STREAM, 0);
    s.bind(srv, loopback(0));
    s.listen(srv);
    s.settimeout(srv, 30);
    const t0 = performance.now();
    expect(failure(() => s.accept(srv))).toMatchObject({ exception: 'TimeoutError', message: 'timed out' });
    expect(performance.now() - t0).toBeLessThan(1000);   // 30 virtual seconds, no real wait
    s.setblocking(srv, false);
    expect(failure(() => s.accept(srv))).toMatchObject({ exception: 'BlockingIOError', errno: 11 });
    s.close(srv);
    expect(emu.openFds()).toBe(0);
  });

  it('a transfer larger than the adapter\'s first scratch area, within the network\'s windows', () => {
    const emu = emulatedComponentHost();
    transfer(instantiate(emu.imports), 60_000);
    expect(emu.openFds()).toBe(0);
  });

  it('answers as wasock\'s own emulated network does (the raw core with the network compiled in)', () => {
    const s = instantiate(emulatedComponentHost().imports);
    const net = emulatedNetwork();
    const own = new net.socket(w.AF_INET, w.SOCK_STREAM);
    const h = s.socket(AF_INET, SOCK_STREAM, 0);
    for (const opt of [w.SO_RCVBUF, w.SO_SNDBUF, w.SO_KEEPALIVE, w.SO_REUSEADDR, w.SO_TYPE, w.SO_ERROR]) {
      expect(s.getsockopt(h, w.SOL_SOCKET, opt), `option ${opt}`).toBe(own.getsockopt(w.SOL_SOCKET, opt));
    }
    expect(s.getsockopt(h, w.IPPROTO_TCP, w.TCP_NODELAY)).toBe(own.getsockopt(w.IPPROTO_TCP, w.TCP_NODELAY));
    own.close();
    s.close(h);
  });
});

// SO_RCVBUF is named so the constant is checked against the fixture's row above.
void SO_RCVBUF; void SO_KEEPALIVE;
