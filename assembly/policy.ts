// The sandbox policy (DESIGN.md, "Hosts, capability sets and policy"): deny by default once
// installed. The rule table lives here, loaded through the pol_* exports when a network is
// made (src/policy.ts); assembly/index.ts asks the checks below at its call sites, before any
// host call: protocols at socket creation, address rules per use (bind, listen, accept,
// connect, send, receive; an implicit bind counts as a bind of the wildcard address, port 0),
// the option policy at setsockopt. A refused inbound peer is reset and a refused datagram
// dropped (screened()). With a check callback or an audit hook installed, every decision goes
// out through the policy import (bindings/policy.ts) with the request written in POL_REQ.
// Without a policy the hot paths pay one test of `active`.

import { policy_decide } from "./bindings/policy";
import { host_setsockopt, host_close, host_recv } from "./bindings/host";
import { fail, E_POLICY_DENIED, E_POLICY_ADDRESS, E_TIMEOUT } from "./errors";
import {
  PU_BIND, PU_LISTEN, PU_ACCEPT, PU_RECEIVE, PU_SOCKET, PU_SETSOCKOPT, PA_LISTEN, PA_SETSOCKOPT,
  PR_ALLOWED, PR_PROTOCOL, PR_NO_RULE, PR_OPTION, PR_BOUNDS, PR_CHECK, POLICY_REQUEST_SIZE,
  Q_USE, Q_API, Q_FAMILY, Q_TYPE, Q_PROTO, Q_PORT, Q_LEVEL, Q_OPTION, Q_VKIND, Q_VALUE, Q_VLEN,
  Q_REASON, Q_IMPLICIT, Q_TEXTLEN, Q_MIN, Q_MAX, Q_TEXT,
} from "./generated/contract";
import { parseIPv4, parseIPv6, putIPv4, putIPv6, AF_UNIX, AF_INET, AF_INET6 } from "./address";
import { SCR_STR, SCR_ADDR, SCR_ADDRLEN, SCR_VAL } from "./layout";
import * as table from "./sockets";
import { call, now, OP_ACCEPT } from "./blocking";

/** The request the last decision was about (contract POLICY_REQUEST): src/ reads it. */
export const POL_REQ: usize = memory.data(POLICY_REQUEST_SIZE, 16);
/** The wildcard sockaddr an implicit bind is checked as. */
const POL_ADDR: usize = memory.data(128, 16);

/** A policy is installed: the one flag the hot paths test. */
export let active: bool = false;
let protocols: i32 = 0;          // P_* bits
let hooks: i32 = 0;              // H_* bits
const P_TCP: i32 = 1, P_UDP: i32 = 2, P_UNIX: i32 = 4;
const H_CHECK: i32 = 1, H_AUDIT: i32 = 2;

const SOCK_STREAM: i32 = 1, SOCK_DGRAM: i32 = 2;
const SOCK_NONBLOCK: i32 = 0o4000, SOCK_CLOEXEC: i32 = 0o2000000;
const SOL_SOCKET: i32 = 1, SO_LINGER: i32 = 13;
const MSG_DONTWAIT: i32 = 0x40;

// ---------------------------------------------------------------- tables

// An address rule: the uses it allows (bit PU_*), what it matches, a port range.
const RULE: usize = 144;
const R_USES: usize = 0, R_KIND: usize = 4, R_BITS: usize = 8, R_LO: usize = 12, R_HI: usize = 16;
const R_LEN: usize = 20, R_BYTES: usize = 24;       // up to 120 bytes: an IP, or a unix path
const K_V4: i32 = 0, K_V6: i32 = 1, K_UNIX: i32 = 2, K_UNIX_PREFIX: i32 = 3;
const UNIX_MAX: i32 = 108;                          // sizeof(sun_path)

// An option rule: level, option, whether bounded, and the bounds (f64: either may be infinite).
const OPT: usize = 32;
const O_LEVEL: usize = 0, O_OPTION: usize = 4, O_BOUNDED: usize = 8, O_MIN: usize = 16, O_MAX: usize = 24;

let rules: usize = 0, ruleCount: i32 = 0, ruleCap: i32 = 0;
let opts: usize = 0, optCount: i32 = 0, optCap: i32 = 0;

