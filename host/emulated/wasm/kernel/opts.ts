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

export function getsockopt(s: Sock, level: i32, opt: i32, val: usize, lenptr: usize): i32 {
  return -ENOPROTOOPT;
}

export function setsockopt(s: Sock, level: i32, opt: i32, val: usize, len: i32): i32 {
  return -ENOPROTOOPT;
}
