// Timeouts, blocking mode and listen() against CPython 3.11 (reference §3, §4, §10).
//
// Part 1 replays test/fixtures/timeouts.json (scripts/gen_timeouts.py; schema in
// test/fixtures/README.md, "Timeout fixtures") through wasock on the live kernel: argument
// parsing, the (gettimeout, getblocking, O_NONBLOCK, .type) state matrix, listen backlogs as
// `ss` reports them, and blocking calls under a timeout. O_NONBLOCK is read from
// /proc/self/fdinfo/<fd>, exactly as the generator read it for CPython's fd.
// On a host compiled into its core (the emulated network: test/helpers/hosts.ts) the same
// facts are read from that host: O_NONBLOCK through fcntl(F_GETFL), a listener's backlog from
// its TCP_INFO (tcpi_sacked, as Linux fills it), elapsed times and sleeps on its virtual clock.
// Part 2 ports the test_socket.py cases these cover, one named test each.
//
// Nothing here may hang the test thread: every call that can wait runs on a socket with a
// Python timeout plus a 4 s SO_RCVTIMEO/SO_SNDTIMEO watchdog (an implementation that leaves
// the fd blocking fails with EAGAIN instead of hanging), and peers that must act while the
// test thread waits are node child processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { hex, jsArg, loadFixture, unhex, type Arg, type Result } from './helpers/replay.js';
import { ApiScene } from './helpers/api-replay.js';
import { hostCore } from '../src/core.js';
import { replayIt, Diverges, compiledHost, wasiP2Host, closeHostFd, nonblockBit, socketFdMark, hostNow, hostSleep } from './helpers/hosts.js';

// ------------------------------------------------------------------- the API under test

/** The timeout half of the socket (implemented alongside these tests). */
type TSock = w.socket & {
  settimeout(value?: unknown, ...more: unknown[]): void;
  gettimeout(...more: unknown[]): number | null;
  setblocking(flag?: unknown, ...more: unknown[]): void;
  getblocking(...more: unknown[]): boolean;
  readonly timeout: number | null;
};
type Mod = Record<string, ((...a: unknown[]) => unknown) | undefined>;
const mod = w as unknown as Mod;
const W = w as unknown as typeof w & {
  setdefaulttimeout(value?: unknown, ...more: unknown[]): void;
  getdefaulttimeout(...more: unknown[]): number | null;
};
const T = (s: w.socket) => s as TSock;

/** The default timeout is module state: every case and test ends with it back at None. */
function resetDefault(): void {
  if (typeof mod.setdefaulttimeout === 'function') mod.setdefaulttimeout(null);
}

/** net.core.somaxconn of the emulated kernel (kernel/ops.ts SOMAXCONN: Linux 5.4+'s default). */
const EMULATED_SOMAXCONN = 4096;

function liveSomaxconn(): number {
  if (compiledHost() && !wasiP2Host()) return EMULATED_SOMAXCONN;
  return Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
}

/** Send-Q of the LISTEN socket at host:port as `ss -ltn` reports it; null if not listening. */
function ssBacklog(host: string, port: number): number | null {
  const r = spawnSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`ss failed (install iproute2): ${r.error?.message ?? r.stderr}`);
  const want = new Set([`${host}:${port}`, `[${host}]:${port}`]);
  if (host === '0.0.0.0' || host === '::') { want.add(`*:${port}`); want.add(`[::]:${port}`); }
  for (const line of r.stdout.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length >= 4 && cols[0] === 'LISTEN' && want.has(cols[3])) return Number(cols[2]);
  }
  return null;
}

/** TCP_INFO of a listener: tcpi_state (byte 0) is TCP_LISTEN (10) and tcpi_sacked (u32 at 28) its backlog, as Linux fills them. */
function tcpInfoBacklog(s: w.socket): number | null {
  const info = s.getsockopt(w.IPPROTO_TCP, w.TCP_INFO, 104) as Uint8Array;
  if (info[0] !== 10) return null;
  return new DataView(info.buffer, info.byteOffset, info.byteLength).getUint32(28, true);
}