/** Room for one more record in a table of `cap` records of `size` bytes: the (maybe moved) base. */
function room(base: usize, count: i32, cap: i32, size: usize): usize {
  if (count < cap) return base;
  const next = cap == 0 ? 8 : cap * 2;
  const fresh = heap.alloc(<usize>next * size);
  if (base != 0) { memory.copy(fresh, base, <usize>count * size); heap.free(base); }
  return fresh;
}

/**
 * Installs a policy (replacing any): `protos` P_* bits, `hookBits` H_* bits. Everything is
 * denied until pol_rule / pol_option add rules. Returns 0.
 */
export function pol_install(protos: i32, hookBits: i32): i32 {
  active = true;
  protocols = protos;
  hooks = hookBits;
  ruleCount = 0;
  optCount = 0;
  return 0;
}

/**
 * Parses the rule address in SCR_STR[0..n) into the rule at `r`: a CIDR ('10.0.0.0/8',
 * '::1/128'), an IP (a /32 or /128), a unix path ('/...') or abstract name ('\0...'), either
 * ending in '*' for every name with that prefix. Returns the kind or E_POLICY_ADDRESS.
 * An IPv4-mapped IPv6 network becomes the IPv4 one (addresses are matched that way too).
 */
function parseRule(n: i32, r: usize): i32 {
  const p = SCR_STR;
  if (n <= 0) return fail(E_POLICY_ADDRESS);
  const c0 = load<u8>(p);
  if (c0 == 47 || c0 == 0) {
    let len = n, kind = K_UNIX;
    if (load<u8>(p + n - 1) == 42) { len = n - 1; kind = K_UNIX_PREFIX; }
    if (len > UNIX_MAX) return fail(E_POLICY_ADDRESS);
    store<i32>(r + R_KIND, kind);
    store<i32>(r + R_LEN, len);
    memory.copy(r + R_BYTES, p, len);
    return kind;
  }
  let end = n, bits = -1;
  for (let i = 0; i < n; i++) {
    if (load<u8>(p + i) != 47) continue;
    end = i;
    if (i + 1 == n || n - i - 1 > 3) return fail(E_POLICY_ADDRESS);
    bits = 0;
    for (let j = i + 1; j < n; j++) {
      const ch = <i32>load<u8>(p + j);
      if (ch < 48 || ch > 57) return fail(E_POLICY_ADDRESS);
      bits = bits * 10 + ch - 48;
    }
    break;
  }
  const a = r + R_BYTES;
  let kind: i32, most: i32;
  if (parseIPv4(p, p + end, a)) { kind = K_V4; most = 32; }
  else if (parseIPv6(p, p + end, a)) { kind = K_V6; most = 128; }
  else return fail(E_POLICY_ADDRESS);
  if (bits < 0) bits = most;
  if (bits > most) return fail(E_POLICY_ADDRESS);
  if (kind == K_V6 && bits >= 96 && isMapped(a)) {
    memory.copy(a, a + 12, 4);
    kind = K_V4;
    bits -= 96;
  }
  store<i32>(r + R_KIND, kind);
  store<i32>(r + R_BITS, bits);
  return kind;
}

/** Validates a rule address (SCR_STR[0..n)) without installing it: 0 IPv4, 1 IPv6, 2/3 unix, or the error. */
export function pol_parse(n: i32): i32 {
  return parseRule(n, POL_ADDR);
}

/** Adds an address rule: `uses` PU_* bits, the address in SCR_STR[0..n), ports lo..hi. */
export function pol_rule(uses: i32, n: i32, lo: i32, hi: i32): i32 {
  rules = room(rules, ruleCount, ruleCap, RULE);
  if (ruleCount == ruleCap) ruleCap = ruleCap == 0 ? 8 : ruleCap * 2;
  const r = rules + <usize>ruleCount * RULE;
  const k = parseRule(n, r);
  if (k < 0) return k;
  store<i32>(r + R_USES, uses);
  store<i32>(r + R_LO, lo);
  store<i32>(r + R_HI, hi);
  ruleCount++;
  return 0;
}

