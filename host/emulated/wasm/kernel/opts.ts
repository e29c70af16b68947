// Socket options of the emulated kernel: every row of the option table, stored, validated,
// normalised and reported as Linux 6.x does (net/core/sock.c sk_setsockopt/sk_getsockopt,
// net/ipv4/ip_sockglue.c, net/ipv4/tcp.c, net/ipv4/udp.c, net/ipv6/ipv6_sockglue.c).
//
// Defaults come from generated/defaults.ts (scripts/gen_emulated_defaults.py read them from
// the real kernel): per socket kind the fresh socket's answer to every row, and the answers
// that change with the state (bound, listening, connected, accepted). Each row has a status
// (DEF_STATUS, also src/generated/emulated-options.ts): derived rows are computed from the
// socket on every read; applied and stored rows keep their value per socket (`iv`, one i32 per
// row, or the struct slots below), applied ones also in the fields the rest of the kernel reads;
// absent rows answer the errno Linux gives without the feature. Nothing here allocates per call:
// a Sock's Opts, with its storage, is made once and reused with the Sock (sock.ts's pool).

import { Sock, sockAt } from "./sock";
import { now } from "./clock";
import { isLocal } from "./net";
import {
  DEF_ROWS as OPT_COUNT, DEF_ROWKIND as OPT_KIND, DEF_ROWSIZE as OPT_SIZE,
  DEF_KINDS, DEF_BLOB, DEF_ERR, DEF_LEN, DEF_OFF, DEF_SETERR, DEF_OV_COUNT, DEF_OV, DEF_UNKNOWN,
  DEF_STATUS, DEF_ROWIX, RMEM_MAX, WMEM_MAX, TCP_WMEM_MAX, TCP_RMEM_MAX,
  R_SO_REUSEADDR, R_SO_REUSEPORT, R_SO_PRIORITY, R_SO_SNDBUF, R_SO_RCVBUF, R_SO_KEEPALIVE, R_SO_RCVLOWAT, R_SO_BROADCAST,
  R_TCP_NODELAY, R_TCP_KEEPIDLE, R_TCP_KEEPINTVL, R_TCP_KEEPCNT, R_IPV6_V6ONLY, R_TCP_MAXSEG,
  R_SO_INCOMING_CPU, R_SO_TXTIME,
} from "./generated/defaults";
import {
  AF_UNIX, AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM, SOL_SOCKET, IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP,
  IPPROTO_IPV6, EPERM, ENOENT, EBADF, EFAULT, EINVAL, ENOPROTOOPT, EOPNOTSUPP, EADDRNOTAVAIL, ENOTCONN,
  EADDRINUSE, TCP_ESTABLISHED, TCP_CLOSE, TCP_LISTEN, TCP_CLOSE_WAIT, TCP_FIN_WAIT1, TCP_FIN_WAIT2, NS, MS,
} from "./defs";

const ENODEV: i32 = 19, EACCES: i32 = 13, EDOM: i32 = 33, ENODATA: i32 = 61, EPROTO: i32 = 71;
const ST_ABSENT: u8 = 0, ST_APPLIED: u8 = 2, ST_DERIVED: u8 = 3;

/** Linux's constants the rules below use. */
const SOCK_MIN_SNDBUF: i32 = 4608, SOCK_MIN_RCVBUF: i32 = 2304;
const SNDBUF_LOCK: i32 = 1, RCVBUF_LOCK: i32 = 2;
const HZ: i64 = 250;                       // CONFIG_HZ: jiffies of 4 ms
const JIFFY_NS: i64 = NS / HZ;
const MAX_TIMEO: i64 = -1;                 // MAX_SCHEDULE_TIMEOUT (no timeout)
const LOOPBACK_MTU: i32 = 65536, LINK_MTU: i32 = 1500;
/** Interfaces of every emulated machine: lo (1) and eth0 (2). */
const IF_LO: i32 = 1, IF_ETH0: i32 = 2;
/** Congestion controls: tcp_available_congestion_control of the fixture machine, and which the
 * unprivileged may pick (tcp_allowed_congestion_control: reno bbr). Index 1 (bbr) is the default. */
const CA_RENO: i32 = 0, CA_BBR: i32 = 1, CA_CUBIC: i32 = 2;

// ------------------------------------------------------------------ the process's privileges
/** Whether the emulated process holds CAP_NET_ADMIN and CAP_NET_RAW (root): EMU_set_privileged. */
export let privileged: bool = false;
export function setPrivileged(on: bool): void { privileged = on; }
/** The uid and gid sockets are made with (SO_PEERCRED): root's when privileged, else 1000. */
export function procUid(): i32 { return privileged ? 0 : 1000; }

// ------------------------------------------------------------------ per-socket storage

export class Opts {
  /** SO_RCVBUF / SO_SNDBUF as getsockopt reports them (Linux doubles what is set). */
  rcvbuf: i32 = 131072;
  sndbuf: i32 = 16384;
  /** SO_RCVTIMEO / SO_SNDTIMEO in ns; 0 waits without limit. */
  rcvtimeo: i64 = 0;
  sndtimeo: i64 = 0;
  keepalive: bool = false;
  keepidle: i32 = 7200;
  keepintvl: i32 = 75;
  keepcnt: i32 = 9;
  lingerOn: bool = false;
  lingerSecs: i32 = 0;
  reuseaddr: bool = false;
  reuseport: bool = false;
  v6only: bool = false;
  nodelay: bool = false;
  broadcast: bool = false;
  rcvlowat: i32 = 1;

  /** Every int/bool row's value, as getsockopt reports it (rows of other kinds: unused). */
  iv: StaticArray<i32> = new StaticArray<i32>(OPT_COUNT);
  /** Rows set by the process (bit per row): their value wins over a state's default. */
  user: StaticArray<u32> = new StaticArray<u32>((OPT_COUNT + 31) >> 5);
  /** An accepted socket (its state class is "accepted", not "connected"). */
  accepted: bool = false;
  /** sk_userlocks: SO_SNDBUF / SO_RCVBUF set by the process (SO_BUF_LOCK). */
  userlocks: i32 = 0;
  /** SO_RCVTIMEO / SO_SNDTIMEO in jiffies as Linux keeps them (MAX_TIMEO: none). */
  rcvJ: i64 = MAX_TIMEO;
  sndJ: i64 = MAX_TIMEO;
  /** SOCK_RCVTSTAMP 1, SOCK_RCVTSTAMPNS 2, SOCK_TSTAMP_NEW 4. */
  tstamp: i32 = 0;
  tsflags: i32 = 0;
  bindPhc: i32 = 0;
  pacing: u64 = 0xffffffffffffffff;
  txClock: i32 = 0;
  txFlags: i32 = 0;
  /** sk_bound_dev_if. */
  dev: i32 = 0;
  ca: i32 = CA_BBR;
  cookie: u64 = 0;
  filterLocked: bool = false;
  /** TCP_MAXSEG's user_mss (0: none). */
  userMss: i32 = 0;
  /** IPV6_ADDR_PREFERENCES' srcprefs bits (TMP 1, PUBLIC 2, COA 4). */
  srcprefs: i32 = 0;
  /** TCP repair mode and its queue, TCP_QUEUE_SEQ's sequence numbers, TCP_TIMESTAMP's offset. */
  repair: bool = false;
  repairQueue: i32 = 0;
  writeSeq: i32 = 0;
  rcvNxt: i32 = 0;
  tsOffset: i32 = 0;
  /** IP_OPTIONS (40 bytes), TCP_FASTOPEN_KEY (32), TCP_REPAIR_WINDOW (20). */
  ipopt: usize = heap.alloc(40);
  ipoptLen: i32 = 0;
  foKey: usize = heap.alloc(32);
  foKeyLen: i32 = 0;
  repairWin: usize = heap.alloc(20);
  /** IPv6 sticky headers (HOPOPTS, RTHDRDSTOPTS, RTHDR, DSTOPTS): 4 x 256 bytes, made on first use. */
  ext: usize = 0;
  extLen: StaticArray<i32> = new StaticArray<i32>(4);
  /** Multicast groups joined (IP_ADD_MEMBERSHIP, IPV6_JOIN_GROUP, MCAST_JOIN_*, anycast): keys. */
  groups: Array<u64> = new Array<u64>();
}

// ------------------------------------------------------------------ tables

/** Row of (level, option), -1 for none. */
@inline function rowOf(level: i32, opt: i32): i32 {
  if (<u32>opt >= 128) return -1;
  let slot: i32;
  switch (level) {
    case SOL_SOCKET: slot = 0; break;
    case IPPROTO_IP: slot = 1; break;
    case IPPROTO_TCP: slot = 2; break;
    case IPPROTO_UDP: slot = 3; break;
    case IPPROTO_IPV6: slot = 4; break;
    default: return -1;
  }
  return <i32>unchecked(DEF_ROWIX[slot * 128 + opt]);
}

/** 0 inet/stream, 1 inet/dgram, 2 inet6/stream, 3 inet6/dgram, 4 unix/stream, 5 unix/dgram. */
@inline function kindOf(s: Sock): i32 {
  return (s.family == AF_INET ? 0 : s.family == AF_INET6 ? 2 : 4) + (s.type == SOCK_DGRAM ? 1 : 0);
}

@inline function connState(st: i32): bool {
  return st == TCP_ESTABLISHED || st == TCP_CLOSE_WAIT || st == TCP_FIN_WAIT1 || st == TCP_FIN_WAIT2;
}

