// Reading a socket through makefile(): scripted readline/read/read1/peek/readlines/iteration
// against CPython 3.11, plus properties of the returned bytes that need no oracle.
//
// Part 1 replays test/fixtures/readline-streams.json (scripts/gen_readline_streams.py; schema
// in test/fixtures/README.md, "Readline-stream fixtures"): each case sends its payload through
// a socketpair and shuts the sender down before reading, so every recv returns
// min(requested, available) in CPython and here alike; the results must match exactly.
// Part 2: results stay intact (views of a shared pool must never be overwritten), mutating a
// result changes nothing later, and megabytes through TCP from another process read back
// byte for byte (on the emulated network: from a socket of another machine, test/setup/host.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { replayIt, hostFdCount, emulatedHost, onMachine, setLatency, EMULATED_ADDRESSES } from './helpers/hosts.js';

type Arg = number | null;
interface Step {
  op: 'readline' | 'read' | 'read1' | 'peek' | 'readlines' | 'iter';
  args: Arg[];
  ok?: number | number[] | string | string[];
  raises?: { type: string; message: string };
}
interface Case {
  id: string;
  kind: string;
  payload: string;
  mode: 'rb' | 'r';
  buffering: number | null;
  encoding?: string;
  errors?: string;
  newline?: string | null;
  steps: Step[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/readline-streams.json', import.meta.url), 'utf8')) as {
  python: string; kernel: string; cases: Case[];
};

/** The file under test: makefile('rb') or makefile('r') (buffering 0 makes a SocketIO). */
type Reader = w.io.BufferedReader | w.io.SocketIO | w.io.TextIOWrapper;
/** The fixture names each step's method, so the step looks it up by that name. */
type ByName = Partial<Record<Step['op'], (...a: Arg[]) => unknown>>;

function runOp(f: Reader, op: Step['op'], args: Arg[]): unknown {
  if (op === 'iter') {
    const out: unknown[] = [];
    for (const line of f) {
      out.push(line);
      if (args[0] !== null && out.length >= (args[0] as number)) break;
    }
    return out;
  }
  const method = (f as unknown as ByName)[op];
  if (method === undefined) throw new Error(`the fixture calls ${op}(), which ${f.constructor.name} lacks`);
  return method.apply(f, args);
}

/** A short description of where two strings first differ (a full diff of 100 KB is noise). */
function strDiff(got: string, want: string): string {
  let i = 0;
  while (i < got.length && i < want.length && got.charCodeAt(i) === want.charCodeAt(i)) i++;
  const show = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 20), i + 20));
  return `lengths ${got.length} vs CPython ${want.length}, first difference at UTF-16 index ${i}: ${show(got)} vs CPython ${show(want)}`;
}

function bytesDiff(got: Uint8Array, want: Uint8Array): string {
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  const show = (b: Uint8Array) => Buffer.from(b.subarray(Math.max(0, i - 8), i + 8)).toString('hex');
  return `lengths ${got.length} vs CPython ${want.length}, first difference at ${i}: ${show(got)} vs CPython ${show(want)}`;
}

/**
 * Replays one case; returns the first divergence from CPython (null when there is none).
 * Binary results are stored as lengths: CPython's result was the payload's next bytes (the
 * generator asserts it), so the expected bytes are payload[off, off + n).
 */