/** The backlog the kernel holds for listener s (null: not listening): `ss` on Linux, TCP_INFO on a compiled host. */
function backlogOf(s: w.socket): number | null {
  // wasi-p2's sockets are this process's kernel sockets (through the runtime): `ss` sees them.
  if (compiledHost() && !wasiP2Host()) return tcpInfoBacklog(s);
  const [host, port] = s.getsockname() as [string, number];
  return ssBacklog(host, port);
}

/** 4 s SO_RCVTIMEO/SO_SNDTIMEO: a wait that the Python timeout fails to bound ends in EAGAIN. */
function watchdog(s: w.socket): void {
  // wasi:sockets has no SO_RCVTIMEO (absent on wasi-p2, as in wasi-libc): there the core's own
  // pollable + monotonic-clock wait is all there is, and these tests check it bounds the wait.
  if (wasiP2Host()) return;
  const tv = w.encodeTimeval({ sec: 4, usec: 0 });
  s.setsockopt(w.SOL_SOCKET, w.SO_RCVTIMEO, tv);
  s.setsockopt(w.SOL_SOCKET, w.SO_SNDTIMEO, tv);
}

/** A node child that connects to host:port, sends `data` after `delayS`, then reads to EOF. */
const PEER_SCRIPT = `
const net = require('net');
const [host, port, delay, data] = process.argv.slice(1);
const s = net.connect(Number(port), host, () => {
  setTimeout(() => s.write(Buffer.from(data, 'hex')), Number(delay) * 1000);
});
s.on('data', () => {});
s.on('error', () => process.exit(0));
s.on('end', () => { s.end(); process.exit(0); });
setTimeout(() => process.exit(0), 10000);
`;
function spawnPeer(host: string, port: number, delayS: number, dataHex: string): ChildProcess {
  return spawn(process.execPath, ['-e', PEER_SCRIPT, host, String(port), String(delayS), dataHex], { stdio: 'ignore' });
}

/** A sleep on the host's clock (virtual time on the emulated network: its timers run). */
const sleepSync = hostSleep;

// ------------------------------------------------------------------- fixture types

interface TArg extends Arg { as?: string; n?: number }
interface TMask { why: string; int?: 'any'; int_in?: number[]; port_at?: number[]; somaxconn?: boolean }
interface StateResult { timeout: number | null; blocking: boolean; nonblock: boolean | null; type: number }
interface TStep {
  call?: string; args?: TArg[]; on?: string; save?: string | (string | null)[];
  result?: Result | StateResult | number | null; mask?: TMask; note?: string;
  elapsed?: { min: number; max: number; why: string };
  state?: string; attr?: 'timeout' | 'type';
  sleep?: number; why?: string;
  backlog?: string; requested?: number;
  peer?: { connect: string; delay: number; hex: string };
}
interface TCase {
  id: string; group: 'args' | 'state' | 'listen' | 'io';
  sock: { family: 'inet' | 'inet6' | 'unix' | null; type: 'stream' | 'dgram' | null; state: string; listener?: 'inet' | 'inet6' };
  fds?: Record<string, string>;
  steps: TStep[]; note?: string; python_only?: string;
}

const fixture = loadFixture('timeouts.json') as unknown as { somaxconn: number; cases: TCase[] };

// ------------------------------------------------------------------- replay

const MODULE_CALLS = new Set(['socket', 'socketpair', 'fromfd', 'setdefaulttimeout', 'getdefaulttimeout']);

class Run {
  readonly scene = new ApiScene();
  readonly fds = new Map<string, number>();
  readonly ownedFds = new Set<number>();
  readonly peers: ChildProcess[] = [];
  constructor(readonly c: TCase) {}

  sock(name: string): TSock {
    const s = this.scene.socks.get(name);
    if (!s) throw new Error(`${this.c.id}: no socket named ${name}`);
    return T(s);
  }

  setup(): void {
    // raw fds first, while the default timeout is None (README: "fds")
    for (const [name, kind] of Object.entries(this.c.fds ?? {})) {
      const nb = kind === 'inet-stream-nonblock';
      if (!nb && kind !== 'inet-stream') throw new Error(`unknown fd kind ${kind}`);
      const fd = new w.socket(w.AF_INET, w.SOCK_STREAM | (nb ? w.SOCK_NONBLOCK : 0)).detach();
      this.fds.set(name, fd);
      this.ownedFds.add(fd);
      if (nonblockBit(fd) !== nb) throw new Error(`setup: fd kind ${kind} has O_NONBLOCK=${!nb}`);
    }
    this.scene.setup(this.c as never);
  }