/** The state class of generated/defaults.ts: 0 fresh, 1 bound, 2 listening, 3 connected, 4 accepted. */
function stateClass(s: Sock): i32 {
  if (s.state == TCP_LISTEN) return 2;
  if (s.type == SOCK_DGRAM) return s.state == TCP_ESTABLISHED ? 3 : (s.bound || s.localLen > 0 ? 1 : 0);
  if (connState(s.state)) return s.o.accepted ? 4 : 3;
  return s.bound || s.localLen > 0 ? 1 : 0;
}

/** Per kind, the fresh socket's int rows (copied into a new socket's iv). */
const tmpl = new StaticArray<i32>(DEF_KINDS * OPT_COUNT);
/** Index into DEF_OV (entries of 6) per (row, kind, state), -1 for none; built once. */
const ovIx = new StaticArray<i16>(OPT_COUNT * DEF_KINDS * 5);
/** Rows with any state override. */
const hasOv = new StaticArray<bool>(OPT_COUNT);
/** Per (row, kind): some state overrides the fresh answer. */
const hasOvK = new StaticArray<bool>(OPT_COUNT * DEF_KINDS);
/** Int rows read straight from iv (not derived, no state override, no rule of their own below). */
const hot = new StaticArray<bool>(OPT_COUNT);
/** (level, option) of int rows that special() answers from fields of their own. */
const OWN_RULE: StaticArray<i32> = [
  SOL_SOCKET, 29, SOL_SOCKET, 35, SOL_SOCKET, 63, SOL_SOCKET, 64, SOL_SOCKET, 62, SOL_SOCKET, 72,
  SOL_SOCKET, 44, IPPROTO_TCP, 2, IPPROTO_TCP, 19, IPPROTO_TCP, 20, IPPROTO_TCP, 21, IPPROTO_IPV6, 72,
];
let tablesReady = false;

function initTables(): void {
  for (let r = 0; r < OPT_COUNT; r++) {
    const intRow = OPT_KIND[r] <= 1 || OPT_SIZE[r] == 4;
    for (let k = 0; k < DEF_KINDS; k++) {
      const i = r * DEF_KINDS + k;
      tmpl[k * OPT_COUNT + r] = intRow && DEF_ERR[i] == 0 && DEF_LEN[i] >= 4 ? load<i32>(DEF_BLOB + <usize>DEF_OFF[i]) : 0;
    }
  }
  for (let i = 0; i < ovIx.length; i++) ovIx[i] = -1;
  for (let j = 0; j < DEF_OV_COUNT; j++) {
    const r = DEF_OV[j * 6], k = DEF_OV[j * 6 + 1], c = DEF_OV[j * 6 + 2];
    // Applied rows follow the emulated kernel's own rules (optsEstablished, optsBound), not
    // the machine the defaults were read on (its SO_SNDBUF came from its tcp_metrics cache).
    if (DEF_STATUS[r] == ST_APPLIED) continue;
    ovIx[(r * DEF_KINDS + k) * 5 + c] = <i16>j;
    hasOv[r] = true;
    hasOvK[r * DEF_KINDS + k] = true;
  }
  for (let r = 0; r < OPT_COUNT; r++) hot[r] = OPT_KIND[r] <= 1 && DEF_STATUS[r] != ST_DERIVED && !hasOv[r];
  for (let j = 0; j < OWN_RULE.length; j += 2) hot[rowOf(OWN_RULE[j], OWN_RULE[j + 1])] = false;
  tablesReady = true;
}

@inline function isUser(o: Opts, r: i32): bool { return (unchecked(o.user[r >> 5]) & (1 << (r & 31))) != 0; }
@inline function markUser(o: Opts, r: i32): void { unchecked(o.user[r >> 5] |= 1 << (r & 31)); }

/** The override of row r for s's state, or -1. */
@inline function ovOf(s: Sock, r: i32, k: i32): i32 {
  if (!unchecked(hasOv[r])) return -1;
  return <i32>ovIx[(r * DEF_KINDS + k) * 5 + stateClass(s)];
}

// ------------------------------------------------------------------ lifecycle

export function optsInit(s: Sock): void {
  if (!tablesReady) initTables();
  const o = s.o;
  const k = kindOf(s);
  memory.copy(changetype<usize>(o.iv), changetype<usize>(tmpl) + <usize>(k * OPT_COUNT * 4), <usize>OPT_COUNT * 4);
  for (let i = 0; i < o.user.length; i++) unchecked(o.user[i] = 0);
  o.accepted = false; o.userlocks = 0; o.rcvJ = MAX_TIMEO; o.sndJ = MAX_TIMEO;
  o.tstamp = 0; o.tsflags = 0; o.bindPhc = 0; o.pacing = 0xffffffffffffffff;
  const tx = DEF_BLOB + <usize>DEF_OFF[R_SO_TXTIME * DEF_KINDS + k];
  o.txClock = load<i32>(tx); o.txFlags = load<i32>(tx + 4);
  o.dev = 0; o.ca = CA_BBR; o.cookie = 0; o.filterLocked = false; o.userMss = 0; o.srcprefs = 0;
  o.repair = false; o.repairQueue = 0; o.writeSeq = 0; o.rcvNxt = 0; o.tsOffset = 0;
  o.ipoptLen = 0; o.foKeyLen = 0; memory.fill(o.repairWin, 0, 20);
  for (let i = 0; i < 4; i++) o.extLen[i] = 0;
  o.groups.length = 0;
  o.lingerOn = false; o.lingerSecs = 0;
  sync(o);
}

/** The fields the rest of the kernel reads, from the stored rows. */
function sync(o: Opts): void {
  const iv = o.iv;
  o.reuseaddr = iv[R_SO_REUSEADDR] != 0;
  o.reuseport = iv[R_SO_REUSEPORT] != 0;
  o.sndbuf = iv[R_SO_SNDBUF];
  o.rcvbuf = iv[R_SO_RCVBUF];
  o.keepalive = iv[R_SO_KEEPALIVE] != 0;
  o.rcvlowat = iv[R_SO_RCVLOWAT];
  o.broadcast = iv[R_SO_BROADCAST] != 0;
  o.nodelay = iv[R_TCP_NODELAY] != 0;
  o.keepidle = iv[R_TCP_KEEPIDLE];
  o.keepintvl = iv[R_TCP_KEEPINTVL];
  o.keepcnt = iv[R_TCP_KEEPCNT];
  o.v6only = iv[R_IPV6_V6ONLY] != 0;
  o.rcvtimeo = timeoNs(o.rcvJ);
  o.sndtimeo = timeoNs(o.sndJ);
}

/** A timeout in jiffies as the wait code takes it: 0 waits forever; Linux's 0 jiffies returns at once (1 ns here). */
function timeoNs(j: i64): i64 { return j == MAX_TIMEO ? 0 : (j == 0 ? 1 : j * JIFFY_NS); }

/**
 * An accepted socket's options: the listener's, as Linux's sk_clone_lock copies the sock
 * and its protocol parts. Not copied: the cookie (a new socket), TCP repair mode, the
 * multicast memberships and TCP_FASTOPEN's queue (the listener's accept queue).
 */
export function optsInherit(from: Sock, to: Sock): void {
  if (!tablesReady) initTables();
  const a = from.o, b = to.o;
  memory.copy(changetype<usize>(b.iv), changetype<usize>(a.iv), <usize>OPT_COUNT * 4);
  for (let i = 0; i < a.user.length; i++) b.user[i] = a.user[i];
  b.accepted = true; b.userlocks = a.userlocks; b.rcvJ = a.rcvJ; b.sndJ = a.sndJ;
  b.tstamp = a.tstamp; b.tsflags = a.tsflags; b.bindPhc = a.bindPhc; b.pacing = a.pacing;
  b.txClock = a.txClock; b.txFlags = a.txFlags; b.dev = a.dev; b.ca = a.ca; b.cookie = 0;
  b.filterLocked = a.filterLocked; b.userMss = a.userMss; b.srcprefs = a.srcprefs;
  b.repair = false; b.repairQueue = 0; b.writeSeq = 0; b.rcvNxt = 0; b.tsOffset = 0;
  memory.copy(b.ipopt, a.ipopt, 40); b.ipoptLen = a.ipoptLen;
  memory.copy(b.foKey, a.foKey, 32); b.foKeyLen = a.foKeyLen;
  memory.fill(b.repairWin, 0, 20);
  for (let i = 0; i < 4; i++) b.extLen[i] = 0;
  b.groups.length = 0;
  b.lingerOn = a.lingerOn; b.lingerSecs = a.lingerSecs;
  // The accepted socket's priority is not the listener's (test/scenarios/tcp-options.ts: 0 on Linux).
  b.iv[R_SO_PRIORITY] = 0;
  sync(b);
}

/**
 * bind() named s: Linux makes an IPv6 socket bound to a specific (not v4-mapped) address
 * v6-only (inet6_bind: sk_ipv6only = 1).
 */
export function optsBound(s: Sock): void {
  if (s.family != AF_INET6) return;
  const a = s.local + 8;
  const any = load<u64>(a) == 0 && load<u64>(a + 8) == 0;
  const mapped = load<u64>(a) == 0 && load<u32>(a + 8) == 0xffff0000;
  if (!any && !mapped) { s.o.iv[R_IPV6_V6ONLY] = 1; s.o.v6only = true; }
}

/**
 * A TCP connection is established on s: the send buffer grows as tcp_sndbuf_expand() makes it
 * (unless the process set SO_SNDBUF): 2 x (3 with bbr) x 10 initial segments x the truesize of
 * a full segment, at most net.ipv4.tcp_wmem[2].
 */
