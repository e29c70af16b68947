// A seeded fuzzer of the emulated network (issue 11's reliability requirement): random calls
// on random sockets of one network of three machines, with faults, checked as it goes and at
// the end:
//   - every exception is Python's (OSError and its subclasses, ValueError, OverflowError, a
//     TypeError with CPython's message); a WebAssembly trap, RangeError, SystemError (core
//     abandoned) or a JavaScript TypeError is a failure;
//   - TCP and AF_UNIX streams: every byte read is the next byte its peer sent (content and
//     order); at EOF, and when the receiver is drained at the end, every byte sent was received
//     unless the connection was reset/aborted (an error said so) or crossed a partition;
//   - datagrams (UDP, AF_UNIX SOCK_DGRAM and SOCK_SEQPACKET): each one received was sent, with
//     its boundaries, and at most once unless UDP duplication was on;
//   - after closing everything the emulated fd count (emu_open_fds) is what it was at the start.
// Deterministic: the same seed gives the same run. `node emulated-fuzzer.mjs <seed> <ops>`
// prints one JSON line (a child process, so a hang can be killed by its parent); FUZZ_TRACE=1
// prints every operation to stderr before it runs. Uses the built package (dist/).
import { network } from '../../dist/src/emulated.js';
import { optionTable } from '../../dist/src/options.js';
import * as fc from '../../dist/src/fcntl.js';
import * as X from '../../dist/src/exceptions.js';

// ------------------------------------------------------------------ seeded draws

