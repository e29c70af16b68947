// The emulated kernel's objects: sockets (Sock), the open files that refer to them, and the
// fd table. Sockets refer to one another by id (an index into `socks`), never by object:
// ids are deterministic, and a Sock object is reused after its socket is gone (the core's
// runtime collects nothing while it runs, so nothing here may become garbage).

import { Ring } from "./ring";
import { Opts } from "./opts";
import { TCP_CLOSE, EBADF, EMFILE, ENOTSOCK } from "./defs";

/** sockaddr bytes: sockaddr_storage's size. */
export const ADDR_MAX: i32 = 128;

export class Sock {
  id: i32 = 0;
  live: bool = false;
  family: i32 = 0;
  type: i32 = 0;
  proto: i32 = 0;
  /** The emulated machine it lives on (net.ts). */
  machine: i32 = 0;
  /**
   * Streams: a TCP state (defs.ts TCP_*, tcpi_state's numbering), also for AF_UNIX streams
   * (TCP_LISTEN, TCP_ESTABLISHED, TCP_CLOSE). Datagrams: TCP_ESTABLISHED when connected,
   * else TCP_CLOSE, as Linux's sk_state.
   */
  state: i32 = TCP_CLOSE;
  /** Its name (sockaddr bytes, as getsockname returns them) once bound. */
  local: usize = heap.alloc(ADDR_MAX);
  localLen: i32 = 0;
  bound: bool = false;
  /** The peer's name once connected (getpeername). */
  remote: usize = heap.alloc(ADDR_MAX);
  remoteLen: i32 = 0;
  /** Streams: the other end's id while the connection exists, else -1. */
  peer: i32 = -1;
  /** AF_UNIX datagrams: the peer's generation when connected (a closed peer's id may be reused). */
  peerGen: i32 = 0;
  /** Received bytes (streams) not yet read. */
  rq: Ring = new Ring();
  /** Sent bytes not yet in the peer's rq (the peer's window was full, or latency). */
  sq: Ring = new Ring();
  /** Datagrams received: heap blocks (dgram.ts's layout), oldest first; dqBytes sums their payload. */
  dq: Array<usize> = new Array<usize>();
  dqHead: i32 = 0;
  dqBytes: i32 = 0;
  /** shutdown(SHUT_RD) / shutdown(SHUT_WR) done here. */
  rdShut: bool = false;
  wrShut: bool = false;
  /** The peer sent its FIN: reads return EOF once rq is empty. */
  finIn: bool = false;
  /** A pending error (SO_ERROR; reading it clears it), 0 when none. */
  err: i32 = 0;
  /** The connection was reset: recv/send fail with ECONNRESET/EPIPE as Linux orders them. */
  reset: bool = false;
  /** Listening: the backlog as listen() clamped it; accept queue (ids) and connectors waiting for room. */
  backlog: i32 = 0;
  acceptq: Array<i32> = new Array<i32>();
  aqHead: i32 = 0;
  /** An accepted connection not yet accept()ed: its listener's id; else -1. */
  listener: i32 = -1;
  /** A non-blocking connect whose outcome is not yet reported (EALREADY / poll). */
  connecting: bool = false;
  /** A TCP connection was established on it (SS_CONNECTED): connect() again is EISCONN, even after it ended. */
  wasConnected: bool = false;
  /** AF_UNIX datagrams and records: the receiver whose full queue made the last send fail or wait (id, gen, bytes needed or -1), else -1. */
  blockedOn: i32 = -1;
  blockedGen: i32 = 0;
  blockedNeed: i32 = 0;
  /** How many open files refer to it (close with the last one). */
  files: i32 = 0;
  /** Options, stored as Linux stores them (opts.ts). */
  o: Opts = new Opts();
  /** Counters for TCP_INFO and SO_MEMINFO. */
  bytesSent: u64 = 0;
  bytesRecv: u64 = 0;
  segsOut: u32 = 0;
  segsIn: u32 = 0;
  /** Virtual time of the last segment in either direction (keep-alive's idle). */
  lastSeen: i64 = 0;
  /** Keep-alive probes sent without answer. */
  probes: i32 = 0;
  /** A generation count, bumped when the Sock is reused: events name (id, gen). */
  gen: i32 = 0;
  peerRdShut: bool = false;
  /** When the live keep-alive timer fires (an older one, superseded, does nothing). */
  kaAt: i64 = -1;
  /** SIO_KEEPALIVE_VALS (the windows profile): idle and interval in ns, 0 when not set (TCP_KEEPIDLE/INTVL/CNT rule). */
  winKaIdle: i64 = 0;
  winKaIntvl: i64 = 0;
  /** An orphan in FIN_WAIT: when tcp_fin_timeout ends it (checked lazily by port lookups). */
  finUntil: i64 = 0;
  /** In its port's bind-table chain (net.ts), and its neighbours there. */
  inBind: bool = false;
  bindNext: i32 = 0;
  bindPrev: i32 = 0;
  /** shutdown/close queued a FIN behind unsent bytes: it leaves when they have. */
  finPending: bool = false;
  /** The creator's credentials, for SO_PEERCRED (net.ts's of its machine). */
  pid: i32 = 0;
  uid: i32 = 0;
  gid: i32 = 0;

