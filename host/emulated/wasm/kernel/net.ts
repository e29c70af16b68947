// The network: its machines and their addresses, the port tables, the seeded generator, and
// the links' faults. Machine 0 is where sockets are made unless the embedder picks another
// (EMU_use_machine); every machine has its own loopback (127.0.0.0/8, ::1).

import { Sock, sockAt } from "./sock";
import { now as clockNow } from "./clock";
import { AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM, TCP_LISTEN, TCP_TIME_WAIT } from "./defs";

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

// ------------------------------------------------------------------ port tables
// (machine, transport, port) -> the sockets bound there (listening, connected, TIME_WAIT).
const ports = new Map<i32, Array<i32>>();

@inline function portKey(m: i32, dgram: bool, port: i32): i32 { return (m << 17) | ((dgram ? 1 : 0) << 16) | port; }

export function boundAt(m: i32, dgram: bool, port: i32): Array<i32> | null {
  const k = portKey(m, dgram, port);
  return ports.has(k) ? ports.get(k) : null;
}

/** The bind table's entries for a port with what has expired dropped first: for bind decisions. */
function liveAt(m: i32, dgram: bool, port: i32): Array<i32> | null {
  const a = boundAt(m, dgram, port);
  if (a !== null && !dgram) sweep(a);
  return a;
}

/** What ends an orphan whose tcp_fin_timeout passed (stream.ts installs it: net.ts imports no stream code). */
let orphanExpired: (s: Sock) => void = (s: Sock): void => {};
export function setOrphanExpired(f: (s: Sock) => void): void { orphanExpired = f; }

/** Drops the TIME_WAIT records and orphaned FIN_WAIT sockets of a port whose time is up. */
function sweep(a: Array<i32>): void {
  const t = clockNow;
  for (let i = a.length - 1; i >= 0; i--) {
    const id = unchecked(a[i]);
    if (id < 0) {
      const r = -1 - id;
      if (unchecked(twUntil[r]) <= t) { twGen[r]++; dropAt(a, i); twFree.push(r); twCount--; }
    } else {
      const s = sockAt(id);
      if (s.files == 0 && s.finUntil > 0 && s.finUntil <= t && s.listener < 0) { dropAt(a, i); s.bindSlot = -1; s.bound = false; orphanExpired(s); }
    }
  }
}

export function addBinding(s: Sock): void {
  const k = portKey(s.machine, s.type == SOCK_DGRAM, portOf(s.local));
  let a: Array<i32>;
  if (ports.has(k)) a = ports.get(k); else { a = new Array<i32>(); ports.set(k, a); }
  s.bindSlot = a.length;
  a.push(s.id);
}

/** Removes entry `id` at slot j of a (swap with the last; the moved entry learns its slot). */
function dropAt(a: Array<i32>, j: i32): void {
  const last = a.pop();
  if (j >= a.length) return;
  a[j] = last;
  if (last >= 0) sockAt(last).bindSlot = j; else twSlot[-1 - last] = j;
}

export function removeBinding(s: Sock): void {
  if (!s.bound || s.family == AF_UNIX) return;
  const a = boundAt(s.machine, s.type == SOCK_DGRAM, portOf(s.local));
  if (a === null) return;
  let j = s.bindSlot;
  if (j < 0 || j >= a.length || a[j] != s.id) j = a.indexOf(s.id);
  if (j >= 0) dropAt(a, j);
  s.bindSlot = -1;
}

// ------------------------------------------------------------------ TIME_WAIT records
// A connection in TIME_WAIT is a small record (Linux's inet_timewait_sock), not a socket: it
// holds its port for 60 s, conflicts with binds as Linux's does, and is never read or written.
// It sits in the bind table as id -1 - index. Records are reused; a steady churn of
// connections allocates nothing.
const twMachine = new Array<i32>();
const twFamily = new Array<i32>();
const twPort = new Array<i32>();
const twHi = new Array<u64>();
const twLo = new Array<u64>();
const twFlags = new Array<i32>();      // 1 SO_REUSEADDR, 2 SO_REUSEPORT, 4 IPV6_V6ONLY
export const twGen = new Array<i32>();
const twUntil = new Array<i64>();
const twSlot = new Array<i32>();
const twFree = new Array<i32>();
export let twCount: i32 = 0;
/** net.ipv4.tcp_max_tw_buckets: past it a closing connection skips TIME_WAIT (Linux logs "time wait bucket table overflow"). */
export const TW_MAX: i32 = 131072;