/** Adds an option rule: setsockopt(level, option, ...) allowed, an int value within [min, max] when bounded. */
export function pol_option(level: i32, option: i32, bounded: i32, min: f64, max: f64): i32 {
  opts = room(opts, optCount, optCap, OPT);
  if (optCount == optCap) optCap = optCap == 0 ? 8 : optCap * 2;
  const o = opts + <usize>optCount * OPT;
  store<i32>(o + O_LEVEL, level);
  store<i32>(o + O_OPTION, option);
  store<i32>(o + O_BOUNDED, bounded);
  store<f64>(o + O_MIN, min);
  store<f64>(o + O_MAX, max);
  optCount++;
  return 0;
}

// ---------------------------------------------------------------- per-socket state
// What the policy remembers of a socket: whether this core saw it bound (and where) or
// connected. Kept beside the socket table, valid while the slot's generation is the one
// recorded (a slot freed and reused starts afresh).

const SIDE: usize = 144;
const S_GEN: usize = 0, S_FLAGS: usize = 4, S_LEN: usize = 8, S_ADDR: usize = 16;
const S_BOUND: i32 = 1, S_CONNECTED: i32 = 2;
let side: usize = 0, sideCap: i32 = 0;

function state(h: i32): usize {
  if (h >= sideCap) {
    let next = sideCap == 0 ? 64 : sideCap;
    while (next <= h) next *= 2;
    const fresh = heap.alloc(<usize>next * SIDE);
    memory.fill(fresh, 0, <usize>next * SIDE);
    if (side != 0) { memory.copy(fresh, side, <usize>sideCap * SIDE); heap.free(side); }
    side = fresh;
    sideCap = next;
  }
  const s = side + <usize>h * SIDE;
  const gen = table.genOf(h);
  if (load<i32>(s + S_GEN) != gen) {
    store<i32>(s + S_GEN, gen);
    store<i32>(s + S_FLAGS, 0);
    store<i32>(s + S_LEN, 0);
  }
  return s;
}

/** A bind succeeded: the socket's local address (for listen's check) is the sockaddr at `a`. */
export function markBound(h: i32, a: usize, len: i32): void {
  const s = state(h);
  const n = len > 128 ? 128 : len;
  store<i32>(s + S_FLAGS, load<i32>(s + S_FLAGS) | S_BOUND);
  store<i32>(s + S_LEN, n);
  memory.copy(s + S_ADDR, a, n);
}

/** Bound by the kernel (an implicit bind to the wildcard address that was allowed). */
export function markImplicit(h: i32): void {
  const family = table.familyOf(h);
  if ((family != AF_INET && family != AF_INET6) || isBound(h)) return;
  markBound(h, POL_ADDR, wildcard(h));
}

/** Connected (connect, accept, socketpair): bound as well; its datagrams come from the checked peer. */
export function markConnected(h: i32): void {
  const s = state(h);
  store<i32>(s + S_FLAGS, load<i32>(s + S_FLAGS) | S_BOUND | S_CONNECTED);
}

/** A datagram socket's disconnect (sock_disconnect): its datagrams are screened again. */
export function markDisconnected(h: i32): void {
  const s = state(h);
  store<i32>(s + S_FLAGS, load<i32>(s + S_FLAGS) & ~S_CONNECTED);
}

/** dup(): the duplicate is the same socket. */
export function copyState(from: i32, to: i32): void {
  const a = state(from), b = state(to);
  memory.copy(b + S_FLAGS, a + S_FLAGS, SIDE - S_FLAGS);
}

function isBound(h: i32): bool { return (load<i32>(state(h) + S_FLAGS) & S_BOUND) != 0; }

/**
 * Receives on `h` are screened: a datagram socket not connected through this core (the
 * kernel then delivers from any sender, so each sender is checked as a receive).
 */
export function screensReceive(h: i32): bool {
  return table.typeOf(h) == SOCK_DGRAM && (load<i32>(state(h) + S_FLAGS) & S_CONNECTED) == 0;
}

// ---------------------------------------------------------------- the request

let qKind: i32 = -1;      // K_V4, K_V6, K_UNIX, or -1: no address
let qPtr: usize = 0;      // the IP's bytes, or the unix name's
let qLen: i32 = 0;        // the unix name's length
let qPort: i32 = -1;