export function optsEstablished(s: Sock): void {
  if (s.family == AF_UNIX || s.type != SOCK_STREAM) return;
  const o = s.o;
  if ((o.userlocks & SNDBUF_LOCK) != 0) return;
  const clamp = mtuOf(s) - (s.family == AF_INET ? 40 : 60);
  let per = <u32>(clamp + 320 + 320);
  per = per <= 1 ? 1 : <u32>1 << (32 - clz<u32>(per - 1));
  const segs: i64 = 10;
  const factor: i64 = o.ca == CA_BBR ? 3 : 2;
  let buf = factor * segs * <i64>(per + 256);
  if (buf > <i64>TCP_WMEM_MAX) buf = TCP_WMEM_MAX;
  if (<i32>buf > o.iv[R_SO_SNDBUF]) { o.iv[R_SO_SNDBUF] = <i32>buf; o.sndbuf = <i32>buf; }
}

/** The path MTU of a connection: loopback's on one machine, an Ethernet link's between machines. */
function mtuOf(s: Sock): i32 {
  if (s.peer >= 0) return sockAt(s.peer).machine == s.machine ? LOOPBACK_MTU : LINK_MTU;
  return s.remoteLen > 0 && isLocal(s.remote, s.machine) ? LOOPBACK_MTU : (s.remoteLen > 0 ? LINK_MTU : LOOPBACK_MTU);
}

/** Connected as getpeername sees it. */
function peerKnown(s: Sock): bool {
  if (s.remoteLen == 0) return false;
  if (s.type == SOCK_DGRAM) return s.state == TCP_ESTABLISHED;
  if (s.family == AF_UNIX) return s.state == TCP_ESTABLISHED;
  return connState(s.state);
}

/** A route exists (sk_dst_get): a connected inet socket. */
function routed(s: Sock): bool {
  return s.family != AF_UNIX && (s.type == SOCK_DGRAM ? s.state == TCP_ESTABLISHED : connState(s.state));
}

// ------------------------------------------------------------------ getsockopt

/** Scratch for values built per call (TCP_INFO is 280 bytes). */
const SCR: usize = memory.data(512, 16);
let cookieNext: u64 = 1;

/** Copies min(*lenptr, n) bytes of src out and reports the length. */
@inline function put(val: usize, lenptr: usize, src: usize, n: i32): i32 {
  let len = load<i32>(lenptr);
  if (len > n) len = n;
  memory.copy(val, src, <usize>len);
  store<i32>(lenptr, len);
  return 0;
}

/** An int copied out: min(len, 4) bytes; at IPPROTO_IP a len below 4 gets one byte when the value fits. */
@inline function putInt(val: usize, lenptr: usize, v: i32, ipLevel: bool): i32 {
  const len = load<i32>(lenptr);
  if (len >= 4) { store<i32>(val, v); store<i32>(lenptr, 4); return 0; }
  if (ipLevel && len > 0 && v >= 0 && v <= 255) { store<u8>(val, <u8>v); store<i32>(lenptr, 1); return 0; }
  store<i32>(SCR, v);
  return put(val, lenptr, SCR, 4);
}

/** errno of an option no row has, at a level, for a kind. */
function unknownErr(k: i32, level: i32, set: bool): i32 {
  let slot = 5;
  if (level == SOL_SOCKET) slot = 0; else if (level == IPPROTO_IP) slot = 1;
  else if (level == IPPROTO_TCP) slot = 2; else if (level == IPPROTO_UDP) slot = 3; else if (level == IPPROTO_IPV6) slot = 4;
  return -<i32>DEF_UNKNOWN[k * 12 + (set ? 6 : 0) + slot];
}

export function getsockopt(s: Sock, level: i32, opt: i32, val: usize, lenptr: usize): i32 {
  if (!tablesReady) initTables();
  if (load<i32>(lenptr) < 0) return -EINVAL;
  const r = rowOf(level, opt);
  const k = kindOf(s);
  if (r < 0) return unknownErr(k, level, false);
  const o = s.o;
  const i = r * DEF_KINDS + k;
  let e = <i32>unchecked(DEF_ERR[i]);
  // The hot path: an int row kept in iv, with no state-dependent default.
  if (unchecked(hot[r]) && e == 0) return putInt(val, lenptr, unchecked(o.iv[r]), level == IPPROTO_IP);
  // A kind that has no such option (unix at IPPROTO_IP, UDP at IPPROTO_TCP, ...).
  if ((e == EOPNOTSUPP || e == ENOPROTOOPT) && !unchecked(hasOvK[i])) return -e;
  const kind = unchecked(OPT_KIND[r]);
  const status = unchecked(DEF_STATUS[r]);
  if (status == ST_DERIVED) {
    const d = derived(s, level, opt, val, lenptr, k);
    if (d != 1) return d;
  } else {
    const sp = special(s, level, opt, val, lenptr, k);
    if (sp != 1) return sp;
  }
  // A default, possibly the state's.
  let len = <i32>DEF_LEN[i], off = <i32>DEF_OFF[i];
  const ov = isUser(o, r) ? -1 : ovOf(s, r, k);
  if (ov >= 0) { e = DEF_OV[ov * 6 + 3]; len = DEF_OV[ov * 6 + 4]; off = DEF_OV[ov * 6 + 5]; }
  if (e != 0) return -e;
  if (kind <= 1 || (OPT_SIZE[r] == 4 && len == 4)) {
    const v = ov >= 0 ? load<i32>(DEF_BLOB + <usize>off) : unchecked(o.iv[r]);
    return putInt(val, lenptr, v, level == IPPROTO_IP && kind <= 1);
  }
  return put(val, lenptr, DEF_BLOB + <usize>off, len);
}

/** Rows whose value is not an int of iv: 1 means "use the default". */
function special(s: Sock, level: i32, opt: i32, val: usize, lenptr: usize, k: i32): i32 {
  const o = s.o;
  const len = load<i32>(lenptr);
  if (level == SOL_SOCKET) {
    switch (opt) {
      case 13: {   // SO_LINGER
        store<i32>(SCR, o.lingerOn ? 1 : 0); store<i32>(SCR + 4, o.lingerSecs);
        return put(val, lenptr, SCR, 8);
      }
      case 20: case 66: return putTimeval(val, lenptr, o.rcvJ);   // SO_RCVTIMEO(_NEW)
      case 21: case 67: return putTimeval(val, lenptr, o.sndJ);   // SO_SNDTIMEO(_NEW)
      case 25: {   // SO_BINDTODEVICE
        if (o.dev == 0) { store<i32>(lenptr, 0); return 0; }
        if (len < 16) return -EINVAL;
        return putName(val, lenptr, o.dev == IF_LO ? "lo" : "eth0", 16, true);
      }
      case 26: store<i32>(lenptr, 0); return 0;   // SO_GET_FILTER: no filter, 0 instructions
      case 29: return putInt(val, lenptr, (o.tstamp & 1) != 0 && (o.tstamp & 6) == 0 ? 1 : 0, false);
      case 35: return putInt(val, lenptr, (o.tstamp & 2) != 0 && (o.tstamp & 4) == 0 ? 1 : 0, false);
      case 63: return putInt(val, lenptr, (o.tstamp & 5) == 5 ? 1 : 0, false);
      case 64: return putInt(val, lenptr, (o.tstamp & 6) == 6 ? 1 : 0, false);
      case 37: case 65: {   // SO_TIMESTAMPING(_NEW)
        store<i32>(SCR, o.tsflags); store<i32>(SCR + 4, o.bindPhc);
        return put(val, lenptr, SCR, 8);
      }
      case 47: {   // SO_MAX_PACING_RATE: u64 when there is room, else min(rate, ~0U)
        if (len >= 8) { store<u64>(SCR, o.pacing); return put(val, lenptr, SCR, 8); }
        return putInt(val, lenptr, o.pacing > 0xffffffff ? -1 : <i32>o.pacing, false);
      }
      case 61: {   // SO_TXTIME
        store<i32>(SCR, o.txClock); store<i32>(SCR + 4, o.txFlags);
        return put(val, lenptr, SCR, 8);
      }
      case 62: return putInt(val, lenptr, o.dev, false);   // SO_BINDTOIFINDEX
      case 72: return putInt(val, lenptr, o.userlocks & 3, false);   // SO_BUF_LOCK
      case 44: return putInt(val, lenptr, o.filterLocked ? 1 : 0, false);
    }
    return 1;
  }
  if (level == IPPROTO_IP) {
    if (opt == 4) return put(val, lenptr, o.ipopt, o.ipoptLen);   // IP_OPTIONS
    if (opt == 41) return len < 16 ? -EINVAL : -EADDRNOTAVAIL;    // IP_MSFILTER: no such group
    if (opt == 48) return len < 144 ? -EINVAL : -EADDRNOTAVAIL;   // MCAST_MSFILTER
    if (opt == 80 && len < 16) return -EINVAL;                    // SO_ORIGINAL_DST
    return 1;
  }
  if (level == IPPROTO_TCP) {
    switch (opt) {
      case 2: {   // TCP_MAXSEG: user_mss before a connection, else the connection's MSS
        if (s.state == TCP_CLOSE || s.state == TCP_LISTEN) return putInt(val, lenptr, o.userMss != 0 ? o.userMss : o.iv[R_TCP_MAXSEG], false);
        const ov = ovOf(s, R_TCP_MAXSEG, k);
        let mss = ov >= 0 ? load<i32>(DEF_BLOB + <usize>DEF_OV[ov * 6 + 5]) : o.iv[R_TCP_MAXSEG];
        if (mtuOf(s) != LOOPBACK_MTU) mss = LINK_MTU - (s.family == AF_INET ? 52 : 72);
        // A connection's MSS excludes its TCP options: the timestamps' 12 bytes (test/scenarios/tcp-options.ts).
        if (o.userMss != 0 && o.userMss - 12 < mss) mss = o.userMss - 12;
        return putInt(val, lenptr, mss, false);
      }
      case 13: {   // TCP_CONGESTION
        return putName(val, lenptr, o.ca == CA_RENO ? "reno" : o.ca == CA_BBR ? "bbr" : "cubic", 16, false);
      }
      case 20: return o.repair ? putInt(val, lenptr, o.repairQueue, false) : -EINVAL;   // TCP_REPAIR_QUEUE
      case 19: return putInt(val, lenptr, o.repair ? 1 : 0, false);   // TCP_REPAIR
      case 21: {   // TCP_QUEUE_SEQ
        if (o.repairQueue == 2) return putInt(val, lenptr, o.writeSeq, false);
        if (o.repairQueue == 1) return putInt(val, lenptr, o.rcvNxt, false);
        return -EINVAL;
      }
      case 29: {   // TCP_REPAIR_WINDOW
        if (len != 20) return -EINVAL;
        if (!o.repair) return -EPERM;
        return put(val, lenptr, o.repairWin, 20);
      }
      case 35: return -EINVAL;   // TCP_ZEROCOPY_RECEIVE: no mapped receive area
      case 33: {   // TCP_FASTOPEN_KEY: the socket's (a listener's), else the network's
        if (o.foKeyLen > 0) return put(val, lenptr, o.foKey, o.foKeyLen);
        return put(val, lenptr, netKey, netKeyLen);
      }
    }
    return 1;
  }
  if (level == IPPROTO_IPV6) {
    const x = extSlot(opt);
    if (x >= 0) {
      if (o.ext == 0) { store<i32>(lenptr, 0); return 0; }
      return put(val, lenptr, o.ext + <usize>(x * 256), o.extLen[x]);
    }
    if (opt == 48) return len < 144 ? -EINVAL : -EADDRNOTAVAIL;   // MCAST_MSFILTER
    if (opt == 32) return -EINVAL;                                 // IPV6_FLOWLABEL_MGR: no GET request
    if (opt == 80 && len < 28) return -EINVAL;                     // IP6T_SO_ORIGINAL_DST
    if (opt == 72) {   // IPV6_ADDR_PREFERENCES
      let v = (o.srcprefs & 1) != 0 ? 1 : (o.srcprefs & 2) != 0 ? 2 : 0x100;
      v |= (o.srcprefs & 4) != 0 ? 4 : 0x400;
      return putInt(val, lenptr, v, false);
    }
    return 1;
  }
  return 1;
}

