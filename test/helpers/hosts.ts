// The host the CPython-fixture replays run on: WASOCK_TEST_HOST names it (`linux` when unset;
// test/setup/host.ts installs it before any test file runs). Every replayed case either agrees
// with CPython on that host, or is skipped because the host's capability set lacks what the
// case needs: the core raises NotAvailableError naming the capability, and replayIt() turns
// that into a skip. A NotAvailableError for a capability the host claims fails the case: a
// host may not skip what it says it can do.
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { it, type TestContext } from 'vitest';
import * as w from '../../src/index.js';
import { NotAvailableError } from '../../src/index.js';
import { hostCore } from '../../src/core.js';

export const TEST_HOST = process.env.WASOCK_TEST_HOST ?? 'linux';

/** The NotAvailableError in `e` (itself, or its cause), or null. */
function unavailable(e: unknown): NotAvailableError | null {
  for (let x = e; x instanceof Error; x = (x as Error & { cause?: unknown }).cause) {
    if (x instanceof NotAvailableError) return x;
  }
  return null;
}

/**
 * Thrown by a replay step whose outcome on this host differs from CPython's for a reason the
 * host names (its profile): replayIt() turns it into a skip with that reason. Only a case that
 * differs is skipped; the same case passes on a host that agrees.
 */
export class Diverges extends Error {}

/**
 * Runs one replayed case: a NotAvailableError for a capability the current host lacks skips
 * it (with the capability in the reason); for one it claims, the case fails.
 */
export function onHost(ctx: Pick<TestContext, 'skip'>, run: () => void | Promise<void>): void | Promise<void> {
  const judge = (e: unknown): void => {
    if (e instanceof Diverges) { ctx.skip(`diverges on ${hostCore().host.name}: ${e.message}`); return; }
    const na = unavailable(e);
    if (na === null) throw e;
    const host = hostCore().host;   // the host sockets run on (moved onto at the first socket)
    if (host.capabilities.has(na.capability as never)) {
      throw new Error(`host ${host.name} claims '${na.capability}' but raised NotAvailableError: ${na.message}`, { cause: e });
    }
    ctx.skip(`host ${host.name} lacks '${na.capability}'`);
  };
  try {
    const r = run();
    if (r instanceof Promise) return r.catch(judge);
  } catch (e) {
    judge(e);
  }
}

/**
 * Cases wasi:sockets 0.2 answers otherwise than Linux by its spec, on every runtime (the
 * option-level ones are the host's optionDivergence(): replayOptionIt). test/wasi-p2.test.ts
 * pins what the component does.
 */
