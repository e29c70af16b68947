// The socket table: handle -> per-socket record, in core memory.
//
// A handle is a slot index (>= 1). A slot lives from creation to the real close (or detach):
// then it returns to the free list at once, so creating and closing sockets costs no
// garbage-collector work. The JS object of a closed socket switches to handle 0, a
// permanent record whose fd is -1, so every later call meets EBADF from the kernel exactly
// as CPython's calls on fd -1 do. A closed socket that still has a timeout other than None
// or makefile() files to count keeps its slot instead, as a closed record of its own (see
// retire): the core, not a JS shadow, answers gettimeout() and _io_refs after close. What
// stays readable after close (family, type, proto) is handed to the JS object at creation
// (SCR_OUT): it never changes, and reading it costs no crossing.
//
// A socket dropped while open is closed by a FinalizationRegistry, which holds the slot's
// index and generation: the generation (bits 8.. of the flags) tells a slot that was freed
// and reused since from the one the registry knew.

// Record layout (32 bytes).
@inline const R_FD: usize = 0;        // i32, -1 once closed or detached
@inline const R_FAMILY: usize = 4;    // i32
@inline const R_TYPE: usize = 8;      // i32, SOCK_NONBLOCK|SOCK_CLOEXEC stripped (CPython's .type)
@inline const R_PROTO: usize = 12;    // i32
@inline const R_TIMEOUT: usize = 16;  // i64 ns; -1 means None (blocking)
@inline const R_IOREFS: usize = 24;   // i32, makefile() references (socket.py's _io_refs)
@inline const R_FLAGS: usize = 28;    // i32, F_* bits
@inline const RECORD: usize = 32;

// Flag bits (F_USED, F_CLOSED, F_SHARED): src/ reads them through sock_flags, so they are the
// contract's (scripts/contract.py).
export { F_USED, F_CLOSED, F_SHARED } from "./generated/contract";
import { F_USED, F_CLOSED, F_SHARED } from "./generated/contract";
const GEN_SHIFT: i32 = 8;
const FLAG_BITS: i32 = (1 << GEN_SHIFT) - 1;

let table: usize = 0;
let capacity: i32 = 0;
let freeHead: i32 = 0;   // singly linked through R_FD of free slots; 0 ends the list

function grow(): void {
  const next = capacity == 0 ? 64 : capacity * 2;
  const fresh = heap.alloc(<usize>next * RECORD);
  memory.fill(fresh, 0, <usize>next * RECORD);
  if (capacity > 0) memory.copy(fresh, table, <usize>capacity * RECORD);
  // Slot 0 is never handed out: it is the closed socket every closed JS object points to.
  if (capacity == 0) {
    store<i32>(fresh + R_FD, -1);
    store<i64>(fresh + R_TIMEOUT, -1);
    store<i32>(fresh + R_FLAGS, F_USED | F_CLOSED);
  }
  for (let i = next - 1; i >= max(capacity, 1); i--) {
    store<i32>(fresh + <usize>i * RECORD + R_FD, freeHead);
    freeHead = i;
  }
  if (table != 0) heap.free(table);
  table = fresh;
  capacity = next;
}

@inline export function rec(h: i32): usize { return table + <usize>h * RECORD; }

/** True if h names a live slot (never slot 0). */
export function valid(h: i32): bool {
  return h > 0 && h < capacity && (load<i32>(rec(h) + R_FLAGS) & F_USED) != 0;
}

/** The slot's generation: how many times it has been handed out. */
@inline export function genOf(h: i32): i32 { return load<i32>(rec(h) + R_FLAGS) >>> GEN_SHIFT; }