/** struct timeval of a timeout in jiffies (none reads 0, 0). */
function putTimeval(val: usize, lenptr: usize, j: i64): i32 {
  if (j == MAX_TIMEO) { store<i64>(SCR, 0); store<i64>(SCR + 8, 0); }
  else { store<i64>(SCR, j / HZ); store<i64>(SCR + 8, ((j % HZ) * 1_000_000) / HZ); }
  return put(val, lenptr, SCR, 16);
}

/** A NUL-padded name of `size` bytes (nulTerminated: only name + NUL, as SO_BINDTODEVICE). */
function putName(val: usize, lenptr: usize, name: string, size: i32, nulTerminated: bool): i32 {
  memory.fill(SCR, 0, <usize>size);
  for (let i = 0; i < name.length; i++) store<u8>(SCR + <usize>i, <u8>name.charCodeAt(i));
  return put(val, lenptr, SCR, nulTerminated ? name.length + 1 : size);
}

/** IPV6_HOPOPTS 54 -> 0, IPV6_RTHDRDSTOPTS 55 -> 1, IPV6_RTHDR 57 -> 2, IPV6_DSTOPTS 59 -> 3. */
@inline function extSlot(opt: i32): i32 { return opt == 54 ? 0 : opt == 55 ? 1 : opt == 57 ? 2 : opt == 59 ? 3 : -1; }

/** Rows computed from the socket: 1 means "use the default". */
function derived(s: Sock, level: i32, opt: i32, val: usize, lenptr: usize, k: i32): i32 {
  const o = s.o;
  const len = load<i32>(lenptr);
  if (level == SOL_SOCKET) {
    switch (opt) {
      case 3: return putInt(val, lenptr, s.type, false);        // SO_TYPE
      case 38: return putInt(val, lenptr, s.proto, false);      // SO_PROTOCOL
      case 39: return putInt(val, lenptr, s.family, false);     // SO_DOMAIN
      case 30: return putInt(val, lenptr, s.state == TCP_LISTEN ? 1 : 0, false);   // SO_ACCEPTCONN
      case 4: { const e = s.err; s.err = 0; return putInt(val, lenptr, e, false); }   // SO_ERROR
      case 17: {   // SO_PEERCRED: a unix socket's peer (a listener: its own) at connect time
        if (s.family != AF_UNIX || !(s.state == TCP_LISTEN || s.peer >= 0 || peerKnown(s))) return 1;
        const p = s.state == TCP_LISTEN || s.peer < 0 ? s : sockAt(s.peer);
        store<i32>(SCR, p.pid); store<i32>(SCR + 4, p.uid); store<i32>(SCR + 8, p.gid);
        return put(val, lenptr, SCR, 12);
      }
      case 28: {   // SO_PEERNAME: EINVAL when the buffer is longer than the address
        if (!peerKnown(s)) return -ENOTCONN;
        const n = s.remoteLen;
        if (n < len) return -EINVAL;
        return put(val, lenptr, s.remote, n);
      }
      case 49: {   // SO_INCOMING_CPU: the emulated machine has one CPU (0); -1 until a segment arrives
        if (isUser(o, R_SO_INCOMING_CPU)) return putInt(val, lenptr, o.iv[R_SO_INCOMING_CPU], false);
        return putInt(val, lenptr, s.segsIn > 0 && s.family != AF_UNIX ? 0 : -1, false);
      }
      case 55: {   // SO_MEMINFO: rmem_alloc rcvbuf wmem_alloc sndbuf fwd_alloc wmem_queued optmem backlog drops
        memory.fill(SCR, 0, 36);
        store<u32>(SCR, s.type == SOCK_DGRAM ? <u32>s.dqBytes : <u32>s.rq.len);
        store<i32>(SCR + 4, o.rcvbuf);
        store<u32>(SCR + 8, <u32>s.sq.len);
        store<i32>(SCR + 12, o.sndbuf);
        store<u32>(SCR + 20, <u32>s.sq.len);
        return put(val, lenptr, SCR, 36);
      }
      case 57: {   // SO_COOKIE: a per-network counter, given on first read
        if (len < 8) return -EINVAL;
        if (o.cookie == 0) o.cookie = cookieNext++;
        store<u64>(SCR, o.cookie);
        return put(val, lenptr, SCR, 8);
      }
      case 71: {   // SO_NETNS_COOKIE: the network is namespace 1
        if (len != 8) return -EINVAL;
        store<u64>(SCR, 1);
        return put(val, lenptr, SCR, 8);
      }
      case 59: {   // SO_PEERGROUPS: no supplementary groups
        if (s.family == AF_UNIX && (s.state == TCP_LISTEN || s.peer >= 0 || peerKnown(s))) { store<i32>(lenptr, 0); return 0; }
        return -ENODATA;
      }
      case 77: return -ENODATA;   // SO_PEERPIDFD: the emulated process has no pidfds
    }
    return 1;
  }
  if (level == IPPROTO_IP) {
    switch (opt) {
      case 14: return routed(s) ? putInt(val, lenptr, s.family == AF_INET ? min(mtuOf(s), 65535) : mtuOf(s), true) : -ENOTCONN;   // IP_MTU (IPv4: at most IP_MAX_MTU)
      case 80: if (len < 16) return -EINVAL; return 1;   // SO_ORIGINAL_DST: no conntrack entry (the default's ENOENT)
      case 52: {   // IP_PROTOCOL: inet_num, the local port once bound
        const port = s.localLen > 0 && s.bound ? <i32>bswap<u16>(load<u16>(s.local + 2)) : 0;
        return putInt(val, lenptr, port, true);
      }
    }
    return 1;
  }
  if (level == IPPROTO_TCP) {
    switch (opt) {
      case 11: return tcpInfo(s, val, lenptr, k);
      case 26: {   // TCP_CC_INFO: bbr's struct tcp_bbr_info; reno and cubic have none
        if (o.ca != CA_BBR) { store<i32>(lenptr, 0); return 0; }
        return 1;
      }
      case 24: {   // TCP_TIMESTAMP: the virtual clock in ms plus the socket's offset
        return putInt(val, lenptr, <i32>(now / MS) + o.tsOffset, false);
      }
    }
    return 1;
  }
  if (level == IPPROTO_IPV6) {
    switch (opt) {
      case 24: return routed(s) ? putInt(val, lenptr, mtuOf(s), false) : -ENOTCONN;   // IPV6_MTU
      case 61: {   // IPV6_PATHMTU: struct ip6_mtuinfo
        if (len < 32) return -EINVAL;
        if (!routed(s)) return -ENOTCONN;
        memory.fill(SCR, 0, 32);
        store<i32>(SCR + 28, mtuOf(s));
        return put(val, lenptr, SCR, 32);
      }
      case 1: return routed(s) ? putInt(val, lenptr, s.family, false) : -ENOTCONN;   // IPV6_ADDRFORM
      case 80: if (len < 28) return -EINVAL; return 1;   // IP6T_SO_ORIGINAL_DST
    }
    return 1;
  }
  return 1;
}

