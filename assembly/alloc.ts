// Allocation of sizes that come from user input (struct formats and work areas, staged
// option values). AssemblyScript's heap.alloc aborts the core for a size over one TLSF
// block (BLOCK_MAXSIZE, just under 1 GiB): tryAlloc refuses such sizes first, and its caller
// returns a MemoryError code, as CPython's allocators answer (test/core-survives.test.ts).
// When memory cannot grow, TLSF traps in growMemory before it changes any of its state; a
// caller therefore updates its own state only after the allocation returned, and src/
// (core.ts, allocating()) turns that trap into MemoryError.

// ALLOC_MAX, the largest block handed out (TLSF's BLOCK_MAXSIZE less room for rounding), is
// a contract number: src/struct.ts checks against the same one (scripts/contract.py).
import { ALLOC_MAX } from "./generated/contract";
export { ALLOC_MAX };

/** A block of `size` bytes, or 0 when the size is beyond ALLOC_MAX. */
export function tryAlloc(size: u64): usize {
  return size > ALLOC_MAX ? 0 : heap.alloc(<usize>size);
}
