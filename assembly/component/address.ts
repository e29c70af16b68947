// The `address` variant (wit/core.wit, types.address) to and from the core's address codec
// (assembly/address.ts: text in SCR_STR, sockaddr in SCR_ADDR).
//
// Flattened, the variant is a discriminant and five i32 (the widest case, inet6: host
// pointer and length, port, flowinfo, scope-id); in memory, the discriminant byte at 0 and
// the payload at 4, 24 bytes in all.

import { SCR_STR, SCR_STR_SIZE, SCR_OUT, SCR_ADDRLEN } from "../layout";
import { ADDR_NONE, ADDR_INET, ADDR_INET6, ADDR_UNIX, ADDR_UNIX_ABSTRACT, ADDR_OTHER, AF_INET, AF_INET6, AF_UNIX } from "../address";
import { fail, E_NAME_LOOKUP, E_UNIX_PATH_LONG } from "../errors";
import { addr_decode } from "../index";
import { CABI_free } from "./memory";

const A_NONE = 0, A_INET = 1, A_INET6 = 2, A_UNIX = 3, A_UNIX_ABSTRACT = 4, A_OTHER = 5;

/** The lowered address, for sock_bind/sock_connect/addr_encode: family, text length, numbers. */
export let aFamily: i32 = 0;
export let aLen: i32 = 0;
export let aPort: i32 = 0;
export let aFlow: u32 = 0;
export let aScope: u32 = 0;

/** Copies the argument's bytes to SCR_STR and frees them (the callee owns its arguments). */
function text(p: usize, n: i32, tooLong: i32): i32 {
  if (n > SCR_STR_SIZE) { CABI_free(p); return fail(tooLong); }
  memory.copy(SCR_STR, p, n);
  CABI_free(p);
  aLen = n;
  return 0;
}

/**
 * Reads a flattened `address` argument into SCR_STR and the a* globals: 0, or the core's
 * error. A host text longer than SCR_STR could only be a name, which needs a lookup; a
 * unix path that long is AF_UNIX's own error.
 */
export function lowerAddress(tag: i32, a: i32, b: i32, c: i32, d: i32, e: i32): i32 {
  aLen = 0; aPort = 0; aFlow = 0; aScope = 0;
  switch (tag) {
    case A_INET: aFamily = AF_INET; aPort = c; return text(<usize>a, b, E_NAME_LOOKUP);
    case A_INET6: aFamily = AF_INET6; aPort = c; aFlow = <u32>d; aScope = <u32>e; return text(<usize>a, b, E_NAME_LOOKUP);
    case A_UNIX: case A_UNIX_ABSTRACT: aFamily = AF_UNIX; return text(<usize>a, b, E_UNIX_PATH_LONG);
    // (family, bytes): the core builds no sockaddr for a family it does not know ("bad family").
    case A_OTHER: aFamily = a; CABI_free(<usize>b); return 0;
  }
  aFamily = 0;   // none: no family at all, the same "bad family"
  return 0;
}

/**
 * Writes the address the core left in SCR_ADDR (its length at SCR_ADDRLEN) as the variant
 * at `at`; strings and bytes point into SCR_STR, valid until the next call.
 */
export function liftAddress(at: usize): void {
  liftAddressOf(load<i32>(SCR_ADDRLEN), at);
}

export function liftAddressOf(len: i32, at: usize): void {
  const kind = addr_decode(len);
  const n = load<i32>(SCR_OUT);
  switch (kind) {
    case ADDR_INET:
      store<u8>(at, A_INET);
      store<usize>(at, SCR_STR, 4); store<i32>(at, n, 8); store<i32>(at, load<i32>(SCR_OUT + 4), 12);
      return;
    case ADDR_INET6:
      store<u8>(at, A_INET6);
      store<usize>(at, SCR_STR, 4); store<i32>(at, n, 8); store<i32>(at, load<i32>(SCR_OUT + 4), 12);
      store<u32>(at, load<u32>(SCR_OUT + 8), 16); store<u32>(at, load<u32>(SCR_OUT + 12), 20);
      return;
    case ADDR_UNIX: case ADDR_UNIX_ABSTRACT:
      store<u8>(at, kind == ADDR_UNIX ? A_UNIX : A_UNIX_ABSTRACT);
      store<usize>(at, SCR_STR, 4); store<i32>(at, n, 8);
      return;
    case ADDR_OTHER:
      store<u8>(at, A_OTHER);
      store<i32>(at, load<i32>(SCR_OUT + 16), 4); store<usize>(at, SCR_STR, 8); store<i32>(at, n, 12);
      return;
  }
  store<u8>(at, A_NONE);
}
