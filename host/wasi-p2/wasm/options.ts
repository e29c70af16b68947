// Socket options on wasi:sockets 0.2 (the statuses are host/wasi-p2/options.ts's
// WASI_P2_OPTIONS; test/wasi-p2.test.ts holds the two together):
// - applied through p2 methods, with Linux's units and rules at this edge: SO_KEEPALIVE,
//   TCP_KEEPIDLE / TCP_KEEPINTVL (s <-> ns), TCP_KEEPCNT, IP_TTL / IPV6_UNICAST_HOPS (hop
//   limit), SO_RCVBUF / SO_SNDBUF (Linux reports twice what was asked: so does this);
// - derived from the socket's state, as Linux would answer: SO_TYPE, SO_PROTOCOL, SO_DOMAIN,
//   SO_ACCEPTCONN, SO_ERROR;
// - stored where p2 has no method and Linux's value is known (wasi-libc does the same):
//   TCP_NODELAY, SO_REUSEADDR (p2's TCP bind ignores TIME_WAIT already), IPV6_V6ONLY (always
//   1 on p2: setting 0 is refused), SO_KEEPALIVE on UDP (no effect on Linux either);
// - everything else ENOPROTOOPT, as wasi-libc answers.
// Levels follow Linux: an option of another protocol's level is EOPNOTSUPP on get and
// ENOPROTOOPT on set (tcp_getsockopt -> ip_getsockopt), an IPv6 option on an IPv4 socket too.

import * as p2 from "./abi/wasi";
import { RET } from "./abi/wasi";
import { Sock, tryFinishConnect, errnoOf, AF_INET, AF_INET6, S_LISTEN, S_CONNECTING, EINVAL, EOPNOTSUPP } from "./host";

const ENOPROTOOPT: i32 = 92;
const SOL_SOCKET: i32 = 1, IPPROTO_IP: i32 = 0, IPPROTO_TCP: i32 = 6, IPPROTO_IPV6: i32 = 41;
const SO_REUSEADDR: i32 = 2, SO_TYPE: i32 = 3, SO_ERROR: i32 = 4, SO_SNDBUF: i32 = 7, SO_RCVBUF: i32 = 8,
  SO_KEEPALIVE: i32 = 9, SO_ACCEPTCONN: i32 = 30, SO_PROTOCOL: i32 = 38, SO_DOMAIN: i32 = 39;
const TCP_NODELAY: i32 = 1, TCP_KEEPIDLE: i32 = 4, TCP_KEEPINTVL: i32 = 5, TCP_KEEPCNT: i32 = 6;
const IP_TTL: i32 = 2;
const IPV6_UNICAST_HOPS: i32 = 16, IPV6_V6ONLY: i32 = 26;
const NS: u64 = 1_000_000_000;
/** Linux's MAX_TCP_KEEPIDLE / MAX_TCP_KEEPINTVL and MAX_TCP_KEEPCNT. */
const MAX_KEEP_SECS: i32 = 32767, MAX_KEEPCNT: i32 = 127;

/** Which levels answer on this socket: get is EOPNOTSUPP, set ENOPROTOOPT, for the others. */
function levelApplies(s: Sock, level: i32): bool {
  if (level == SOL_SOCKET || level == IPPROTO_IP) return true;
  if (level == IPPROTO_TCP) return s.tcp;
  if (level == IPPROTO_IPV6) return s.family == AF_INET6;
  return false;
}

/** Writes an int option value as Linux does: min(len, 4) bytes, the length back. */
function putInt(v: i32, val: usize, lenptr: usize, ipByte: bool = false): i32 {
  const len = load<i32>(lenptr);
  if (len < 0) return -EINVAL;
  // ip_getsockopt: a buffer shorter than an int gets one unsigned char when the value fits.
  if (ipByte && len > 0 && len < 4 && v >= 0 && v <= 255) { store<u8>(val, <u8>v); store<i32>(lenptr, 1); return 0; }
  const n = min(len, 4);
  store<i32>(changetype<usize>(TMP), v);
  memory.copy(val, changetype<usize>(TMP), <usize>n);
  store<i32>(lenptr, n);
  return 0;
}
const TMP = new StaticArray<u8>(8);

