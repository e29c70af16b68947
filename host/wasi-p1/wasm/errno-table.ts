// WASI preview 1's errno numbering (witx `errno`, which wasi-libc's E* macros are) against
// Linux's: index = the WASI number, value = Linux's. One table for both directions and both
// languages: the AssemblyScript host (wasm/host.ts: p1 results -> the core's Linux errnos) and
// the JavaScript p1 functions (p1-sockets.ts: a wasock OSError's Linux errno -> the guest's
// WASI errno) import this same file. ENOTCAPABLE (76) has no Linux twin: EACCES (13), the
// "capabilities insufficient" a Linux program would read as permission denied.
export const WASI_TO_LINUX_ERRNO = [
  0, 7, 13, 98, 99, 97, 11, 114, 9, 74,          // 0 success, 2big, acces, addrinuse, addrnotavail, afnosupport, again, already, badf, badmsg
  16, 125, 10, 103, 111, 104, 35, 89, 33, 122,   // 10 busy, canceled, child, connaborted, connrefused, connreset, deadlk, destaddrreq, dom, dquot
  17, 14, 27, 113, 43, 84, 115, 4, 22, 5,        // 20 exist, fault, fbig, hostunreach, idrm, ilseq, inprogress, intr, inval, io
  106, 21, 40, 24, 31, 90, 72, 36, 100, 102,     // 30 isconn, isdir, loop, mfile, mlink, msgsize, multihop, nametoolong, netdown, netreset
  101, 23, 105, 19, 2, 8, 37, 67, 12, 42,        // 40 netunreach, nfile, nobufs, nodev, noent, noexec, nolck, nolink, nomem, nomsg
  92, 28, 38, 107, 20, 39, 131, 88, 95, 25,      // 50 noprotoopt, nospc, nosys, notconn, notdir, notempty, notrecoverable, notsock, notsup, notty
  6, 75, 130, 1, 32, 71, 93, 91, 34, 30,         // 60 nxio, overflow, ownerdead, perm, pipe, proto, protonosupport, prototype, range, rofs
  29, 3, 116, 110, 26, 18, 13,                   // 70 spipe, srch, stale, timedout, txtbsy, xdev, notcapable
];