function prng(seed) {
  let a = (seed >>> 0) ^ 0x9e3779b9, b = 0x243f6a88 ^ Math.imul(seed >>> 0, 0x85ebca6b), c = 0xb7e15162, d = 0xdeadbeef;
  const next = () => {
    // sfc32
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

// ------------------------------------------------------------------ content

/** A stream's byte k from endpoint id e is PAT[(k + e * 977) % P]; PAT2 is PAT twice (and a tail) so any run is one subarray. */
const P = 65521, MAXSEND = 70000;
export const PAT2 = new Uint8Array(2 * P + MAXSEND);
{
  let x = 0x12345678;
  for (let i = 0; i < P; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; PAT2[i] = x & 255; }
  for (let i = P; i < PAT2.length; i++) PAT2[i] = PAT2[i % P];
}
export const patAt = (e, off) => (off + e * 977) % P;
const streamData = (e, off, n) => { const s = patAt(e, off); return PAT2.subarray(s, s + n); };

export class FuzzFailure extends Error {}

const JS_INTERNAL = /Cannot read|Cannot set|undefined|is not a function|is not iterable|Cannot convert|not a constructor|of null|Invalid array length|Maximum call stack|out of bounds|offset is out/;

/**
 * Runs `ops` random operations on a network seeded with `seed`. Returns counters; throws
 * FuzzFailure (its message names the seed, the operation's index and the last operations).
 */
export function fuzz({ seed = 1, ops = 10_000, trace = false, stopAt = -1 } = {}) {
  const rnd = prng(seed);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (a) => a[int(a.length)];
  const chance = (p) => rnd() < p;

  const net = network({ seed, addresses: ['10.0.0.1', 'fd00::1'], machines: { m1: { addresses: ['10.0.0.2', 'fd00::2'] }, m2: { addresses: ['10.0.0.3'] } } });
  const NAMES = ['local', 'm1', 'm2'];
  const VIEWS = [net, net.machine('m1'), net.machine('m2')];
  const V4 = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
  const V6 = ['fd00::1', 'fd00::2', null];
  const emu = () => net.socket._core().x;
  const fds0 = emu().emu_open_fds();
  const { AF_INET, AF_INET6, AF_UNIX, SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, MSG_TRUNC,
    SHUT_RD, SHUT_WR, SHUT_RDWR } = net;
  const rows = optionTable().filter((r) => r.set || r.get);

  // ---------------------------------------------------------------- the model
  // An endpoint is a kernel socket (what dup()s share); a handle is one socket object.
  let nextEp = 1;
  const eps = [];           // every endpoint ever made (for debugging: fuzz({ stopAt }))
  let liveEps = [];         // those not closed (pruned now and then)
  const handles = [];       // open handles
  const stats = { unfollowed: 0, ops: 0, errors: 0, byClass: {}, bytes: 0, datagrams: 0, checkedStreams: 0, eofChecks: 0, faults: 0, edeadlk: 0 };
  const newEp = (m, fam, type) => {
    const ep = { id: nextEp, sid: nextEp++, m, fam, type, stream: type === SOCK_STREAM, seq: type === SOCK_SEQPACKET, handles: 0,
      sent: 0, recv: 0, peer: null, lossy: false, uncertain: false, rdShut: false, wrShut: false, closed: false,
      listening: false, queue: [], created: net.clock.now(), eof: false, name: null, unixName: null };
    eps.push(ep); liveEps.push(ep);
    return ep;
  };
  let openList = [];
  const newHandle = (s, ep) => { ep.handles++; const h = { s, ep, open: true, id: handles.length }; handles.push(h); openList.push(h); return h; };
  const openHandles = () => (openList = openList.filter((h) => h.open));

  // Faults in virtual time: partitions between machine pairs (intervals), UDP duplication ever on.
  const cuts = [];          // { a, b, from, to }
  let dupEver = false;
  const crashed = [false, false, false];
  const pairKey = (a, b) => (a < b ? `${a}-${b}` : `${b}-${a}`);
  const crossedCut = (e, p) => {
    if (e.m === p.m) return false;
    const k = pairKey(e.m, p.m), since = Math.min(e.created, p.created);
    return cuts.some((c) => c.k === k && c.to >= since);
  };

  // Pairing: TCP by (the accepting machine, the client's name as the acceptor sees it); AF_UNIX by each listener's queue order.
  const pending = new Map();
  const norm = (a) => {
    if (!Array.isArray(a)) return String(a);
    let host = String(a[0]);
    if (host.startsWith('::ffff:')) host = host.slice(7);
    return `${host}:${a[1]}`;
  };
  const machineOfHost = (host, from) => {
    if (host.startsWith('::ffff:')) host = host.slice(7);
    const i = V4.indexOf(host); if (i >= 0) return i;
    const j = V6.indexOf(host); if (j >= 0) return j;
    return from;     // loopback, wildcard
  };
  const pair = (a, b) => { a.peer = b; b.peer = a; };

  const log = [];
  let opIndex = 0;
  const note = (s) => { if (log.length > 60) log.shift(); log.push(`#${opIndex} ${s}`); if (trace) process.stderr.write(`#${opIndex} ${s}\n`); };
  const fail = (why) => {
    throw new FuzzFailure(`emulated fuzzer, seed ${seed}, op ${opIndex}: ${why}\nlast operations:\n${log.join('\n')}\n(reproduce: node test/helpers/emulated-fuzzer.mjs ${seed} ${opIndex + 1}, FUZZ_TRACE=1 to trace)`);
  };

  /** Whether e is an exception Python could raise here; else the run fails. Returns the errno (or -1). */
  const expected = (e, what) => {
    if (trace) process.stderr.write(`  raised ${e?.constructor?.name} ${e?.message}\n`);
    if (e instanceof X.SystemError) fail(`${what}: SystemError (core abandoned): ${e.message}`);
    if (e instanceof X.OSError) {
      const cls = e.constructor.name;
      stats.byClass[cls] = (stats.byClass[cls] ?? 0) + 1;
      stats.errors++;
      if (e.errno === 35) stats.edeadlk++;
      return e.errno ?? -1;
    }
    if (e instanceof X.ValueError || e instanceof X.OverflowError || (e instanceof TypeError && !JS_INTERNAL.test(e.message))) {
      stats.byClass[e.constructor.name] = (stats.byClass[e.constructor.name] ?? 0) + 1;
      stats.errors++;
      return -1;
    }
    fail(`${what}: unexpected ${e?.constructor?.name ?? typeof e}: ${e?.message ?? e}\n${e?.stack ?? ''}`);
  };
  /** Errors that end a connection with notice: bytes may have been lost. */
  const LOSSY = new Set([32, 104, 110, 103, 111]);   // EPIPE, ECONNRESET, ETIMEDOUT, ECONNABORTED, ECONNREFUSED
  const sawError = (h, errno) => { if (LOSSY.has(errno)) { h.ep.lossy = true; if (h.ep.peer) h.ep.peer.lossy = true; } };

  // ---------------------------------------------------------------- checks
  const checkStream = (h, data, peek) => {
    const ep = h.ep;
    if (data.length === 0 || ep.stale || ep.dead) return;
    const from = ep.peer;
    if (from !== null && from.dead) return;
    if (from === null) {
      // A TCP connection accepted before the model knew its client (none is left unknown on purpose).
      if (ep.fam !== AF_UNIX) fail(`stream ${ep.id} received ${data.length} bytes from no known peer`);
      ep.stale = true; stats.unfollowed++; return;
    }
    if (ep.recv + data.length > from.sent + (from.uncertain ? MAXSEND : 0))
      fail(`stream ${ep.id} received ${ep.recv + data.length} bytes but its peer ${from.id} sent ${from.sent}`);
    const exp = streamData(from.sid, ep.recv, data.length);
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== exp[i]) fail(`stream ${ep.id}: byte ${ep.recv + i} from ${from.id} is ${data[i]}, expected ${exp[i]} (peek=${peek})`);
    }
    if (!peek) { ep.recv += data.length; stats.bytes += data.length; }
  };
  /** A read of 0 bytes on a stream asked for more: EOF. Every byte sent must have arrived unless the connection was reset or cut. */
  const checkEof = (h) => {
    const ep = h.ep, from = ep.peer;
    if (ep.rdShut || from === null || ep.stale || ep.dead || from.dead) return;
    if (ep.lossy || from.lossy || from.uncertain || crossedCut(ep, from)) return;
    stats.eofChecks++;
    if (ep.recv !== from.sent) fail(`stream ${ep.id} read EOF after ${ep.recv} bytes, its peer ${from.id} sent ${from.sent} (no reset, no partition)`);
  };
  const dgrams = new Map();    // id -> { len, seen }
  let nextDg = 1;
  const makeDatagram = (len) => {
    const id = nextDg++;
    const b = new Uint8Array(len);
    const src = PAT2.subarray(id % P, id % P + len);
    b.set(src);
    if (len >= 4) new DataView(b.buffer).setUint32(0, id, true);
    return { id, b };
  };
  const checkDatagram = (data, asked, truncFlag, peek) => {
    if (data.length === 0) return;
    if (data.length < 4) {
      if (asked >= 4 && !truncFlag) fail(`a ${data.length}-byte datagram arrived; none that short was sent`);
      return;
    }
    const id = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true);
    const d = dgrams.get(id);
    if (d === undefined) fail(`datagram ${id} (${data.length} bytes) was never sent`);
    const want = truncFlag ? d.len : Math.min(asked, d.len);
    if (data.length !== want && !(truncFlag && data.length === Math.min(asked, d.len))) fail(`datagram ${id}: ${data.length} bytes read with bufsize ${asked}, it had ${d.len}`);
    const src = PAT2.subarray(id % P + 4, id % P + data.length);
    for (let i = 4; i < data.length; i++) if (data[i] !== src[i - 4]) fail(`datagram ${id}: byte ${i} differs`);
    if (!peek) {
      d.seen++;
      stats.datagrams++;
      if (d.seen > 1 && !(d.udp && dupEver)) fail(`datagram ${id} arrived ${d.seen} times (duplication ${dupEver ? 'on' : 'never on'})`);
    }
  };

  // ---------------------------------------------------------------- choices
  const PORTS = [40000, 40001, 40002, 40003, 40004, 40005, 40006, 40007];
  const UNIX = ['/tmp/f0', '/tmp/f1', '/tmp/f2', '/tmp/f3', '\0abs0', '\0abs1'];
  const TIMEOUTS = [0, 0.001, 0.05, 1, 30, 200, null];
  const hostFor = (fam, m) => {
    if (fam === AF_INET) return pick(['0.0.0.0', '127.0.0.1', V4[m], V4[m], V4[(m + 1) % 3]]);
    return pick(['::', '::1', V6[m] ?? '::1', V6[m] ?? '::', '::ffff:127.0.0.1', V6[(m + 1) % 3] ?? 'fd00::9']);
  };
  const addrFor = (h) => {
    const fam = h.ep.fam;
    if (fam === AF_UNIX) return pick(UNIX);
    return [hostFor(fam, h.ep.m), chance(0.5) ? 0 : chance(0.05) ? 80 : pick(PORTS)];
  };
  /** Somewhere to connect or send to: most often an existing listener's or bound socket's name, reached from h's machine. */
  const targetFor = (h) => {
    const fam = h.ep.fam;
    const wantStream = h.ep.type;
    const cands = liveEps.filter((e) => !e.closed && e.fam === fam && e.type === wantStream && e.name !== null && (h.ep.type !== SOCK_STREAM || e.listening));
    if (cands.length > 0 && chance(0.8)) {
      const t = pick(cands);
      if (fam === AF_UNIX) return t.unixName;
      let [host, port] = t.name;
      if (host === '0.0.0.0' || host === '::') {
        host = fam === AF_INET ? (t.m === h.ep.m && chance(0.5) ? '127.0.0.1' : V4[t.m]) : (t.m === h.ep.m && chance(0.5) ? '::1' : (V6[t.m] ?? '::1'));
      } else if ((host === '127.0.0.1' || host === '::1') && t.m !== h.ep.m) {
        // not reachable from elsewhere: try anyway
      }
      return [host, port];
    }
    if (fam === AF_UNIX) return pick(UNIX);
    const m = int(3);
    return [fam === AF_INET ? pick([V4[m], '127.0.0.1', '0.0.0.0', '10.9.9.9']) : pick([V6[m] ?? '::1', '::1', '::']), chance(0.1) ? 0 : pick(PORTS)];
  };
  const recordName = (h) => {
    try {
      const n = h.s.getsockname();
      if (h.ep.fam === AF_UNIX) { h.ep.name = n; h.ep.unixName = (typeof n === 'string' && n.length > 0) || (n instanceof Uint8Array && n.length > 0) ? n : null; if (h.ep.unixName === null) h.ep.name = null; if (n instanceof Uint8Array) h.ep.unixName = '\0' + String.fromCharCode(...n.subarray(1)); }
      else h.ep.name = n;
    } catch (e) { expected(e, 'getsockname'); }
  };
  const kinds = [
    [AF_INET, SOCK_STREAM], [AF_INET, SOCK_STREAM], [AF_INET, SOCK_STREAM], [AF_INET6, SOCK_STREAM],
    [AF_INET, SOCK_DGRAM], [AF_INET, SOCK_DGRAM], [AF_INET6, SOCK_DGRAM],
    [AF_UNIX, SOCK_STREAM], [AF_UNIX, SOCK_STREAM], [AF_UNIX, SOCK_DGRAM], [AF_UNIX, SOCK_SEQPACKET],
  ];
  const setTimeoutRandom = (s) => { const t = pick(TIMEOUTS); note(`settimeout ${t}`); s.settimeout(t); };

  // ---------------------------------------------------------------- operations
  // A crashed machine runs no program: sockets are made on machines that are up.
  const upMachine = () => { const up = [0, 1, 2].filter((m) => !crashed[m]); return up.length ? pick(up) : -1; };
  const opCreate = () => {
    const m = upMachine();
    if (m < 0) return;
    const [fam, type] = pick(kinds);
    const V = VIEWS[m];
    note(`create m${m} fam=${fam} type=${type}`);
    const s = new V.socket(fam, type);
    const h = newHandle(s, newEp(m, fam, type));
    if (chance(0.85)) setTimeoutRandom(s);
  };
  const opPair = () => {
    const m = upMachine(), type = pick([SOCK_STREAM, SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET]);
    if (m < 0) return;
    note(`socketpair m${m} type=${type}`);
    const [a, b] = VIEWS[m].socketpair(AF_UNIX, type);
    const ea = newEp(m, AF_UNIX, type), eb = newEp(m, AF_UNIX, type);
    if (type !== SOCK_DGRAM) pair(ea, eb);
    newHandle(a, ea); newHandle(b, eb);
    if (chance(0.85)) setTimeoutRandom(a);
    if (chance(0.85)) setTimeoutRandom(b);
  };
  const opBind = (h) => {
    const a = addrFor(h);
    note(`bind h${h.id}/e${h.ep.id} ${JSON.stringify(a)}`);
    h.s.bind(a);
    recordName(h);
  };
  const opListen = (h) => {
    const b = chance(0.2) ? undefined : pick([0, 1, 2, 5, 128, -1, 100000]);
    note(`listen h${h.id}/e${h.ep.id} ${b}`);
    if (b === undefined) h.s.listen(); else h.s.listen(b);
    if (h.ep.type !== SOCK_DGRAM) { h.ep.listening = true; recordName(h); }
  };
  /** A stream socket starts another connection (a TCP socket may connect again after a failed or reset one): new counters, the old peer keeps a frozen copy. */
  const renew = (ep) => {
    if (ep.peer !== null && ep.peer !== ep && ep.peer.peer === ep) ep.peer.peer = { ...ep, lossy: true };
    if (ep.peer !== null || ep.sent > 0 || ep.recv > 0 || ep.uncertain || ep.lossy) {
      // What the old connection left unread (a reset keeps the receive queue, as tcp_reset
      // does) may still be read on the new one: this end's reads are no longer checked.
      ep.stale = true;
      ep.sid = nextEp++; ep.peer = null; ep.sent = 0; ep.recv = 0; ep.uncertain = false; ep.lossy = false; ep.eof = false;
    }
  };
  const afterConnect = (h, ok, t) => {
    const ep = h.ep;
    if (ep.type !== SOCK_STREAM) { recordName(h); return; }
    ep.listening = false;
    // A connect in progress reports its own outcome later: the same connection.
    if (!ep.inProgress) renew(ep);
    ep.inProgress = !ok;
    if (ok && ep.peer !== null) return;
    let name = null;
    try { name = h.s.getsockname(); } catch (e) { expected(e, 'getsockname'); }
    if (ep.fam === AF_UNIX) return;
    if (name === null) return;
    // Connecting to its own name is a simultaneous open: the socket is its own peer.
    const self = norm(t) === norm(name) || ep.target === ep.m && (t[0] === '0.0.0.0' || t[0] === '::') && String(t[1]) === String(name[1]);
    if (self && ep.peer === null) { ep.peer = ep; return; }
    ep.name = name;
    ep.pendingKey = `${ep.target}|${norm(name)}`;
    pending.set(ep.pendingKey, ep);
  };
  const unixQueue = (h, target) => {
    // A unix stream connect that succeeded joined the listener's queue.
    const path = typeof target === 'string' ? target : String(target);
    const l = liveEps.filter((e) => !e.closed && e.fam === AF_UNIX && e.type === h.ep.type && e.listening && e.unixName === path);
    // The model cannot always tell which socket holds a name (a listener made dead by a crash
    // keeps it): then the connection is not followed (its ends go unchecked).
    if (l.length === 1) l[0].queue.push(h.ep);
    else { h.ep.stale = true; for (const e of l) e.unknownQueue = true; }
  };
  const opConnect = (h) => {
    const t = targetFor(h);
    const how = int(3);
    note(`connect${['', '_ex', '(nb)'][how]} h${h.id}/e${h.ep.id} ${JSON.stringify(t)}`);
    const ep = h.ep;
    if (ep.fam !== AF_UNIX && Array.isArray(t)) ep.target = machineOfHost(String(t[0]), ep.m);
    // A connected socket's connect() may still report a finished non-blocking connect's
    // outcome once (0, as inet_stream_connect does): that is not a new connection.
    let connected = false;
    if (ep.type === SOCK_STREAM) { try { h.s.getpeername(); connected = true; } catch { /* not connected */ } }
    if (how === 2) h.s.setblocking(false);
    let r = 0;
    try {
      if (how === 1) r = h.s.connect_ex(t); else h.s.connect(t);
    } catch (e) {
      const errno = expected(e, 'connect');
      if (errno === 115 || errno === 114 || e instanceof X.TimeoutError) afterConnect(h, false, t);
      else if (errno !== 106) ep.inProgress = false;
      if (how === 2) setTimeoutRandom(h.s);
      return;
    }
    if (how === 2) setTimeoutRandom(h.s);
    if (connected && r === 0) { ep.inProgress = false; return; }
    if (r === 0 || r === 115 || r === 114 || r === 11) {
      if (ep.fam === AF_UNIX && ep.type !== SOCK_DGRAM && r === 0) unixQueue(h, t);
      afterConnect(h, r === 0, t);
    } else { if (r !== 106) ep.inProgress = false; if (r === 104 || r === 111 || r === 110 || r === 32) ep.lossy = true; }
  };
  const opAccept = (h) => {
    note(`accept h${h.id}/e${h.ep.id}`);
    const [s, addr] = h.s.accept();
    const ep = newEp(h.ep.m, h.ep.fam, h.ep.type);
    // A dead listener (its machine crashed) may listen again: what it accepts is dead too.
    ep.dead = h.ep.dead || crashed[ep.m];
    const a = newHandle(s, ep);
    if (ep.fam === AF_UNIX) {
      const c = h.ep.queue.shift();
      if (c !== undefined && !h.ep.unknownQueue) pair(ep, c);
      else { ep.stale = true; stats.unfollowed++; if (c) c.stale = true; for (const q of h.ep.queue) q.stale = true; h.ep.queue.length = 0; }
    } else {
      const key = `${ep.m}|${norm(addr)}`;
      const c = pending.get(key);
      if (c !== undefined && c.peer === null) { pair(ep, c); pending.delete(key); }
      else note(`accepted e${ep.id} from ${key}: no known client`);
    }
    if (chance(0.85)) setTimeoutRandom(s);
  };
  const sendSize = () => (chance(0.6) ? 1 + int(100) : chance(0.7) ? 1 + int(4000) : chance(0.9) ? 1 + int(70000) : 0);
  const opSend = (h, all) => {
    const ep = h.ep;
    if (ep.type === SOCK_DGRAM) return opSendto(h, false);
    const n = sendSize();
    const flags = chance(0.2) ? MSG_DONTWAIT : 0;
    if (ep.seq) {
      const { id, b } = makeDatagram(Math.max(4, n));
      dgrams.set(id, { len: b.length, seen: 0, udp: false });
      note(`${all ? 'sendall' : 'send'} seq h${h.id}/e${ep.id} dg${id} ${b.length} flags=${flags}`);
      if (all) h.s.sendall(b, flags); else h.s.send(b, flags);
      return;
    }
    if (ep.uncertain) return;
    const data = streamData(ep.sid, ep.sent, n);
    note(`${all ? 'sendall' : 'send'} h${h.id}/e${ep.id} ${n}@${ep.sent} flags=${flags}`);
    if (all) {
      try { h.s.sendall(data, flags); }
      catch (e) { ep.uncertain = true; throw e; }
      ep.sent += n;
    } else {
      const r = h.s.send(data, flags);
      if (!(r >= 0 && r <= n)) fail(`send returned ${r} for ${n} bytes`);
      ep.sent += r;
    }
  };
  const opSendto = (h) => {
    const ep = h.ep;
    const t = chance(0.85) ? targetFor(h) : null;
    const n = chance(0.02) ? pick([65507, 65508, 65528, 300000]) : 4 + int(chance(0.8) ? 60 : 3000);
    if (ep.type === SOCK_STREAM || ep.seq) {
      // sendto on a stream: TCP ignores the address, unix streams refuse it.
      if (ep.uncertain) return;      // its stream's offset is unknown: it sends no more
      if (ep.seq) { note(`sendto seq h${h.id}`); h.s.sendto(new Uint8Array(4), t ?? ['127.0.0.1', 1]); return; }
      const m = Math.min(n, 5000);
      const data = streamData(ep.sid, ep.sent, m);
      note(`sendto stream h${h.id}/e${ep.id} ${m}@${ep.sent} ${JSON.stringify(t)}`);
      const r = t === null ? h.s.send(data) : h.s.sendto(data, t);
      ep.sent += r;
      return;
    }
    const { id, b } = makeDatagram(Math.min(n, 300000));
    dgrams.set(id, { len: b.length, seen: 0, udp: ep.fam !== AF_UNIX });
    const flags = chance(0.3) ? MSG_DONTWAIT : 0;
    note(`sendto h${h.id}/e${ep.id} dg${id} ${b.length} ${JSON.stringify(t)} flags=${flags}`);
    if (t === null) h.s.send(b, flags); else if (flags) h.s.sendto(b, flags, t); else h.s.sendto(b, t);
    if (!ep.name) recordName(h);
  };
  const opRecv = (h, variant) => {
    const ep = h.ep;
    const n = chance(0.1) ? 0 : chance(0.5) ? 1 + int(64) : chance(0.8) ? 1 + int(8000) : 1 + int(200000);
    let flags = 0;
    if (chance(0.15)) flags |= MSG_PEEK;
    if (chance(0.2)) flags |= MSG_DONTWAIT;
    if (chance(0.15)) flags |= MSG_WAITALL;
    if (ep.type !== SOCK_STREAM && chance(0.1)) flags |= MSG_TRUNC;
    note(`${variant} h${h.id}/e${ep.id} ${n} flags=${flags}`);
    let data;
    if (variant === 'recv') data = h.s.recv(n, flags);
    else if (variant === 'recvfrom') data = h.s.recvfrom(n, flags)[0];
    else {
      const buf = new Uint8Array(n + 8);
      const room = n === 0 ? buf.length : n;      // nbytes 0: the whole buffer
      const k = variant === 'recv_into' ? h.s.recv_into(buf, n, flags) : h.s.recvfrom_into(buf, n, flags)[0];
      if (!(k >= 0 && (k <= room || (flags & MSG_TRUNC && ep.type !== SOCK_STREAM)))) fail(`${variant} returned ${k} for ${room}`);
      data = buf.subarray(0, Math.min(k, room));
    }
    const peek = (flags & MSG_PEEK) !== 0;
    if (ep.type === SOCK_STREAM) {
      checkStream(h, data, peek);
      if (data.length === 0 && n > 0 && !peek) checkEof(h);
      if (data.length === 0 && n > 0) ep.eof = true;
    } else {
      const asked = (variant === 'recv_into' || variant === 'recvfrom_into') && n === 0 ? 8 : n;
      checkDatagram(data, asked, (flags & MSG_TRUNC) !== 0, peek);
    }
  };
  const opShutdown = (h) => {
    const how = pick([SHUT_RD, SHUT_WR, SHUT_RDWR, SHUT_RDWR, 7]);
    note(`shutdown h${h.id}/e${h.ep.id} ${how}`);
    h.s.shutdown(how);
    // A TCP connect in progress is abandoned instead (inet_shutdown in SYN_SENT: tcp_disconnect).
    if (h.ep.inProgress && h.ep.fam !== AF_UNIX) { h.ep.inProgress = false; h.ep.lossy = true; }
    if (how === SHUT_RD || how === SHUT_RDWR) h.ep.rdShut = true;
    if (how === SHUT_WR || how === SHUT_RDWR) h.ep.wrShut = true;
    if (h.ep.listening && how !== SHUT_WR) { for (const c of h.ep.queue) c.lossy = true; h.ep.queue.length = 0; h.ep.listening = false; }
  };
  const INTS = [0, 1, 1, 2, 3, 7, 255, 1024, 4096, 65536, 1 << 20, 0x7fffffff, -1, -2147483648];
  const opSetsockopt = (h) => {
    const r = pick(rows);
    let v;
    if (r.kind === 'int' || r.kind === 'bool' || chance(0.3)) v = chance(0.05) ? pick([true, false, 2 ** 40, -(2 ** 40)]) : pick(INTS);
    else { v = new Uint8Array(chance(0.7) ? r.size : int(r.size + 8)); for (let i = 0; i < v.length; i++) v[i] = chance(0.5) ? 0 : int(256); }
    // Keep the run moving: kernel receive/send timeouts of more than a few virtual seconds make every wait long.
    note(`setsockopt h${h.id}/e${h.ep.id} ${r.name}@${r.levelName} ${v instanceof Uint8Array ? `bytes[${v.length}]` : v}`);
    h.s.setsockopt(r.level, r.value, v);
  };
  const opGetsockopt = (h) => {
    const r = pick(rows);
    const buflen = chance(0.5) ? undefined : pick([0, 1, 4, r.size, r.size + 4, 1024, 2000]);
    note(`getsockopt h${h.id}/e${h.ep.id} ${r.name}@${r.levelName} ${buflen}`);
    const v = buflen === undefined ? h.s.getsockopt(r.level, r.value) : h.s.getsockopt(r.level, r.value, buflen);
    if (r.name === 'SO_ERROR' && typeof v === 'number') sawError(h, v);
  };
  const opTimeout = (h) => {
    if (chance(0.3)) { const b = chance(0.5); note(`setblocking h${h.id} ${b}`); h.s.setblocking(b); }
    else setTimeoutRandom(h.s);
  };
  const opDup = (h) => { note(`dup h${h.id}/e${h.ep.id}`); const s = h.s.dup(); newHandle(s, h.ep); };
  const closeHandle = (h) => {
    note(`close h${h.id}/e${h.ep.id}`);
    h.open = false;
    h.s.close();
    if (--h.ep.handles === 0) {
      h.ep.closed = true;
      if (h.ep.listening) { for (const c of h.ep.queue) c.lossy = true; h.ep.queue.length = 0; }
    }
  };
  const opFcntl = (h) => {
    const w = int(5);
    if (w === 0) { note(`ioctl FIONREAD h${h.id}`); const b = new Uint8Array(4); fc.ioctl(h.s, fc.FIONREAD, b); checkFionread(h, new DataView(b.buffer).getInt32(0, true)); }
    else if (w === 1) { note(`ioctl SIOCOUTQ h${h.id}`); const b = new Uint8Array(4); fc.ioctl(h.s, fc.SIOCOUTQ, b); }
    else if (w === 2) { note(`fcntl F_GETFL h${h.id}`); fc.fcntl(h.s, fc.F_GETFL); }
    else if (w === 3) { const nb = chance(0.5) ? fc.O_NONBLOCK : 0; note(`fcntl F_SETFL h${h.id} ${nb}`); fc.fcntl(h.s, fc.F_SETFL, nb); }
    else { note(`ioctl FIONREAD by value h${h.id}`); fc.ioctl(h.s, fc.FIONREAD, 0); }
  };
  const checkFionread = (h, n) => {
    const ep = h.ep;
    if (ep.type !== SOCK_STREAM || ep.listening || ep.peer === null || ep.peer.uncertain || ep.stale || ep.dead || ep.peer.dead) return;
    if (n > ep.peer.sent - ep.recv) fail(`FIONREAD on e${ep.id} says ${n} bytes, but only ${ep.peer.sent - ep.recv} are unread`);
  };
  const opNames = (h) => {
    note(`names h${h.id}`);
    try { h.s.getsockname(); } catch (e) { expected(e, 'getsockname'); }
    h.s.getpeername();
  };
  const opFault = () => {
    stats.faults++;
    const a = int(3), b = (a + 1 + int(2)) % 3;
    const k = int(12);
    const now = net.clock.now();
    if (k <= 2) {
      const at = chance(0.3) ? now + rnd() * 5 : undefined;
      const until = chance(0.5) ? (at ?? now) + rnd() * 30 : undefined;
      const oneWay = chance(0.2);
      note(`partition ${NAMES[a]} ${NAMES[b]} at=${at} until=${until} oneWay=${oneWay}`);
      cuts.push({ k: pairKey(a, b), from: at ?? now, to: until ?? Infinity });
      net.faults.partition(NAMES[a], NAMES[b], { at, until, oneWay });
    } else if (k <= 4) {
      note(`repair ${NAMES[a]} ${NAMES[b]}`);
      net.faults.repair(NAMES[a], NAMES[b]);
      for (const c of cuts) if (c.k === pairKey(a, b) && c.to > now) c.to = now;
    } else if (k === 5) {
      const s = pick([0, 0.001, 0.05, 0.5]), j = pick([0, 0, 0.001, 0.1]);
      note(`latency ${NAMES[a]} ${NAMES[b]} ${s} ${j}`);
      net.faults.latency(NAMES[a], NAMES[b], s, j);
    } else if (k === 6) {
      const r = { loss: pick([0, 0, 0.1, 0.5]), duplicate: pick([0, 0, 0.1]), reorder: pick([0, 0.2]) };
      if (r.duplicate > 0) dupEver = true;
      note(`udp ${JSON.stringify(r)}`);
      net.faults.udp(r);
    } else if (k === 7) {
      const hs = openHandles();
      if (hs.length === 0) return;
      const h = pick(hs);
      note(`reset h${h.id}/e${h.ep.id}`);
      try { net.faults.reset(h.s); } catch (e) { if (!(e instanceof TypeError)) throw e; }
    } else if (k === 8) {
      const m = int(3);
      note(`crash ${NAMES[m]}`);
      crashed[m] = true;
      net.faults.crash(NAMES[m]);
      // Its connections are reset (the peers hear of it); its sockets are dead.
      // Its sockets are dead for good; the kernel still lets them connect again (a unix name of
      // another machine, a restart later), but bytes from or to them are not followed.
      for (const e of liveEps) if (!e.closed && e.m === m) { e.lossy = true; e.dead = true; e.listening = false; e.queue.length = 0; if (e.peer) e.peer.lossy = true; }
      for (const e of liveEps) if (!e.closed && e.peer && e.peer.m === m) e.lossy = true;
    } else if (k === 9) {
      const m = int(3);
      note(`restart ${NAMES[m]}`);
      crashed[m] = false;
      net.faults.restart(NAMES[m]);
    } else if (k === 10) {
      const bw = pick([0, 0, 1000, 100000]);
      note(`bandwidth ${NAMES[a]} ${bw}`);
      net.faults.bandwidth(NAMES[a], bw);
    } else {
      const t = pick([0, 0.001, 0.5, 5, 100, 1000]);
      note(`advance ${t}`);
      net.clock.advance(t);
    }
  };
  const opUnlink = () => {
    const p = pick(UNIX.filter((u) => !u.startsWith('\0')));
    note(`unlink ${p}`);
    net.unlink(p);
  };

  // Weighted operations on a handle.
  const HANDLE_OPS = [
    [6, opBind], [4, opListen], [7, opConnect], [7, opAccept],
    [9, (h) => opSend(h, false)], [3, (h) => opSend(h, true)], [4, opSendto],
    [8, (h) => opRecv(h, 'recv')], [3, (h) => opRecv(h, 'recv_into')], [3, (h) => opRecv(h, 'recvfrom')], [1, (h) => opRecv(h, 'recvfrom_into')],
    [2, opShutdown], [4, opSetsockopt], [3, opGetsockopt], [3, opTimeout], [1, opDup], [3, closeHandle], [2, opFcntl], [2, opNames],
  ];
  const total = HANDLE_OPS.reduce((s, [w]) => s + w, 0);
  const pickHandleOp = () => { let r = int(total); for (const [w, f] of HANDLE_OPS) { if ((r -= w) < 0) return f; } return HANDLE_OPS[0][1]; };

  const t0 = performance.now();
  let open = [];
  for (opIndex = 0; opIndex < ops; opIndex++) {
    if (opIndex === stopAt) return { net, handles, eps };
    stats.ops++;
    if (trace) process.stderr.write(`#${opIndex} (start, ${open.length} open)\n`);
    if ((opIndex & 63) === 0) { open = openHandles(); liveEps = liveEps.filter((e) => !e.closed); }
    else open = open.filter((h) => h.open);
    const r = rnd();
    try {
      if (crashed.every(Boolean)) { const m = int(3); note(`restart ${NAMES[m]}`); crashed[m] = false; net.faults.restart(NAMES[m]); }
      else if (open.length === 0 || r < 0.04) { if (open.length < 48) opCreate(); else closeHandle(pick(open)); }
      else if (r < 0.055) opPair();
      else if (r < 0.07) opFault();
      else if (r < 0.072) opUnlink();
      else if (open.length > 40 && r < 0.1) closeHandle(pick(open));
      else {
        const h = pick(open);
        const f = pickHandleOp();
        try { f(h); if (trace) process.stderr.write('  ok\n'); }
        catch (e) { if (e instanceof FuzzFailure) throw e; if (trace) process.stderr.write(`  ${e.constructor.name} ${e.message}\n`); const errno = expected(e, log[log.length - 1] ?? '?'); sawError(h, errno); }
      }
    } catch (e) {
      if (e instanceof FuzzFailure) throw e;
      expected(e, log[log.length - 1] ?? '?');
    }
  }
  const runMs = performance.now() - t0;

  // ---------------------------------------------------------------- the end
  // Faults off; each open stream endpoint with a known peer is drained until EOF, an error or
  // a long (virtual) timeout: then every byte its peer sent must be there, unless reset or cut.
  opIndex = ops;
  note('end: repair everything, drain');
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) if (a !== b) net.faults.repair(NAMES[a], NAMES[b]);
  for (const c of cuts) if (c.to > net.clock.now()) c.to = net.clock.now();
  net.faults.udp({});
  for (const h of openHandles()) {
    const ep = h.ep;
    if (ep.type !== SOCK_STREAM || ep.listening || ep.peer === null || ep.drained) continue;
    ep.drained = true;
    try { h.s.settimeout(2000); } catch (e) { expected(e, 'settimeout'); continue; }
    try { fc.fcntl(h.s, fc.F_SETFL, 0); } catch (e) { expected(e, 'fcntl'); }
    let eof = false, err = false;
    for (;;) {
      let d;
      try { d = h.s.recv(1 << 16); }
      catch (e) { const errno = expected(e, `drain e${ep.id}`); if (e instanceof X.TimeoutError && errno !== 110) break; sawError(h, errno); err = true; break; }
      if (d.length === 0) { eof = true; break; }
      checkStream(h, d, false);
    }
    const from = ep.peer;
    if (err || ep.stale || ep.dead || from.dead || ep.rdShut || ep.lossy || from.lossy || from.uncertain || crossedCut(ep, from)) continue;
    if (ep.eof && !eof) continue;     // an EOF already read: what came after was reported then
    stats.checkedStreams++;
    if (ep.recv !== from.sent) fail(`drained stream e${ep.id} (${eof ? 'EOF' : 'timeout'}) has ${ep.recv} bytes of the ${from.sent} its peer e${from.id} sent (no reset, no partition)`);
  }
  note('end: close everything');
  for (const h of openHandles()) {
    try { closeHandle(h); } catch (e) { expected(e, 'close'); }
  }
  const fds = emu().emu_open_fds();
  if (fds !== fds0) fail(`${fds} emulated fds open after closing everything (${fds0} at the start)`);
  return { seed, ...stats, endpoints: eps.length, runMs: Math.round(runMs), virtualSeconds: Math.round(net.clock.now()) };
}

// CLI: node emulated-fuzzer.mjs <seed> <ops>
if (import.meta.url === `file://${process.argv[1]}`) {
  const seed = Number(process.argv[2] ?? 1), ops = Number(process.argv[3] ?? 10000);
  try {
    const r = fuzz({ seed, ops, trace: process.env.FUZZ_TRACE === '1' });
    process.stdout.write(JSON.stringify(r) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ seed, failure: String(e?.message ?? e) }) + '\n');
    process.exitCode = 1;
  }
}
