// Allocation of sizes that come from user input (struct formats and work areas, staged
// option values). AssemblyScript's heap.alloc aborts the core for a size over one TLSF
// block (BLOCK_MAXSIZE, just under 1 GiB): tryAlloc refuses such sizes first, and its caller
// returns a MemoryError code, as CPython's allocators answer (test/core-survives.test.ts).
// When memory cannot grow, TLSF traps in growMemory before it changes any of its state; a
// caller therefore updates its own state only after the allocation returned, and src/
// (core.ts, allocating()) turns that trap into MemoryError.

/** The largest block handed out: TLSF's BLOCK_MAXSIZE less room for rounding. */
export const ALLOC_MAX: u64 = (1 << 30) - 4096;

/** A block of `size` bytes, or 0 when the size is beyond ALLOC_MAX. */
export function tryAlloc(size: u64): usize {
  return size > ALLOC_MAX ? 0 : heap.alloc(<usize>size);
}
