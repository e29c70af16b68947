// Replays the socket-API fixtures (test/fixtures/README.md, "Socket-API fixtures") through
// wasock: placeholders, saved names, masks and result shapes as the README defines them.
import { mkdtempSync, rmSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import * as w from '../../src/index.js';
import { jsArg, hex, unhex, type Arg, type Result } from './replay.js';
import { rethrowUnavailable, socketFdMark } from './hosts.js';
import { hostCore } from '../../src/core.js';

export interface ApiMask {
  why: string;
  int?: 'any' | 'pid';
  bytes?: [number, number][];
  len?: 'any';
  port_at?: number[];
  message_addr?: string[];
}
export interface ApiStep {
  call?: string;
  attr?: 'family' | 'type' | 'proto';
  args?: Arg[];
  kwargs?: Record<string, Arg>;
  on?: string;
  save?: string | (string | null)[];
  result: Result;
  mask?: ApiMask;
  buffer_after?: Arg;
  note?: string;
}
export interface ApiCase {
  id: string;
  sock: { family: 'inet' | 'inet6' | 'unix' | null; type: 'stream' | 'dgram' | null; state: string; listener?: 'inet' | 'inet6' };
  steps: ApiStep[];
  note?: string;
  python_only?: string;
}

const FAMILY = { inet: w.AF_INET, inet6: w.AF_INET6, unix: w.AF_UNIX } as const;
const TYPE = { stream: w.SOCK_STREAM, dgram: w.SOCK_DGRAM } as const;
const LOOPBACK = { inet: '127.0.0.1', inet6: '::1' } as const;
const MODULE_CALLS = new Set(['socket', 'socketpair', 'fromfd', 'create_server', 'create_connection']);

/** One random token per run, so abstract unix names never collide with another run. */
const RUN = randomBytes(4).toString('hex');
let caseIndex = 0;

// ------------------------------------------------------------------- keyword arguments

/** Positional parameter names of the calls whose Python keywords map to positions. */
const POSITIONAL: Record<string, string[]> = {
  socket: ['family', 'type', 'proto', 'fileno'],
  socketpair: ['family', 'type', 'proto'],
  fromfd: ['fd', 'family', 'type', 'proto'],
  create_connection: ['address', 'timeout', 'source_address'],
};
/** create_server's keyword-only arguments: wasock's trailing options object (DESIGN.md). */
const CREATE_SERVER_OPTIONS = new Set(['family', 'backlog', 'reuse_port', 'dualstack_ipv6']);

/**
 * Why a case cannot be replayed as written, or null. Keywords map to positions where the
 * call has that positional parameter (an omitted one is `undefined`, JS's "argument
 * omitted"), to the options object for create_server, and nowhere else.
 */
export function skipReason(c: ApiCase): string | null {
  if (c.python_only) return `python_only: ${c.python_only}`;
  for (const st of c.steps) {
    for (const k of Object.keys(st.kwargs ?? {})) {
      if (st.call === 'create_server' && CREATE_SERVER_OPTIONS.has(k)) continue;
      if (POSITIONAL[st.call!]?.includes(k)) continue;
      if (st.call === 'create_connection' && k === 'all_errors') {
        return 'keyword-only all_errors=True has no JS form: only create_server takes an options object (DESIGN.md), and JS has no ExceptionGroup';
      }
      return `keyword argument ${k}= of ${st.call}() has no positional or options-object form in wasock`;
    }
    // A Python bytes is read-only; its JS twin (a Uint8Array) is writable, so the 'w*'
    // rejection CPython makes has no JS input to reproduce (wasock would block in recv).
    if ((st.call === 'recv_into' || st.call === 'recvfrom_into') && st.args?.[0]?.t === 'bytes') {
      return 'Python bytes (read-only) and bytearray are both a writable Uint8Array in JS: no JS value is a read-only buffer';
    }
  }
  return null;
}

// ------------------------------------------------------------------- the scene of one case

/** Names of the case's sockets, its temp dir, fd placeholders and refused blockers. */
export class ApiScene {
  readonly socks = new Map<string, w.socket>();
  readonly extra: w.socket[] = [];
  readonly fds = new Map<string, number>();
  readonly ownedFds = new Set<number>();
  /** fds of a host compiled into its core (detached sockets), closed through that host. */
  readonly hostFds = new Set<number>();
  readonly refused = new Map<string, w.socket>();
  readonly tmp: string;
  readonly abstractPrefix: string;

  constructor() {
    this.tmp = mkdtempSync(join(tmpdir(), 'wasock-api-'));
    this.abstractPrefix = `w${RUN}${String(caseIndex++ % 1000000).padStart(6, '0')}-`;
  }

  private track(s: w.socket): w.socket { this.extra.push(s); return s; }

  setup(c: ApiCase): void {
    const { family, type, state, listener } = c.sock;
    if (listener) {
      const l = this.track(new w.socket(FAMILY[listener], w.SOCK_STREAM));
      l.bind(listener === 'inet' ? [LOOPBACK.inet, 0] : [LOOPBACK.inet6, 0, 0, 0]);
      l.listen();
      this.socks.set('listener', l);
    }
    if (state === 'none') return;
    const F = FAMILY[family!], T = TYPE[type!];
    const bindLoopback = (s: w.socket) => {
      if (family === 'unix') s.bind(join(this.tmp, 'bound.sock'));
      else s.bind(family === 'inet' ? [LOOPBACK.inet, 0] : [LOOPBACK.inet6, 0, 0, 0]);
    };
    if (['fresh', 'bound', 'listening', 'closed'].includes(state)) {
      const s = this.track(new w.socket(F, T));
      if (state === 'bound' || state === 'listening') bindLoopback(s);
      if (state === 'listening') s.listen();
      if (state === 'closed') s.close();
      this.socks.set('sock', s);
    } else if (state === 'connected' || state === 'accepted') {
      if (family === 'unix') {
        const [a, b] = w.socketpair(w.AF_UNIX, T);
        this.track(a); this.track(b);
        this.socks.set('sock', a); this.socks.set('peer', b);
      } else if (type === 'stream') {
        const l = this.track(new w.socket(F, T));
        bindLoopback(l);
        l.listen();
        const cl = this.track(new w.socket(F, T));
        cl.connect(l.getsockname());
        const [acc] = l.accept();
        this.track(acc);
        this.socks.set('listener', l);
        this.socks.set('sock', state === 'connected' ? cl : acc);
        this.socks.set('peer', state === 'connected' ? acc : cl);
      } else {
        const p = this.track(new w.socket(F, T));
        bindLoopback(p);
        const s = this.track(new w.socket(F, T));
        s.connect(p.getsockname());
        this.socks.set('sock', s); this.socks.set('peer', p);
      }
    } else {
      throw new Error(`unknown state ${state}`);
    }
  }

  refusedAddr(which: string): w.Address {
    let b = this.refused.get(which);
    if (!b) {
      // bound, never listening: connect gets RST, bind gets EADDRINUSE
      b = new w.socket(which === 'refused' ? w.AF_INET : w.AF_INET6, w.SOCK_STREAM);
      b.bind(which === 'refused' ? [LOOPBACK.inet, 0] : [LOOPBACK.inet6, 0, 0, 0]);
      this.refused.set(which, b);
    }
    return b.getsockname();
  }

  fd(kind: string): number {
    const known = this.fds.get(kind);
    if (known !== undefined) return known;
    let n: number;
    // A host compiled into its core (the emulated network) numbers fds of its own: its fds
    // 0-2 are the emulated process's standard streams (open, not sockets), 1023 is never open,
    // and a detached socket's fd is closed there, never as one of this process's fds.
    const compiled = 'coreModule' in hostCore().host;
    if (kind === 'closed-fd') {
      if (compiled) n = 1023;
      else {
        n = openSync('/dev/null', 'r');
        closeSync(n);
      }
    } else if (kind === 'devnull') {
      if (compiled) n = 0;
      else {
        n = openSync('/dev/null', 'r');
        this.ownedFds.add(n);
      }
    } else {
      const [fam, typ] = kind.split('-') as ['inet' | 'inet6' | 'unix', 'stream' | 'dgram'];
      n = new w.socket(FAMILY[fam], TYPE[typ]).detach();
      if (compiled) this.hostFds.add(n); else this.ownedFds.add(n);
    }
    this.fds.set(kind, n);
    return n;
  }

  addrOf(name: string, target: w.socket | undefined): w.Address {
    if (name === 'self') return target!.getsockname();
    if (name === 'refused' || name === 'refused6') return this.refusedAddr(name);
    const s = this.socks.get(name);
    if (!s) throw new Error(`no socket named ${name}`);
    return s.getsockname();
  }

  abstract(name: string): Uint8Array {
    return new Uint8Array(Buffer.from(`\0${this.abstractPrefix}${name}`, 'latin1'));
  }

  /** An ARG as the JS value wasock takes (README's mapping, placeholders resolved). */
  arg(a: Arg & { as?: string }, target: w.socket | undefined): unknown {
    switch (a.t) {
      case 'tuple':
      case 'list':
        return ((a.v as Arg[] | undefined) ?? []).map((x) => this.arg(x, target));
      case 'bytearray': return unhex(a.hex!);
      case 'path': {
        const p = `${this.tmp}/${a.v as string}`;
        return a.as === 'bytes' ? new Uint8Array(Buffer.from(p, 'utf8')) : p;
      }
      case 'abstract': {
        const b = this.abstract(a.v as string);
        return a.as === 'str' ? Buffer.from(b).toString('latin1') : b;
      }
      case 'addr': return this.addrOf(a.v as string, target);
      case 'fd': return this.fd(a.v as string);
      case 'port': {
        const port = (this.addrOf(a.v as string, target) as [string, number])[1];
        return a.as === 'str' ? String(port) : a.as === 'bytes' ? new Uint8Array(Buffer.from(String(port))) : port;
      }
      case 'dict': return {};
      default: return jsArg(a);
    }
  }

  close(): void {
    for (const s of [...this.socks.values(), ...this.extra, ...this.refused.values()]) {
      try { s.close(); } catch { /* closed elsewhere (EBADF) */ }
    }
    for (const n of this.ownedFds) {
      try { closeSync(n); } catch { /* already closed */ }
    }
    for (const n of this.hostFds) {
      try { new w.socket(-1, -1, -1, n).close(); } catch { /* already closed */ }
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------- results

/** Python's repr() of an address, for message_addr masks. */
function reprAddr(a: unknown): string {
  if (Array.isArray(a)) return `(${a.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ')})`;
  return typeof a === 'string' ? `'${a}'` : String(a);
}

function sameAddress(got: unknown, want: unknown): boolean {
  if (want instanceof Uint8Array) return got instanceof Uint8Array && hex(got) === hex(want);
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((x, i) => got[i] === x);
  return got === want;
}

interface Ctx { scene: ApiScene; target: w.socket | undefined; preFd: number | undefined; args: unknown[]; mask?: ApiMask; id: string }

/** Checks `got` against a RESULT value `want`; `path` is the tuple index path from the top. */
function checkValue(ctx: Ctx, got: unknown, want: Arg & Record<string, unknown>, path: number[]): void {
  const where = `${ctx.id}${path.length ? ` at [${path.join(',')}]` : ''}`;
  const portMasked = ctx.mask?.port_at && path.length === ctx.mask.port_at.length &&
    path.every((x, i) => x === ctx.mask!.port_at![i]);
  switch (want.t) {
    case 'none':
      if (path.length === 0) expect(got, where).toBeUndefined();
      else expect(got, where).toBeNull();
      return;
    case 'int': {
      expect(typeof got, `${where}: type of ${String(got)}`).toBe('number');
      if (ctx.mask?.int === 'any') return;
      if (portMasked) {
        expect((got as number) >= 1 && (got as number) <= 65535, `${where}: port ${String(got)}`).toBe(true);
        return;
      }
      expect(BigInt(got as number), where).toBe(BigInt(want.v as string));
      return;
    }
    case 'bool': case 'str':
      expect(got, where).toBe(want.v);
      return;
    case 'bytes': {
      expect(got, where).toBeInstanceOf(Uint8Array);
      const a = new Uint8Array(got as Uint8Array), b = unhex(want.hex!);
      if (ctx.mask?.len !== 'any') expect(a.length, `${where}: length`).toBe(b.length);
      for (const [s, e] of ctx.mask?.bytes ?? []) { a.fill(0, s, e); b.fill(0, s, e); }
      expect(hex(a), where).toBe(hex(b));
      return;
    }
    case 'tuple': {
      expect(Array.isArray(got), `${where}: array expected, got ${String(got)}`).toBe(true);
      const items = want.v as (Arg & Record<string, unknown>)[];
      expect((got as unknown[]).length, `${where}: length`).toBe(items.length);
      items.forEach((x, i) => checkValue(ctx, (got as unknown[])[i], x, [...path, i]));
      return;
    }
    case 'socket': {
      expect(got, where).toBeInstanceOf(w.socket);
      const s = got as w.socket;
      ctx.scene.extra.push(s);
      expect({ family: s.family, type: s.type, proto: s.proto }, where)
        .toEqual({ family: want.family, type: want.type, proto: want.proto });
      if (want.fd === 'arg') expect(s.fileno(), `${where}: fileno`).toBe(ctx.args[3]);
      if (want.fd === 'new') {
        const fd = s.fileno();
        expect(fd, `${where}: fileno`).toBeGreaterThanOrEqual(0);
        expect(fd, `${where}: fileno`).not.toBe(ctx.preFd);
        expect([...ctx.scene.fds.values()], `${where}: fileno`).not.toContain(fd);
      }
      return;
    }
    case 'fd':
      expect(got, where).toBe(ctx.preFd);
      return;
    case 'addr': {
      const addr = ctx.scene.addrOf(want.v as string, ctx.target);
      expect(sameAddress(got, addr), `${where}: ${reprAddr(got)} should be ${want.v as string} = ${reprAddr(addr)}`).toBe(true);
      return;
    }
    case 'path':
      expect(got, where).toBe(`${ctx.scene.tmp}/${want.v as string}`);
      return;
    case 'abstract':
      expect(got, where).toBeInstanceOf(Uint8Array);
      expect(hex(got as Uint8Array), where).toBe(hex(ctx.scene.abstract(want.v as string)));
      return;
    default:
      throw new Error(`${where}: result type ${want.t} is not handled`);
  }
}

function pyClassName(e: unknown): string {
  return e instanceof Error ? e.name : typeof e;
}

// ------------------------------------------------------------------- running

function callArgs(scene: ApiScene, st: ApiStep, target: w.socket | undefined): unknown[] {
  const args = (st.args ?? []).map((a) => scene.arg(a, target));
  const kw = st.kwargs ?? {};
  if (st.call === 'create_server') {
    if (Object.keys(kw).length) {
      const opts: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(kw)) opts[k] = scene.arg(v, target);
      args.push(opts);
    }
    return args;
  }
  const names = POSITIONAL[st.call!];
  for (const [k, v] of Object.entries(kw)) {
    const i = names.indexOf(k);
    while (args.length < i) args.push(undefined);
    args[i] = scene.arg(v, target);
  }
  return args;
}

function runStep(scene: ApiScene, c: ApiCase, st: ApiStep, i: number): void {
  const id = `${c.id} step ${i} ${st.on ?? 'sock'}.${st.call ?? st.attr}`;
  const target = scene.socks.get(st.on ?? 'sock');
  const preFd = target && !MODULE_CALLS.has(st.call ?? '') ? target.fileno() : undefined;
  let args: unknown[] = [];
  let value: unknown, error: unknown, threw = false;
  try {
    if (st.attr) {
      value = target![st.attr];
    } else {
      args = callArgs(scene, st, target);
      if (st.call === 'socket') value = new (w.socket as unknown as new (...a: unknown[]) => w.socket)(...args);
      else if (MODULE_CALLS.has(st.call!)) value = (w as unknown as Record<string, (...a: unknown[]) => unknown>)[st.call!](...args);
      else {
        const fn = (target as unknown as Record<string, unknown>)[st.call!];
        if (typeof fn !== 'function') throw new Error(`wasock socket has no method ${st.call}`);
        value = (fn as (...a: unknown[]) => unknown).apply(target, args);
      }
    }
  } catch (e) {
    threw = true;
    error = e;
  }
  // bookkeeping first, so nothing leaks even when the comparison fails
  if (!threw) {
    if (value instanceof w.socket) scene.extra.push(value);
    if (Array.isArray(value)) for (const x of value) if (x instanceof w.socket) scene.extra.push(x);
    if (st.call === 'socket' && args[3] !== undefined && args[3] !== null) scene.ownedFds.delete(args[3] as number);
    if (st.call === 'detach' && typeof value === 'number' && value >= 0) ('coreModule' in hostCore().host ? scene.hostFds : scene.ownedFds).add(value);
    if (st.save) {
      const names = Array.isArray(st.save) ? st.save : [st.save];
      const vals = Array.isArray(st.save) ? (value as unknown[]) : [value];
      names.forEach((n, k) => { if (n) scene.socks.set(n, vals[k] as w.socket); });
    }
  }
  const want = st.result;
  if (want.raises) {
    if (!threw) throw new Error(`${id}: expected ${want.raises.type}: ${want.raises.message}, got ${String(value)}`);
    rethrowUnavailable(error);    // a capability this host lacks: hosts.ts decides
    let message = want.raises.message;
    for (const name of st.mask?.message_addr ?? []) {
      message = message.replace(`{addr:${name}}`, reprAddr(scene.addrOf(name, target)));
    }
    const e = error as Error & { errno?: number | null };
    expect({ type: pyClassName(e), message: e.message, errno: e instanceof w.OSError ? e.errno : null }, id)
      .toEqual({ type: want.raises.type, message, errno: want.raises.errno });
    return;
  }
  if (threw) {
    throw new Error(`${id}: expected ${JSON.stringify(want.ok)}, got ${pyClassName(error)}: ${(error as Error).message}`, { cause: error });
  }
  checkValue({ scene, target, preFd, args, mask: st.mask, id }, value, want.ok!, []);
  if (st.buffer_after) {
    expect(hex(args[0] as Uint8Array), `${id}: buffer after`).toBe(st.buffer_after.hex);
  }
}

/** Runs one case on a fresh scene; afterwards no socket fd it opened may remain. */
export function runApiCase(c: ApiCase): void {
  const leaks = socketFdMark();     // this process's socket fds, or the compiled host's
  const scene = new ApiScene();
  try {
    scene.setup(c);
    c.steps.forEach((st, i) => runStep(scene, c, st, i));
  } finally {
    scene.close();
  }
  expect(leaks(), `${c.id}: socket fds left open`).toEqual([]);
}
