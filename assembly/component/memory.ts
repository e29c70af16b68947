// Memory the canonical ABI moves through: cabi_realloc (how a caller places an export's
// list and string arguments in core memory, and how a host returns its lists) and the
// matching free. The minimal runtime's TLSF heap serves both; blocks are 16-byte aligned,
// more than any WIT type here needs.

/**
 * A zero-length allocation: a fixed non-zero address that is never freed, so an empty list
 * costs no heap block and freeBlock() can tell it apart.
 */
const EMPTY: usize = memory.data(16, 16);

/** The canonical ABI's allocator (exported as `cabi_realloc`). */
export function CABI_realloc(old: usize, oldSize: usize, align: usize, size: usize): usize {
  if (size == 0) {
    CABI_free(old);
    return EMPTY;
  }
  if (old == 0 || old == EMPTY) return heap.alloc(size);
  return heap.realloc(old, size);
}

/** Frees what cabi_realloc handed out (0 and the empty block are not blocks). */
export function CABI_free(p: usize): void {
  if (p != 0 && p != EMPTY) heap.free(p);
}