const WASI_P2_SPEC: Readonly<Record<string, string>> = {
  'connect/inet-dgram/connect': 'wasi:sockets refuses a UDP remote with port 0 (udp.wit stream(): invalid-argument); Linux connects to it',
  'bind/inet-stream/<broadcast>': 'wasi:sockets binds unicast addresses only (tcp.wit start-bind: invalid-argument for broadcast)',
  'bind/inet6-stream/host-::ffff:127.0.0.1': 'wasi:sockets sockets are IPv6-only: an IPv4-mapped address is invalid-argument (tcp.wit start-bind)',
  'module/create_server/inet6-dualstack': 'wasi:sockets sockets are IPv6-only: IPV6_V6ONLY 0 cannot be had (EOPNOTSUPP; WASI_P2_OPTIONS)',
  'args/create_server/inet6/dualstack_ipv6=nan': 'wasi:sockets sockets are IPv6-only: IPV6_V6ONLY 0 cannot be had (EOPNOTSUPP; WASI_P2_OPTIONS)',
  'module/create_server/inet': 'reads SO_REUSEPORT, absent on wasi-p2 (no wasi:sockets method: ENOPROTOOPT, as wasi-libc; WASI_P2_OPTIONS)',
  'module/create_server/reuse_port': 'sets SO_REUSEPORT, absent on wasi-p2 (no wasi:sockets method: ENOPROTOOPT, as wasi-libc; WASI_P2_OPTIONS)',
  'args/create_server/reuse_port=nan': 'sets SO_REUSEPORT, absent on wasi-p2 (no wasi:sockets method: ENOPROTOOPT, as wasi-libc; WASI_P2_OPTIONS)',
  "args/create_server/reuse_port='x'": 'sets SO_REUSEPORT, absent on wasi-p2 (no wasi:sockets method: ENOPROTOOPT, as wasi-libc; WASI_P2_OPTIONS)',
  ...Object.fromEntries(['getsockopt/optname=True/int', 'getsockopt/optname=True/buflen=4', 'setsockopt/optname=True/int'].map((id) => [id,
    'optname True is SO_DEBUG, absent on wasi-p2 (no wasi:sockets method: ENOPROTOOPT, as wasi-libc; WASI_P2_OPTIONS)'])),
  ...Object.fromEntries(['listen/backlog/int:0', 'listen/backlog/int:-1', 'listen/backlog/int:-100', 'listen/backlog/int:-2**31',
    'listen/backlog/1-then-10', 'test_listen_backlog: listen(0), listen(-1) and listen() succeed; the kernel reports backlogs 0, 0 and 128'].map((id) => [id,
    'wasi:sockets refuses a listen backlog of 0 (tcp.wit set-listen-backlog-size: invalid-argument), so listen(0) and listen(<0) ask for 1; Linux keeps 0'])),
  'ctor/fileno/devnull': "wasi-p2 numbers fds of its own, all of them sockets: this process's /dev/null fd is none of them (EBADF, not ENOTSOCK)",
  'ctor/fileno/devnull/explicit': "wasi-p2 numbers fds of its own, all of them sockets: this process's /dev/null fd is none of them (EBADF, not ENOTSOCK)",
};

/**
 * Cases wasock's provider answers otherwise, by the p2 rules it implements as wasmtime does:
 * TCP bind sets SO_REUSEADDR (tcp.wit: bind ignores TIME_WAIT), so a wildcard bind beside a
 * bound, unlistened port succeeds; a broadcast address is not unicast (invalid-argument).
 */
const WASI_P2_WASOCK: Readonly<Record<string, string>> = {
  'bind/inet-stream/in-use-any': 'wasi:sockets TCP bind works as with SO_REUSEADDR (tcp.wit start-bind): the wildcard beside a bound, unlistened port is free',
  'module/create_server/refused-port': 'wasi:sockets TCP bind works as with SO_REUSEADDR (tcp.wit start-bind): the bound, unlistened port can be bound again',
  'bind/inet-dgram/<broadcast>': 'wasi:sockets binds unicast addresses only (udp.wit start-bind: invalid-argument for broadcast)',
  'io/inet-dgram/sendto-bad': 'wasi:sockets sends to unicast addresses only (udp.wit send: invalid-argument for broadcast; Linux EACCES without SO_BROADCAST)',
};

/** Cases preview2-shim answers otherwise, each for a defect of WASI_P2_PROFILE (host/wasi-p2/options.ts). */
const WASI_P2_SHIM: Readonly<Record<string, string>> = {
  ...Object.fromEntries(['connect/inet-stream/refused', 'connect/inet-stream/connect_ex-refused', 'connect/inet6-stream/refused',
    'connect/inet6-stream/connect_ex-refused', 'module/create_connection/refused'].map((id) => [id,
    "preview2-shim's bind already listens (WASI_P2_PROFILE 'bind-listens'): the bound, unlistened port this case connects to accepts the connection"])),
  'test_listen_backlog_overflow: listen(INT_MAX + 1) raises OverflowError and the socket does not listen': "preview2-shim's bind already listens (WASI_P2_PROFILE 'bind-listens'): the kernel shows the bound socket listening (backlog 128) before listen() is called",
  'io/connect/timeout-2.5-refused': "preview2-shim's bind already listens (WASI_P2_PROFILE 'bind-listens'): the bound, unlistened port this case connects to accepts the connection",
  'connect/inet-dgram/connect-send-refused': "preview2-shim's UDP never reports ICMP errors (WASI_P2_PROFILE 'udp-icmp-dropped')",
};