  /** Back to a fresh object for a new socket (storage kept). */
  reuse(): void {
    this.live = true; this.gen++;
    this.state = TCP_CLOSE; this.localLen = 0; this.bound = false; this.remoteLen = 0;
    this.peer = -1; this.rq.clear(); this.sq.clear();
    this.dq.length = 0; this.dqHead = 0; this.dqBytes = 0;
    this.rdShut = false; this.wrShut = false; this.peerRdShut = false; this.finPending = false; this.kaAt = -1; this.winKaIdle = 0; this.winKaIntvl = 0; this.finUntil = 0; this.finIn = false; this.err = 0; this.reset = false;
    this.backlog = 0; this.acceptq.length = 0; this.aqHead = 0; this.listener = -1;
    this.connecting = false; this.wasConnected = false; this.blockedOn = -1; this.files = 0;
    this.bytesSent = 0; this.bytesRecv = 0; this.segsOut = 0; this.segsIn = 0; this.lastSeen = 0; this.probes = 0;
  }

  get isStream(): bool { return this.type != 2; }
  /** An AF_UNIX peer shut its reading side: our sends fail with EPIPE. */
  wrShutByPeer(): void { this.peerRdShut = true; }
  acceptqLen(): i32 { return this.acceptq.length - this.aqHead; }
  dqLen(): i32 { return this.dq.length - this.dqHead; }
}

export const socks = new Array<Sock>();
const freeSocks = new Array<i32>();

export function newSock(): Sock {
  let s: Sock;
  if (freeSocks.length > 0) {
    s = socks[freeSocks.pop()];
  } else {
    s = new Sock();
    s.id = socks.length;
    socks.push(s);
  }
  s.reuse();
  return s;
}

/** The socket is gone for good (closed and past TIME_WAIT): its object goes back to the pool. */
export function freeSock(s: Sock): void {
  if (!s.live) return;
  s.live = false;
  s.gen++;
  // Keep ring storage up to 64 KiB for the next socket; give back more.
  if (s.rq.cap > 65536) s.rq.release();
  if (s.sq.cap > 65536) s.sq.release();
  freeSocks.push(s.id);
}

@inline export function sockAt(id: i32): Sock { return unchecked(socks[id]); }

// ------------------------------------------------------------------ open files and fds
// Linux's three layers: an fd refers to an open file description (shared by dup, holding
// O_NONBLOCK), which refers to the socket. Close-on-exec is the fd's own.

const fileSock: Array<i32> = [-1, -1, -1];
const fileFlags: Array<i32> = [0o2, 0o2, 0o2];
const fileRefs: Array<i32> = [1, 1, 1];
const freeFiles = new Array<i32>();

/**
 * fd -> file, -1 when the fd is not open. fds 0, 1 and 2 are the emulated process's standard
 * streams: open files that are not sockets (their file's socket is -1), so socket calls on them
 * are ENOTSOCK and dup/fromfd works on them as on Linux.
 */
const fdFile: Array<i32> = [0, 1, 2];
const fdCloexec: Array<bool> = [false, false, false];
let lowestFree: i32 = 3;
/** RLIMIT_NOFILE's soft limit, as a fresh Linux process has it. */
export let FD_LIMIT: i32 = 1024;
export function setFdLimit(n: i32): void { FD_LIMIT = n; }
export let openFds: i32 = 0;

function newFile(sockId: i32, flags: i32): i32 {
  let f: i32;
  if (freeFiles.length > 0) {
    f = freeFiles.pop();
    fileSock[f] = sockId; fileFlags[f] = flags; fileRefs[f] = 0;
  } else {
    f = fileSock.length;
    fileSock.push(sockId); fileFlags.push(flags); fileRefs.push(0);
  }
  return f;
}