/**
 * struct tcp_info: the kernel's answer for the socket's state (generated/defaults.ts), with
 * the fields that depend on the connection's history taken from the emulated one: state,
 * MSS, the listener's queue, byte and segment counts and the ms-ago timers. Round-trip times
 * are fixed: rtt 50 us (loopback) or the link's, rto 200 ms (TCP_RTO_MIN).
 */
function tcpInfo(s: Sock, val: usize, lenptr: usize, k: i32): i32 {
  const o = s.o;
  const r = rowOf(IPPROTO_TCP, 11);
  const i = r * DEF_KINDS + k;
  let n = <i32>DEF_LEN[i], off = <i32>DEF_OFF[i];
  const ov = ovOf(s, r, k);
  if (ov >= 0) { if (DEF_OV[ov * 6 + 3] != 0) return -DEF_OV[ov * 6 + 3]; n = DEF_OV[ov * 6 + 4]; off = DEF_OV[ov * 6 + 5]; }
  memory.copy(SCR, DEF_BLOB + <usize>off, <usize>n);
  store<u8>(SCR, <u8>s.state);
  if (s.state == TCP_LISTEN) {
    store<u32>(SCR + 24, <u32>s.acceptqLen());   // tcpi_unacked: the accept queue
    store<u32>(SCR + 28, <u32>s.backlog);        // tcpi_sacked: its limit
    return put(val, lenptr, SCR, n);
  }
  const msNow = <u32>(now / MS);
  const ago = <u32>((now - s.lastSeen) / MS);
  if (connState(s.state)) {
    store<u32>(SCR + 8, 200000);                 // tcpi_rto (us)
    store<u32>(SCR + 44, ago);                   // last_data_sent
    store<u32>(SCR + 52, ago);                   // last_data_recv
    store<u32>(SCR + 56, ago);                   // last_ack_recv
    store<u32>(SCR + 68, 50);                    // tcpi_rtt (us)
    store<u32>(SCR + 72, 25);                    // tcpi_rttvar
    store<u32>(SCR + 148, 50);                   // tcpi_min_rtt
    store<u64>(SCR + 128, s.bytesRecv);          // tcpi_bytes_received
    // tcpi_bytes_acked: all acknowledged on arrival, plus the client's SYN
    store<u64>(SCR + 120, s.bytesSent + (o.accepted ? 0 : 1));
    store<u32>(SCR + 136, s.segsOut);
    store<u32>(SCR + 140, s.segsIn);
  } else {
    // Never set: Linux reports the jiffies clock itself (ms-ago of time 0).
    store<u32>(SCR + 44, msNow); store<u32>(SCR + 52, msNow); store<u32>(SCR + 56, msNow);
  }
  return put(val, lenptr, SCR, n);
}

// ------------------------------------------------------------------ setsockopt

/** The network's TCP Fast Open key (net.ipv4.tcp_fastopen_key): set by a socket that is not listening. */
const netKey: usize = memory.data(32, 8);
let netKeyLen: i32 = 0;

export function setsockopt(s: Sock, level: i32, opt: i32, val: usize, len: i32): i32 {
  if (!tablesReady) initTables();
  if (len < 0) return -EINVAL;
  const k = kindOf(s);
  const r = rowOf(level, opt);
  if (level == SOL_SOCKET) {
    if (opt == 25) return setBindToDevice(s, val, len);
    if (len < 4) return -EINVAL;
    if (val == 0) return -EFAULT;
  }
  if (r < 0) return unknownErr(k, level, true);
  // A kind without the option: what setting the default back gave on the real kernel. For struct
  // rows (probed with zero bytes) only when it is the level's own refusal (an unknown option's).
  const refuse = <i32>unchecked(DEF_SETERR[r * DEF_KINDS + k]);
  if ((refuse == ENOPROTOOPT || refuse == EOPNOTSUPP) && (OPT_KIND[r] <= 1 || refuse == -unknownErr(k, level, true))) return -refuse;
  if (unchecked(DEF_STATUS[r]) == ST_ABSENT) return refuse != 0 ? -refuse : -ENOPROTOOPT;
  if (val == 0 && len > 0 && !(level == IPPROTO_IPV6 && len < 4)) return -EFAULT;
  let res: i32;
  switch (level) {
    case SOL_SOCKET: res = setSol(s, opt, r, val, len); break;
    case IPPROTO_IP: res = setIp(s, opt, r, val, len); break;
    case IPPROTO_TCP: res = setTcp(s, opt, r, val, len); break;
    case IPPROTO_UDP: res = setUdp(s, opt, r, val, len); break;
    default: res = setIp6(s, opt, r, val, len); break;
  }
  if (res == 0) { markUser(s.o, r); sync(s.o); }
  return res;
}

@inline function store1(o: Opts, r: i32, v: i32): i32 { unchecked(o.iv[r] = v); return 0; }
@inline function boolOf(v: i32): i32 { return v != 0 ? 1 : 0; }

function setBindToDevice(s: Sock, val: usize, len: i32): i32 {
  let n = len > 15 ? 15 : len;
  if (n > 0 && val == 0) return -EFAULT;
  memory.fill(SCR, 0, 16);
  if (n > 0) memory.copy(SCR, val, <usize>n);
  let index = 0;
  if (load<u8>(SCR) != 0) {
    index = ifByName(SCR);
    if (index == 0) return -ENODEV;
  }
  return bindIndex(s, index);
}

function bindIndex(s: Sock, index: i32): i32 {
  if (s.o.dev != 0 && !privileged) return -EPERM;
  if (index < 0) return -EINVAL;
  s.o.dev = index;
  return 0;
}

/** The ifindex of an interface name (NUL-terminated at p), 0 for none. */
function ifByName(p: usize): i32 {
  if (load<u8>(p) == 0x6c && load<u8>(p + 1) == 0x6f && load<u8>(p + 2) == 0) return IF_LO;
  if (load<u32>(p) == 0x30687465 && load<u8>(p + 4) == 0) return IF_ETH0;   // "eth0"
  return 0;
}

@inline function ifExists(i: i32): bool { return i == IF_LO || i == IF_ETH0; }