/** Starts a request: use, API, the socket's identity (h 0: none yet). */
function begin(use: i32, api: i32, h: i32): void {
  const q = POL_REQ;
  store<i32>(q + Q_USE, use);
  store<i32>(q + Q_API, api);
  store<i32>(q + Q_FAMILY, h > 0 ? table.familyOf(h) : 0);
  store<i32>(q + Q_TYPE, h > 0 ? table.typeOf(h) : 0);
  store<i32>(q + Q_PROTO, h > 0 ? table.protoOf(h) : 0);
  store<i32>(q + Q_PORT, -1);
  store<i32>(q + Q_VKIND, 0);
  store<i32>(q + Q_IMPLICIT, 0);
  store<i32>(q + Q_TEXTLEN, -1);
  qKind = -1;
}

@inline function isMapped(a: usize): bool {
  return load<u64>(a) == 0 && load<u16>(a + 8) == 0 && load<u16>(a + 10) == 0xffff;
}

/** Reads the sockaddr at `a` (`len` bytes) into the request. */
function loadAddr(a: usize, len: i32): void {
  const family = len >= 2 ? <i32>load<u16>(a) : 0;
  qKind = -1; qLen = 0; qPort = -1;
  if (family == AF_INET && len >= 16) {
    qKind = K_V4; qPtr = a + 4; qPort = <i32>bswap<u16>(load<u16>(a + 2));
  } else if (family == AF_INET6 && len >= 24) {
    qPort = <i32>bswap<u16>(load<u16>(a + 2));
    if (isMapped(a + 8)) { qKind = K_V4; qPtr = a + 20; }   // ::ffff:a.b.c.d is a.b.c.d
    else { qKind = K_V6; qPtr = a + 8; }
  } else if (family == AF_UNIX) {
    qKind = K_UNIX; qPtr = a + 2;
    let n = len - 2;
    if (n > UNIX_MAX) n = UNIX_MAX;
    if (n > 0 && load<u8>(qPtr) != 0) {        // a path: up to its NUL
      let k = 0;
      while (k < n && load<u8>(qPtr + k) != 0) k++;
      n = k;
    }
    qLen = n < 0 ? 0 : n;
  }
  store<i32>(POL_REQ + Q_PORT, qPort);
}

/** The request's address as text (an IP, or the unix name's bytes) in Q_TEXT. */
function fillText(): void {
  const t = POL_REQ + Q_TEXT;
  let n = -1;
  if (qKind == K_V4) n = <i32>(putIPv4(t, qPtr) - t);
  else if (qKind == K_V6) n = <i32>(putIPv6(t, qPtr) - t);
  else if (qKind == K_UNIX) { memory.copy(t, qPtr, qLen); n = qLen; }
  store<i32>(POL_REQ + Q_TEXTLEN, n);
}

