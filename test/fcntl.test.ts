// Replays test/fixtures/fcntl.json (scripts/gen_fcntl.py: CPython 3.11's fcntl.fcntl and
// fcntl.ioctl on live loopback sockets, and socket.ioctl's Windows argument rules) through
// wasock, with zero differences: values, buffers after the call, exception classes, errno
// and messages. Then what the fixture cannot say: constants, capabilities, fd leaks, and
// the number of host calls per fcntl/ioctl.
import { readFileSync } from 'node:fs';
import { describe, expect, it, afterEach } from 'vitest';
import * as w from '../src/index.js';
import { failMany } from './helpers/fds.js';
import * as generatedFcntl from '../src/generated/fcntl.js';
import { hex, unhex, jsArg as sharedJsArg } from './helpers/replay.js';
import { replayIt, closeHostFd, closedHostFd, hostFdCount } from './helpers/hosts.js';
import { core } from '../src/core.js';
import type { HostImports } from '../host/types.js';

interface Arg { t: string; v?: unknown; hex?: string }
interface Step {
  call: string;
  args: Arg[];
  on?: string;
  result: { ok?: Arg; raises?: { type: string; errno: number | null; message: string }; windows?: unknown };
  mask?: { why: string; newfd?: boolean };
  buffers_after?: Record<string, { hex: string }>;
  note?: string;
}
interface Case { id: string; setup: string; steps: Step[]; note?: string }
interface Fixture {
  python: string;
  constants: { fcntl: Record<string, number>; windows: Record<string, number> };
  python_has_socket_ioctl: boolean;
  cases: Case[];
}

const fixture: Fixture = JSON.parse(readFileSync(new URL('./fixtures/fcntl.json', import.meta.url), 'utf8'));

/** The message every socket.ioctl call that passes Windows' argument rules gets on Linux. */
/** wasock's answer to socket.ioctl on a POSIX host (it names the host under test). */
const windowsOnly = (): string => `ioctl is not available on ${core().host.name} (it needs the 'ioctl.windows' capability): ` +
  'socket.ioctl is Windows-only; use fcntl.ioctl(sock, request, arg) on POSIX';

/** Python's object(): its JS twin is an instance of a class named `object`. */
const PyObject = class {};
Object.defineProperty(PyObject, 'name', { value: 'object' });

type Socks = Record<string, w.socket>;

function setup(name: string): Socks {
  switch (name) {
    case 'tcp': {
      const l = new w.socket();
      l.bind(['127.0.0.1', 0]);
      l.listen();
      const c = w.create_connection(l.getsockname() as [string, number]);
      const [a] = l.accept();
      return { listener: l, sock: c, peer: a };
    }
    case 'udp': {
      const a = new w.socket(w.AF_INET, w.SOCK_DGRAM), b = new w.socket(w.AF_INET, w.SOCK_DGRAM);
      a.bind(['127.0.0.1', 0]);
      b.bind(['127.0.0.1', 0]);
      a.connect(b.getsockname());
      b.connect(a.getsockname());
      return { sock: a, peer: b };
    }
    case 'listening': {
      const l = new w.socket();
      l.bind(['127.0.0.1', 0]);
      l.listen();
      return { sock: l };
    }
    case 'fresh': return { sock: new w.socket() };
    case 'closed': { const s = new w.socket(); s.close(); return { sock: s }; }
  }
  throw new Error(`unknown setup ${name}`);
}

function teardown(socks: Socks): void {
  const rst = new Uint8Array(new Int32Array([1, 0]).buffer);
  for (const s of Object.values(socks)) {
    // A host without SO_LINGER (wasi-p2: ENOPROTOOPT) closes normally.
    try { if (s.fileno() >= 0 && s.type === w.SOCK_STREAM) s.setsockopt(w.SOL_SOCKET, w.SO_LINGER, rst); } catch { /* no SO_LINGER */ }
    s.close();
  }
}

/** A number that is not an open fd on the host (helpers/hosts.ts). */
const closedFd = closedHostFd;