function setSol(s: Sock, opt: i32, r: i32, val: usize, len: i32): i32 {
  const o = s.o;
  const v = load<i32>(val);
  switch (opt) {
    case 1:   // SO_DEBUG
      if (v != 0 && !privileged) return -EACCES;
      return store1(o, r, boolOf(v));
    case 7: case 32: {   // SO_SNDBUF, SO_SNDBUFFORCE
      let x: i64;
      if (opt == 32) { if (!privileged) return -EPERM; x = v < 0 ? 0 : v; }
      else x = <i64>min<u32>(<u32>v, <u32>WMEM_MAX);
      o.userlocks |= SNDBUF_LOCK;
      if (x > 0x3fffffff) x = 0x3fffffff;
      const b = <i32>max<i64>(x * 2, SOCK_MIN_SNDBUF);
      o.iv[R_SO_SNDBUF] = b;
      markUser(o, R_SO_SNDBUF);
      return 0;
    }
    case 8: case 33: {   // SO_RCVBUF, SO_RCVBUFFORCE
      let x: i64;
      if (opt == 33) { if (!privileged) return -EPERM; x = v < 0 ? 0 : v; }
      else x = <i64>min<u32>(<u32>v, <u32>RMEM_MAX);
      o.userlocks |= RCVBUF_LOCK;
      if (x > 0x3fffffff) x = 0x3fffffff;
      o.iv[R_SO_RCVBUF] = <i32>max<i64>(x * 2, SOCK_MIN_RCVBUF);
      markUser(o, R_SO_RCVBUF);
      return 0;
    }
    case 12:   // SO_PRIORITY
      if ((v < 0 || v > 6) && !privileged) return -EPERM;
      return store1(o, r, v);
    case 13: {   // SO_LINGER
      if (len < 8) return -EINVAL;
      if (v == 0) { o.lingerOn = false; return 0; }
      o.lingerOn = true; o.lingerSecs = load<i32>(val + 4);
      return 0;
    }
    case 14: return 0;   // SO_BSDCOMPAT: ignored
    case 18: {   // SO_RCVLOWAT
      let x = v < 0 ? 0x7fffffff : v;
      if (s.type == SOCK_STREAM && s.family != AF_UNIX) {
        const cap = (o.userlocks & RCVBUF_LOCK) != 0 ? o.iv[R_SO_RCVBUF] >> 1 : TCP_RMEM_MAX >> 1;
        if (x > cap) x = cap;
      }
      return store1(o, r, x != 0 ? x : 1);
    }
    case 20: case 21: case 66: case 67: {   // SO_RCVTIMEO, SO_SNDTIMEO (old and new: both 16 bytes here)
      if (len < 16) return -EINVAL;
      const sec = load<i64>(val), usec = load<i64>(val + 8);
      if (usec < 0 || usec >= 1_000_000) return -EDOM;
      let j: i64;
      if (sec < 0) j = 0;
      else if (sec == 0 && usec == 0) j = MAX_TIMEO;
      else if (sec < (0x7fffffffffffffff / HZ - 1)) j = sec * HZ + (usec + 3999) / 4000;
      else j = MAX_TIMEO;
      if (opt == 20 || opt == 66) o.rcvJ = j; else o.sndJ = j;
      return 0;
    }
    case 29: case 35: case 63: case 64: {   // SO_TIMESTAMP(NS)(_NEW)
      if (v != 0) {
        const isNew = opt == 63 || opt == 64, ns = opt == 35 || opt == 64;
        o.tstamp = 1 | (ns ? 2 : 0) | (isNew ? 4 : 0);
      } else o.tstamp &= ~3;
      return 0;
    }
    case 37: case 65: {   // SO_TIMESTAMPING(_NEW): flags, or struct so_timestamping
      let flags = v, phc = 0;
      if (len == 8) phc = load<i32>(val + 4);
      if ((flags & ~0x7ffff) != 0) return -EINVAL;
      if ((flags & (1 << 16)) != 0 && (flags & (1 << 7)) == 0) return -EINVAL;   // OPT_ID_TCP needs OPT_ID
      if ((flags & (1 << 15)) == 0) phc = 0; else if (!ifExists(phc)) return -EINVAL;
      o.tsflags = flags; o.bindPhc = phc;
      if (opt == 65) o.tstamp |= 4; else o.tstamp &= ~4;
      return 0;
    }
    case 36:   // SO_MARK
      if (!privileged) return -EPERM;
      return store1(o, r, v);
    case 42: return store1(o, r, v);   // SO_PEEK_OFF
    case 44:   // SO_LOCK_FILTER: once locked, stays
      if (o.filterLocked && v == 0) return -EPERM;
      o.filterLocked = v != 0;
      return 0;
    case 46:   // SO_BUSY_POLL
      if (v < 0) return -EINVAL;
      return store1(o, r, v);
    case 69:   // SO_PREFER_BUSY_POLL
      if (v != 0 && !privileged) return -EPERM;
      return store1(o, r, boolOf(v));
    case 70:   // SO_BUSY_POLL_BUDGET
      if (v > o.iv[r] && !privileged) return -EPERM;
      if (v < 0 || v > 0xffff) return -EINVAL;
      return store1(o, r, v);
    case 47: {   // SO_MAX_PACING_RATE
      let rate: u64 = v == -1 ? 0xffffffffffffffff : <u64><u32>v;
      if (len >= 8) rate = load<u64>(val);
      o.pacing = rate;
      return 0;
    }
    case 49: return store1(o, r, v);   // SO_INCOMING_CPU
    case 53: return 0;                 // SO_CNX_ADVICE: a hint
    case 60:   // SO_ZEROCOPY (inet TCP and UDP)
      if (v < 0 || v > 1) return -EINVAL;
      return store1(o, r, v);
    case 61: {   // SO_TXTIME
      if (len != 8) return -EINVAL;
      const clock = v, flags = load<i32>(val + 4);
      if ((flags & ~3) != 0) return -EINVAL;
      if (clock != 1 && !privileged) return -EPERM;   // CLOCK_MONOTONIC for anyone
      o.txClock = clock; o.txFlags = flags;
      return 0;
    }
    case 62: return bindIndex(s, v);   // SO_BINDTOIFINDEX
    case 72:   // SO_BUF_LOCK
      if ((v & ~3) != 0) return -EINVAL;
      o.userlocks = v;
      return 0;
    case 73: return v < 0 ? -EINVAL : -EOPNOTSUPP;   // SO_RESERVE_MEM: no socket memory accounting
    case 74:   // SO_TXREHASH
      if (v < 0 || v > 1) return -EINVAL;
      return store1(o, r, v);
    case 26: case 51: {   // SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF: struct sock_fprog
      if (len < 16) return -EINVAL;
      // The program lives at a user-space pointer the emulated process cannot hand over.
      return load<u64>(val + 8) == 0 ? -EINVAL : -EFAULT;
    }
    case 27: return -ENOENT;   // SO_DETACH_FILTER: none attached
    case 50: case 52: return -EBADF;   // SO_ATTACH_BPF, SO_ATTACH_REUSEPORT_EBPF: no BPF program fds
    case 68: return -EINVAL;   // SO_DETACH_REUSEPORT_BPF: no reuseport group program
    case 80: return s.type == SOCK_STREAM && s.family != AF_UNIX ? -EINVAL : -EBADF;   // SO_DEVMEM_DONTNEED
    case 84:   // SO_INQ
      if (v < 0 || v > 1) return -EINVAL;
      return store1(o, r, v);
    case 2: case 5: case 6: case 9: case 10: case 11: case 15: case 16: case 34: case 40: case 41:
    case 43: case 45: case 75: case 76: case 82: case 83:
      return store1(o, r, boolOf(v));
  }
  return store1(o, r, OPT_KIND[r] == 1 ? boolOf(v) : v);
}

/** ip_tos2prio: the priority an IP_TOS value implies (TC_PRIO_*), by (tos & IPTOS_TOS_MASK) >> 1. */
const TOS2PRIO: StaticArray<i32> = [0, 0, 0, 0, 2, 2, 2, 2, 6, 6, 6, 6, 4, 4, 4, 4];

/** do_ip_setsockopt's int: 4 bytes, or one when shorter, or 0 when none. */
@inline function ipVal(val: usize, len: i32): i32 { return len >= 4 ? load<i32>(val) : (len >= 1 ? <i32>load<u8>(val) : 0); }

function setIp(s: Sock, opt: i32, r: i32, val: usize, len: i32): i32 {
  const o = s.o;
  const v = ipVal(val, len);
  const stream = s.type == SOCK_STREAM;
  switch (opt) {
    case 1: {   // IP_TOS: TCP keeps its ECN bits; the priority follows (rt_tos2priority)
      const tos = stream ? ((v & ~3) | (o.iv[r] & 3)) & 0xff : v & 0xff;
      o.iv[R_SO_PRIORITY] = TOS2PRIO[(tos & 0x1e) >> 1];
      return store1(o, r, tos);
    }
    case 2:   // IP_TTL
      if (len < 1) return -EINVAL;
      if (v != -1 && (v < 1 || v > 255)) return -EINVAL;
      return store1(o, r, v == -1 ? 64 : v);
    case 4: {   // IP_OPTIONS: at most 40 bytes, padded to 4 with IPOPT_END
      if (len > 40) return -EINVAL;
      memory.fill(o.ipopt, 0, 40);
      if (len > 0) memory.copy(o.ipopt, val, <usize>len);
      o.ipoptLen = (len + 3) & ~3;
      return 0;
    }
    case 10:   // IP_MTU_DISCOVER
      if (v < 0 || v > 5) return -EINVAL;
      return store1(o, r, v);
    case 19:   // IP_TRANSPARENT
      if (v != 0 && !privileged) return -EPERM;
      return store1(o, r, boolOf(v));
    case 21:   // IP_MINTTL
      if (len < 1) return -EINVAL;
      if (v < 0 || v > 255) return -EINVAL;
      return store1(o, r, v);
    case 25:   // IP_RECVFRAGSIZE: datagram sockets only
      if (s.type != SOCK_DGRAM) return -EINVAL;
      return store1(o, r, boolOf(v));
    case 26:   // IP_RECVERR_RFC4884
      if (v < 0 || v > 1) return -EINVAL;
      return store1(o, r, v);
    case 32: {   // IP_MULTICAST_IF: in_addr, ip_mreq or ip_mreqn
      if (stream) return -EINVAL;
      if (len < 4) return -EINVAL;
      let addr: u32, ifindex = 0;
      if (len >= 12) { addr = load<u32>(val + 4); ifindex = load<i32>(val + 8); }
      else if (len >= 8) addr = load<u32>(val + 4);
      else addr = load<u32>(val);
      if (ifindex == 0) {
        if (addr == 0) return store1(o, r, 0);
        if (!localV4(s, addr)) return -EADDRNOTAVAIL;
      } else if (!ifExists(ifindex)) return -EADDRNOTAVAIL;
      return store1(o, r, <i32>addr);
    }
    case 33:   // IP_MULTICAST_TTL
      if (stream) return -EINVAL;
      if (len < 1) return -EINVAL;
      if (v == -1) return store1(o, r, 1);
      if (v < 0 || v > 255) return -EINVAL;
      return store1(o, r, v);
    case 34:   // IP_MULTICAST_LOOP
      if (len < 1) return -EINVAL;
      return store1(o, r, boolOf(v));
    case 49:   // IP_MULTICAST_ALL
      if (len < 1) return -EINVAL;
      if (v != 0 && v != 1) return -EINVAL;
      return store1(o, r, v);
    case 50: {   // IP_UNICAST_IF: an ifindex in network byte order
      if (len != 4) return -EINVAL;
      const ix = <i32>bswap<u32>(<u32>v);
      if (ix != 0 && !ifExists(ix)) return -EADDRNOTAVAIL;
      if (ix != 0 && o.dev != 0 && ix != o.dev) return -EINVAL;
      return store1(o, r, v);
    }
    case 51: {   // IP_LOCAL_PORT_RANGE
      if (len != 4) return -EINVAL;
      const lo = v & 0xffff, hi = (v >>> 16) & 0xffff;
      if (lo != 0 && hi != 0 && lo > hi) return -EINVAL;
      return store1(o, r, v);
    }
    case 16: case 17:   // IP_IPSEC_POLICY, IP_XFRM_POLICY: only clearing works here
      if (!privileged) return -EPERM;
      if (val == 0 && len == 0) return 0;
      if (len <= 0 || len > 4096) return -90;   // EMSGSIZE
      return opt == 16 ? -EOPNOTSUPP : -EINVAL;
    case 35: case 36: case 37: case 38: case 39: case 40: {   // memberships (ip_mreq / ip_mreqn / ip_mreq_source)
      if (stream) return -EPROTO;
      if (len < (opt >= 37 ? 12 : 8)) return -EINVAL;
      const group = load<u32>(val);
      if ((group & 0xf0) != 0xe0) return -EINVAL;
      const key = <u64>group;
      if (opt == 35 || opt == 39) {
        if (opt == 35 && hasGroup(o, key)) return -EADDRINUSE;
        if (!hasGroup(o, key)) o.groups.push(key);
        return 0;
      }
      if (!hasGroup(o, key)) return -EADDRNOTAVAIL;
      if (opt == 36 || opt == 40) dropGroup(o, key);
      return 0;
    }
    case 41: {   // IP_MSFILTER: struct ip_msfilter for a joined group
      if (stream) return -EPROTO;
      if (len < 16) return -EINVAL;
      const numsrc = load<u32>(val + 12);
      if (<u64>numsrc * 4 + 16 > <u64>len) return -EINVAL;
      return hasGroup(o, <u64>load<u32>(val)) ? 0 : -EADDRNOTAVAIL;
    }
    case 42: case 43: case 44: case 45: case 46: case 47: case 48:
      return mcastGroupReq(s, opt, val, len, false);
  }
  return store1(o, r, OPT_KIND[r] == 1 ? boolOf(v) : v);
}

