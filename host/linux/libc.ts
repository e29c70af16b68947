// libc through koffi: the only file that declares C functions. Hot calls take plain
// integers (intptr_t = the Wasm memory's base address + an offset), so koffi marshals no
// array and makes no per-call Buffer. The base does not move when the memory grows: V8
// reserves a Wasm memory's whole address range up front.
//
// koffi (a native addon) and libc.so.6 load on the first use, not when this module is
// imported: the package's host-free parts (struct, constants, errors) must load no FFI, and
// Node has no synchronous dynamic import, so koffi comes through createRequire.
import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

function bind(koffi: typeof Koffi) {
  const lib = koffi.load('libc.so.6');
// The table keeps its top-level indentation (it was `export const libc = {`), so that
// changes to it stay line-for-line.
return {
  socket: lib.func('int socket(int, int, int)'),
  socketpair: lib.func('int socketpair(int, int, int, intptr_t)'),
  close: lib.func('int close(int)'),
  // fcntl and ioctl are variadic in C; on x86-64 (and aarch64 Linux) a third argument of
  // int or pointer size travels in the same register either way, so fixed prototypes do.
  fcntl: lib.func('int fcntl(int, int, int)'),
  fcntlPtr: lib.func('int fcntl(int, int, intptr_t)'),
  ioctl: lib.func('int ioctl(int, unsigned long, intptr_t)'),
  ioctlJs: lib.func('int ioctl(int, unsigned long, void *)'),
  bind: lib.func('int bind(int, intptr_t, uint32_t)'),
  connect: lib.func('int connect(int, intptr_t, uint32_t)'),
  listen: lib.func('int listen(int, int)'),
  accept4: lib.func('int accept4(int, intptr_t, intptr_t, int)'),
  getsockopt: lib.func('int getsockopt(int, int, int, intptr_t, intptr_t)'),
  setsockopt: lib.func('int setsockopt(int, int, int, intptr_t, uint32_t)'),
  getsockname: lib.func('int getsockname(int, intptr_t, intptr_t)'),
  getpeername: lib.func('int getpeername(int, intptr_t, intptr_t)'),
  shutdown: lib.func('int shutdown(int, int)'),
  // Data calls exist twice: into core memory (intptr_t) and into a JavaScript buffer
  // (void *: koffi passes a TypedArray's own storage, no copy).
  recv: lib.func('intptr_t recv(int, intptr_t, size_t, int)'),
  recvJs: lib.func('intptr_t recv(int, void *, size_t, int)'),
  send: lib.func('intptr_t send(int, intptr_t, size_t, int)'),
  sendJs: lib.func('intptr_t send(int, void *, size_t, int)'),
  recvfrom: lib.func('intptr_t recvfrom(int, intptr_t, size_t, int, intptr_t, intptr_t)'),
  recvfromJs: lib.func('intptr_t recvfrom(int, void *, size_t, int, intptr_t, intptr_t)'),
  sendto: lib.func('intptr_t sendto(int, intptr_t, size_t, int, intptr_t, uint32_t)'),
  sendtoJs: lib.func('intptr_t sendto(int, void *, size_t, int, intptr_t, uint32_t)'),
  // The message header is the host's own (host/linux/msg.ts), its pointers into core memory.
  sendmsg: lib.func('intptr_t sendmsg(int, intptr_t, int)'),
  recvmsg: lib.func('intptr_t recvmsg(int, intptr_t, int)'),
  poll: lib.func('int poll(intptr_t, unsigned long, int)'),
  // The wasi:sockets provider (host/wasi-sockets): poll over several fds in a JS array of pollfds.
  pollJs: lib.func('int poll(void *, unsigned long, int)'),
  // The name service (host/linux/names.ts): C strings and structs by address.
  getaddrinfo: lib.func('int getaddrinfo(intptr_t, intptr_t, intptr_t, intptr_t)'),
  freeaddrinfo: lib.func('void freeaddrinfo(intptr_t)'),
  gethostbyname_r: lib.func('int gethostbyname_r(intptr_t, intptr_t, intptr_t, size_t, intptr_t, intptr_t)'),
  gethostbyaddr_r: lib.func('int gethostbyaddr_r(intptr_t, uint32_t, int, intptr_t, intptr_t, size_t, intptr_t, intptr_t)'),
  getservbyname: lib.func('intptr_t getservbyname(intptr_t, intptr_t)'),
  getservbyport: lib.func('intptr_t getservbyport(int, intptr_t)'),
  getprotobyname: lib.func('intptr_t getprotobyname(intptr_t)'),
  if_nameindex: lib.func('intptr_t if_nameindex()'),
  if_freenameindex: lib.func('void if_freenameindex(intptr_t)'),
  strlen: lib.func('size_t strlen(intptr_t)'),
  copy: lib.func('intptr_t memmove(intptr_t, intptr_t, size_t)'),
  /** Returns its first argument: how we learn the address of a buffer's storage. */
  addressOf: lib.func('intptr_t memmove(void *, void *, size_t)'),
  errno: (): number => koffi.errno(),
};
}

export type Libc = ReturnType<typeof bind>;
let loaded: Libc | null = null;

/** libc's functions, loading koffi and libc.so.6 the first time. */
export function libc(): Libc {
  if (loaded === null) {
    let koffi: typeof Koffi;
    try {
      koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
    } catch (e) {
      // koffi is an optional dependency (a native addon): say what is missing, not just where.
      throw new Error(`wasock: the Linux host needs koffi, an optional dependency that is not installed (npm install koffi): ${(e as Error).message}`);
    }
    loaded = bind(koffi);
  }
  return loaded;
}

/** The address of a buffer's first byte (for ArrayBuffers whose storage never moves). */
export function baseAddress(buf: ArrayBuffer): number {
  return Number(libc().addressOf(new Uint8Array(buf), null, 0));
}
