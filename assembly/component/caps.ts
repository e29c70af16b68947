// The capability set a component's host declares, as names (wit/core.wit: host.capabilities),
// read once when the core starts. The component serves only what its host interface can carry:
// fcntl, ioctl, name lookup and js_buffers have no function there, so they
// are never granted, whatever the host says (NotAvailableError, as on any host lacking them).

import {
  CAP_NAMES, CAP_COUNT, CAP_FCNTL, CAP_IOCTL_POSIX, CAP_IOCTL_WINDOWS, CAP_NAME_LOOKUP,
  CAP_JS_BUFFERS, CAP_SENDMSG, CAP_ANCILLARY,
} from "../generated/contract";
import { CABI_free } from "./memory";

@external("wasock:core/host", "name") declare function wit_name(ret: usize): void;
@external("wasock:core/host", "capabilities") declare function wit_capabilities(ret: usize): void;

const RET: usize = memory.data(8, 8);

const UNSERVED: i32 = (1 << CAP_FCNTL) | (1 << CAP_IOCTL_POSIX) | (1 << CAP_IOCTL_WINDOWS)
  | (1 << CAP_NAME_LOOKUP) | (1 << CAP_JS_BUFFERS)
  | (1 << CAP_SENDMSG) | (1 << CAP_ANCILLARY);    // wit/core.wit has no sendmsg/recvmsg

/** The host's name (UTF-8), for NotAvailableError's message: at most 255 bytes kept. */
const HOST_NAME: usize = memory.data(256);
let hostNameLen: i32 = 0;
export function COMP_host_name(): usize { return HOST_NAME; }
export function COMP_host_name_len(): i32 { return hostNameLen; }
/** A host compiled into the core (no `name` import to ask) names itself: ASCII, at most 255 bytes. */
export function COMP_set_host_name(s: string): void {
  hostNameLen = min(s.length, 255);
  for (let i = 0; i < hostNameLen; i++) store<u8>(HOST_NAME + i, <u8>s.charCodeAt(i));
}

/** True when the UTF-8 bytes [p, p+n) spell the ASCII string s. */
function sameName(p: usize, n: i32, s: string): bool {
  if (n != s.length) return false;
  for (let i = 0; i < n; i++) if (<i32>load<u8>(p + i) != s.charCodeAt(i)) return false;
  return true;
}

/** The capability bit named by [p, p+n), or -1 for a name wasock does not have. */
export function COMP_cap_bit(p: usize, n: i32): i32 {
  for (let c = 0; c < CAP_COUNT; c++) if (sameName(p, n, CAP_NAMES[c])) return c;
  return -1;
}

/**
 * The core's capability bits (HOST_caps): the host's names, less what a component cannot
 * serve. A name wasock does not know grants nothing (deny by default): the embedder meets
 * NotAvailableError naming the capability it meant.
 */
export function COMP_caps_from_host(): i32 {
  wit_name(RET);
  const np = load<usize>(RET), nn = load<i32>(RET + 4);
  hostNameLen = nn < 255 ? nn : 255;
  memory.copy(HOST_NAME, np, hostNameLen);
  CABI_free(np);

  wit_capabilities(RET);
  const list = load<usize>(RET), count = load<i32>(RET + 4);
  let bits = 0;
  for (let i = 0; i < count; i++) {
    const sp = load<usize>(list + (<usize>i << 3)), sn = load<i32>(list + (<usize>i << 3) + 4);
    const b = COMP_cap_bit(sp, sn);
    if (b >= 0) bits |= 1 << b;
    CABI_free(sp);
  }
  CABI_free(list);
  return bits & ~UNSERVED;
}