function jsArg(a: Arg, socks: Socks, fds: Record<string, number>, forFcntl = true): unknown {
  switch (a.t) {
    case 'sock': return socks[a.v as string];
    case 'fileno': return socks[a.v as string].fileno();
    case 'closedfd': return (fds.closed ??= closedFd());
    case 'fileobj': { const inner = jsArg(a.v as Arg, socks, fds); return { fileno: () => inner }; }
    case 'badfileno': return { fileno: 3 };
    case 'none': return null;
    case 'bool': return a.v as boolean;
    case 'int':
    case 'float': return sharedJsArg(a);     // bigint twins ("as"), -0.0 by its bits ("hex")
    case 'str': return a.v as string;
    // Python bytes: read-only for fcntl/ioctl; elsewhere (send) wasock takes a Uint8Array
    case 'bytes': return forFcntl ? w.fcntl.readonly(unhex(a.hex!)) : unhex(a.hex!);
    case 'bytearray': return unhex(a.hex!);                    // Python bytearray: a Uint8Array
    case 'array_i': return new Int32Array(unhex(a.hex!).buffer);
    case 'tuple': return (a.v as Arg[]).map((x) => jsArg(x, socks, fds));
    case 'list': return [];
    case 'dict': return {};
    case 'object': return new PyObject();
  }
  throw new Error(`unknown ARG ${a.t}`);
}

function bytesOf(v: unknown): string {
  if (v instanceof Uint8Array) return hex(v);
  const b = v as ArrayBufferView;
  return hex(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
}

function call(st: Step, args: unknown[], socks: Socks): unknown {
  const on = socks[st.on ?? 'sock'];
  switch (st.call) {
    case 'fcntl': return (w.fcntl.fcntl as (...a: unknown[]) => unknown)(...args);
    case 'ioctl': return (w.fcntl.ioctl as (...a: unknown[]) => unknown)(...args);
    case 'sock_ioctl': return (on.ioctl as (...a: unknown[]) => unknown).apply(on, args);
  }
  return (on as unknown as Record<string, (...a: unknown[]) => unknown>)[st.call](...args);
}

function runStep(c: Case, i: number, st: Step, socks: Socks, fds: Record<string, number>): void {
  const id = `${c.id} step ${i} ${st.call}`;
  const forFcntl = st.call === 'fcntl' || st.call === 'ioctl';
  const args = st.args.map((a) => jsArg(a, socks, fds, forFcntl));
  let value: unknown, error: unknown = null;
  try { value = call(st, args, socks); } catch (e) { error = e; }
  expect(error, `${id}: no trap or RangeError`).not.toBeInstanceOf(RangeError);
  expect(error, `${id}: no trap`).not.toBeInstanceOf(WebAssembly.RuntimeError);
  const want = st.result;
  // A capability this host lacks skips the case (helpers/hosts.ts); 'ioctl.windows' is what
  // the Windows-only cases expect on Linux.
  if (error instanceof w.NotAvailableError && !(want.windows && error.capability === 'ioctl.windows')) throw error;
  if (want.raises || want.windows) {
    const exp = want.raises ?? { type: 'NotAvailableError', errno: null, message: windowsOnly() };
    expect(error, `${id}: expected ${exp.type}: ${exp.message}, got ${String(value)}`).not.toBeNull();
    const e = error as Error;
    expect({ type: e.name, errno: e instanceof w.OSError ? e.errno : null, message: e.message }, id)
      .toEqual({ type: exp.type, errno: exp.errno, message: exp.message });
  } else {
    if (error) throw new Error(`${id}: expected ${JSON.stringify(want.ok)}, got ${(error as Error).name}: ${(error as Error).message}`);
    const ok = want.ok!;
    switch (ok.t) {
      case 'int':
        expect(typeof value, id).toBe('number');
        if (st.mask?.newfd) {
          // a duplicate the kernel numbered: open, not the original, closed here
          expect(value as number, id).toBeGreaterThanOrEqual(0);
          expect(value, id).not.toBe(socks.sock.fileno());
          closeHostFd(value as number);
        } else {
          expect(value, id).toBe(Number(ok.v));
        }
        break;
      case 'bytes':
        expect(value, id).toBeInstanceOf(Uint8Array);
        expect(hex(value as Uint8Array), id).toBe(ok.hex);
        break;
      case 'none':
        // gettimeout's None is a value (null); a method without a result returns undefined
        expect(value, id).toBe(st.call === 'gettimeout' ? null : undefined);
        break;
      case 'bool': case 'float':
        expect(value, id).toBe(ok.v);
        break;
      default:
        throw new Error(`${id}: unknown result type ${ok.t}`);
    }
  }
  for (const [pos, after] of Object.entries(st.buffers_after ?? {})) {
    expect(bytesOf(args[Number(pos)]), `${id}: buffer argument ${pos} after the call`).toBe(after.hex);
  }
}

describe('fcntl fixture (CPython 3.11 on live sockets)', () => {
  replayIt('was generated by CPython 3.11 on Linux, which has no socket.ioctl', () => {
    expect(fixture.python).toMatch(/^3\.11\./);
    expect(fixture.python_has_socket_ioctl).toBe(false);
    expect(fixture.cases.length).toBeGreaterThan(100);
  });

  for (const c of fixture.cases) {
    replayIt(c.id, () => {
      const socks = setup(c.setup);
      const fds: Record<string, number> = {};
      try {
        c.steps.forEach((st, i) => runStep(c, i, st, socks, fds));
      } finally {
        teardown(socks);
      }
    });
  }
});

describe('fcntl constants', () => {
  replayIt('the fcntl namespace has exactly the generated Linux values', () => {
    const ns = w.fcntl as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(fixture.constants.fcntl)) expect(ns[k], k).toBe(v);
    const numbers = Object.fromEntries(Object.entries(generatedFcntl).filter(([, v]) => typeof v === 'number'));
    expect(numbers).toEqual(fixture.constants.fcntl);
    expect(w.fcntl.SIOCINQ).toBe(w.fcntl.FIONREAD);
  });

  replayIt("socket.ioctl's SIO_* and RCVALL_* are top-level exports with Windows values", () => {
    const api = w as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(fixture.constants.windows)) expect(api[k], k).toBe(v);
    expect(w.SIO_RCVALL).toBe(0x98000001);
  });
});