function localV4(s: Sock, addr: u32): bool {
  store<u16>(SCR + 256, <u16>AF_INET); store<u32>(SCR + 260, addr);
  return isLocal(SCR + 256, s.machine);
}

function hasGroup(o: Opts, key: u64): bool {
  for (let i = 0, n = o.groups.length; i < n; i++) if (unchecked(o.groups[i]) == key) return true;
  return false;
}
function dropGroup(o: Opts, key: u64): void {
  for (let i = 0, n = o.groups.length; i < n; i++) {
    if (unchecked(o.groups[i]) == key) { o.groups[i] = o.groups[n - 1]; o.groups.pop(); return; }
  }
}

/** A multicast group's key: IPv4 groups as themselves, IPv6 ones hashed with a high tag bit. */
function groupKey(sa: usize): u64 {
  const fam = <i32>load<u16>(sa);
  if (fam == AF_INET) return <u64>load<u32>(sa + 4);
  return (load<u64>(sa + 8) ^ (load<u64>(sa + 16) * 0x9e3779b97f4a7c15)) | 0x8000000000000000;
}

/** MCAST_* (struct group_req 136 bytes, group_source_req 264, group_filter 144+) at either IP level. */
function mcastGroupReq(s: Sock, opt: i32, val: usize, len: i32, v6: bool): i32 {
  const o = s.o;
  if (s.type == SOCK_STREAM) return -EPROTO;
  const need = opt == 42 || opt == 45 ? 136 : opt == 48 ? 144 : 264;
  if (len < need) return -EINVAL;
  const g = val + 8;
  const fam = <i32>load<u16>(g);
  if (fam != AF_INET && fam != AF_INET6) return -EINVAL;
  if (fam == AF_INET && (load<u8>(g + 4) & 0xf0) != 0xe0) return -EINVAL;
  if (fam == AF_INET6 && load<u8>(g + 8) != 0xff) return -EINVAL;
  const key = groupKey(g);
  switch (opt) {
    case 42:   // MCAST_JOIN_GROUP
      if (hasGroup(o, key)) return -EADDRINUSE;
      o.groups.push(key); return 0;
    case 46:   // MCAST_JOIN_SOURCE_GROUP
      if (!hasGroup(o, key)) o.groups.push(key);
      return 0;
    case 45: case 47:   // MCAST_LEAVE_(SOURCE_)GROUP
      if (!hasGroup(o, key)) return -EADDRNOTAVAIL;
      dropGroup(o, key); return 0;
  }
  return hasGroup(o, key) ? 0 : -EADDRNOTAVAIL;   // MCAST_(UN)BLOCK_SOURCE, MCAST_MSFILTER
}

function setTcp(s: Sock, opt: i32, r: i32, val: usize, len: i32): i32 {
  const o = s.o;
  switch (opt) {
    case 13: {   // TCP_CONGESTION
      if (len < 1) return -EINVAL;
      const n = len > 15 ? 15 : len;
      memory.fill(SCR, 0, 16);
      memory.copy(SCR, val, <usize>n);
      const w0 = load<u64>(SCR), w1 = load<u64>(SCR + 8);
      let ca = -1;
      if (w0 == 0x6f6e6572 && w1 == 0) ca = CA_RENO;            // "reno"
      else if (w0 == 0x726262 && w1 == 0) ca = CA_BBR;          // "bbr"
      else if (w0 == 0x6369627563 && w1 == 0) ca = CA_CUBIC;    // "cubic"
      if (ca < 0) return -ENOENT;
      if (ca == CA_CUBIC && !privileged) return -EPERM;         // not in tcp_allowed_congestion_control
      o.ca = ca;
      return 0;
    }
    case 31: {   // TCP_ULP: none is available
      if (len < 1) return -EINVAL;
      memory.fill(SCR, 0, 16);
      memory.copy(SCR, val, <usize>(len > 15 ? 15 : len));
      return load<u64>(SCR) == 0x7074636d && load<u64>(SCR + 8) == 0 ? -EOPNOTSUPP : -ENOENT;   // "mptcp"
    }
    case 33: {   // TCP_FASTOPEN_KEY: one key or a key and a backup
      if (len != 16 && len != 32) return -EINVAL;
      if (s.state == TCP_LISTEN) { memory.copy(o.foKey, val, <usize>len); o.foKeyLen = len; }
      else { memory.copy(netKey, val, <usize>len); netKeyLen = len; }
      return 0;
    }
    case 14: case 32: {   // TCP_MD5SIG(_EXT): struct tcp_md5sig
      if (len < 216) return -EINVAL;
      const fam = <i32>load<u16>(val);
      if (fam != AF_INET && fam != AF_INET6) return -EINVAL;
      if (<i32>load<u16>(val + 130) > 80) return -EINVAL;
      if (opt == 32 && (load<u8>(val + 128) & 1) != 0 && <i32>load<u8>(val + 129) > (fam == AF_INET ? 32 : 128)) return -EINVAL;
      return 0;
    }
    case 22: {   // TCP_REPAIR_OPTIONS
      if (!o.repair) return -EINVAL;
      if (s.state == TCP_ESTABLISHED && s.bytesSent == 0) return (len & 7) == 0 ? 0 : -EINVAL;
      return -EPERM;
    }
    case 29: {   // TCP_REPAIR_WINDOW
      if (!o.repair) return -EPERM;
      if (len != 20) return -EINVAL;
      if (load<u32>(val + 8) < load<u32>(val + 4)) return -EINVAL;   // max_window < snd_wnd
      memory.copy(o.repairWin, val, 20);
      return 0;
    }
  }
  if (len < 4) return -EINVAL;
  const v = load<i32>(val);
  switch (opt) {
    case 2:   // TCP_MAXSEG
      if (v != 0 && (v < 88 || v > 32767)) return -EINVAL;
      o.userMss = v;
      return 0;
    case 4: case 5:   // TCP_KEEPIDLE, TCP_KEEPINTVL
      if (v < 1 || v > 32767) return -EINVAL;
      return store1(o, r, v);
    case 6: case 7:   // TCP_KEEPCNT, TCP_SYNCNT
      if (v < 1 || v > 127) return -EINVAL;
      return store1(o, r, v);
    case 8:   // TCP_LINGER2: seconds, negative off, clamped to TCP_FIN_TIMEOUT_MAX
      return store1(o, r, v < 0 ? -1 : v == 0 ? 60 : v > 120 ? 120 : v);
    case 9: {   // TCP_DEFER_ACCEPT: seconds as SYN-ACK retransmissions and back
      let res = 0;
      if (v > 0) {
        let timeout = 1, period = 1; res = 1;
        while (v > period && res < 255) { res++; timeout <<= 1; if (timeout > 120) timeout = 120; period += timeout; }
      }
      let secs = 0;
      if (res > 0) {
        let timeout = 1; secs = 1;
        for (let n = res - 1; n > 0; n--) { timeout <<= 1; if (timeout > 120) timeout = 120; secs += timeout; }
      }
      return store1(o, r, secs);
    }
    case 10:   // TCP_WINDOW_CLAMP
      if (v == 0) { if (s.state != TCP_CLOSE) return -EINVAL; return store1(o, r, 0); }
      return store1(o, r, v < SOCK_MIN_RCVBUF / 2 ? SOCK_MIN_RCVBUF / 2 : v);
    case 16:   // TCP_THIN_LINEAR_TIMEOUTS
      if (v < 0 || v > 1) return -EINVAL;
      return store1(o, r, v);
    case 17: return 0;   // TCP_THIN_DUPACK: obsolete, ignored
    case 18:   // TCP_USER_TIMEOUT
      if (v < 0) return -EINVAL;
      return store1(o, r, v);
    case 19:   // TCP_REPAIR
      if (!privileged || s.state == TCP_LISTEN) return -EPERM;
      if (v == 1) { o.repair = true; return 0; }
      if (v == 0 || v == -1) { o.repair = false; o.repairQueue = 0; return 0; }
      return -EINVAL;
    case 20:   // TCP_REPAIR_QUEUE
      if (!o.repair) return -EPERM;
      if (<u32>v >= 3) return -EINVAL;
      o.repairQueue = v;
      return 0;
    case 21:   // TCP_QUEUE_SEQ
      if (s.state != TCP_CLOSE) return -EPERM;
      if (o.repairQueue == 2) { o.writeSeq = v; return 0; }
      if (o.repairQueue == 1) { o.rcvNxt = v; return 0; }
      return -EINVAL;
    case 23:   // TCP_FASTOPEN: the TFO queue of a listener (capped at somaxconn)
      if (v < 0 || !(s.state == TCP_CLOSE || s.state == TCP_LISTEN)) return -EINVAL;
      return store1(o, r, v > 4096 ? 4096 : v);
    case 24:   // TCP_TIMESTAMP: repair mode only
      if (!o.repair) return -EPERM;
      o.tsOffset = v - <i32>(now / MS);
      return 0;
    case 27:   // TCP_SAVE_SYN
      if (v < 0 || v > 2) return -EINVAL;
      return store1(o, r, v);
    case 30:   // TCP_FASTOPEN_CONNECT
      if (v < 0 || v > 1) return -EINVAL;
      if (s.state != TCP_CLOSE) return -EINVAL;
      return store1(o, r, v);
    case 34:   // TCP_FASTOPEN_NO_COOKIE
      if (v < 0 || v > 1) return -EINVAL;
      if (!(s.state == TCP_CLOSE || s.state == TCP_LISTEN)) return -EINVAL;
      return store1(o, r, v);
    case 36:   // TCP_INQ
      if (v < 0 || v > 1) return -EINVAL;
      return store1(o, r, v);
    case 44:   // TCP_RTO_MAX_MS
      if (v < 1000 || v > 120000) return -EINVAL;
      return store1(o, r, v);
    case 45: case 46: {   // TCP_RTO_MIN_US, TCP_DELACK_MAX_US: whole jiffies, 2..50
      const j = v < 0 ? 0x7fffffff : (v + 3999) / 4000;
      if (j > 50 || j < 2) return -EINVAL;
      return store1(o, r, j * 4000);
    }
  }
  return store1(o, r, OPT_KIND[r] == 1 ? boolOf(v) : v);
}