function replay(c: Case): string | null {
  const payload = new Uint8Array(Buffer.from(c.payload, 'base64'));
  const [sock, peer] = w.socketpair();
  try {
    peer.settimeout(5);           // a payload that does not fit would fail, not hang
    peer.sendall(payload);
    peer.shutdown(w.SHUT_WR);
    const f: Reader = (c.mode === 'rb'
      ? sock.makefile('rb', c.buffering)
      : sock.makefile('r', c.buffering, { encoding: c.encoding, errors: c.errors, newline: c.newline }));
    try {
      let off = 0;
      for (const [i, st] of c.steps.entries()) {
        const where = `step ${i}: ${st.op}(${st.args.map((a) => (a === null ? 'None' : a)).join(', ')})`;
        let v: unknown, err: unknown = null;
        try { v = runOp(f, st.op, st.args); } catch (e) { err = e; }
        if (st.raises) {
          if (err === null) return `${where}: CPython raised ${st.raises.type}: ${st.raises.message}; wasock returned ${describeValue(v)}`;
          const name = err instanceof Error ? err.name : typeof err;
          const msg = err instanceof Error ? err.message : String(err);
          if (name !== st.raises.type || msg !== st.raises.message) {
            return `${where}: CPython raised ${st.raises.type}: ${st.raises.message}; wasock raised ${name}: ${msg}`;
          }
          return null;            // the script stops at the first exception, as it did in CPython
        }
        if (err !== null) {
          const e = err as Error;
          return `${where}: CPython returned ${describeWant(st.ok!)}; wasock raised ${e.name}: ${e.message}`;
        }
        const wantList = Array.isArray(st.ok);
        if (wantList !== Array.isArray(v)) return `${where}: CPython returned ${describeWant(st.ok!)}; wasock ${describeValue(v)}`;
        const wants = (wantList ? st.ok : [st.ok]) as (number | string)[];
        const gots = (wantList ? v : [v]) as unknown[];
        if (gots.length !== wants.length) return `${where}: CPython returned ${wants.length} items, wasock ${gots.length}`;
        for (let k = 0; k < wants.length; k++) {
          const at = wantList ? `${where} [${k}]` : where;
          if (c.mode === 'rb') {
            const got = gots[k];
            if (!(got instanceof Uint8Array)) return `${at}: CPython returned bytes; wasock ${describeValue(got)}`;
            const want = payload.subarray(off, off + (wants[k] as number));
            if (Buffer.compare(got, want) !== 0) return `${at}: ${bytesDiff(got, want)}`;
            if (st.op !== 'peek') off += want.length;
          } else {
            const got = gots[k];
            if (typeof got !== 'string') return `${at}: CPython returned a str; wasock ${describeValue(got)}`;
            if (got !== wants[k]) return `${at}: ${strDiff(got, wants[k] as string)}`;
          }
        }
      }
      return null;
    } finally {
      f.close();
    }
  } finally {
    sock.close();
    peer.close();
  }
}

function describeValue(v: unknown): string {
  if (v instanceof Uint8Array) return `bytes of length ${v.length}`;
  if (typeof v === 'string') return `str of length ${v.length}`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return String(v);
}
function describeWant(v: number | number[] | string | string[]): string {
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return typeof v === 'number' ? `bytes of length ${v}` : `str of length ${v.length}`;
}

describe(`makefile() reads over a socketpair give CPython ${fixture.python}'s results (readline-streams.json)`, () => {
  const fdsBefore = hostFdCount();
  const cases = fixture.cases;

  replayIt('the fixture covers every payload kind, both modes and CPython exceptions', () => {
    expect(cases.length).toBeGreaterThanOrEqual(250);
    const kinds = new Set(cases.map((c) => c.kind));
    for (const k of ['lines100', 'randlen', 'longline', 'cr', 'crmix', 'crlfedge', 'utf8', 'badutf8', 'badedge', 'badratio', 'empty']) expect(kinds).toContain(k);
    expect(cases.some((c) => c.mode === 'rb') && cases.some((c) => c.mode === 'r')).toBe(true);
    const raised = new Set(cases.flatMap((c) => c.steps.filter((s) => s.raises).map((s) => s.raises!.type)));
    expect(raised).toContain('UnicodeDecodeError');
  });

  for (const c of cases) {
    replayIt(`${c.id}: ${c.steps.length} ops give CPython's values and exceptions`, () => {
      const diff = replay(c);
      expect(diff, c.id).toBeNull();
    });
  }

  replayIt('replaying every case leaves no fd open', () => {
    expect(hostFdCount()).toBe(fdsBefore);
  });
});

// ====================================================================== part 2: properties

/** xorshift32: the same pseudo-random data on every run. */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

/** Lines of random lengths (some far beyond a 64 KiB pool), random bytes except '\n'. */
function randomLines(seed: number, total: number, longEvery = 0): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(total);
  let i = 0, line = 0;
  while (i < total) {
    const long = longEvery > 0 && ++line % longEvery === 0;
    const len = long ? 65536 + r(100000) : r(8) === 0 ? 0 : r(4) === 0 ? r(20000) : r(200);
    for (let k = 0; k < len && i < total; k++) { const b = r(256); out[i++] = b === 10 ? 11 : b; }
    if (i < total) out[i++] = 10;
  }
  return out;
}

type BinReader = {
  readline(n?: number | null): Uint8Array;
  read(n?: number | null): Uint8Array | null;
  read1(n?: number): Uint8Array;
  peek(n?: number): Uint8Array;
  close(): void;
};

function sendAll(payload: Uint8Array): [w.socket, w.socket] {
  const [sock, peer] = w.socketpair();
  peer.settimeout(5);
  peer.sendall(payload);
  peer.shutdown(w.SHUT_WR);
  return [sock, peer];
}

