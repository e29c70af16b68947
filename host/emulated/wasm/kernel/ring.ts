// A byte queue: a stream's received bytes, or its sent bytes not yet delivered. The storage
// is a raw heap block (not a managed object: the core's runtime collects nothing while it
// runs), grown by doubling and kept for the socket's next use.

export class Ring {
  buf: usize = 0;
  cap: i32 = 0;
  head: i32 = 0;
  len: i32 = 0;

  /** Room for `more` bytes beyond what is queued (the caller bounds it by the window). */
  reserve(more: i32): void {
    const need = this.len + more;
    if (need <= this.cap) return;
    let cap = this.cap < 4096 ? 4096 : this.cap;
    while (cap < need) cap <<= 1;
    const nb = heap.alloc(<usize>cap);
    // Unwrap the old contents at the start of the new block.
    this.copyOut(nb, 0, this.len);
    if (this.buf != 0) heap.free(this.buf);
    this.buf = nb; this.cap = cap; this.head = 0;
  }

  /** Appends n bytes from `src`. */
  push(src: usize, n: i32): void {
    if (n <= 0) return;
    this.reserve(n);
    let tail = this.head + this.len;
    if (tail >= this.cap) tail -= this.cap;
    const first = min(n, this.cap - tail);
    memory.copy(this.buf + <usize>tail, src, <usize>first);
    if (first < n) memory.copy(this.buf, src + <usize>first, <usize>(n - first));
    this.len += n;
  }

  /** Copies n bytes starting `skip` bytes into the queue to `dst` (nothing is consumed). */
  copyOut(dst: usize, skip: i32, n: i32): void {
    if (n <= 0) return;
    let at = this.head + skip;
    if (at >= this.cap) at -= this.cap;
    const first = min(n, this.cap - at);
    memory.copy(dst, this.buf + <usize>at, <usize>first);
    if (first < n) memory.copy(dst + <usize>first, this.buf, <usize>(n - first));
  }

  /** Consumes n bytes from the front. */
  drop(n: i32): void {
    this.len -= n;
    this.head += n;
    if (this.head >= this.cap) this.head -= this.cap;
    if (this.len == 0) this.head = 0;
  }

  /** Moves up to n bytes from the front of `from` to the end of this queue; returns how many. */
  take(from: Ring, n: i32): i32 {
    if (n > from.len) n = from.len;
    if (n <= 0) return 0;
    this.reserve(n);
    let at = from.head;
    const first = min(n, from.cap - at);
    this.push(from.buf + <usize>at, first);
    if (first < n) this.push(from.buf, n - first);
    from.drop(n);
    return n;
  }

  clear(): void { this.head = 0; this.len = 0; }

  /** Gives the storage back (a socket closed for good). */
  release(): void {
    if (this.buf != 0) heap.free(this.buf);
    this.buf = 0; this.cap = 0; this.head = 0; this.len = 0;
  }
}