/**
 * names.json cases wasi:sockets 0.2 cannot answer as glibc does: it has no reverse lookup (an
 * address has no name: herror 1, getnameinfo prints the number) and no interface list (if_*
 * raise ENOSYS). test/names.test.ts pins what wasi-p2 answers instead.
 */
const WASI_P2_NAMES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(["gethostbyaddr('127.0.0.1',)", "getnameinfo(('127.0.0.1', 80), 0)", "getnameinfo(('127.0.0.1', 80), 2)",
    "getnameinfo(('127.0.0.1', 53), 16)", "getnameinfo(('127.0.0.1', 80), 8)"].map((id) => [id,
    'wasi:sockets has no reverse lookup: an address has no name (herror 1; getnameinfo prints the number, NI_NAMEREQD fails)'])),
  ...Object.fromEntries(['if_nameindex()', "if_nametoindex('lo',)", "if_nametoindex(b'lo',)", 'if_indextoname(1,)',
    'if_indextoname(0,)', 'if_indextoname(4294967296,)', 'if_indextoname(2147483648,)',
    "getnameinfo(('fe80::1', 80, 0, 1), 3)", "getnameinfo(('ff02::1', 80, 0, 1), 3)"].map((id) => [id,
    'wasi:sockets has no interface list: if_nameindex and if_indextoname raise ENOSYS, no name has an index, a scope prints as its number'])),
};

/**
 * Cases a host answers differently from Linux by design, each with its reason (and
 * docs/decisions.md's entry); the host's own answer is pinned by a test of its own
 * (test/emulated.test.ts). Such a case is skipped with the reason shown.
 */
export const DIVERGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  emulated: {
    'bind/unix-stream/path-missing-dir': "the emulated network has no directories: every path's directory exists (docs/decisions.md)",
    // timeouts.json: the peer is another process that connects to 127.0.0.1 and sends 0.3 s
    // later while recv() waits; the emulated network has no other process, and a socket of
    // another emulated machine can neither reach nor appear as 127.0.0.1 (loopback delivers at
    // once). test/emulated.test.ts pins the same wait with a peer across a link with latency.
    'io/recv/inet/data-during-wait': 'needs a peer process sending to 127.0.0.1 while recv() waits: the emulated network has no other process, and a peer on another emulated machine is not 127.0.0.1 (docs/decisions.md; pinned in test/emulated.test.ts)',
  },
  // wasi:sockets 0.2's spec, and preview2-shim's defects (WASI_P2_PROFILE) where it serves it.
  'wasi-p2': { ...WASI_P2_SPEC, ...WASI_P2_SHIM, ...WASI_P2_NAMES },
  'wasi-p2-wasock': { ...WASI_P2_SPEC, ...WASI_P2_WASOCK, ...WASI_P2_NAMES },
};

/** it() for one replayed case on the host under test. */
export function replayIt(name: string, run: () => void | Promise<void>, timeout?: number): void {
  const why = DIVERGES[TEST_HOST]?.[name];
  if (why !== undefined) { it(name, (ctx) => ctx.skip(`diverges on ${TEST_HOST} by design: ${why}`)); return; }
  it(name, (ctx) => onHost(ctx, run), timeout);
}

/** A case about one option-table row (sockopt-values, -args, -roundtrip). */
export interface OptionCase { id: string; row: string | null; sock: { family: string; type: string } }

/** The reason the host under test gives for answering `c`'s option otherwise than Linux, or null. */
function optionDivergence(c: OptionCase): string | null {
  const host = hostCore().host as { optionDivergence?(name: string, type: string, family: string): string | null };
  if (c.row === null || typeof host.optionDivergence !== 'function' || c.sock.family === 'unix') return null;
  return host.optionDivergence(c.row, c.sock.type === 'stream' ? 'tcp' : 'udp', c.sock.family);
}

