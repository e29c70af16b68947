// The socket table: handle -> per-socket record, in core memory.
//
// A handle is a slot index (>= 1). A slot stays allocated from creation until the JS
// object that owns it is gone (release()), not merely until close(): CPython keeps a closed
// socket's state readable (gettimeout() on a closed socket answers), so closing only sets
// the fd to -1, exactly as socketmodule.c does. Slots are recycled through a free list.

// Record layout (32 bytes).
@inline const R_FD: usize = 0;        // i32, -1 once closed or detached
@inline const R_FAMILY: usize = 4;    // i32
@inline const R_TYPE: usize = 8;      // i32, SOCK_NONBLOCK|SOCK_CLOEXEC stripped (CPython's .type)
@inline const R_PROTO: usize = 12;    // i32
@inline const R_TIMEOUT: usize = 16;  // i64 ns; -1 means None (blocking)
@inline const R_IOREFS: usize = 24;   // i32, makefile() references (socket.py's _io_refs)
@inline const R_FLAGS: usize = 28;    // i32, F_* bits
@inline const RECORD: usize = 32;

export const F_USED: i32 = 1;
export const F_CLOSED: i32 = 2;       // socket.py's _closed

let table: usize = 0;
let capacity: i32 = 0;
let freeHead: i32 = 0;   // singly linked through R_FD of free slots; 0 ends the list
let live: i32 = 0;

function grow(): void {
  const next = capacity == 0 ? 64 : capacity * 2;
  const fresh = heap.alloc(<usize>next * RECORD);
  memory.fill(fresh, 0, <usize>next * RECORD);
  if (capacity > 0) memory.copy(fresh, table, <usize>capacity * RECORD);
  // Slot 0 is never handed out, so handle 0 can mean "none".
  for (let i = next - 1; i >= max(capacity, 1); i--) {
    store<i32>(fresh + <usize>i * RECORD + R_FD, freeHead);
    freeHead = i;
  }
  if (table != 0) heap.free(table);
  table = fresh;
  capacity = next;
}

@inline export function rec(h: i32): usize { return table + <usize>h * RECORD; }

/** True if h names a live slot. */
export function valid(h: i32): bool {
  return h > 0 && h < capacity && (load<i32>(rec(h) + R_FLAGS) & F_USED) != 0;
}

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
  store<i32>(r + R_FLAGS, F_USED);
  live++;
  return h;
}

export function free(h: i32): void {
  const r = rec(h);
  store<i32>(r + R_FLAGS, 0);
  store<i32>(r + R_FD, freeHead);
  freeHead = h;
  live--;
}

export function liveCount(): i32 { return live; }

@inline export function fdOf(h: i32): i32 { return load<i32>(rec(h) + R_FD); }
@inline export function setFd(h: i32, fd: i32): void { store<i32>(rec(h) + R_FD, fd); }
@inline export function familyOf(h: i32): i32 { return load<i32>(rec(h) + R_FAMILY); }
@inline export function typeOf(h: i32): i32 { return load<i32>(rec(h) + R_TYPE); }
@inline export function protoOf(h: i32): i32 { return load<i32>(rec(h) + R_PROTO); }
@inline export function timeoutOf(h: i32): i64 { return load<i64>(rec(h) + R_TIMEOUT); }
@inline export function setTimeoutNs(h: i32, ns: i64): void { store<i64>(rec(h) + R_TIMEOUT, ns); }
@inline export function flagsOf(h: i32): i32 { return load<i32>(rec(h) + R_FLAGS); }
@inline export function setFlags(h: i32, f: i32): void { store<i32>(rec(h) + R_FLAGS, f); }
@inline export function iorefsOf(h: i32): i32 { return load<i32>(rec(h) + R_IOREFS); }
@inline export function setIorefs(h: i32, n: i32): void { store<i32>(rec(h) + R_IOREFS, n); }