/**
 * Reads the whole payload with a random mix of readline (mostly), readline(limit), read(n),
 * read1(n) and peek(n). Each consumed result is kept; `mutate` overwrites every result
 * (peek's too) right after it is checked against the payload.
 */
function readMixed(f: BinReader, payload: Uint8Array, seed: number, mutate: boolean): { kept: Uint8Array[]; fails: string[] } {
  const r = rng(seed);
  const kept: Uint8Array[] = [];
  const fails: string[] = [];
  let off = 0;
  for (let step = 0; ; step++) {
    const k = r(20);
    let op: string, v: Uint8Array;
    if (k < 12) { op = 'readline()'; v = f.readline(); }
    else if (k < 14) { const n = r(300); op = `readline(${n})`; v = f.readline(n); }
    else if (k < 16) { const n = r(20000); op = `read(${n})`; v = f.read(n)!; }
    else if (k < 18) { const n = 1 + r(9000); op = `read1(${n})`; v = f.read1(n); }
    else { const n = r(100); op = `peek(${n})`; v = f.peek(n); }
    const want = payload.subarray(off, off + v.length);
    if (Buffer.compare(v, want) !== 0 && fails.length < 5) fails.push(`step ${step} ${op} at ${off}: ${bytesDiff(v, want)}`);
    if (!op.startsWith('peek')) {
      off += v.length;
      kept.push(v);
    }
    if (mutate) v.fill(step & 0xff);
    if (off >= payload.length && v.length === 0 && !op.startsWith('peek') && !op.endsWith('(0)')) break;
    if (step > 10_000_000) throw new Error('no end of stream');
  }
  return { kept, fails };
}

