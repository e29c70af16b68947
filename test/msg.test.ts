// sendmsg / recvmsg / recvmsg_into / CMSG_LEN / CMSG_SPACE against CPython's recorded answers
// (test/fixtures/msg.json, from scripts/gen_msg.py: its docstring describes the step language and
// the masks). Replayed on the host WASOCK_TEST_HOST names: a case needing a capability the host
// lacks is skipped naming it (NotAvailableError, or the case's "needs" for what the host would
// otherwise silently not deliver: the kernel's own control messages).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as w from '../src/index.js';
import { hostCore } from '../src/core.js';
import { onHost, TEST_HOST } from './helpers/hosts.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Case { id: string; setup: string; needs: string[]; steps: [string, string, Json[]][]; results: Record<string, Json>[] }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/msg.json', import.meta.url), 'utf8')) as { cases: Case[] };

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const constants = w as unknown as Record<string, number>;

type Socks = Record<string, w.socket>;

/** The case's sockets; x and y (the pair whose x end is passed) only when a step names them. */
function setup(kind: string, passes: boolean): Socks {
  const socks: Socks = {};
  if (kind === 'unix-stream' || kind === 'unix-dgram') {
    [socks.a, socks.b] = w.socketpair(w.AF_UNIX, kind === 'unix-stream' ? w.SOCK_STREAM : w.SOCK_DGRAM);
  } else if (kind === 'udp' || kind === 'udp6') {
    const [fam, host] = kind === 'udp' ? [w.AF_INET, '127.0.0.1'] : [w.AF_INET6, '::1'];
    socks.a = new w.socket(fam, w.SOCK_DGRAM);
    socks.b = new w.socket(fam, w.SOCK_DGRAM);
    socks.a.bind([host, 0]);
    socks.b.bind([host, 0]);
  }
  if (passes) [socks.x, socks.y] = w.socketpair(w.AF_UNIX, w.SOCK_STREAM);
  for (const s of Object.values(socks)) s.settimeout(5);
  return socks;
}

function decode(v: Json, socks: Socks): unknown {
  if (Array.isArray(v)) return v.map((x) => decode(x, socks));
  if (v !== null && typeof v === 'object') {
    const [[k, x]] = Object.entries(v);
    switch (k) {
      case 'b': return new Uint8Array(Buffer.from(x as string, 'hex'));
      case 'ro': return w.fcntl.readonly(new Uint8Array(Buffer.from(x as string, 'hex')));
      case 'ba': return new Uint8Array(x as number);
      case 'big': return BigInt(x as string);
      case 'f': return x as number;
      case 'c':
        if (x === 'CMSG_SPACE_4') return w.CMSG_SPACE(4);
        if (x === 'CMSG_LEN_4') return w.CMSG_LEN(4);
        return constants[x as string];
      case 'addr': return socks[x as string].getsockname();
      case 'fds': return w.struct.pack(`${(x as string[]).length}i`, ...(x as string[]).map((n) => (n === '-1' ? -1 : socks[n].fileno())));
      case 'ucred': return w.struct.pack('iII', process.pid, process.getuid!(), process.getgid!());
      case 'gen': { const items = decode(x, socks) as unknown[]; return (function* () { yield* items; })(); }
      case 'tuple': return decode(x, socks);
    }
    throw new Error(`unknown encoding ${k}`);
  }
  return v;
}

function encode(v: unknown): Json {
  if (v instanceof Uint8Array) return { b: hex(v) };
  if (Array.isArray(v)) return v.map(encode);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : { big: v.toString() };
  if (v === undefined) return null;
  return v as Json;
}

function maskAddress(a: unknown): Json {
  if (Array.isArray(a) && a.length >= 2 && typeof a[1] === 'number') return [a[0], 'PORT', ...a.slice(2).map(encode)];
  return encode(a);
}

function maskAnc(items: w.AncItem[], state: { fds?: number[] }): Json {
  return items.map(([level, type, data]) => {
    if (level === w.SOL_SOCKET && type === w.SCM_RIGHTS) {
      const n = data.length >> 2;
      state.fds = (w.struct.unpack(`${n}i`, data.subarray(0, n * 4)) as number[]);
      return [level, type, { fds: n }];
    }
    if (level === w.SOL_SOCKET && type === w.SCM_CREDENTIALS) {
      const [pid, uid, gid] = w.struct.unpack('iII', data) as number[];
      return [level, type, { ucred: pid === process.pid && uid === process.getuid!() && gid === process.getgid!() }];
    }
    return [level, type, encode(data)];
  });
}

function runStep([target, method, args]: [string, string, Json[]], socks: Socks, state: { fds?: number[] }): Record<string, Json> {
  try {
    if (method === 'use_fds') {
      const got: Json[] = [];
      for (const fd of state.fds ?? []) {
        const s = new w.socket(-1, -1, -1, fd);
        s.sendall(new Uint8Array([0x21]));
        got.push([s.family, s.type, encode(socks.y.recv(10))]);
        s.close();
      }
      state.fds = [];
      return { ok: got };
    }
    if (method === 'close') { socks[target].close(); return { ok: null }; }
    const dargs = decode(args, socks) as unknown[];
    const fn = target === 'module' ? (w as unknown as Record<string, (...a: unknown[]) => unknown>)[method]
      : (socks[target] as unknown as Record<string, (...a: unknown[]) => unknown>)[method].bind(socks[target]);
    const r = fn(...dargs);
    if (method === 'recvmsg' || method === 'recvmsg_into') {
      const [first, anc, flags, addr] = r as [unknown, w.AncItem[], number, unknown];
      const rec: Json = [encode(first), maskAnc(anc, state), flags, maskAddress(addr)];
      if (method === 'recvmsg_into') {
        const bufs = dargs[0];
        return { ok: rec, bufs: Array.isArray(bufs) ? bufs.map(encode) : [] };
      }
      return { ok: rec };
    }
    return { ok: encode(r) };
  } catch (e) {
    if (e instanceof w.NotAvailableError) throw e;
    const err = e as Error & { errno?: number };
    return { raises: err.constructor.name, message: err.message, errno: typeof err.errno === 'number' ? err.errno : null };
  }
}

for (const c of fixture.cases) {
  it(`${c.id}`, (ctx) => {
    const host = hostCore().host;
    for (const cap of c.needs) {
      if (!host.capabilities.has(cap as never)) { ctx.skip(`host ${host.name} lacks '${cap}'`); return; }
    }
    return onHost(ctx, () => {
      const passes = /"(fds|use_fds)"/.test(JSON.stringify(c.steps));
      const socks = c.setup === 'none' ? {} : setup(c.setup, passes);
      const state: { fds?: number[] } = {};
      try {
        const got = c.steps.map((st) => runStep(st, socks, state));
        expect(got, c.id).toEqual(c.results);
      } finally {
        for (const fd of state.fds ?? []) { try { new w.socket(-1, -1, -1, fd).close(); } catch { /* not a socket */ } }
        for (const s of Object.values(socks)) s.close();
      }
    });
  });
}

it(`the replay ran on ${TEST_HOST}: every sendmsg fixture case is in the file`, () => {
  expect(fixture.cases.length).toBeGreaterThan(100);
});
