// Fixed scratch areas in core memory, shared with the host (which passes them to the kernel
// without copying) and with src/ (which reads results out of them). One socket call uses
// them at a time: the core is single-threaded and no call re-enters another.

import { ALLOC_MAX, tryAlloc } from "./alloc";

/** Multi-value results: eight i32 slots. */
export const SCR_OUT: usize = memory.data(32, 8);
/** Option values, ioctl/fcntl buffers: 1024 bytes (CPython's getsockopt/ioctl limit) + slack. */
export const SCR_VAL_SIZE: i32 = 1024;
export const SCR_VAL: usize = memory.data(1024 + 16, 16);
/** socklen_t for SCR_VAL. */
export const SCR_LEN: usize = memory.data(8, 8);
/** A sockaddr (sockaddr_storage is 128 bytes on Linux) and its socklen_t. */
export const SCR_ADDR: usize = memory.data(128, 16);
export const SCR_ADDRLEN: usize = memory.data(8, 8);
/** Text in and out: host names, unix paths, formatted addresses. */
export const SCR_STR_SIZE: i32 = 1024;
export const SCR_STR: usize = memory.data(1024, 16);

/** A growable staging area for inputs larger than SCR_VAL (setsockopt with a big buffer). */
let stageBuf: usize = 0;
let stageCap: f64 = 0;

/**
 * Where an input of `len` bytes goes; 0 when no such area can be had (src/ raises
 * MemoryError). `len` is f64 so that no JS length wraps to a small i32 on its way here.
 */
export function stage(len: f64): usize {
  if (len <= <f64>SCR_VAL_SIZE) return SCR_VAL;
  if (len > stageCap) {
    if (!(len <= <f64>ALLOC_MAX)) return 0;
    // Forget the old area before allocating: a trap in heap.alloc then leaves none.
    if (stageBuf != 0) heap.free(stageBuf);
    stageBuf = 0; stageCap = 0;
    stageBuf = tryAlloc(<u64>len);
    stageCap = len;
  }
  return stageBuf;
}