function setUdp(s: Sock, opt: i32, r: i32, val: usize, len: i32): i32 {
  const o = s.o;
  if (len < 4) return -EINVAL;
  const v = load<i32>(val);
  switch (opt) {
    case 100:   // UDP_ENCAP: none, ESP-in-UDP or L2TP
      if (v != 0 && v != 2 && v != 3) return -ENOPROTOOPT;
      return store1(o, r, v);
    case 103:   // UDP_SEGMENT
      if (v < 0 || v > 0xffff - (s.family == AF_INET ? 28 : 48)) return -EINVAL;
      return store1(o, r, v);
  }
  return store1(o, r, OPT_KIND[r] == 1 ? boolOf(v) : v);
}

function setIp6(s: Sock, opt: i32, r: i32, val: usize, len: i32): i32 {
  const o = s.o;
  const v = val != 0 && len >= 4 ? load<i32>(val) : 0;
  const stream = s.type == SOCK_STREAM;
  const x = extSlot(opt);
  if (x >= 0) {   // sticky extension headers
    if (opt != 57 && !privileged) return -EPERM;
    if (len == 0) { o.extLen[x] = 0; return 0; }
    if (len < 8 || (len & 7) != 0 || len > 2040) return -EINVAL;
    const hlen = (<i32>load<u8>(val + 1) + 1) * 8;
    if (hlen > len) return -EINVAL;
    if (opt == 57 && load<u8>(val + 2) != 4 && load<u8>(val + 2) != 2) return -EINVAL;   // SRH (4) or MIP6 (2)
    if (hlen > 256) return -EINVAL;
    if (o.ext == 0) o.ext = heap.alloc(4 * 256);
    memory.copy(o.ext + <usize>(x * 256), val, <usize>hlen);
    o.extLen[x] = hlen;
    return 0;
  }
  switch (opt) {
    case 1: {   // IPV6_ADDRFORM
      if (len < 4) return -EINVAL;
      if (v != AF_INET) return -EINVAL;
      if (!routed(s)) return -ENOTCONN;
      return -EADDRNOTAVAIL;   // only a v4-mapped peer can be turned into AF_INET (not modelled)
    }
    case 6: return len > 65536 ? -EINVAL : 0;   // IPV6_2292PKTOPTIONS: cmsgs (not kept)
    case 16:   // IPV6_UNICAST_HOPS
      if (len < 4) return -EINVAL;
      if (v > 255 || v < -1) return -EINVAL;
      return store1(o, r, v == -1 ? 64 : v);
    case 17:   // IPV6_MULTICAST_IF
      if (stream) return -ENOPROTOOPT;
      if (len < 4) return -EINVAL;
      if (v != 0) {
        if (o.dev != 0 && o.dev != v) return -EINVAL;
        if (!ifExists(v)) return -ENODEV;
      }
      return store1(o, r, v);
    case 18:   // IPV6_MULTICAST_HOPS
      if (stream) return -ENOPROTOOPT;
      if (len < 4) return -EINVAL;
      if (v > 255 || v < -1) return -EINVAL;
      return store1(o, r, v == -1 ? 1 : v);
    case 19:   // IPV6_MULTICAST_LOOP
      if (len < 4) return -EINVAL;
      if (v != 0 && v != 1) return -EINVAL;
      return store1(o, r, v);
    case 20: case 21: case 27: case 28: {   // IPV6_JOIN/LEAVE_GROUP, IPV6_JOIN/LEAVE_ANYCAST: struct ipv6_mreq
      if (len < 20) return -EINVAL;
      if (opt >= 27 && !privileged) return -EPERM;
      if (opt <= 21 && stream) return -EPROTO;
      if (opt <= 21 && load<u8>(val) != 0xff) return -EINVAL;
      const key = (load<u64>(val) ^ (load<u64>(val + 8) * 0x9e3779b97f4a7c15)) | 0x8000000000000000;
      if (opt == 20 || opt == 27) {
        if (hasGroup(o, key)) return -EADDRINUSE;
        o.groups.push(key); return 0;
      }
      if (!hasGroup(o, key)) return opt == 21 ? -EADDRNOTAVAIL : -ENOENT;
      dropGroup(o, key); return 0;
    }
    case 23:   // IPV6_MTU_DISCOVER
      if (len < 4) return -EINVAL;
      if (v < 0 || v > 5) return -EINVAL;
      return store1(o, r, v);
    case 24:   // IPV6_MTU: the fragment size
      if (len < 4) return -EINVAL;
      if (v != 0 && v < 1280) return -EINVAL;
      return store1(o, r, v);
    case 26:   // IPV6_V6ONLY: not once bound
      if (len < 4) return -EINVAL;
      if (s.bound) return -EINVAL;
      return store1(o, r, boolOf(v));
    case 31:   // IPV6_RECVERR_RFC4884
      if (len < 4) return -EINVAL;
      if (v < 0 || v > 1) return -EINVAL;
      return store1(o, r, v);
    case 32: {   // IPV6_FLOWLABEL_MGR: struct in6_flowlabel_req
      if (len < 32) return -EINVAL;
      const action = load<u8>(val + 20);
      return action <= 2 ? 0 : -EINVAL;
    }
    case 34: case 35:   // IPV6_IPSEC_POLICY, IPV6_XFRM_POLICY
      if (!privileged) return -EPERM;
      if (val == 0 && len == 0) return 0;
      if (len <= 0 || len > 4096) return -90;
      return opt == 34 ? -EOPNOTSUPP : -EINVAL;
    case 42: case 43: case 44: case 45: case 46: case 47: case 48:
      return mcastGroupReq(s, opt, val, len, true);
    case 50: {   // IPV6_PKTINFO: sticky source (not kept: getsockopt has none)
      if (len == 0) return 0;
      if (len < 20) return -EINVAL;
      const ix = load<i32>(val + 16);
      if (ix != 0 && !ifExists(ix)) return -ENODEV;
      return 0;
    }
    case 67: {   // IPV6_TCLASS: -1 resets; TCP keeps its ECN bits
      if (len < 4) return -EINVAL;
      if (v < -1 || v > 0xff) return -EINVAL;
      let t = v == -1 ? 0 : v;
      if (stream) t = (t & ~3) | (o.iv[r] & 3);
      return store1(o, r, t);
    }
    case 72: {   // IPV6_ADDR_PREFERENCES
      if (len < 4) return -EINVAL;
      let pref = 0, mask = ~0;
      switch (v & 0x103) {
        case 2: pref |= 2; mask &= ~3; break;
        case 1: pref |= 1; mask &= ~3; break;
        case 0x100: mask &= ~3; break;
        case 0: break;
        default: return -EINVAL;
      }
      switch (v & 0x404) {
        case 0x400: mask &= ~4; break;
        case 4: pref |= 4; break;
        case 0: break;
        default: return -EINVAL;
      }
      if ((v & 0x808) == 0x808) return -EINVAL;
      o.srcprefs = (o.srcprefs & mask & 7) | pref;
      return 0;
    }
    case 73:   // IPV6_MINHOPCOUNT
      if (len < 4) return -EINVAL;
      if (v < 0 || v > 255) return -EINVAL;
      return store1(o, r, v);
    case 75:   // IPV6_TRANSPARENT
      if (len < 4) return -EINVAL;
      if (v != 0 && !privileged) return -EPERM;
      return store1(o, r, boolOf(v));
    case 76: {   // IPV6_UNICAST_IF: network byte order
      if (len != 4) return -EINVAL;
      const ix = <i32>bswap<u32>(<u32>v);
      if (ix != 0 && !ifExists(ix)) return -EADDRNOTAVAIL;
      if (ix != 0 && o.dev != 0 && ix != o.dev) return -EINVAL;
      return store1(o, r, v);
    }
  }
  if (len < 4) return -EINVAL;
  return store1(o, r, OPT_KIND[r] == 1 ? boolOf(v) : v);
}