function sameBytes(a: usize, b: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/** The first `bits` bits of a and b agree. */
function samePrefix(a: usize, b: usize, bits: i32): bool {
  const whole = bits >> 3;
  if (!sameBytes(a, b, whole)) return false;
  const rest = bits & 7;
  if (rest == 0) return true;
  const mask = <u8>(<u32>0xff << <u32>(8 - rest));
  return (load<u8>(a + whole) & mask) == (load<u8>(b + whole) & mask);
}

/** Does a rule allow `use` of the request's address? */
function matches(use: i32): bool {
  const bit = 1 << use;
  for (let i = 0; i < ruleCount; i++) {
    const r = rules + <usize>i * RULE;
    if ((load<i32>(r + R_USES) & bit) == 0) continue;
    const kind = load<i32>(r + R_KIND);
    if (qKind == K_UNIX) {
      const n = load<i32>(r + R_LEN);
      if (kind == K_UNIX ? n == qLen : kind == K_UNIX_PREFIX && n <= qLen) {
        if (sameBytes(r + R_BYTES, qPtr, n)) return true;
      }
      continue;
    }
    if (kind != qKind || qPort < load<i32>(r + R_LO) || qPort > load<i32>(r + R_HI)) continue;
    if (samePrefix(r + R_BYTES, qPtr, load<i32>(r + R_BITS))) return true;
  }
  return false;
}

/**
 * The decision: the rules' (`ok`, else `reason`), then with hooks installed the policy
 * import's (the check callback may refuse what the rules allow; the audit hook sees both).
 * Returns 0 or E_POLICY_DENIED, the request left in POL_REQ for src/'s PermissionError.
 */
function decide(ok: bool, reason: i32): i32 {
  store<i32>(POL_REQ + Q_REASON, ok ? PR_ALLOWED : reason);
  if (hooks != 0) {
    const final = policy_decide(ok ? 1 : 0);
    if (!ok) return fail(E_POLICY_DENIED);
    if (final == 0) { store<i32>(POL_REQ + Q_REASON, PR_CHECK); return fail(E_POLICY_DENIED); }
    return 0;
  }
  return ok ? 0 : fail(E_POLICY_DENIED);
}

// ---------------------------------------------------------------- the checks

/** socket(), socketpair(), socket(fileno=): the protocol must be allowed (tcp, udp, unix). */
export function checkCreate(api: i32, family: i32, type: i32, proto: i32): i32 {
  begin(PU_SOCKET, api, 0);
  const t = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  store<i32>(POL_REQ + Q_FAMILY, family);
  store<i32>(POL_REQ + Q_TYPE, t);
  store<i32>(POL_REQ + Q_PROTO, proto);
  let bit = 0;
  if (family == AF_UNIX) bit = P_UNIX;
  else if (family == AF_INET || family == AF_INET6) {
    if (t == SOCK_STREAM && (proto == 0 || proto == 6)) bit = P_TCP;
    else if (t == SOCK_DGRAM && (proto == 0 || proto == 17)) bit = P_UDP;
  }
  return decide((protocols & bit) != 0, PR_PROTOCOL);
}

/**
 * `use` of the sockaddr at `a` (`len` bytes) by socket `h`. An inbound peer without an
 * address (an unnamed unix socket) has nothing to match and is allowed: it could only come
 * through a path this socket was allowed to bind and listen on.
 */
export function checkAddress(api: i32, use: i32, h: i32, a: usize, len: i32): i32 {
  begin(use, api, h);
  loadAddr(a, len);
  let ok = matches(use);
  if (!ok && (use == PU_ACCEPT || use == PU_RECEIVE) && (qKind == -1 || (qKind == K_UNIX && qLen == 0))) ok = true;
  if (!ok || hooks != 0) fillText();
  return decide(ok, PR_NO_RULE);
}

/** Writes the wildcard sockaddr of h's family (port 0) to POL_ADDR; returns its length. */
function wildcard(h: i32): i32 {
  const family = table.familyOf(h);
  memory.fill(POL_ADDR, 0, 28);
  store<u16>(POL_ADDR, <u16>family);
  return family == AF_INET ? 16 : 28;
}

/**
 * connect, sendto or listen on an inet socket this core has not seen bound: the kernel binds
 * it to the wildcard address and an ephemeral port, so it is checked as a bind of the
 * wildcard address, port 0 (wasmtime's rule). 0 when allowed or not needed.
 */
export function checkImplicitBind(api: i32, h: i32): i32 {
  const family = table.familyOf(h);
  if ((family != AF_INET && family != AF_INET6) || isBound(h)) return 0;
  const len = wildcard(h);
  begin(PU_BIND, api, h);
  store<i32>(POL_REQ + Q_IMPLICIT, 1);
  loadAddr(POL_ADDR, len);
  const ok = matches(PU_BIND);
  if (!ok || hooks != 0) fillText();
  return decide(ok, PR_NO_RULE);
}

/** listen(): the socket's local address (as bound here; unbound: an implicit bind first). */
export function checkListen(h: i32): i32 {
  const s = state(h);
  if (load<i32>(s + S_FLAGS) & S_BOUND) return checkAddress(PA_LISTEN, PU_LISTEN, h, s + S_ADDR, load<i32>(s + S_LEN));
  const family = table.familyOf(h);
  if (family == AF_INET || family == AF_INET6) {
    const r = checkImplicitBind(PA_LISTEN, h);
    if (r < 0) return r;
    return checkAddress(PA_LISTEN, PU_LISTEN, h, POL_ADDR, wildcard(h));
  }
  store<u16>(POL_ADDR, <u16>family);
  return checkAddress(PA_LISTEN, PU_LISTEN, h, POL_ADDR, 2);
}

/** setsockopt: the (level, option) pair must be allowed, an int value within its bounds. */
export function checkOption(h: i32, level: i32, option: i32, vkind: i32, value: i32, vlen: i32): i32 {
  begin(PU_SETSOCKOPT, PA_SETSOCKOPT, h);
  const q = POL_REQ;
  store<i32>(q + Q_LEVEL, level);
  store<i32>(q + Q_OPTION, option);
  store<i32>(q + Q_VKIND, vkind);
  store<i32>(q + Q_VALUE, value);
  store<i32>(q + Q_VLEN, vlen);
  for (let i = 0; i < optCount; i++) {
    const o = opts + <usize>i * OPT;
    if (load<i32>(o + O_LEVEL) != level || load<i32>(o + O_OPTION) != option) continue;
    if (load<i32>(o + O_BOUNDED) == 0) return decide(true, PR_ALLOWED);
    const min = load<f64>(o + O_MIN), max = load<f64>(o + O_MAX);
    store<f64>(q + Q_MIN, min);
    store<f64>(q + Q_MAX, max);
    // A bounded option takes an int: the int form, or 4 bytes (a C int) in the buffer form.
    let v: f64;
    if (vkind == 1) v = <f64>value;
    else if (vkind == 2 && vlen == 4) v = <f64>load<i32>(<usize>value);
    else return decide(false, PR_BOUNDS);
    return decide(v >= min && v <= max, PR_BOUNDS);
  }
  return decide(false, PR_OPTION);
}

// ---------------------------------------------------------------- screening inbound traffic

/** The time left after screened() (ns; the socket's timeout when it has none). */
export let left: i64 = 0;

/**
 * Waits (under the socket's timeout: one deadline for the whole call) for an inbound peer or
 * datagram the policy allows. `op` is OP_ACCEPT (the result is the accepted fd; a refused one
 * gets SO_LINGER {1, 0} and is closed, so the peer sees a reset) or OP_PEEKFROM (a datagram's
 * sender, peeked; a refused datagram is read with length 0 and so discarded). Returns the
 * op's result, -errno or E_TIMEOUT, never a denial: a refused peer is waited past.
 */
export function screened(h: i32, api: i32, op: i32): i32 {
  const fd = table.fdOf(h), timeout = table.timeoutOf(h);
  const deadline = timeout > 0 ? now() + timeout : 0;
  const use = op == OP_ACCEPT ? PU_ACCEPT : PU_RECEIVE;
  for (;;) {
    left = timeout;
    if (timeout > 0) {
      left = deadline - now();
      if (left <= 0) return fail(E_TIMEOUT);
    }
    const r = call(fd, op, false, false, left);
    if (r < 0) return r;
    if (checkAddress(api, use, h, SCR_ADDR, load<i32>(SCR_ADDRLEN)) == 0) {
      if (timeout > 0) { left = deadline - now(); if (left < 1) left = 1; }
      return r;
    }
    if (op == OP_ACCEPT) {
      store<i32>(SCR_VAL, 1); store<i32>(SCR_VAL + 4, 0);
      host_setsockopt(r, SOL_SOCKET, SO_LINGER, SCR_VAL, 8);
      host_close(r);
    } else {
      host_recv(fd, SCR_VAL, 0, MSG_DONTWAIT);
    }
  }
  return 0;   // not reached
}

// ---------------------------------------------------------------- names (assembly/names.ts)
// A name's addresses are screened when it resolves: the use is not known yet, so an address
// is kept when any rule names it (any use, any port); connect, bind and sendto still check
// their own use and port later.

/** Could any name resolve to something this policy names? (An internet protocol and an internet rule.) */
export function namesPossible(): bool {
  if ((protocols & (P_TCP | P_UDP)) == 0) return false;
  for (let i = 0; i < ruleCount; i++) {
    const k = load<i32>(rules + <usize>i * RULE + R_KIND);
    if (k == K_V4 || k == K_V6) return true;
  }
  return false;
}

/** Does a rule name the address of `family` at `a` (4 or 16 bytes; ::ffff:a.b.c.d as a.b.c.d)? */
export function namesAddress(family: i32, a: usize): bool {
  let kind = family == AF_INET ? K_V4 : K_V6, p = a;
  if (kind == K_V6 && isMapped(a)) { kind = K_V4; p = a + 12; }
  for (let i = 0; i < ruleCount; i++) {
    const r = rules + <usize>i * RULE;
    if (load<i32>(r + R_KIND) != kind) continue;
    if (samePrefix(r + R_BYTES, p, load<i32>(r + R_BITS))) return true;
  }
  return false;
}