/**
 * replayIt() for a case about one option: where the host names a reason its answer for that
 * option differs (wasi-p2: absent there, p2's own rule, a runtime defect of its profile), a
 * case that differs is skipped with that reason; a case that agrees passes, and a difference
 * without a named reason fails.
 */
export function replayOptionIt(c: OptionCase, run: () => void | Promise<void>): void {
  const why = DIVERGES[TEST_HOST]?.[c.id];
  if (why !== undefined) { it(c.id, (ctx) => ctx.skip(`diverges on ${TEST_HOST} by design: ${why}`)); return; }
  it(c.id, async (ctx) => {
    try {
      await onHost(ctx, run);
    } catch (e) {
      if ((e as { code?: string })?.code === 'VITEST_PENDING') throw e;    // onHost's own skip
      const reason = optionDivergence(c);
      if (reason === null) throw e;
      ctx.skip(`diverges on ${TEST_HOST}: ${reason}`);
    }
  });
}

/**
 * What a replay does with an error where CPython returned a value: a NotAvailableError goes
 * up as itself (replayIt decides), anything else is the difference it is.
 */
export function rethrowUnavailable(error: unknown): void {
  if (unavailable(error) !== null) throw error;
}

// ------------------------------------------------------------------- the host's fds and clock
// A host compiled into its core (the emulated network) has a process of its own: its fds are
// not this process's (closing one with node:fs would close a real fd of the vitest worker),
// its O_NONBLOCK bits are not in /proc/self/fdinfo, and its time is the network's virtual
// clock, which a blocking call advances. These read the host under test, whichever it is.

/** The emulated core's own exports the harness reads (host/emulated/index.ts EmuExports). */
interface EmuView { emu_open_fds(): number; emu_now(): number; emu_advance(ns: number): void }

/** Whether sockets run on a host compiled into its core (its own fds and clock). */
export function compiledHost(): boolean {
  return 'coreModule' in hostCore().host;
}
/**
 * Whether that host is wasi-p2: its fds are its own, but its sockets are the kernel's (through
 * the runtime's wasi:sockets), its clock is real and peer processes reach it.
 */
export function wasiP2Host(): boolean {
  return hostCore().host.name.startsWith('wasi-p2');
}
/** Whether the host's time is a virtual clock that blocking calls advance (the emulated network). */
export function virtualClock(): boolean {
  return emulatedHost();
}
/** The wasi-p2 core's own view of its fds (assembly/wasi-p2.ts). */
interface P2View { p2_open_fds(): number; p2_nonblocking(fd: number): number }
function p2(): P2View { return hostCore().x as unknown as P2View; }
function emu(): EmuView { return hostCore().x as unknown as EmuView; }

/** Whether sockets run on an emulated network (machines, links, a virtual clock). */
export function emulatedHost(): boolean {
  return typeof (hostCore().x as unknown as Partial<EmuView>).emu_open_fds === 'function';
}

/**
 * The guest fd table of a WASI preview 1 host (host/wasi-p1: its fds are the p1 functions'
 * table, its clock the runtime's real monotonic one), or null on any other host.
 */
function p1Table(): { open(): number[] } | null {
  const t = (hostCore().host as { sockets?: { open?: unknown } }).sockets;
  return t !== undefined && typeof t.open === 'function' ? t as { open(): number[] } : null;
}

/** Closes fd on the host that numbered it (a detached socket's, or a duplicate's). */
export function closeHostFd(fd: number): void {
  if (compiledHost()) new w.socket(-1, -1, -1, fd).close();
  else closeSync(fd);
}

/** A number that is no open fd on the host: 1023 on a compiled host, else /dev/null opened and closed. */
export function closedHostFd(): number {
  if (compiledHost()) return 1023;
  const fd = openSync('/dev/null', 'r');
  closeSync(fd);
  return fd;
}

