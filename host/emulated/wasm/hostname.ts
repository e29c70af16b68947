// The emulated network's machine names (bindings/host.ts's hostname_* imports): each machine
// has its own UTS name, set by the embedder to the machine's name in the network
// ("localhost" for the default one) and changed by sethostname as Linux's sethostname(2) changes it:
// CAP_SYS_ADMIN first (the network's `privileged` option, else EPERM), then at most
// __NEW_UTS_LEN (64) bytes (else EINVAL). Names are bytes: Linux keeps what it is given.

import { current } from "./kernel/net";
import { privileged } from "./kernel/opts";
import { countHostCall } from "./host";

const EPERM: i32 = 1, EINVAL: i32 = 22;
const NEW_UTS_LEN: i32 = 64;
const names = new Array<ArrayBuffer>();

function nameOf(m: i32): ArrayBuffer {
  while (names.length <= m) names.push(new ArrayBuffer(0));
  return names[m];
}

/** Machine m's name is the n bytes at p (the embedder's setup: not a host call, no checks). */
export function EMU_set_hostname(m: i32, p: usize, n: i32): void {
  nameOf(m);
  const b = new ArrayBuffer(n);
  memory.copy(changetype<usize>(b), p, <usize>n);
  names[m] = b;
}

/** gethostname(out, cap) on the current machine: glibc's copy of uname's nodename. */
export function HOST_hostname_get(out: usize, cap: i32): i32 {
  countHostCall();
  if (cap <= 0) return -EINVAL;
  const b = nameOf(current);
  // utsname.nodename is NUL-terminated at the first NUL sethostname was given.
  let n = 0;
  while (n < b.byteLength && load<u8>(changetype<usize>(b) + <usize>n) != 0) n++;
  const k = n < cap - 1 ? n : cap - 1;
  memory.copy(out, changetype<usize>(b), <usize>k);
  store<u8>(out + <usize>k, 0);
  return k;
}

/** sethostname(name, len) on the current machine. */
export function HOST_hostname_set(name: usize, len: i32): i32 {
  countHostCall();
  if (!privileged) return -EPERM;
  if (len < 0 || len > NEW_UTS_LEN) return -EINVAL;
  EMU_set_hostname(current, name, len);
  return 0;
}
