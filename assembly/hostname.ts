// gethostname() and sethostname(name): socketmodule.c's socket_gethostname and
// socket_sethostname, decided here, with the host asking the OS through the hostname_*
// imports (bindings/host.ts, capability hostname).
//
// src/hostname.ts writes sethostname's bytes at hn_buf() and reads gethostname's there.
// Under a policy sethostname is refused before the host is asked: a sandbox does not rename
// the machine it runs on. gethostname stays allowed (it reveals no more than uname does).

import { host_hostname_get, host_hostname_set } from "./bindings/host";
import { hasCap, CAP_HOSTNAME, E_NOT_AVAILABLE } from "./caps";
import { fail, E_HOSTNAME_DENIED } from "./errors";
import * as policy from "./policy";

/** CPython's buffer: char buf[1024], of which gethostname may fill 1023 bytes. */
const HN_SIZE: i32 = 1024;
const HN_BUF: usize = memory.data(HN_SIZE + 8, 16);
const EINVAL: i32 = 22;

/** Where the name goes in (sethostname) and comes out (gethostname). */
export function hn_buf(): usize { return HN_BUF; }

/**
 * gethostname(): the name's length at hn_buf(), or an error. CPython calls
 * gethostname(buf, sizeof(buf) - 1) and terminates buf itself, so a longer name is cut at 1023.
 */
export function hn_get(): i32 {
  if (!hasCap(CAP_HOSTNAME)) return fail(E_NOT_AVAILABLE + CAP_HOSTNAME);
  const r = host_hostname_get(HN_BUF, HN_SIZE);
  if (r < 0) return r;
  store<u8>(HN_BUF + <usize>(HN_SIZE - 1), 0);
  let n = 0;
  while (n < HN_SIZE - 1 && load<u8>(HN_BUF + <usize>n) != 0) n++;
  return n;
}

/**
 * sethostname(buf, len) of the `len` bytes at hn_buf(): 0 or an error. src/ gives a longer
 * name as its first 1024 bytes and len 1025: the host still answers (Linux: EPERM for an
 * unprivileged caller before EINVAL for any length over 64), and 1025 bytes are readable.
 */
export function hn_set(len: i32): i32 {
  if (!hasCap(CAP_HOSTNAME)) return fail(E_NOT_AVAILABLE + CAP_HOSTNAME);
  if (policy.active) return fail(E_HOSTNAME_DENIED);
  if (len < 0 || len > HN_SIZE + 1) return -EINVAL;
  return host_hostname_set(HN_BUF, len);
}