function placeFd(file: i32, cloexec: bool): i32 {
  let fd = lowestFree;
  while (fd < fdFile.length && fdFile[fd] >= 0) fd++;
  if (fd >= FD_LIMIT) return -EMFILE;
  while (fdFile.length <= fd) { fdFile.push(-1); fdCloexec.push(false); }
  fdFile[fd] = file;
  fdCloexec[fd] = cloexec;
  fileRefs[file]++;
  lowestFree = fd + 1;
  openFds++;
  return fd;
}

/** A new fd on a new open file for socket `s` (flags: O_NONBLOCK or 0); -EMFILE when none is left. */
export function openFd(s: Sock, flags: i32, cloexec: bool): i32 {
  const f = newFile(s.id, flags);
  const fd = placeFd(f, cloexec);
  if (fd < 0) { freeFiles.push(f); return fd; }
  s.files++;
  return fd;
}

/** dup: a new fd on the same open file (flags shared). */
export function dupFd(fd: i32, cloexec: bool, minFd: i32 = 0): i32 {
  const f = fdFile[fd];
  if (minFd > lowestFree) {
    const save = lowestFree;
    lowestFree = minFd;
    const r = placeFd(f, cloexec);
    lowestFree = save;
    return r;
  }
  return placeFd(f, cloexec);
}

/** The socket behind fd, or null (EBADF). */
export function sockOf(fd: i32): Sock | null {
  if (fd < 0 || fd >= fdFile.length) return null;
  const f = unchecked(fdFile[fd]);
  if (f < 0) return null;
  const id = unchecked(fileSock[f]);
  return id < 0 ? null : unchecked(socks[id]);
}

export function fdValid(fd: i32): bool { return fd >= 0 && fd < fdFile.length && fdFile[fd] >= 0; }
export function fileFlagsOf(fd: i32): i32 { return fileFlags[fdFile[fd]]; }
export function setFileFlags(fd: i32, flags: i32): void { fileFlags[fdFile[fd]] = flags; }
export function cloexecOf(fd: i32): bool { return fdCloexec[fd]; }
export function setCloexec(fd: i32, on: bool): void { fdCloexec[fd] = on; }
/** O_NONBLOCK of fd's open file. */
@inline export function nonblocking(fd: i32): bool { return (unchecked(fileFlags[unchecked(fdFile[fd])]) & 0o4000) != 0; }

/**
 * Closes fd; returns the socket when this was its last open file (the caller then closes the
 * socket), else null. -EBADF is the caller's to report (fdValid first).
 */
export function closeFd(fd: i32): Sock | null {
  const f = fdFile[fd];
  fdFile[fd] = -1;
  openFds--;
  if (fd < lowestFree) lowestFree = fd;
  if (--fileRefs[f] > 0) return null;
  freeFiles.push(f);
  if (fileSock[f] < 0) return null;      // a standard stream
  const s = socks[fileSock[f]];
  if (--s.files > 0) return null;
  return s;
}

/** Every open fd, for a crash of the whole network (EMU reset): lowest first. */
export function fdCount(): i32 { return fdFile.length; }
export { EBADF };

/** The error for an fd with no socket: open but not a socket (the standard streams) ENOTSOCK, else EBADF. */
export function badFd(fd: i32): i32 { return fdValid(fd) ? -ENOTSOCK : -EBADF; }

// ------------------------------------------------------------------ files in flight (SCM_RIGHTS)
// A file sent with SCM_RIGHTS is held by the message (one reference) until it is received
// (the reference becomes the new fd's) or dropped (host/emulated/wasm/msg.ts).

/** The open file behind fd (fdValid first). */
export function fileOfFd(fd: i32): i32 { return fdFile[fd]; }
export function holdFile(f: i32): void { fileRefs[f]++; }
/** A new fd on file `f`, taking over one held reference; -EMFILE when none is left. */
export function installFile(f: i32, cloexec: bool): i32 {
  const fd = placeFd(f, cloexec);
  if (fd >= 0) fileRefs[f]--;
  return fd;
}
/** Drops one held reference: returns the socket when it was the last of its last file (the caller closes it). */
export function dropFile(f: i32): Sock | null {
  if (--fileRefs[f] > 0) return null;
  freeFiles.push(f);
  if (fileSock[f] < 0) return null;
  const s = socks[fileSock[f]];
  if (--s.files > 0) return null;
  return s;
}