describe('fcntl.readonly', () => {
  replayIt('wraps any bytes-like without copying, and refuses anything else', () => {
    const b = new Uint8Array([1, 2, 3]);
    expect(w.fcntl.readonly(b).bytes).toBe(b);
    expect(w.fcntl.readonly(new Int16Array([1])).length).toBe(2);
    expect(w.fcntl.readonly(new ArrayBuffer(5)).length).toBe(5);
    expect(() => w.fcntl.readonly('abc' as unknown as Uint8Array)).toThrow("a bytes-like object is required, not 'str'");
    expect(Object.isFrozen(w.fcntl.readonly(b))).toBe(true);
  });

  replayIt('a read-only buffer is never written, a mutable one is (the kernel result lands in place)', () => {
    const socks = setup('tcp');
    try {
      socks.peer.send(new Uint8Array(7));
      socks.sock.recv(7, w.MSG_PEEK);
      const ro = new Uint8Array(4);
      const r = w.fcntl.ioctl(socks.sock, w.fcntl.FIONREAD, w.fcntl.readonly(ro));
      expect([...ro]).toEqual([0, 0, 0, 0]);
      expect([...(r as Uint8Array)]).toEqual([7, 0, 0, 0]);
      const dv = new DataView(new ArrayBuffer(4));
      expect(w.fcntl.ioctl(socks.sock, w.fcntl.FIONREAD, dv)).toBe(0);
      expect(dv.getInt32(0, true)).toBe(7);
    } finally {
      teardown(socks);
    }
  });
});

