// Replays CPython oracle fixtures (test/fixtures/README.md) through wasock.
import { readFileSync, mkdtempSync, rmSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import * as w from '../../src/index.js';
import { rethrowUnavailable } from './hosts.js';
import { hostCore } from '../../src/core.js';

/**
 * The pid SO_PEERCRED reports for sockets this process made: its own on a real kernel; on a
 * host that is a network of its own (the emulated one), the pid that network gives its
 * processes (`peerPid`).
 */
function expectedPid(): number {
  const host = hostCore().host as { peerPid?: number };
  return typeof host.peerPid === 'number' ? host.peerPid : process.pid;
}

export interface Arg { t: string; v?: unknown; hex?: string; as?: string }
export interface Result {
  ok?: Arg & Record<string, unknown>;
  raises?: { type: string; errno: number | null; message: string };
}
export interface Mask {
  why: string;
  int?: 'any' | 'pid';
  bytes?: [number, number][];
  len?: 'any';
  pid_at?: number;
}
export interface Step { call: string; args: Arg[]; result: Result; mask?: Mask }
export interface SockSpec { family: 'inet' | 'inet6' | 'unix'; type: 'stream' | 'dgram'; state: string }
export interface Case { id: string; row: string | null; sock: SockSpec; steps: Step[] }
export interface Fixture { generator: string; python: string; kernel: string; cases: Case[]; [k: string]: unknown }

export function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
export function unhex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'));
}