  arg(a: TArg, target: w.socket | undefined): unknown {
    switch (a.t) {
      case 'float':
        return a.hex !== undefined ? Buffer.from(a.hex, 'hex').readDoubleBE(0) : (a.v as number);
      case 'int':
        return a.as === 'number' ? Number(BigInt(a.v as string)) : jsArg(a);
      case 'zeros': return new Uint8Array(a.n!);
      case 'fd': {
        const fd = this.fds.get(a.v as string);
        if (fd === undefined) throw new Error(`${this.c.id}: no fd named ${String(a.v)}`);
        return fd;
      }
      case 'tuple': return (a.v as TArg[]).map((x) => this.arg(x, target));
      default: return this.scene.arg(a as never, target);
    }
  }

  close(): void {
    for (const p of this.peers) p.kill('SIGKILL');
    this.scene.close();
    for (const fd of this.ownedFds) {
      try { closeHostFd(fd); } catch { /* taken over and closed by a socket */ }
    }
  }
}

function pyName(e: unknown): string {
  return e instanceof Error ? e.name : typeof e;
}

function sameAddress(got: unknown, want: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((x, i) => got[i] === x);
  return got === want;
}

/** `got` against a RESULT value; `path` is the tuple index path from the top. */
function checkValue(run: Run, id: string, got: unknown, want: TArg & Record<string, unknown>, path: number[], mask?: TMask, call?: string): void {
  const where = `${id}${path.length ? ` at [${path.join(',')}]` : ''}`;
  switch (want.t) {
    case 'none':
      if (path.length === 0 && !want.value) expect(got, `${where}: no return value`).toBeUndefined();
      else expect(got, where).toBeNull();
      return;
    case 'int': {
      expect(typeof got, `${where}: type of ${String(got)}`).toBe('number');
      const n = got as number;
      if (mask?.int === 'any') {
        expect(Number.isInteger(n), where).toBe(true);
        if (call === 'detach' && n >= 0) run.ownedFds.add(n);
        return;
      }
      if (mask?.int_in) { expect(mask.int_in, `${where}: ${n} not in ${mask.int_in.join('|')}`).toContain(n); return; }
      if (mask?.port_at && path.length === mask.port_at.length && path.every((x, i) => x === mask.port_at![i])) {
        expect(n >= 1 && n <= 65535, `${where}: port ${n}`).toBe(true);
        return;
      }
      expect(BigInt(n), where).toBe(BigInt(want.v as string));
      return;
    }
    case 'float': {
      const x = want.hex !== undefined ? Buffer.from(want.hex as string, 'hex').readDoubleBE(0) : (want.v as number);
      expect(typeof got, `${where}: type of ${String(got)}`).toBe('number');
      expect(Object.is(got, x), `${where}: ${String(got)} should be ${x}`).toBe(true);
      return;
    }
    case 'bool': expect(got, where).toBe(want.v); return;
    case 'str': expect(got, where).toBe(want.v); return;
    case 'bytes':
      expect(got, where).toBeInstanceOf(Uint8Array);
      expect(hex(got as Uint8Array), where).toBe(hex(unhex(want.hex as string)));
      return;
    case 'tuple': {
      expect(Array.isArray(got), `${where}: array expected, got ${String(got)}`).toBe(true);
      const items = want.v as (TArg & Record<string, unknown>)[];
      expect((got as unknown[]).length, `${where}: length`).toBe(items.length);
      items.forEach((x, i) => checkValue(run, id, (got as unknown[])[i], x, [...path, i], mask, call));
      return;
    }
    case 'socket': {
      expect(got, where).toBeInstanceOf(w.socket);
      const s = got as w.socket;
      expect({ family: s.family, type: s.type, proto: s.proto }, where)
        .toEqual({ family: want.family, type: want.type, proto: want.proto });
      return;
    }
    case 'addr': {
      const addr = run.scene.addrOf(want.v as string, undefined);
      expect(sameAddress(got, addr), `${where}: ${JSON.stringify(got)} should be ${String(want.v)} = ${JSON.stringify(addr)}`).toBe(true);
      return;
    }
    default:
      throw new Error(`${where}: result type ${want.t} is not handled`);
  }
}