function concatAll(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

const BUFFERINGS = [null, 1, 7, 100, 8192, 70000];

describe('makefile(\'rb\') results stay intact (no oracle needed)', () => {
  /**
   * Reads 100 KB of random lines (one seed makes a line longer than the 64 KiB pool) with
   * every buffering, in readMixed's mix of calls, and hands what was kept to `check`.
   */
  function eachRead(seeds: number[], mul: number, mutate: boolean, check: (kept: Uint8Array[], payload: Uint8Array, at: string) => void): void {
    for (const buffering of BUFFERINGS) {
      for (const seed of seeds) {
        const payload = randomLines(seed * mul, 100_000, seed === seeds[2] ? 2 : 0);
        const [sock, peer] = sendAll(payload);
        try {
          const f = sock.makefile('rb', buffering) as BinReader;
          const { kept, fails } = readMixed(f, payload, seed, mutate);
          f.close();
          const at = `buffering=${buffering} seed=${seed}`;
          expect(fails, at).toEqual([]);
          check(kept, payload, at);
        } finally { sock.close(); peer.close(); }
      }
    }
  }

  replayIt('every result read from a socketpair still holds its bytes after all later reads', () => {
    eachRead([1, 2, 3], 7919, false, (kept, payload, at) => {
      const all = concatAll(kept);
      expect(all.length, at).toBe(payload.length);
      expect(Buffer.compare(all, payload), `${at}: ${bytesDiff(all, payload)}`).toBe(0);
    });
  });

  replayIt('overwriting a returned line, read, read1 or peek result changes no later result', () => {
    eachRead([11, 12, 13], 104729, true, (kept, payload, at) => {
      expect(kept.reduce((n, b) => n + b.length, 0), at).toBe(payload.length);
    });
  });
});

// ------------------------------------------------------------ TCP from another process

/** Sends a file's bytes to 127.0.0.1:port from a python3 child process, then closes. */
const SENDER = 'import socket,sys\n'
  + 'd=open(sys.argv[2],"rb").read()\n'
  + 's=socket.create_connection(("127.0.0.1",int(sys.argv[1])))\n'
  + 's.sendall(d)\n'
  + 's.close()\n';

async function throughTcp<T>(payload: Uint8Array, read: (a: w.socket) => T): Promise<T> {
  if (emulatedHost()) return throughEmulatedTcp(payload, read);
  const dir = mkdtempSync(join(tmpdir(), 'wasock-rl-'));
  const file = join(dir, 'payload');
  writeFileSync(file, payload);
  const l = new w.socket(w.AF_INET, w.SOCK_STREAM);
  try {
    l.bind(['127.0.0.1', 0]);
    l.listen();
    const port = (l.getsockname() as [string, number])[1];
    const child = spawn('python3', ['-c', SENDER, String(port), file], { stdio: ['ignore', 'ignore', 'inherit'] });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    l.settimeout(30);
    const [a] = l.accept();
    try {
      a.settimeout(30);       // a lost byte shows as a TimeoutError, not a hang
      const out = read(a);
      expect(await exited, 'sender exit code').toBe(0);
      return out;
    } finally { a.close(); }
  } finally {
    l.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The emulated network has no other process: the sender is a socket of its machine "peer",
 * 2 ms away. Its send queue (SO_SNDBUF 4 MiB, doubled: 6 MiB of payload) takes the whole
 * payload at once and it closes, as the Python sender does; its kernel then delivers the
 * bytes after the link's latency, a receive window at a time as the reader reads.
 */
function throughEmulatedTcp<T>(payload: Uint8Array, read: (a: w.socket) => T): T {
  setLatency('local', 'peer', 0.002);
  const l = new w.socket(w.AF_INET, w.SOCK_STREAM);
  try {
    l.bind([EMULATED_ADDRESSES.local, 0]);
    l.listen();
    const c = onMachine('peer', () => new w.socket(w.AF_INET, w.SOCK_STREAM));
    try {
      c.setsockopt(w.SOL_SOCKET, w.SO_SNDBUF, 4 << 20);
      c.connect(l.getsockname());
      c.sendall(payload);
    } finally { c.close(); }
    l.settimeout(30);
    const [a] = l.accept();
    try {
      expect((a.getpeername() as [string, number])[0], 'the sender is on the other machine').toBe(EMULATED_ADDRESSES.peer);
      a.settimeout(30);
      return read(a);
    } finally { a.close(); }
  } finally {
    l.close();
  }
}

function readAllLines(a: w.socket, buffering: number | null): Uint8Array[] {
  const f = a.makefile('rb', buffering) as BinReader;
  const lines: Uint8Array[] = [];
  for (;;) {
    const line = f.readline();
    if (line.length === 0) break;
    lines.push(line);
  }
  f.close();
  return lines;
}

describe('makefile() over TCP loopback from a child process', () => {
  replayIt("a 1 MB single line comes back whole from makefile('rb').readline()", async () => {
    const r = rng(99);
    const payload = new Uint8Array(1 << 20).map(() => 32 + r(95));
    payload[payload.length - 1] = 10;
    for (const buffering of [null, 7, 70000]) {
      const lines = await throughTcp(payload, (a) => readAllLines(a, buffering));
      expect(lines.length, `buffering=${buffering}`).toBe(1);
      expect(Buffer.compare(lines[0], payload), `buffering=${buffering}`).toBe(0);
    }
  });

  replayIt("3 MB of random lines (some over 64 KiB) read back exactly, every kept line intact at the end", async () => {
    const payload = randomLines(4242, 3 << 20, 50);
    for (const buffering of [null, 1, 100, 70000]) {
      const lines = await throughTcp(payload, (a) => readAllLines(a, buffering));
      // the lines are compared only now, after every later read: none may have changed
      const all = concatAll(lines);
      expect(all.length, `buffering=${buffering}`).toBe(payload.length);
      expect(Buffer.compare(all, payload), `buffering=${buffering}: ${bytesDiff(all, payload)}`).toBe(0);
      expect(lines.every((l, i) => l[l.length - 1] === 10 || i === lines.length - 1)).toBe(true);
    }
  }, 120_000);

  replayIt("3 MB of multibyte UTF-8 lines read back exactly through makefile('r', newline='')", async () => {
    const r = rng(777);
    const chars = ['a', 'é', 'ж', '€', '中', '😀', '𝄞', ' ', '\r', '\r\n'];
    let text = '';
    const parts: string[] = [];
    let size = 0;
    while (size < 3 << 20) {
      const n = r(4) === 0 ? r(30000) : r(120);
      let line = '';
      for (let k = 0; k < n; k++) line += chars[r(chars.length)];
      line += '\n';
      parts.push(line);
      size += Buffer.byteLength(line);
    }
    text = parts.join('');
    const payload = new TextEncoder().encode(text);
    const got = await throughTcp(payload, (a) => {
      const f = a.makefile('r', null, { encoding: 'utf-8', newline: '' });
      const lines: string[] = [];
      for (;;) { const s = f.readline(); if (s === '') break; lines.push(s); }
      f.close();
      return lines;
    });
    const joined = got.join('');
    expect(joined.length).toBe(text.length);
    expect(joined === text, strDiff(joined, text)).toBe(true);
    // newline='' splits at '\r', '\n' and '\r\n' (universal newlines, untranslated)
    expect(got.every((s, i) => /(\r\n|\r|\n)$/.test(s) || i === got.length - 1)).toBe(true);
  });
});