/** A fixture ARG as the JS value DESIGN.md maps the Python value to. */
export function jsArg(a: Arg): unknown {
  switch (a.t) {
    case 'int': {
      const n = BigInt(a.v as string);
      if (a.as === 'bigint') return n;
      if (a.as === 'number') return Number(n);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case 'bool': return a.v as boolean;
    case 'none': return null;
    case 'str': return a.v as string;
    // {"hex"}: the double's big-endian bits (-0.0; JSON has no NaN or infinities)
    case 'float': return a.hex !== undefined ? Buffer.from(a.hex, 'hex').readDoubleBE(0) : (a.v as number);
    case 'bytes': return unhex(a.hex!);
    case 'list': return [];
    case 'tuple': return (a.v as Arg[]).map(jsArg);
    default: throw new Error(`unknown ARG type ${a.t}`);
  }
}

const FAMILY = { inet: w.AF_INET, inet6: w.AF_INET6, unix: w.AF_UNIX } as const;
const TYPE = { stream: w.SOCK_STREAM, dgram: w.SOCK_DGRAM } as const;
const LOOPBACK = { inet: '127.0.0.1', inet6: '::1' } as const;

/** What a scene makes its sockets with: the top-level module, or a network (wasock/linux's network()). */
export type SocketApi = Pick<typeof w, 'socket' | 'socketpair'>;

/** Sockets made for one case; close() releases all of them (and the temp dir). */
export class Scene {
  readonly extra: w.socket[] = [];
  constructor(private readonly api: SocketApi = w) {}
  private dir: string | null = null;
  private detachedFd = -1;

  tempPath(name: string): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'wasock-'));
    return join(this.dir, name);
  }

  private addr(spec: SockSpec): w.Address {
    if (spec.family === 'unix') return this.tempPath(`s${this.extra.length}.sock`);
    return spec.family === 'inet' ? [LOOPBACK.inet, 0] : [LOOPBACK.inet6, 0, 0, 0];
  }

  /** The socket the case runs on, in the state the spec names. */
  make(spec: SockSpec): w.socket {
    const fam = FAMILY[spec.family], typ = TYPE[spec.type];
    const fresh = () => { const s = new this.api.socket(fam, typ); this.extra.push(s); return s; };
    switch (spec.state) {
      case 'fresh': return fresh();
      case 'bound': { const s = fresh(); s.bind(this.addr(spec)); return s; }
      case 'listening': { const s = fresh(); s.bind(this.addr(spec)); s.listen(); return s; }
      case 'closed': { const s = fresh(); s.close(); return s; }
      case 'detached': { const s = fresh(); this.detachedFd = s.detach(); return s; }
      case 'connected':
      case 'accepted': {
        if (spec.family === 'unix') {
          const [a, b] = this.api.socketpair(w.AF_UNIX, typ);
          this.extra.push(a, b);
          if (spec.state === 'accepted') throw new Error('unix accepted is not a state');
          return a;
        }
        if (spec.type === 'dgram') {
          const peer = fresh(); peer.bind(this.addr(spec));
          const s = fresh(); s.connect(peer.getsockname());
          return s;
        }
        const l = fresh(); l.bind(this.addr(spec)); l.listen();
        const s = fresh(); s.connect(l.getsockname());
        const [a] = l.accept(); this.extra.push(a);
        return spec.state === 'connected' ? s : a;
      }
    }
    throw new Error(`unknown state ${spec.state}`);
  }

  close(): void {
    // TCP sockets close with an RST (SO_LINGER {1, 0}), as the generators do: thousands of
    // connections closed normally would exhaust loopback ports in TIME_WAIT.
    const rst = new Uint8Array(new Int32Array([1, 0]).buffer);
    for (const s of this.extra) {
      // A host without SO_LINGER (wasi-p2: ENOPROTOOPT) still closes the socket.
      try {
        if (s.family !== w.AF_UNIX && s.type === w.SOCK_STREAM && s.fileno() >= 0) s.setsockopt(w.SOL_SOCKET, w.SO_LINGER, rst);
      } catch { /* already closed by the case, or no SO_LINGER on this host */ }
      try { s.close(); } catch { /* already closed by the case */ }
    }
    if (this.detachedFd >= 0) {
      // A host compiled into its core (the emulated network) numbers fds of its own: close it
      // there (adopted by a socket), never as one of this process's fds.
      if ('coreModule' in hostCore().host) new this.api.socket(-1, -1, -1, this.detachedFd).close();
      else closeSync(this.detachedFd);
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Calls a method with the fixture's arguments; returns {value} or {error}. */
export function invoke(target: object, call: string, args: unknown[]): { value?: unknown; error?: unknown } {
  try {
    const fn = (target as Record<string, (...a: unknown[]) => unknown>)[call];
    return { value: fn.apply(target, args) };
  } catch (error) {
    return { error };
  }
}

function pyClassName(e: unknown): string {
  return e instanceof Error ? e.name : typeof e;
}

/** Asserts that wasock's outcome equals CPython's recorded result, under the mask. */
export function expectOutcome(id: string, got: { value?: unknown; error?: unknown }, want: Result, mask?: Mask): void {
  if (want.raises) {
    expect(got.error, `${id}: expected ${want.raises.type}: ${want.raises.message}, got value ${String(got.value)}`).toBeDefined();
    rethrowUnavailable(got.error);    // a capability this host lacks: hosts.ts decides
    const e = got.error as Error & { errno?: number | null };
    expect({ type: pyClassName(e), message: e.message, errno: e instanceof w.OSError ? e.errno : null },
      id).toEqual({ type: want.raises.type, message: want.raises.message, errno: want.raises.errno });
    return;
  }
  if (got.error) {
    rethrowUnavailable(got.error);
    throw new Error(`${id}: expected ${JSON.stringify(want.ok)}, got ${pyClassName(got.error)}: ${(got.error as Error).message}`);
  }
  const ok = want.ok!;
  const v = got.value;
  switch (ok.t) {
    case 'none':
      expect(v, id).toBeUndefined();
      return;
    case 'int': {
      expect(typeof v, id).toBe('number');
      if (mask?.int === 'any') return;
      if (mask?.int === 'pid') { expect(v, id).toBe(expectedPid()); return; }
      expect(BigInt(v as number), id).toBe(BigInt(ok.v as string));
      return;
    }
    case 'bytes': {
      expect(v, id).toBeInstanceOf(Uint8Array);
      const gotB = new Uint8Array(v as Uint8Array);
      const wantB = unhex(ok.hex!);
      if (mask?.len !== 'any') expect(gotB.length, `${id}: length`).toBe(wantB.length);
      const n = Math.min(gotB.length, wantB.length);
      const a = gotB.slice(0, n), b = wantB.slice(0, n);
      for (const [s, e] of mask?.bytes ?? []) { a.fill(0, s, e); b.fill(0, s, e); }
      if (mask?.pid_at !== undefined) {
        expect(new DataView(a.buffer).getInt32(mask.pid_at, true), `${id}: pid`).toBe(expectedPid());
        a.fill(0, mask.pid_at, mask.pid_at + 4); b.fill(0, mask.pid_at, mask.pid_at + 4);
      }
      expect(hex(a), id).toBe(hex(b));
      return;
    }
    default:
      throw new Error(`${id}: result type ${ok.t} is not handled by expectOutcome`);
  }
}

/** Runs a sockopt-schema case on a fresh scene. */
export function runCase(c: Case, api?: SocketApi): void {
  const scene = new Scene(api);
  try {
    const s = scene.make(c.sock);
    for (const [i, step] of c.steps.entries()) {
      const got = invoke(s, step.call, step.args.map(jsArg));
      expectOutcome(`${c.id} step ${i} ${step.call}`, got, step.result, step.mask);
    }
  } finally {
    scene.close();
  }
}