function checkOutcome(run: Run, id: string, threw: boolean, value: unknown, error: unknown, want: Result, mask?: TMask, call?: string): void {
  if (want.raises) {
    if (!threw) throw new Error(`${id}: expected ${want.raises.type}: ${want.raises.message}, got ${String(value)}`);
    const e = error as Error & { errno?: number | null };
    expect({ type: pyName(e), message: e.message, errno: e instanceof w.OSError ? e.errno : null }, id)
      .toEqual({ type: want.raises.type, message: want.raises.message, errno: want.raises.errno });
    return;
  }
  if (threw) throw new Error(`${id}: expected ${JSON.stringify(want.ok)}, got ${pyName(error)}: ${(error as Error).message}`, { cause: error });
  checkValue(run, id, value, want.ok as TArg & Record<string, unknown>, [], mask, call);
}

function callStep(run: Run, st: TStep, id: string): void {
  const call = st.call!;
  // The fixture's SO_RCVTIMEO/SO_SNDTIMEO watchdog steps bound a wait the Python timeout fails
  // to bound; wasi:sockets has no such option (absent on wasi-p2, as in wasi-libc), and there the
  // core's own pollable + monotonic-clock wait is what these cases test.
  if (st.note?.startsWith('watchdog') && wasiP2Host()) return;
  const target = MODULE_CALLS.has(call) ? undefined : run.sock(st.on ?? 'sock');
  let args: unknown[] = [];
  let value: unknown, error: unknown, threw = false;
  let elapsed = 0;
  try {
    args = (st.args ?? []).map((a) => run.arg(a, target));
    const t0 = hostNow();
    try {
      if (call === 'socket') value = new (w.socket as unknown as new (...a: unknown[]) => w.socket)(...args);
      else if (target === undefined) {
        const fn = mod[call];
        if (typeof fn !== 'function') throw new Error(`wasock exports no ${call}()`);
        value = fn(...args);
      } else {
        const fn = (target as unknown as Mod)[call];
        if (typeof fn !== 'function') throw new Error(`wasock socket has no method ${call}()`);
        value = fn.apply(target, args);
      }
    } finally {
      elapsed = hostNow() - t0;
    }
  } catch (e) {
    threw = true;
    error = e;
  }
  // bookkeeping first, so nothing leaks even when the comparison fails
  if (!threw) {
    if (value instanceof w.socket) run.scene.extra.push(value);
    if (Array.isArray(value)) for (const x of value) if (x instanceof w.socket) run.scene.extra.push(x);
    if (call === 'socket' && args.length > 3 && typeof args[3] === 'number') run.ownedFds.delete(args[3]);
    if (call === 'detach' && typeof value === 'number' && value >= 0) run.ownedFds.add(value);
    if (st.save) {
      const names = Array.isArray(st.save) ? st.save : [st.save];
      const vals = Array.isArray(st.save) ? (value as unknown[]) : [value];
      names.forEach((n, k) => { if (n) run.scene.socks.set(n, vals[k] as w.socket); });
    }
  }
  if (threw && error instanceof Error && /^wasock (exports|socket has) no /.test(error.message)) throw error;
  checkOutcome(run, id, threw, value, error, st.result as Result, st.mask, call);
  if (st.elapsed) {
    expect(elapsed, `${id}: elapsed ${elapsed.toFixed(3)} s (${st.elapsed.why})`).toBeGreaterThanOrEqual(st.elapsed.min);
    expect(elapsed, `${id}: elapsed ${elapsed.toFixed(3)} s (${st.elapsed.why})`).toBeLessThan(st.elapsed.max);
  }
}

function stateStep(run: Run, st: TStep, id: string): void {
  const s = run.sock(st.state!);
  const want = st.result as StateResult;
  if (typeof s.gettimeout !== 'function') throw new Error('wasock socket has no method gettimeout()');
  const timeout = s.gettimeout();
  const fd = s.fileno();
  const got = { timeout, blocking: s.getblocking(), nonblock: fd < 0 ? null : nonblockBit(fd), type: s.type };
  expect(got, id).toEqual(want);
  expect(Object.is(timeout, want.timeout), `${id}: gettimeout() ${String(timeout)} should be ${String(want.timeout)}`).toBe(true);
  expect(Object.is(s.timeout, timeout), `${id}: .timeout ${String(s.timeout)} should equal gettimeout()`).toBe(true);
}