export function alloc(fd: i32, family: i32, type: i32, proto: i32, timeoutNs: i64): i32 {
  if (freeHead == 0) grow();
  const h = freeHead;
  const r = rec(h);
  freeHead = load<i32>(r + R_FD);
  store<i32>(r + R_FD, fd);
  store<i32>(r + R_FAMILY, family);
  store<i32>(r + R_TYPE, type);
  store<i32>(r + R_PROTO, proto);
  store<i64>(r + R_TIMEOUT, timeoutNs);
  store<i32>(r + R_IOREFS, 0);
  const gen = ((load<i32>(r + R_FLAGS) >>> GEN_SHIFT) + 1) & 0xffffff;
  store<i32>(r + R_FLAGS, F_USED | (gen << GEN_SHIFT));
  return h;
}

export function free(h: i32): void {
  if (h == 0) return;             // the shared closed record is never freed
  const r = rec(h);
  store<i32>(r + R_FLAGS, load<i32>(r + R_FLAGS) & ~FLAG_BITS);   // keeps the generation
  store<i32>(r + R_FD, freeHead);
  freeHead = h;
}

/**
 * A socket closed or detached: its fd is gone (-1). What a closed JS object can still ask is
 * its timeout (gettimeout() after close(), settimeout() stores one) and its makefile() count
 * (files closed later drop it). When both are the shared closed record's (None, 0) the slot
 * is freed and the object moves to handle 0; otherwise the slot stays as this socket's
 * closed record, answering as slot 0 does otherwise (fd -1, no identity, not shared), until
 * the object is collected (sock_release) -- so src/ keeps no shadow of either.
 */
export function retire(h: i32): void {
  const r = rec(h);
  store<i32>(r + R_FD, -1);
  if (h == 0) return;
  if (load<i64>(r + R_TIMEOUT) == -1 && load<i32>(r + R_IOREFS) == 0) { free(h); return; }
  store<i32>(r + R_FAMILY, 0);
  store<i32>(r + R_TYPE, 0);
  store<i32>(r + R_PROTO, 0);
  setFlags(h, (flagsOf(h) | F_CLOSED) & ~F_SHARED);
}

/**
 * Every fd the table still holds, for src/'s last act on a core it gives up after an
 * internal error: writes up to `max` fds at `out` and marks their slots closed; returns
 * how many it wrote.
 */
export function takeAllFds(out: usize, max: i32): i32 {
  let n = 0;
  for (let h = 1; h < capacity && n < max; h++) {
    const r = rec(h);
    if ((load<i32>(r + R_FLAGS) & F_USED) == 0) continue;
    const fd = load<i32>(r + R_FD);
    if (fd < 0) continue;
    store<i32>(out + (<usize>n << 2), fd);
    store<i32>(r + R_FD, -1);
    n++;
  }
  return n;
}

@inline export function fdOf(h: i32): i32 { return load<i32>(rec(h) + R_FD); }
@inline export function setFd(h: i32, fd: i32): void { store<i32>(rec(h) + R_FD, fd); }
@inline export function familyOf(h: i32): i32 { return load<i32>(rec(h) + R_FAMILY); }
@inline export function typeOf(h: i32): i32 { return load<i32>(rec(h) + R_TYPE); }
@inline export function protoOf(h: i32): i32 { return load<i32>(rec(h) + R_PROTO); }
@inline export function timeoutOf(h: i32): i64 { return load<i64>(rec(h) + R_TIMEOUT); }
@inline export function setTimeoutNs(h: i32, ns: i64): void { store<i64>(rec(h) + R_TIMEOUT, ns); }
@inline export function flagsOf(h: i32): i32 { return load<i32>(rec(h) + R_FLAGS) & FLAG_BITS; }
@inline export function setFlags(h: i32, f: i32): void {
  const r = rec(h);
  store<i32>(r + R_FLAGS, (load<i32>(r + R_FLAGS) & ~FLAG_BITS) | (f & FLAG_BITS));
}
@inline export function iorefsOf(h: i32): i32 { return load<i32>(rec(h) + R_IOREFS); }
@inline export function setIorefs(h: i32, n: i32): void { store<i32>(rec(h) + R_IOREFS, n); }