/** The p2 call's result in RET as an int option (-errno on its error). */
function fromResult(at: usize, kind: i32): i64 {
  if (load<u8>(RET) != 0) return -<i64>errnoOf(<i32>load<u8>(RET + at));
  switch (kind) {
    case 0: return <i64>load<u8>(RET + at);          // bool, u8
    case 1: return <i64>load<u32>(RET + at);         // u32
  }
  return <i64>load<u64>(RET + at);                   // u64
}

export function getOption(s: Sock, level: i32, opt: i32, val: usize, lenptr: usize): i32 {
  // ip_getsockopt says EOPNOTSUPP for a level it does not know, ipv6_getsockopt ENOPROTOOPT.
  if (!levelApplies(s, level)) return s.family == AF_INET6 ? -ENOPROTOOPT : -EOPNOTSUPP;
  let v: i64 = 0;
  if (level == SOL_SOCKET) {
    switch (opt) {
      case SO_TYPE: v = s.tcp ? 1 : 2; break;
      case SO_PROTOCOL: v = s.tcp ? 6 : 17; break;
      case SO_DOMAIN: v = s.family; break;
      // Linux's state, not p2's is-listening: preview2-shim reports a bound socket as listening.
      case SO_ACCEPTCONN: v = s.st == S_LISTEN ? 1 : 0; break;
      case SO_ERROR:
        if (s.st == S_CONNECTING) tryFinishConnect(s);
        v = s.soError; s.soError = 0; break;
      case SO_REUSEADDR: v = s.reuseaddr; break;
      case SO_KEEPALIVE:
        if (!s.tcp) { v = s.keepaliveUdp; break; }
        p2.tcp_keep_alive_enabled(s.h, RET); v = fromResult(1, 0); break;
      case SO_RCVBUF: case SO_SNDBUF:
        if (s.tcp) { if (opt == SO_RCVBUF) p2.tcp_receive_buffer_size(s.h, RET); else p2.tcp_send_buffer_size(s.h, RET); }
        else { if (opt == SO_RCVBUF) p2.udp_receive_buffer_size(s.h, RET); else p2.udp_send_buffer_size(s.h, RET); }
        v = fromResult(8, 2);
        // Linux reports the doubled size it reserved (sock_setsockopt: val * 2).
        if (v > 0) v = min<i64>(v * 2, i32.MAX_VALUE);
        break;
      default: return -ENOPROTOOPT;
    }
  } else if (level == IPPROTO_TCP) {
    switch (opt) {
      case TCP_NODELAY: v = s.nodelay; break;
      case TCP_KEEPIDLE: case TCP_KEEPINTVL:
        if (opt == TCP_KEEPIDLE) p2.tcp_keep_alive_idle_time(s.h, RET); else p2.tcp_keep_alive_interval(s.h, RET);
        v = fromResult(8, 2);
        // ns -> s; a runtime's sub-second value reads as 1, the least Linux holds.
        if (v >= 0) { v = <i64>(<u64>v / NS); if (v == 0) v = 1; }
        break;
      case TCP_KEEPCNT: p2.tcp_keep_alive_count(s.h, RET); v = fromResult(4, 1); break;
      default: return -ENOPROTOOPT;
    }
  } else if (level == IPPROTO_IP) {
    if (opt != IP_TTL) return -ENOPROTOOPT;
    // p2 has one hop limit per socket: IPv4's TTL on an IPv4 socket only (wasi-libc: EAFNOSUPPORT).
    if (s.family != AF_INET) return -ENOPROTOOPT;
    if (s.tcp) p2.tcp_hop_limit(s.h, RET); else p2.udp_unicast_hop_limit(s.h, RET);
    v = fromResult(1, 0);
  } else {
    switch (opt) {
      case IPV6_V6ONLY: v = 1; break;
      case IPV6_UNICAST_HOPS:
        if (s.tcp) p2.tcp_hop_limit(s.h, RET); else p2.udp_unicast_hop_limit(s.h, RET);
        v = fromResult(1, 0); break;
      default: return -ENOPROTOOPT;
    }
  }
  if (v < 0) return <i32>v;
  return putInt(<i32>v, val, lenptr, level == IPPROTO_IP);
}

/** A p2 setter's result: 0 or -errno. */
@inline function setResult(): i32 { return load<u8>(RET) != 0 ? -errnoOf(<i32>load<u8>(RET + 1)) : 0; }