function runStep(run: Run, st: TStep, i: number): void {
  const id = `${run.c.id} step ${i}`;
  if (st.call !== undefined) return callStep(run, st, `${id} ${st.on ?? ''}.${st.call}`);
  if (st.state !== undefined) return stateStep(run, st, `${id} state ${st.state}`);
  if (st.attr !== undefined) {
    const s = run.sock(st.on ?? 'sock');
    let value: unknown, error: unknown, threw = false;
    try { value = (s as unknown as Record<string, unknown>)[st.attr]; } catch (e) { threw = true; error = e; }
    if (st.attr === 'timeout' && !threw && value === undefined && !('timeout' in s)) throw new Error('wasock socket has no timeout property');
    return checkOutcome(run, `${id} .${st.attr}`, threw, value, error, st.result as Result);
  }
  if (st.sleep !== undefined) return sleepSync(st.sleep);
  if (st.backlog !== undefined) {
    const got = backlogOf(run.sock(st.backlog));
    // preview2-shim listens at bind with backlog 128 and drops the one given (WASI_P2_PROFILE).
    const shim = (hostCore().host as { profile?: readonly { id: string }[] }).profile ?? [];
    if (wasiP2Host() && shim.some((d) => d.id === 'backlog-dropped') && got !== st.result) {
      throw new Diverges(`the kernel's backlog is ${String(got)} where CPython's is ${String(st.result)}: preview2-shim's bind already listens with backlog 128 and drops the one given (WASI_P2_PROFILE 'bind-listens', 'backlog-dropped')`);
    }
    if (st.mask?.somaxconn) {
      // the kernel capped CPython's backlog at somaxconn: expect the cap of this machine
      expect(st.result, `${id}: fixture consistency`).toBe(Math.min(st.requested!, fixture.somaxconn));
      expect(got, `${id} backlog (${st.mask.why})`).toBe(Math.min(st.requested!, liveSomaxconn()));
    } else {
      expect(got, `${id} backlog`).toBe(st.result);
    }
    return;
  }
  if (st.peer !== undefined) {
    // wasi-p2 is compiled into its core too, but its sockets are the kernel's: a peer process reaches them.
    if (compiledHost() && !wasiP2Host()) throw new Error(`${id}: a peer process cannot reach a network compiled into the core (test/helpers/hosts.ts DIVERGES)`);
    const [host, port] = run.sock(st.peer.connect).getsockname() as [string, number];
    run.peers.push(spawnPeer(host, port, st.peer.delay, st.peer.hex));
    return;
  }
  throw new Error(`${id}: unknown step ${JSON.stringify(st)}`);
}

function runCase(c: TCase): void {
  const leaks = socketFdMark();
  const run = new Run(c);
  try {
    run.setup();
    c.steps.forEach((st, i) => runStep(run, st, i));
  } finally {
    try { resetDefault(); } finally { run.close(); }
  }
  expect(leaks(), `${c.id}: socket fds left open`).toEqual([]);
}

afterEach(() => { resetDefault(); });

describe('timeouts, blocking mode and listen() match CPython 3.11 (timeouts.json)', () => {
  for (const group of ['args', 'state', 'listen', 'io'] as const) {
    describe(group, () => {
      for (const c of fixture.cases.filter((x) => x.group === group)) {
        if (c.python_only) it.skip(`${c.id} (skipped: python_only: ${c.python_only})`, () => {});
        else replayIt(c.id, () => runCase(c));
      }
    });
  }

  replayIt('covers every group and the argument cases the brief lists', () => {
    const ids = new Set(fixture.cases.map((c) => c.id));
    for (const fn of ['settimeout', 'setblocking', 'setdefaulttimeout']) {
      for (const lab of ['None', 'int:0', 'float:-0.0', 'float:1e-10', 'float:4e-10', 'float:5e-10', 'float:1.5e-09',
        'float:0.1', 'float:2.5', 'int:5', 'True', 'False', 'int:-1', 'float:-1e-10', 'float:-0.5',
        'float:9223372036.854774', 'float:9223372036.854776', 'int:9223372036', 'int:9223372037', 'int:2**63',
        'int:2**64', 'float:1e+300', 'float:inf', 'float:-inf', 'float:nan', "str:'1'", "bytes:b'1'", 'list:[]',
        'int:2**32', 'float:1.5', 'no-args', 'two-args']) {
        expect(ids.has(`${fn}/from-none/${lab}`), `${fn}/from-none/${lab}`).toBe(true);
      }
    }
  });
});

