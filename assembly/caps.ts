// The capability model. A host declares, once, the set of operations it supports; the
// core checks that set before every host call and answers "not available" without trying
// (Python's "Availability: not WASI" and "Windows only" become bits some hosts lack).
// The names are what users read in NotAvailableError messages and pass to isAvailable().

export const CAP_SOCKET: i32 = 0;       // socket.create
export const CAP_BIND: i32 = 1;
export const CAP_CONNECT: i32 = 2;
export const CAP_LISTEN: i32 = 3;
export const CAP_ACCEPT: i32 = 4;
export const CAP_SENDRECV: i32 = 5;
export const CAP_SHUTDOWN: i32 = 6;
export const CAP_GETSOCKOPT: i32 = 7;
export const CAP_SETSOCKOPT: i32 = 8;
export const CAP_NONBLOCKING: i32 = 9;
export const CAP_POLL: i32 = 10;
export const CAP_FCNTL: i32 = 11;
export const CAP_IOCTL_POSIX: i32 = 12;
export const CAP_IOCTL_WINDOWS: i32 = 13;
export const CAP_AF_UNIX: i32 = 14;
export const CAP_AF_INET6: i32 = 15;
export const CAP_NAME_LOOKUP: i32 = 16;
export const CAP_SOCKETPAIR: i32 = 17;
export const CAP_DUP: i32 = 18;
export const CAP_SOCKNAME: i32 = 19;    // getsockname / getpeername
// Not a Python method: a JavaScript host's zero-copy data path (bindings/host.ts's *_js
// imports); src/ asks once per core whether to lend buffers or copy through core memory.
export const CAP_JS_BUFFERS: i32 = 20;
export const CAP_COUNT: i32 = 21;

export const CAP_NAMES: StaticArray<string> = [
  "socket.create", "bind", "connect", "listen", "accept", "sendrecv", "shutdown",
  "getsockopt", "setsockopt", "nonblocking", "poll", "fcntl", "ioctl.posix",
  "ioctl.windows", "af_unix", "af_inet6", "name_lookup", "socketpair", "dup", "sockname",
  "js_buffers",
];

let caps: i32 = 0;

export function setCaps(bits: i32): void { caps = bits; }

@inline export function hasCap(cap: i32): bool { return ((caps >>> cap) & 1) != 0; }