describe('fcntl and ioctl: capabilities and host calls', () => {
  let restore: w.Host | null = null;
  afterEach(() => { if (restore) w.useHost(restore); restore = null; });

  replayIt('a host without fcntl / ioctl.posix raises NotAvailableError after the argument checks', () => {
    const caps = w.CAPABILITIES.filter((c) => c !== 'ioctl.windows' && c !== 'fcntl' && c !== 'ioctl.posix');
    restore = w.useHost(new w.LinuxHost(caps, 'no-fcntl'));
    const s = new w.socket();
    try {
      expect(() => w.fcntl.fcntl(s, w.fcntl.F_GETFL)).toThrow(/^fcntl is not available on no-fcntl \(it needs the 'fcntl' capability\)$/);
      expect(() => w.fcntl.ioctl(s, w.fcntl.FIONREAD, new Uint8Array(4))).toThrow(/^ioctl is not available on no-fcntl \(it needs the 'ioctl.posix' capability\)$/);
      // CPython's own argument errors come first
      expect(() => w.fcntl.fcntl(s, w.fcntl.F_GETFL, 'x'.repeat(1025))).toThrow('fcntl string arg too long');
      expect(() => w.fcntl.ioctl(s, w.fcntl.FIONREAD, 'x'.repeat(1025))).toThrow('ioctl string arg too long');
      expect(s.isAvailable('ioctl')).toBe(false);
    } finally {
      s.close();
    }
  });

  replayIt('fcntl(sock, F_GETFL) and ioctl(sock, FIONREAD, buf) make exactly one host call each', () => {
    const counts: Record<string, number> = {};
    class CountingHost extends w.LinuxHost {
      override imports(memory: WebAssembly.Memory) {
        const real = super.imports(memory);
        const out: Record<string, (...a: any[]) => any> = {};
        for (const [k, f] of Object.entries(real)) out[k] = (...a: any[]) => { counts[k] = (counts[k] ?? 0) + 1; return (f as (...a: any[]) => any)(...a); };
        return out as unknown as HostImports;
      }
    }
    restore = w.useHost(new CountingHost());
    const s = new w.socket();
    try {
      for (const k of Object.keys(counts)) delete counts[k];
      expect(w.fcntl.fcntl(s, w.fcntl.F_GETFL)).toBe(2);
      expect(counts).toEqual({ fcntl: 1 });
      delete counts.fcntl;
      const buf = new Uint8Array(4);
      expect(w.fcntl.ioctl(s, w.fcntl.FIONREAD, buf)).toBe(0);
      expect(counts).toEqual({ ioctl: 1 });
    } finally {
      s.close();
    }
  });
});

describe('fcntl and ioctl leak nothing', () => {
  replayIt('10 x 1,000 failing fcntl/ioctl/socket.ioctl calls leave the open fds unchanged', () => {
    const s = new w.socket();
    const l = new w.socket();
    l.bind(['127.0.0.1', 0]);
    l.listen();
    const closed = new w.socket();
    closed.close();
    const big = new Uint8Array(1025);
    const before = hostFdCount();
    failMany(1000, () => w.fcntl.fcntl(s, 9999));                                   // EINVAL
    failMany(1000, () => w.fcntl.fcntl(s, w.fcntl.F_GETFL, 'x'.repeat(1025)));       // too long
    failMany(1000, () => w.fcntl.fcntl(closed, w.fcntl.F_GETFL));                    // negative fd
    failMany(1000, () => w.fcntl.ioctl(s, w.fcntl.FIONREAD));                        // EFAULT
    failMany(1000, () => w.fcntl.ioctl(l, w.fcntl.FIONREAD, new Uint8Array(4)));     // EINVAL
    failMany(1000, () => w.fcntl.ioctl(s, 0x1234, new Uint8Array(4)));               // ENOTTY
    failMany(1000, () => w.fcntl.ioctl(s, w.fcntl.FIONREAD, big, false));            // too long
    failMany(1000, () => w.fcntl.ioctl(closed, w.fcntl.FIONREAD, big));              // negative fd
    failMany(1000, () => s.ioctl(w.SIO_RCVALL, w.RCVALL_ON));                       // Windows only
    failMany(1000, () => s.ioctl(0, 0));                                             // invalid command
    expect(hostFdCount()).toBe(before);
    s.close();
    l.close();
  });

  replayIt('1,000 F_DUPFD_CLOEXEC duplicates closed again leave the open fds unchanged', () => {
    const s = new w.socket();
    const before = hostFdCount();
    for (let i = 0; i < 1000; i++) closeHostFd(w.fcntl.fcntl(s, w.fcntl.F_DUPFD_CLOEXEC, 0) as number);
    expect(hostFdCount()).toBe(before);
    s.close();
  });
});
