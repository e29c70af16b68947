// The network: its machines and their addresses, the port tables, the seeded generator, and
// the links' faults. Machine 0 is where sockets are made unless the embedder picks another
// (EMU_use_machine); every machine has its own loopback (127.0.0.0/8, ::1).

import { Sock, sockAt } from "./sock";
import { now as clockNow } from "./clock";
import { AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM, TCP_LISTEN } from "./defs";

// ------------------------------------------------------------------ the seeded generator
// splitmix64: small, fast, and the same on every machine.
let rngState: u64 = 0x9e3779b97f4a7c15;
export function seed(s: u64): void { rngState = s ^ 0x9e3779b97f4a7c15; }
export function rand64(): u64 {
  let z = (rngState += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}
/** A draw in [0, n). */
export function randBelow(n: u32): u32 { return <u32>((rand64() >> 32) * <u64>n >> 32); }
/** True with probability p (0..1). */
export function chance(p: f64): bool { return p > 0 && <f64>(rand64() >> 11) * (1.0 / 9007199254740992.0) < p; }

// ------------------------------------------------------------------ machines
/** The most machines a network has (the JS side refuses more): tables below are indexed by machine. */
export const MAX_MACHINES: i32 = 64;
export let machineCount: i32 = 1;
export let current: i32 = 0;
/** Each machine's addresses as 16-byte IPv6 forms (IPv4 as ::ffff:a.b.c.d): two u64 each. */
const addrHi = new Array<u64>();
const addrLo = new Array<u64>();
const addrMachine = new Array<i32>();
/** A crashed machine refuses nothing and answers nothing until restarted. */
const crashed = new Array<bool>();
export let machinePid = new Array<i32>();

export function resetMachines(): void {
  machineCount = 1; current = 0;
  addrHi.length = 0; addrLo.length = 0; addrMachine.length = 0;
  crashed.length = 1; crashed[0] = false;
  machinePid.length = 1; machinePid[0] = 1000;
}
resetMachines();

export function addMachine(pid: i32): i32 {
  crashed.push(false);
  machinePid.push(pid);
  return machineCount++;
}
export function useMachine(m: i32): void { current = m; }
export function isCrashed(m: i32): bool { return crashed[m]; }
export function setCrashed(m: i32, on: bool): void { crashed[m] = on; anyFaults = true; }

/** Scratch for address forms. */
const form: usize = memory.data(16, 8);

/**
 * Puts the 16-byte form of the IP in a sockaddr at `sa` into `form` and returns it: IPv6 as
 * is, IPv4 as ::ffff:a.b.c.d.
 */
export function ipForm(sa: usize): usize {
  const fam = <i32>load<u16>(sa);
  if (fam == AF_INET6) { memory.copy(form, sa + 8, 16); return form; }
  store<u64>(form, 0);
  store<u32>(form + 8, 0xffff0000);
  store<u32>(form + 12, load<u32>(sa + 4));
  return form;
}

export function addAddress(m: i32, sa: usize): void {
  const f = ipForm(sa);
  addrHi.push(load<u64>(f)); addrLo.push(load<u64>(f + 8)); addrMachine.push(m);
}

@inline function isMapped(f: usize): bool { return load<u64>(f) == 0 && load<u32>(f + 8) == 0xffff0000; }
export function formIsAny(f: usize): bool {
  return (load<u64>(f) == 0 && load<u64>(f + 8) == 0) || (isMapped(f) && load<u32>(f + 12) == 0);
}
export function formIsLoopback(f: usize): bool {
  if (isMapped(f)) return load<u8>(f + 12) == 127;
  return load<u64>(f) == 0 && load<u64>(f + 8) == 0x0100000000000000;
}

/** The machine that owns the address in sockaddr `sa`, seen from machine `from`; -1 when none does. */
export function machineOf(sa: usize, from: i32): i32 {
  const f = ipForm(sa);
  if (formIsLoopback(f) || formIsAny(f)) return from;
  const hi = load<u64>(f), lo = load<u64>(f + 8);
  for (let i = 0, n = addrHi.length; i < n; i++) {
    if (unchecked(addrHi[i]) == hi && unchecked(addrLo[i]) == lo) return unchecked(addrMachine[i]);
  }
  return -1;
}

/** Machine m's first address of a family into dst (IPv4: 4 bytes; IPv6: 16), or false when it has none. */
export function firstAddress(m: i32, v6: bool, dst: usize): bool {
  for (let i = 0, n = addrHi.length; i < n; i++) {
    if (unchecked(addrMachine[i]) != m) continue;
    const hi = unchecked(addrHi[i]), lo = unchecked(addrLo[i]);
    const mapped = hi == 0 && <u32>lo == 0xffff0000;
    if (v6 == mapped) continue;
    if (v6) { store<u64>(dst, hi); store<u64>(dst + 8, lo); } else store<u32>(dst, <u32>(lo >> 32));
    return true;
  }
  return false;
}

/** Whether machine m may bind the IP of `sa` (its own address, loopback or the wildcard). */
export function isLocal(sa: usize, m: i32): bool { return machineOf(sa, m) == m; }

// ------------------------------------------------------------------ sockaddr helpers
@inline export function portOf(sa: usize): i32 { return <i32>bswap<u16>(load<u16>(sa + 2)); }
@inline export function setPort(sa: usize, p: i32): void { store<u16>(sa + 2, bswap<u16>(<u16>p)); }

/** Whether the local address of `a` and the address `sa` can be the same (wildcards overlap all). */
export function overlaps(a: Sock, b: Sock): bool {
  // Families: a v4 socket and a v6-only socket never share; a v6 socket that is not v6-only
  // takes the v4 wildcard too when it is bound to ::.
  const fa = ipForm(a.local);
  const ahi = load<u64>(fa), alo = load<u64>(fa + 8);
  const aAny = formIsAny(fa), aMapped = isMapped(fa);
  const fb = ipForm(b.local);
  const bAny = formIsAny(fb), bMapped = isMapped(fb);
  if (a.family != b.family) {
    const v6 = a.family == AF_INET6 ? a : b;
    const v6any = a.family == AF_INET6 ? aAny : bAny;
    const v6mapped = a.family == AF_INET6 ? aMapped : bMapped;
    if (v6.o.v6only) return false;
    if (!v6any && !v6mapped) return false;
  }
  if (aAny || bAny) {
    // :: (not v6-only) and 0.0.0.0 overlap everything of both families; a v6-only :: only v6.
    return true;
  }
  return load<u64>(fb) == ahi && load<u64>(fb + 8) == alo;
}

// ------------------------------------------------------------------ the bind table
// (machine, transport, port) -> the sockets bound there (listening, connected) and TIME_WAIT
// records, as a chain through them (Linux's bind hash buckets): a socket id, or -1 - index of
// a TIME_WAIT record, newest first. Per machine and transport a table of 65536 chain heads,
// made on first use (256 KiB): a lookup is two loads, and binding allocates nothing. (A map
// of per-port arrays cost a cache miss and an allocation for every new ephemeral port a
// connect took: bench/emulated.mjs, connect + accept + close.)
export const NIL: i32 = i32.MAX_VALUE;
const portHeads = new StaticArray<StaticArray<i32> | null>(MAX_MACHINES * 2);

/** The first entry bound at (m, transport, port), NIL when none. */
export function firstAt(m: i32, dgram: bool, port: i32): i32 {
  const t = unchecked(portHeads[(m << 1) | (dgram ? 1 : 0)]);
  return t === null ? NIL : unchecked(t[port & 0xffff]);
}

/** The entry after `id` in its port's chain. */
@inline export function nextAt(id: i32): i32 { return id >= 0 ? sockAt(id).bindNext : load<i32>(tw(-1 - id) + TW_NEXT); }
@inline function prevOf(id: i32): i32 { return id >= 0 ? sockAt(id).bindPrev : load<i32>(tw(-1 - id) + TW_PREV); }
@inline function setNext(id: i32, v: i32): void { if (id >= 0) sockAt(id).bindNext = v; else store<i32>(tw(-1 - id) + TW_NEXT, v); }
@inline function setPrev(id: i32, v: i32): void { if (id >= 0) sockAt(id).bindPrev = v; else store<i32>(tw(-1 - id) + TW_PREV, v); }

function link(m: i32, dgram: bool, port: i32, id: i32): void {
  const k = (m << 1) | (dgram ? 1 : 0);
  let t = unchecked(portHeads[k]);
  if (t === null) {
    t = new StaticArray<i32>(65536);
    for (let i = 0; i < 65536; i++) unchecked(t[i] = NIL);
    unchecked(portHeads[k] = t);
  }
  const h = unchecked(t[port & 0xffff]);
  setPrev(id, NIL); setNext(id, h);
  if (h != NIL) setPrev(h, id);
  unchecked(t[port & 0xffff] = id);
}

function unlink(m: i32, dgram: bool, port: i32, id: i32): void {
  const p = prevOf(id), n = nextAt(id);
  if (p != NIL) setNext(p, n);
  else unchecked(portHeads[(m << 1) | (dgram ? 1 : 0)]![port & 0xffff] = n);
  if (n != NIL) setPrev(n, p);
}

/** The first entry at a port once what has expired there is dropped: for bind decisions. */
function liveFirst(m: i32, dgram: bool, port: i32): i32 {
  if (!dgram) sweep(m, port);
  return firstAt(m, dgram, port);
}

/** What ends an orphan whose tcp_fin_timeout passed (stream.ts installs it: net.ts imports no stream code). */
let orphanExpired: (s: Sock) => void = (s: Sock): void => {};
export function setOrphanExpired(f: (s: Sock) => void): void { orphanExpired = f; }

/** Drops the TIME_WAIT records and orphaned FIN_WAIT sockets of a TCP port whose time is up. */
function sweep(m: i32, port: i32): void {
  const t = clockNow;
  for (let id = firstAt(m, false, port); id != NIL;) {
    const next = nextAt(id);
    if (id < 0) {
      const r = -1 - id;
      if (load<i64>(tw(r) + TW_UNTIL) <= t) { unlink(m, false, port, id); twFree.push(r); twCount--; }
    } else {
      const s = sockAt(id);
      if (s.files == 0 && s.finUntil > 0 && s.finUntil <= t && s.listener < 0) {
        unlink(m, false, port, id); s.inBind = false; s.bound = false;
        orphanExpired(s);
      }
    }
    id = next;
  }
}

export function addBinding(s: Sock): void {
  if (s.inBind) return;
  link(s.machine, s.type == SOCK_DGRAM, portOf(s.local), s.id);
  s.inBind = true;
}

export function removeBinding(s: Sock): void {
  if (!s.inBind) return;
  unlink(s.machine, s.type == SOCK_DGRAM, portOf(s.local), s.id);
  s.inBind = false;
}

// ------------------------------------------------------------------ TIME_WAIT records
// A connection in TIME_WAIT is a small record (Linux's inet_timewait_sock), not a socket: it
// holds its port for 60 s, conflicts with binds as Linux's does, and is never read or written.
// It sits in the bind table as id -1 - index. Records are reused; a steady churn of
// connections allocates nothing. They live in pages of TW_PAGE records that never move: a
// table of 10^5 records grows without copying (per-field arrays spent as long reallocating as
// the rest of a connect + accept + close, bench/emulated.mjs).
const TW_PAGE: i32 = 1024;
const TW_SIZE: usize = 40;
// A record: the IP's 16-byte form (hi, lo), when it ends, its family, SO_REUSE* / V6ONLY flags, and its port chain's links.
const TW_HI: usize = 0, TW_LO: usize = 8, TW_UNTIL: usize = 16, TW_FAMILY: usize = 24, TW_FLAGS: usize = 28, TW_NEXT: usize = 32, TW_PREV: usize = 36;
const twPages = new Array<usize>();
let twRecords: i32 = 0;
const twFree = new Array<i32>();
export let twCount: i32 = 0;
/** net.ipv4.tcp_max_tw_buckets: past it a closing connection skips TIME_WAIT (Linux logs "time wait bucket table overflow"). */
export const TW_MAX: i32 = 131072;

@inline function tw(i: i32): usize { return unchecked(twPages[i >> 10]) + <usize>(i & (TW_PAGE - 1)) * TW_SIZE; }

/**
 * A TIME_WAIT record for s's name until `until` (s itself may then go); returns its index, or
 * -1 over TW_MAX. Records end lazily: a lookup of their port drops those past their time
 * (sweep), so a steady churn of connections sets no timer at all.
 */
export function twAdd(s: Sock, until: i64): i32 {
  if (twCount >= TW_MAX) return -1;
  let i: i32;
  if (twFree.length > 0) i = twFree.pop();
  else {
    i = twRecords++;
    if ((i & (TW_PAGE - 1)) == 0) twPages.push(heap.alloc(<usize>TW_PAGE * TW_SIZE));
  }
  const r = tw(i), f = ipForm(s.local);
  store<u64>(r + TW_HI, load<u64>(f)); store<u64>(r + TW_LO, load<u64>(f + 8));
  store<i64>(r + TW_UNTIL, until);
  store<i32>(r + TW_FAMILY, s.family);
  store<i32>(r + TW_FLAGS, (s.o.reuseaddr ? 1 : 0) | (s.o.reuseport ? 2 : 0) | (s.o.v6only ? 4 : 0));
  twCount++;
  link(s.machine, false, portOf(s.local), -1 - i);
  return i;
}

/** Whether s's name overlaps TIME_WAIT record i's (the rules of overlaps()). */
function twOverlaps(s: Sock, i: i32): bool {
  const fa = ipForm(s.local);
  const aAny = formIsAny(fa), aMapped = isMapped(fa);
  const r = tw(i);
  const hi = load<u64>(r + TW_HI), lo = load<u64>(r + TW_LO), fl = load<i32>(r + TW_FLAGS), fam = load<i32>(r + TW_FAMILY);
  store<u64>(form, hi); store<u64>(form + 8, lo);
  const bAny = formIsAny(form), bMapped = isMapped(form);
  if (s.family != fam) {
    const v6only = s.family == AF_INET6 ? s.o.v6only : (fl & 4) != 0;
    const v6any = s.family == AF_INET6 ? aAny : bAny;
    const v6mapped = s.family == AF_INET6 ? aMapped : bMapped;
    if (v6only) return false;
    if (!v6any && !v6mapped) return false;
  }
  if (aAny || bAny) return true;
  const f2 = ipForm(s.local);
  return load<u64>(f2) == hi && load<u64>(f2 + 8) == lo;
}

/**
 * Linux's bind conflict rules (inet_bind_conflict / udp_lib_lport_inuse): another socket on
 * the port conflicts when their addresses overlap, unless both set SO_REUSEADDR (and, for
 * TCP, the other is not listening) or both set SO_REUSEPORT (same user; a TIME_WAIT one
 * always). `listening`: the check listen() repeats, where SO_REUSEADDR no longer helps
 * against another listener.
 */
export function conflicts(s: Sock, port: i32): bool {
  const dgram = s.type == SOCK_DGRAM;
  for (let id = liveFirst(s.machine, dgram, port); id != NIL; id = nextAt(id)) {
    if (id < 0) {
      // A TIME_WAIT record: SO_REUSEADDR on both, or SO_REUSEPORT on both, lets the bind through.
      const t = -1 - id;
      if (!twOverlaps(s, t)) continue;
      const fl = load<i32>(tw(t) + TW_FLAGS);
      if (s.o.reuseaddr && (fl & 1) != 0) continue;
      if (s.o.reuseport && (fl & 2) != 0) continue;
      return true;
    }
    const e = sockAt(id);
    if (e.id == s.id) continue;
    if (!overlaps(s, e)) continue;
    if (dgram) {
      if (s.o.reuseaddr && e.o.reuseaddr) continue;
      if (s.o.reuseport && e.o.reuseport) continue;
      return true;
    }
    if (s.o.reuseaddr && e.o.reuseaddr && e.state != TCP_LISTEN) continue;
    if (s.o.reuseport && e.o.reuseport) continue;   // same user: every socket here is one user's
    return true;
  }
  return false;
}

@inline function portKey(m: i32, dgram: bool, port: i32): i32 { return (m << 17) | ((dgram ? 1 : 0) << 16) | port; }

// (machine, port) -> listening sockets: what a SYN looks up (Linux's listening hash), apart from
// the bind table, where every accepted connection and TIME_WAIT socket of the port also sits.
// Entries go stale when a socket stops listening; lookups skip and drop them.
const listening = new Map<i32, Array<i32>>();

export function addListener(s: Sock): void {
  const k = portKey(s.machine, false, portOf(s.local));
  let a: Array<i32>;
  if (listening.has(k)) a = listening.get(k); else { a = new Array<i32>(); listening.set(k, a); }
  if (a.indexOf(s.id) < 0) a.push(s.id);
}

/** The listeners on (m, port), stale entries dropped first. */
export function listenersAt(m: i32, port: i32): Array<i32> | null {
  const k = portKey(m, false, port);
  if (!listening.has(k)) return null;
  const a = listening.get(k);
  for (let i = a.length - 1; i >= 0; i--) {
    const l = sockAt(a[i]);   // (only sockets are ever listeners)
    if (!l.live || l.state != TCP_LISTEN || l.machine != m || portOf(l.local) != port) { a[i] = a[a.length - 1]; a.pop(); }
  }
  return a;
}

// Linux's ip_local_port_range default.
export const EPHEMERAL_LO: i32 = 32768;
export const EPHEMERAL_HI: i32 = 60999;

/**
 * An ephemeral port for s, from the seeded generator: Linux starts at a random offset in the
 * range and steps by two, odd ports for bind(0) and even ones for connect (since 4.x), then the
 * other parity. `free(port)` says whether a candidate is usable. 0 when the range is exhausted.
 */
// connect()'s search moves on by two from where the last one stopped, as __inet_hash_connect's
// table_perturb offset advances: consecutive connects take consecutive even ports.
let connectCursor: i32 = -1;

export function ephemeral(s: Sock, forConnect: bool): i32 {
  const span = EPHEMERAL_HI - EPHEMERAL_LO + 1;
  let start: i32;
  if (forConnect) {
    if (connectCursor < 0) connectCursor = EPHEMERAL_LO + <i32>randBelow(<u32>span);
    start = connectCursor;
  } else {
    start = EPHEMERAL_LO + <i32>randBelow(<u32>span);
  }
  for (let pass = 0; pass < 2; pass++) {
    const odd = (pass == 0) != forConnect;
    let p = start;
    if (((p & 1) == 1) != odd) p++;
    for (let k = 0; k < span; k += 2) {
      if (p > EPHEMERAL_HI) p -= span;
      if (((p & 1) == 1) == odd && p >= EPHEMERAL_LO && !portBusy(s, p, forConnect)) {
        if (forConnect) connectCursor = p + 2 > EPHEMERAL_HI ? p + 2 - span : p + 2;
        return p;
      }
      p += 2;
    }
  }
  return 0;
}

/** A port is busy for an ephemeral choice when any socket uses it (connect may take a TIME_WAIT one: loopback's tcp_tw_reuse). */
function portBusy(s: Sock, port: i32, forConnect: bool): bool {
  const first = liveFirst(s.machine, s.type == SOCK_DGRAM, port);
  if (!forConnect) return first != NIL;
  for (let id = first; id != NIL; id = nextAt(id)) {
    if (id >= 0) return true;   // a socket; TIME_WAIT ones are records (id < 0)
  }
  return false;
}

// ------------------------------------------------------------------ links and their faults
// Per ordered pair of machines (from * MAX + to): a partition, latency and jitter.
const cut = new StaticArray<bool>(MAX_MACHINES * MAX_MACHINES);
const latency = new StaticArray<i64>(MAX_MACHINES * MAX_MACHINES);
const jitter = new StaticArray<i64>(MAX_MACHINES * MAX_MACHINES);
/** UDP faults, network-wide: probabilities of loss, duplication and reordering (a later datagram first). */
export let udpLoss: f64 = 0, udpDup: f64 = 0, udpReorder: f64 = 0;
export function setUdpFaults(loss: f64, dup: f64, reorder: f64): void { udpLoss = loss; udpDup = dup; udpReorder = reorder; }
/** Bytes per second each machine can send (0: no limit), and when its link is next free. */
const bandwidth = new StaticArray<i64>(MAX_MACHINES);
const linkFree = new StaticArray<i64>(MAX_MACHINES);
export let anyFaults: bool = false;

export function setCut(a: i32, b: i32, on: bool): void { cut[a * MAX_MACHINES + b] = on; anyFaults = true; }
@inline export function isCut(a: i32, b: i32): bool { return a != b && unchecked(cut[a * MAX_MACHINES + b]); }
export function setLatency(a: i32, b: i32, ns: i64, jit: i64): void {
  latency[a * MAX_MACHINES + b] = ns; jitter[a * MAX_MACHINES + b] = jit; anyFaults = true;
}
export function setBandwidth(m: i32, bytesPerSec: i64): void { bandwidth[m] = bytesPerSec; anyFaults = true; }

/**
 * When n bytes sent now from a to b arrive: the link's latency plus a seeded jitter draw,
 * after the sender's link has carried them at its bandwidth. Loopback is instantaneous.
 */
export function arrival(now: i64, a: i32, b: i32, n: i32): i64 {
  if (a == b) return now;
  let t = now;
  const bw = bandwidth[a];
  if (bw > 0) {
    const start = max(now, linkFree[a]);
    t = start + <i64>(<f64>n * 1e9 / <f64>bw);
    linkFree[a] = t;
  }
  const k = a * MAX_MACHINES + b;
  t += latency[k];
  const j = jitter[k];
  if (j > 0) t += <i64>randBelow(<u32>min<i64>(j, 0x7fffffff));
  return t;
}