export function setOption(s: Sock, level: i32, opt: i32, val: usize, len: i32): i32 {
  if (!levelApplies(s, level)) return -ENOPROTOOPT;
  if (!known(s, level, opt)) return -ENOPROTOOPT;
  // Every option here is an int: Linux wants at least 4 bytes (IP_TTL takes 1, ip_setsockopt).
  // The length is checked before the value is read (a NULL value of too short a length is EINVAL).
  if (len < 4 && !(level == IPPROTO_IP && len >= 1)) return -EINVAL;
  if (val == 0) return -14;     // EFAULT
  const v: i32 = len >= 4 ? load<i32>(val) : <i32>load<u8>(val);
  if (level == SOL_SOCKET) {
    switch (opt) {
      case SO_REUSEADDR: s.reuseaddr = v != 0 ? 1 : 0; return 0;
      case SO_KEEPALIVE:
        if (!s.tcp) { s.keepaliveUdp = v != 0 ? 1 : 0; return 0; }
        p2.tcp_set_keep_alive_enabled(s.h, v != 0 ? 1 : 0, RET); return setResult();
      case SO_RCVBUF: case SO_SNDBUF: {
        // Linux takes the int as unsigned and keeps twice it (reported by getsockopt); p2
        // takes the size asked for (a runtime on Linux passes it to setsockopt, which doubles).
        const n = <i64><u32>v;
        const size = n < 1 ? 1 : n > 0x3fffffff ? 0x3fffffff : n;
        if (s.tcp) { if (opt == SO_RCVBUF) p2.tcp_set_receive_buffer_size(s.h, size, RET); else p2.tcp_set_send_buffer_size(s.h, size, RET); }
        else { if (opt == SO_RCVBUF) p2.udp_set_receive_buffer_size(s.h, size, RET); else p2.udp_set_send_buffer_size(s.h, size, RET); }
        return setResult();
      }
    }
    return -ENOPROTOOPT;    // SO_TYPE, SO_PROTOCOL, SO_DOMAIN, SO_ACCEPTCONN, SO_ERROR: read-only
  }
  if (level == IPPROTO_TCP) {
    switch (opt) {
      case TCP_NODELAY: s.nodelay = v != 0 ? 1 : 0; return 0;
      case TCP_KEEPIDLE: case TCP_KEEPINTVL:
        if (v < 1 || v > MAX_KEEP_SECS) return -EINVAL;
        if (opt == TCP_KEEPIDLE) p2.tcp_set_keep_alive_idle_time(s.h, <i64>v * <i64>NS, RET);
        else p2.tcp_set_keep_alive_interval(s.h, <i64>v * <i64>NS, RET);
        return setResult();
      case TCP_KEEPCNT:
        if (v < 1 || v > MAX_KEEPCNT) return -EINVAL;
        p2.tcp_set_keep_alive_count(s.h, v, RET); return setResult();
    }
    return -ENOPROTOOPT;
  }
  if (level == IPPROTO_IP || opt == IPV6_UNICAST_HOPS) {
    // Linux: -1 restores the default (64, ip_default_ttl), 1..255 otherwise (0 too for IPv6,
    // which p2 cannot express: hop limit 0 is its invalid-argument).
    const hops = v == -1 ? 64 : v;
    if (hops < (level == IPPROTO_IP ? 1 : 0) || hops > 255) return -EINVAL;
    if (s.tcp) p2.tcp_set_hop_limit(s.h, hops, RET); else p2.udp_set_unicast_hop_limit(s.h, hops, RET);
    return setResult();
  }
  // IPV6_V6ONLY: p2 sockets are IPv6-only, so 1 is what they already are and 0 cannot be had.
  return v != 0 ? 0 : -EOPNOTSUPP;
}

/** Whether (level, opt) is one this host answers at all (else ENOPROTOOPT, before the value is read). */
function known(s: Sock, level: i32, opt: i32): bool {
  if (level == SOL_SOCKET) {
    return opt == SO_REUSEADDR || opt == SO_KEEPALIVE || opt == SO_RCVBUF || opt == SO_SNDBUF ||
      opt == SO_TYPE || opt == SO_PROTOCOL || opt == SO_DOMAIN || opt == SO_ACCEPTCONN || opt == SO_ERROR;
  }
  if (level == IPPROTO_TCP) return opt == TCP_NODELAY || opt == TCP_KEEPIDLE || opt == TCP_KEEPINTVL || opt == TCP_KEEPCNT;
  if (level == IPPROTO_IP) return opt == IP_TTL && s.family == AF_INET;
  return opt == IPV6_UNICAST_HOPS || opt == IPV6_V6ONLY;
}