/**
 * A TIME_WAIT record for s's name until `until` (s itself may then go); returns its index, or
 * -1 over TW_MAX. Records end lazily: a lookup of their port drops those past their time
 * (sweep), so a steady churn of connections sets no timer at all.
 */
export function twAdd(s: Sock, until: i64): i32 {
  if (twCount >= TW_MAX) return -1;
  let i: i32;
  if (twFree.length > 0) i = twFree.pop();
  else { i = twMachine.length; twMachine.push(0); twFamily.push(0); twPort.push(0); twHi.push(0); twLo.push(0); twFlags.push(0); twGen.push(0); twSlot.push(0); twUntil.push(0); }
  const f = ipForm(s.local);
  twMachine[i] = s.machine; twFamily[i] = s.family; twPort[i] = portOf(s.local);
  twHi[i] = load<u64>(f); twLo[i] = load<u64>(f + 8);
  twFlags[i] = (s.o.reuseaddr ? 1 : 0) | (s.o.reuseport ? 2 : 0) | (s.o.v6only ? 4 : 0);
  twGen[i]++;
  twUntil[i] = until;
  twCount++;
  const k = portKey(s.machine, false, twPort[i]);
  let a: Array<i32>;
  if (ports.has(k)) a = ports.get(k); else { a = new Array<i32>(); ports.set(k, a); }
  twSlot[i] = a.length;
  a.push(-1 - i);
  return i;
}

/** TIME_WAIT ended (its timer; gen guards a reused record). */
export function twExpire(i: i32, gen: i32): void {
  if (twGen[i] != gen) return;
  twGen[i]++;
  const a = boundAt(twMachine[i], false, twPort[i]);
  if (a !== null) {
    let j = twSlot[i];
    if (j < 0 || j >= a.length || a[j] != -1 - i) j = a.indexOf(-1 - i);
    if (j >= 0) dropAt(a, j);
  }
  twFree.push(i);
  twCount--;
}

/** Whether s's name overlaps TIME_WAIT record i's (the rules of overlaps()). */
function twOverlaps(s: Sock, i: i32): bool {
  const fa = ipForm(s.local);
  const aAny = formIsAny(fa), aMapped = isMapped(fa);
  const hi = twHi[i], lo = twLo[i];
  store<u64>(form, hi); store<u64>(form + 8, lo);
  const bAny = formIsAny(form), bMapped = isMapped(form);
  if (s.family != twFamily[i]) {
    const v6only = s.family == AF_INET6 ? s.o.v6only : (twFlags[i] & 4) != 0;
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
  const a = liveAt(s.machine, dgram, port);
  if (a === null) return false;
  for (let i = 0, n = a.length; i < n; i++) {
    const id = unchecked(a[i]);
    if (id < 0) {
      // A TIME_WAIT record: SO_REUSEADDR on both, or SO_REUSEPORT on both, lets the bind through.
      const t = -1 - id;
      if (!twOverlaps(s, t)) continue;
      const fl = unchecked(twFlags[t]);
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
  const a = liveAt(s.machine, s.type == SOCK_DGRAM, port);
  if (a === null || a.length == 0) return false;
  if (!forConnect) return true;
  for (let i = 0, n = a.length; i < n; i++) {
    const id = unchecked(a[i]);
    if (id >= 0 && sockAt(id).state != TCP_TIME_WAIT) return true;
  }
  return false;
}

// ------------------------------------------------------------------ links and their faults
// Per ordered pair of machines (from * MAX + to): a partition, latency and jitter.
export const MAX_MACHINES: i32 = 64;
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