// ------------------------------------------------------------------- test_socket.py, ported

const HOST = '127.0.0.1';
const opened: w.socket[] = [];
function track<S extends w.socket>(s: S): S { opened.push(s); return s; }
function tcpServer(): TSock {
  const s = track(T(new w.socket(w.AF_INET, w.SOCK_STREAM)));
  s.bind([HOST, 0]);
  s.listen();
  return s;
}
function connectTo(srv: w.socket): TSock {
  const c = track(T(new w.socket(w.AF_INET, w.SOCK_STREAM)));
  c.connect(srv.getsockname());
  return c;
}
/** NonBlockingTCPTests.assert_sock_timeout. */
function assertSockTimeout(s: TSock, timeout: number | null): void {
  expect(s.gettimeout()).toBe(timeout);
  expect(s.getblocking()).toBe(timeout !== 0);
  // a non-zero timeout still puts the fd in O_NONBLOCK: only None leaves it blocking
  expect(!nonblockBit(s.fileno())).toBe(timeout === null);
}
/** NonblockConstantTest.checkNonblock. */
function checkNonblock(s: TSock, nonblock = true, timeout = 0): void {
  expect(s.type).toBe(w.SOCK_STREAM);
  if (nonblock) {
    expect(s.gettimeout()).toBe(timeout);
    expect(nonblockBit(s.fileno())).toBe(true);
    expect(s.getblocking()).toBe(timeout !== 0);
  } else {
    expect(s.gettimeout()).toBeNull();
    expect(nonblockBit(s.fileno())).toBe(false);
    expect(s.getblocking()).toBe(true);
  }
}
function expectTimedOut(f: () => unknown): void {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  expect(err, 'TimeoutError expected').toBeInstanceOf(w.TimeoutError);
  expect(err).toBeInstanceOf(w.timeout);
  expect(err).toBeInstanceOf(w.OSError);
  expect((err as Error).message).toBe('timed out');
  expect((err as w.OSError).errno).toBeNull();
}

