// What every scenario shares: the Env (the one place where names that legitimately differ
// between two Linux-shaped networks are normalised) and the Transcript (one line per
// observable event, printed as CPython would print it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Network } from '../../src/linux.js';
import type { Address } from '../../src/index.js';

/** A scenario: drives one network synchronously and returns its transcript. */
export type Scenario = (net: Network, env: Env) => string[];

/**
 * The normalisation rule. Two correct Linux-shaped networks may differ only in the names the
 * kernel picks (ephemeral ports, autobound abstract names) and the names the test picks to
 * avoid colliding with other processes (the temporary directory, the abstract-name prefix).
 * So: each distinct port but 0 becomes P1, P2, ... in order of appearance; paths under `dir` are
 * shown as `$DIR/...`; abstract names made by `abstract()` as `\x00@name`; kernel-autobound
 * abstract names as `\x00@auto1`, ... Nothing else is normalised: not errors, not values,
 * not sizes. A scenario shows every address through `addr()` (or a port through `port()`).
 */
export interface Env {
  /** A fresh directory for this run's unix socket paths (removed by `dispose()`). */
  readonly dir: string;
  /** A path under `dir`. */
  path(name: string): string;
  /** A Linux abstract unix name, unique to this run (`\0` + a per-run prefix + `name`). */
  abstract(name: string): Uint8Array;
  /** A port as the transcript shows it: P1, P2, ... in order of first appearance. */
  port(p: number): string;
  /** An address as Python prints it, with ports, paths and abstract names normalised. */
  addr(a: Address): string;
  /** Removes `dir`. The runner calls it; scenarios close their own sockets. */
  dispose(): void;
}

let runs = 0;

export function makeEnv(): Env {
  const dir = mkdtempSync(join(tmpdir(), 'wasock-scen-'));
  const prefix = `wasock-${process.pid}-${++runs}-`;
  const ports = new Map<number, string>();
  const autos = new Map<string, string>();
  const latin1 = new TextDecoder('latin1');
  const env: Env = {
    dir,
    path: (name) => join(dir, name),
    abstract: (name) => new TextEncoder().encode(`\0${prefix}${name}`),
    port(p) {
      if (p === 0) return '0';          // no port: nothing the kernel picked
      let n = ports.get(p);
      if (n === undefined) ports.set(p, n = `P${ports.size + 1}`);
      return n;
    },
    addr(a) {
      if (a === null) return 'None';
      if (Array.isArray(a)) return `(${a.map((x, i) => (i === 1 ? env.port(x as number) : repr(x))).join(', ')})`;
      if (typeof a === 'string') return repr(a.startsWith(dir + '/') ? `$DIR/${a.slice(dir.length + 1)}` : a);
      const s = latin1.decode(a);
      if (s.startsWith(`\0${prefix}`)) return `b'\\x00@${s.slice(prefix.length + 1)}'`;
      if (/^\0[0-9a-f]{5}$/.test(s)) {      // autobind: the kernel's five hex digits
        let n = autos.get(s);
        if (n === undefined) autos.set(s, n = `auto${autos.size + 1}`);
        return `b'\\x00@${n}'`;
      }
      return repr(a);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
  return env;
}

/** Python's repr() for the values sockets return: None, bool, int, float, str, bytes, tuple. */
export function repr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return quote(v, '');
  if (v instanceof Uint8Array) return quote(new TextDecoder('latin1').decode(v), 'b');
  if (Array.isArray(v)) return v.length === 1 ? `(${repr(v[0])},)` : `(${v.map(repr).join(', ')})`;
  return JSON.stringify(v);
}

function quote(s: string, prefix: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === q) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || (prefix === 'b' && c > 0x7e)) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return `${prefix}${q}${out}${q}`;
}

/** An exception as the transcript shows it: class, errno, message (never normalised). */
export function raised(e: unknown): string {
  if (!(e instanceof Error)) return `!! ${String(e)}`;
  const errno = (e as { errno?: unknown }).errno;
  return errno === undefined ? `!! ${e.name}: ${e.message}` : `!! ${e.name} errno=${repr(errno)}: ${e.message}`;
}

/** The lines of one scenario run. */
export class Transcript {
  readonly lines: string[] = [];

  /** A heading: what the next lines are about. */
  note(text: string): void { this.lines.push(`# ${text}`); }

  /** Runs `fn`: `label -> result`, or `label !! Class errno=N: message`; returns the result. */
  do<T>(label: string, fn: () => T, show: (v: T) => string = repr): T | undefined {
    let v: T;
    try {
      v = fn();
    } catch (e) {
      if (!(e instanceof Error) || e instanceof RangeError || e instanceof WebAssembly.RuntimeError) throw e;
      this.lines.push(`${label} ${raised(e)}`);
      return undefined;
    }
    this.lines.push(`${label} -> ${show(v)}`);
    return v;
  }

  /** As do(), for a call whose result is None: whether it succeeded. */
  ok(label: string, fn: () => void): boolean {
    const before = this.lines.length;
    this.do(label, fn);
    return this.lines[before].endsWith(' -> None');
  }

  /** A value read without a call worth recording as one: `label = value`. */
  value(label: string, v: unknown): void { this.lines.push(`${label} = ${typeof v === 'string' ? v : repr(v)}`); }
}