/** O_NONBLOCK of fd: /proc/self/fdinfo's flags on Linux (as the generators read CPython's), F_GETFL on a compiled host. */
export function nonblockBit(fd: number): boolean {
  // wasi-p2 has no fcntl: its host says what O_NONBLOCK would be.
  if (wasiP2Host()) { const b = p2().p2_nonblocking(fd); if (b < 0) throw new Error(`fd ${fd} is not open on wasi-p2`); return b === 1; }
  if (compiledHost()) return ((w.fcntl.fcntl(fd, w.fcntl.F_GETFL) as number) & w.fcntl.O_NONBLOCK) !== 0;
  const m = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
  if (!m) throw new Error(`no flags: line in /proc/self/fdinfo/${fd}`);
  return (parseInt(m[1], 8) & 0o4000) !== 0;
}

/** How many fds the host's process has open: /proc/self/fd, or the compiled host's own count. */
export function hostFdCount(): number {
  if (wasiP2Host()) return p2().p2_open_fds();
  const p1 = p1Table();
  if (p1 !== null) return p1.open().length;
  return compiledHost() ? emu().emu_open_fds() : readdirSync('/proc/self/fd').length;
}

/**
 * Marks the socket fds open now; the function returned lists the ones opened since that are
 * still open (/proc/self/fd's socket links, or the compiled host's count of open fds).
 */
export function socketFdMark(): () => string[] {
  const p1 = p1Table();
  if (p1 !== null) {
    const before = new Set(p1.open());
    return () => p1.open().filter((fd) => !before.has(fd)).map(String);
  }
  if (compiledHost()) {
    const open = (): number => (wasiP2Host() ? p2().p2_open_fds() : emu().emu_open_fds());
    const before = open();
    return () => {
      const n = open() - before;
      return n === 0 ? [] : [`${n} more open fd(s) on ${hostCore().host.name}`];
    };
  }
  const before = processSocketFds();
  return () => [...processSocketFds()].filter((fd) => !before.has(fd)).map(String);
}

function processSocketFds(): Set<number> {
  const out = new Set<number>();
  for (const name of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${name}`).startsWith('socket:')) out.add(Number(name));
    } catch { /* the fd of readdir itself, gone by now */ }
  }
  return out;
}

/** The host's clock in seconds: the network's virtual time on a compiled host, else wall time. */
export function hostNow(): number {
  return virtualClock() ? emu().emu_now() / 1e9 : performance.now() / 1000;
}

/** Lets `seconds` pass on the host: virtual time on a compiled host (its timers fire), else a real sleep. */
export function hostSleep(seconds: number): void {
  if (virtualClock()) emu().emu_advance(seconds * 1e9);
  else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

/** The emulated test host's machines (test/setup/host.ts): TEST-NET-2 addresses no fixture uses. */
export const EMULATED_ADDRESSES = { local: '198.51.100.1', peer: '198.51.100.2' } as const;

/**
 * Runs `make` with new sockets made on machine `name` of the compiled host under test (the
 * emulated network's "peer" stands in for another process); the default machine after.
 */
export function onMachine<T>(name: string, make: () => T): T {
  const host = hostCore().host as unknown as { machine(name: string): number };
  const x = hostCore().x as unknown as { emu_use_machine(m: number): void };
  x.emu_use_machine(host.machine(name));
  try { return make(); } finally { x.emu_use_machine(0); }
}

/** Latency (seconds) between two machines of the compiled host, both ways. */
export function setLatency(a: string, b: string, seconds: number): void {
  const host = hostCore().host as unknown as { machine(name: string): number };
  const x = hostCore().x as unknown as { emu_latency(a: number, b: number, ns: number, jitter: number): void };
  x.emu_latency(host.machine(a), host.machine(b), seconds * 1e9, 0);
  x.emu_latency(host.machine(b), host.machine(a), seconds * 1e9, 0);
}