describe('test_socket.py timeout and listen tests, ported', () => {
  afterEach(() => {
    resetDefault();
    for (const s of opened.splice(0)) {
      try { s.close(); } catch { /* closed by the test */ }
    }
  });

  replayIt('testDefaultTimeout: the default starts as null, setdefaulttimeout(10) reaches new sockets, -1 is ValueError, "spam" is TypeError', () => {
    expect(W.getdefaulttimeout()).toBeNull();
    expect(T(track(new w.socket())).gettimeout()).toBeNull();
    W.setdefaulttimeout(10);
    expect(W.getdefaulttimeout()).toBe(10);
    expect(T(track(new w.socket())).gettimeout()).toBe(10);
    W.setdefaulttimeout(null);
    expect(W.getdefaulttimeout()).toBeNull();
    expect(T(track(new w.socket())).gettimeout()).toBeNull();
    expect(() => W.setdefaulttimeout(-1)).toThrow(w.ValueError);
    expect(() => W.setdefaulttimeout('spam')).toThrow(TypeError);
    expect(W.getdefaulttimeout()).toBeNull();
  });

  replayIt('testSendAfterClose: send() after close() on a socket with a timeout raises OSError EBADF', () => {
    const s = T(new w.socket(w.AF_INET, w.SOCK_STREAM));
    s.settimeout(1);
    s.close();
    let err: unknown;
    try { s.send(new Uint8Array([115, 112, 97, 109])); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(w.OSError);
    expect((err as w.OSError).errno).toBe(9);
  });

  replayIt('test_socket_consistent_sock_type: .type stays SOCK_STREAM through SOCK_NONBLOCK|SOCK_CLOEXEC and every timeout change', () => {
    const s = track(T(new w.socket(w.AF_INET, w.SOCK_STREAM | w.SOCK_NONBLOCK | w.SOCK_CLOEXEC)));
    expect(s.type).toBe(w.SOCK_STREAM);
    s.settimeout(1);
    expect(s.type).toBe(w.SOCK_STREAM);
    s.settimeout(0);
    expect(s.type).toBe(w.SOCK_STREAM);
    s.setblocking(true);
    expect(s.type).toBe(w.SOCK_STREAM);
    s.setblocking(false);
    expect(s.type).toBe(w.SOCK_STREAM);
  });

  replayIt('testSetBlocking: gettimeout, getblocking and the fd O_NONBLOCK bit agree after each setblocking/settimeout', () => {
    const serv = tcpServer();
    serv.setblocking(true); assertSockTimeout(serv, null);
    serv.setblocking(false); assertSockTimeout(serv, 0);
    serv.settimeout(null); assertSockTimeout(serv, null);
    serv.settimeout(0); assertSockTimeout(serv, 0);
    serv.settimeout(10); assertSockTimeout(serv, 10);
    serv.settimeout(0); assertSockTimeout(serv, 0);
  });

  replayIt('testSetBlocking_overflow: setblocking(UINT_MAX + 1) means blocking, not a truncation to 0', () => {
    const serv = tcpServer();
    serv.setblocking(false); assertSockTimeout(serv, 0);
    serv.setblocking(2 ** 32); assertSockTimeout(serv, null);
    serv.setblocking(false); assertSockTimeout(serv, 0);
    serv.setblocking(2n ** 32n); assertSockTimeout(serv, null);
  });

  replayIt('testInitNonBlocking: a socket created with SOCK_NONBLOCK has timeout 0.0 and getblocking() false', () => {
    const s = track(T(new w.socket(w.AF_INET, w.SOCK_STREAM | w.SOCK_NONBLOCK)));
    assertSockTimeout(s, 0);
  });

  replayIt('testInheritFlagsBlocking: with the default None, accept() on a listener with timeout 10 gives a blocking socket', () => {
    const serv = tcpServer();
    connectTo(serv);
    W.setdefaulttimeout(null);
    serv.settimeout(10);
    watchdog(serv);
    const [conn] = serv.accept();
    track(conn);
    expect(T(conn).gettimeout()).toBeNull();
    expect(nonblockBit(conn.fileno())).toBe(false);
  });

  replayIt('testInheritFlagsTimeout: with the default 20, the accepted socket gets 20.0, not the listener\'s 10', () => {
    const serv = tcpServer();
    connectTo(serv);
    W.setdefaulttimeout(20);
    serv.settimeout(10);
    watchdog(serv);
    const [conn] = serv.accept();
    track(conn);
    expect(T(conn).gettimeout()).toBe(20);
  });

  replayIt('testAccept: non-blocking accept() with nothing pending raises BlockingIOError at once; after a connect it succeeds with timeout null', () => {
    const serv = tcpServer();
    serv.setblocking(false);
    const t0 = hostNow();
    expect(() => serv.accept()).toThrow(w.BlockingIOError);
    expect(hostNow() - t0).toBeLessThan(1);
    connectTo(serv);
    sleepSync(0.02);   // loopback has queued the connection already; this only makes it certain
    const [conn] = serv.accept();
    track(conn);
    expect(T(conn).gettimeout()).toBeNull();
  });

  replayIt('testRecv: non-blocking recv() before data raises BlockingIOError; after the peer sends, it returns the data', () => {
    const serv = tcpServer();
    const cli = connectTo(serv);
    const [conn] = serv.accept();
    track(conn);
    T(conn).setblocking(false);
    expect(() => conn.recv(7)).toThrow(w.BlockingIOError);
    const MSG = new TextEncoder().encode('Michael');
    cli.sendall(MSG);
    sleepSync(0.02);
    expect(hex(conn.recv(MSG.length))).toBe(hex(MSG));
  });

  replayIt('test_SOCK_NONBLOCK: type, gettimeout, O_NONBLOCK and getblocking across toggles and default timeouts 0.0, None, 2.0', () => {
    const s = track(T(new w.socket(w.AF_INET, w.SOCK_STREAM | w.SOCK_NONBLOCK)));
    checkNonblock(s);
    s.setblocking(true); checkNonblock(s, false);
    s.setblocking(false); checkNonblock(s);
    s.settimeout(null); checkNonblock(s, false);
    s.settimeout(2); checkNonblock(s, true, 2);
    s.setblocking(true); checkNonblock(s, false);
    W.setdefaulttimeout(0); checkNonblock(track(T(new w.socket())));
    W.setdefaulttimeout(null); checkNonblock(track(T(new w.socket())), false);
    W.setdefaulttimeout(2); checkNonblock(track(T(new w.socket())), true, 2);
    W.setdefaulttimeout(null); checkNonblock(track(T(new w.socket())), false);
  });

  replayIt('testTCPTimeout: accept() with settimeout(1.0) and nothing pending raises TimeoutError("timed out") after about 1 s', () => {
    const serv = tcpServer();
    serv.settimeout(1);
    watchdog(serv);
    const t0 = hostNow();
    expectTimedOut(() => serv.accept());
    const dt = hostNow() - t0;
    expect(dt).toBeGreaterThanOrEqual(0.9);
    expect(dt).toBeLessThan(3.5);
  });

  replayIt('testTimeoutZero (TCP): accept() with timeout 0.0 raises an OSError that is not TimeoutError', () => {
    const serv = tcpServer();
    serv.settimeout(0);
    let err: unknown;
    try { serv.accept(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(w.OSError);
    expect(err).not.toBeInstanceOf(w.TimeoutError);
    expect(err).toBeInstanceOf(w.BlockingIOError);
  });

  replayIt('testUDPTimeout: recv() on a UDP socket with settimeout(1.0) and no datagram raises TimeoutError', () => {
    const s = track(T(new w.socket(w.AF_INET, w.SOCK_DGRAM)));
    s.bind([HOST, 0]);
    s.settimeout(1);
    watchdog(s);
    const t0 = hostNow();
    expectTimedOut(() => s.recv(1024));
    expect(hostNow() - t0).toBeGreaterThanOrEqual(0.9);
  });

  replayIt('testTimeoutZero (UDP): recv() with timeout 0.0 raises an OSError that is not TimeoutError', () => {
    const s = track(T(new w.socket(w.AF_INET, w.SOCK_DGRAM)));
    s.bind([HOST, 0]);
    s.settimeout(0);
    let err: unknown;
    try { s.recv(1024); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(w.OSError);
    expect(err).not.toBeInstanceOf(w.TimeoutError);
  });

  replayIt('testOutsideTimeout: recv() on create_connection(addr, 1)-style socket with no data raises TimeoutError', () => {
    const serv = tcpServer();
    const cli = track(T(w.create_connection(serv.getsockname() as [string, number], 0.3)));
    expect(cli.gettimeout()).toBe(0.3);
    watchdog(cli);
    expectTimedOut(() => cli.recv(5));
  });

  replayIt('test_listen_backlog: listen(0), listen(-1) and listen() succeed; the kernel reports backlogs 0, 0 and 128', () => {
    for (const [args, want] of [[[0], 0], [[-1], 0], [[], Math.min(128, liveSomaxconn())]] as [number[], number][]) {
      const srv = track(new w.socket(w.AF_INET, w.SOCK_STREAM));
      srv.bind([HOST, 0]);
      srv.listen(...(args as [number]));
      expect(backlogOf(srv), `listen(${args.join()})`).toBe(want);
    }
  });

  replayIt('test_listen_backlog_overflow: listen(INT_MAX + 1) raises OverflowError and the socket does not listen', () => {
    const srv = track(new w.socket(w.AF_INET, w.SOCK_STREAM));
    srv.bind([HOST, 0]);
    expect(() => srv.listen(2 ** 31)).toThrow(w.OverflowError);
    expect(backlogOf(srv)).toBeNull();
  });

  replayIt('socket.timeout is read-only: assigning to it throws and leaves the timeout as it was', () => {
    const s = track(T(new w.socket()));
    s.settimeout(2.5);
    expect(() => { (s as unknown as { timeout: number }).timeout = 1; }).toThrow(TypeError);
    expect(s.timeout).toBe(2.5);
    expect(s.gettimeout()).toBe(2.5);
  });

  replayIt('TestExceptions.testExceptionTree (timeout part): socket.timeout is TimeoutError, an OSError', () => {
    expect(w.timeout).toBe(w.TimeoutError);
    expect(new w.TimeoutError('timed out')).toBeInstanceOf(w.OSError);
  });
});
