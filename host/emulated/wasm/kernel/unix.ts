// AF_UNIX names: paths and abstract names in a table of the network's own (no file system is
// touched). As on Linux, a path stays after its socket closes (a stale socket file: connect is
// refused, bind is EADDRINUSE) until it is unlinked (EMU_unlink: net.unlink(path)); an abstract
// name goes with its socket. There are no directories: every path's directory exists
// (docs/decisions.md).

import { Sock, sockAt } from "./sock";
import { randBelow } from "./net";
import { AF_UNIX, EINVAL, EADDRINUSE, ENOENT, ECONNREFUSED, EPROTOTYPE } from "./defs";

const named = new Array<i32>();
/** Stale path names (their socket is closed): heap blocks of [length i32][sockaddr bytes]. */
const stale = new Array<usize>();

function staleAt(addr: usize, n: i32): i32 {
  for (let i = 0; i < stale.length; i++) {
    const b = stale[i];
    if (load<i32>(b) == n && memory.compare(b + 6, addr + 2, <usize>(n - 3)) == 0) return i;
  }
  return -1;
}

/** The length Linux keeps for a name given with len bytes (unix_mkname): paths end at their NUL, plus one. */
function nameLen(addr: usize, len: i32): i32 {
  if (load<u8>(addr + 2) == 0) return len;      // abstract: every byte counts
  let n = 2;
  while (n < len && load<u8>(addr + <usize>n) != 0) n++;
  return n + 1;
}

function find(addr: usize, n: i32): i32 {
  for (let i = 0; i < named.length; i++) {
    const s = sockAt(named[i]);
    if (s.localLen == n && memory.compare(s.local + 2, addr + 2, <usize>(n - 2 - (load<u8>(addr + 2) == 0 ? 0 : 1))) == 0) return s.id;
  }
  return -1;
}

export function unixBind(s: Sock, addr: usize, len: i32): i32 {
  if (len < 2 || len > 110 || <i32>load<u16>(addr) != AF_UNIX) return -EINVAL;
  if (s.bound) return -EINVAL;
  if (len == 2) return unixAutobind(s);
  const n = nameLen(addr, len);
  if (find(addr, n) >= 0 || (load<u8>(addr + 2) != 0 && staleAt(addr, n) >= 0)) return -EADDRINUSE;
  memory.fill(s.local, 0, 128);
  memory.copy(s.local, addr, <usize>min(n, len));
  s.localLen = n;
  s.bound = true;
  named.push(s.id);
  return 0;
}

/** Linux's autobind: an abstract name of five hex digits. */
export function unixAutobind(s: Sock): i32 {
  for (;;) {
    const v = randBelow(0x100000);
    memory.fill(s.local, 0, 128);
    store<u16>(s.local, <u16>AF_UNIX);
    store<u8>(s.local + 2, 0);
    for (let i = 0; i < 5; i++) {
      const d = (v >> (4 * (4 - i))) & 15;
      store<u8>(s.local + 3 + <usize>i, <u8>(d < 10 ? 48 + d : 87 + d));
    }
    if (find(s.local, 8) < 0) break;
  }
  s.localLen = 8;
  s.bound = true;
  named.push(s.id);
  return 0;
}

export function unixUnbind(s: Sock): void {
  if (!s.bound) return;
  const i = named.indexOf(s.id);
  if (i < 0) return;     // unlinked while open
  named[i] = named[named.length - 1]; named.pop();
  if (load<u8>(s.local + 2) != 0) {
    const b = heap.alloc(4 + <usize>s.localLen);
    store<i32>(b, s.localLen);
    memory.copy(b + 4, s.local, <usize>s.localLen);
    stale.push(b);
  }
}

/** unlink(path): the name goes (a live socket keeps working, unreachable by it); -ENOENT when there is none. */
export function unixUnlink(addr: usize, len: i32): i32 {
  const n = nameLen(addr, len);
  const j = staleAt(addr, n);
  if (j >= 0) { heap.free(stale[j]); stale[j] = stale[stale.length - 1]; stale.pop(); return 0; }
  const id = find(addr, n);
  if (id < 0 || load<u8>(addr + 2) == 0) return -ENOENT;
  const i = named.indexOf(id);
  named[i] = named[named.length - 1]; named.pop();
  return 0;
}

/** The socket bound to the name at addr; -ENOENT (a path) or -ECONNREFUSED (abstract) when none is. */
export function unixFind(addr: usize, len: i32, type: i32): i32 {
  if (len <= 2) return -EINVAL;
  const n = nameLen(addr, len);
  const id = find(addr, n);
  if (id < 0) return load<u8>(addr + 2) == 0 || staleAt(addr, n) >= 0 ? -ECONNREFUSED : -ENOENT;
  if (sockAt(id).type != type) return -EPROTOTYPE;
  return id;
}
