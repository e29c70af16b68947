// Socket options of the emulated kernel, stored as Linux stores them. (A first cut: the
// options the kernel's behaviour reads. The whole option table follows.)

import { Sock } from "./sock";
import { SOL_SOCKET, IPPROTO_TCP, ENOPROTOOPT, EINVAL, NS } from "./defs";

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
}

export function optsInit(s: Sock): void {
  const o = s.o;
  o.rcvbuf = s.family == 1 ? 212992 : (s.type == 2 ? 212992 : 131072);
  o.sndbuf = s.family == 1 ? 212992 : (s.type == 2 ? 212992 : 16384);
  o.rcvtimeo = 0; o.sndtimeo = 0; o.keepalive = false; o.keepidle = 7200; o.keepintvl = 75; o.keepcnt = 9;
  o.lingerOn = false; o.lingerSecs = 0; o.reuseaddr = false; o.reuseport = false; o.v6only = false;
  o.nodelay = false; o.broadcast = false; o.rcvlowat = 1;
}

/** An accepted socket's options: the listener's, as Linux's sk_clone_lock copies them. */
export function optsInherit(from: Sock, to: Sock): void {
  const a = from.o, b = to.o;
  b.rcvbuf = a.rcvbuf; b.sndbuf = a.sndbuf; b.rcvtimeo = a.rcvtimeo; b.sndtimeo = a.sndtimeo;
  b.keepalive = a.keepalive; b.keepidle = a.keepidle; b.keepintvl = a.keepintvl; b.keepcnt = a.keepcnt;
  b.lingerOn = a.lingerOn; b.lingerSecs = a.lingerSecs; b.reuseaddr = a.reuseaddr; b.reuseport = a.reuseport;
  b.v6only = a.v6only; b.nodelay = a.nodelay; b.broadcast = a.broadcast; b.rcvlowat = a.rcvlowat;
}

// Interim (the whole table replaces this): the options the scenarios and the kernel need.
function putInt(val: usize, lenptr: usize, v: i32): i32 {
  const n = load<i32>(lenptr);
  if (n < 0) return -EINVAL;
  const m = min(n, 4);
  if (m == 4) store<i32>(val, v); else for (let i = 0; i < m; i++) store<u8>(val + <usize>i, <u8>(v >> (8 * i)));
  store<i32>(lenptr, m);
  return 0;
}

export function getsockopt(s: Sock, level: i32, opt: i32, val: usize, lenptr: usize): i32 {
  const o = s.o;
  if (level == SOL_SOCKET) {
    switch (opt) {
      case 2: return putInt(val, lenptr, o.reuseaddr ? 1 : 0);
      case 3: return putInt(val, lenptr, s.type);
      case 4: { const e = s.err; s.err = 0; return putInt(val, lenptr, e); }
      case 6: return putInt(val, lenptr, o.broadcast ? 1 : 0);
      case 7: return putInt(val, lenptr, o.sndbuf);
      case 8: return putInt(val, lenptr, o.rcvbuf);
      case 9: return putInt(val, lenptr, o.keepalive ? 1 : 0);
      case 13: {
        const n = min(load<i32>(lenptr), 8);
        if (n < 0) return -EINVAL;
        store<i32>(val, o.lingerOn ? 1 : 0); if (n >= 8) store<i32>(val + 4, o.lingerSecs);
        store<i32>(lenptr, n); return 0;
      }
      case 15: return putInt(val, lenptr, o.reuseport ? 1 : 0);
      case 18: return putInt(val, lenptr, o.rcvlowat);
      case 30: return putInt(val, lenptr, s.state == 10 ? 1 : 0);
      case 38: return putInt(val, lenptr, s.proto);
      case 39: return putInt(val, lenptr, s.family);
    }
    return -ENOPROTOOPT;
  }
  if (level == IPPROTO_TCP && s.family != 1 && s.type == 1) {
    switch (opt) {
      case 1: return putInt(val, lenptr, o.nodelay ? 1 : 0);
      case 4: return putInt(val, lenptr, o.keepidle);
      case 5: return putInt(val, lenptr, o.keepintvl);
      case 6: return putInt(val, lenptr, o.keepcnt);
      case 11: {
        const n = min(load<i32>(lenptr), 232);
        if (n < 0) return -EINVAL;
        memory.fill(val, 0, <usize>n);
        if (n > 0) store<u8>(val, <u8>s.state);
        store<i32>(lenptr, n); return 0;
      }
    }
    return -ENOPROTOOPT;
  }
  return -ENOPROTOOPT;
}

export function setsockopt(s: Sock, level: i32, opt: i32, val: usize, len: i32): i32 {
  const o = s.o;
  if (level == SOL_SOCKET) {
    if (opt == 13) {
      if (len < 8) return -EINVAL;
      o.lingerOn = load<i32>(val) != 0; o.lingerSecs = load<i32>(val + 4); return 0;
    }
    if (len < 4) return -EINVAL;
    const v = load<i32>(val);
    switch (opt) {
      case 2: o.reuseaddr = v != 0; return 0;
      case 6: o.broadcast = v != 0; return 0;
      case 7: o.sndbuf = max(4608, min(v, 212992) * 2); return 0;
      case 8: o.rcvbuf = max(2304, min(v, 212992) * 2); return 0;
      case 9: o.keepalive = v != 0; return 0;
      case 15: o.reuseport = v != 0; return 0;
      case 18: o.rcvlowat = v < 1 ? 1 : v; return 0;
    }
    return -ENOPROTOOPT;
  }
  if (level == IPPROTO_TCP && s.family != 1 && s.type == 1) {
    if (len < 4) return -EINVAL;
    const v = load<i32>(val);
    switch (opt) {
      case 1: o.nodelay = v != 0; return 0;
      case 4: if (v < 1 || v > 32767) return -EINVAL; o.keepidle = v; return 0;
      case 5: if (v < 1 || v > 32767) return -EINVAL; o.keepintvl = v; return 0;
      case 6: if (v < 1 || v > 127) return -EINVAL; o.keepcnt = v; return 0;
    }
    return -ENOPROTOOPT;
  }
  return -ENOPROTOOPT;
}
