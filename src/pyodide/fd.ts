// wasock/pyodide's file descriptors: each wasock socket is an Emscripten stream in the Pyodide
// instance's own fd table (FS.streams), so a socket's fileno() is an fd Python's os, select
// and fcntl know, numbered by Emscripten's allocator with every other open file: no socket fd
// can alias a file. The stream's operations call wasock (read -> recv_into straight into
// Pyodide's heap, write -> send from it, poll -> the network's poll), as Emscripten's own
// SOCKFS does for its sockets (FS.createStream with stream_ops; node.sock there, node.wasock
// here). Waiting (select, poll) is the network's: poll(2) on the Linux host, virtual time on
// the emulated network (src/pyodide/poll.ts).
import type { socket } from '../socket.js';
import type { Network } from '../network.js';
import { fromErrno } from '../errors.js';
import { fcntl as wfcntl, ioctl as wioctl, readonly } from '../fcntl.js';
import { pollerFor, type Poller } from './poll.js';

const S_IFSOCK = 0o140000;
const F_GETFL = 3, F_SETFL = 4, F_GETFD = 1, F_SETFD = 2;
const POLLIN = 1, POLLPRI = 2, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32, POLLRDHUP = 0x2000;
// Linux errno numbers (wasock's); Emscripten's are looked up by name (emErrno).
const EBADF = 9, EMFILE = 24, ENOTSOCK = 88, EINVAL = 22, ENOTTY = 25;

/** The part of Emscripten's FS (Pyodide 0.25.1's pyodide.FS) this file uses. */
export interface EmFS {
  streams: (EmStream | null | undefined)[];
  createStream(stream: object, fd?: number): EmStream;
  close(stream: EmStream): void;
  stat(path: string, dontFollow?: boolean): unknown;
  read(...args: unknown[]): number;
  write(...args: unknown[]): number;
  ErrnoError: new (errno: number) => Error & { errno: number };
  MAX_OPEN_FDS: number;
}
export interface EmStream {
  fd: number | null;
  node: { wasock?: SockNode['wasock'] } & Record<string, unknown>;
  flags: number;
  stream_ops: Record<string, unknown>;
  poll?: unknown;
}
interface SockNode {
  id: number;
  name: string;
  mode: number;
  rdev: number;
  wasock: socket | null;
  node_ops: Record<string, unknown>;
  stream_ops: Record<string, unknown>;
}

type Err = Error & { errno?: number };

/** One Pyodide instance's socket streams. */
export class SocketStreams {
  private nextId = 1;
  /** stream.path -> node, for fstat (Emscripten's fstat stats stream.path). */
  private readonly byPath = new Map<string, SockNode>();
  private poller: Poller | null = null;
  /** fd, events, revents of stream_ops.poll's one-socket look. */
  private readonly one = new Int32Array(3);
  private readonly oneFd = this.one.subarray(0, 1);
  private readonly oneEv = this.one.subarray(1, 2);
  private readonly oneRe = this.one.subarray(2, 3);
  private pollerNet: Network | null = null;
  private readonly ops: Record<string, unknown>;

  /**
   * `emErrno` turns a Linux errno into the instance's (Emscripten's) number, by name;
   * `net` is the network the instance's sockets live on now.
   */
  constructor(private readonly FS: EmFS, private readonly emErrno: (linux: number) => number, private readonly net: () => Network) {
    const self = this;
    this.ops = {
      read(stream: EmStream, buffer: Int8Array, offset: number, length: number) {
        // read(2) on a socket returns 0 for a zero-length read before anything else.
        if (length === 0) return 0;
        const s = self.sockOf(stream);
        const view = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
        return self.once(s, () => s.recv_into(view, length, 0));
      },
      write(stream: EmStream, buffer: Int8Array, offset: number, length: number) {
        const s = self.sockOf(stream);
        const view = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
        return self.once(s, () => s.send(view, 0));
      },
      poll(stream: EmStream, timeout?: number) {
        // One socket, no wait: straight to the poller (Emscripten's select calls this per fd).
        const one = self.one;
        one[0] = self.sockOf(stream).fileno(); one[1] = POLLIN | POLLOUT | POLLPRI | POLLRDHUP;
        self.pollerOf().poll(self.oneFd, self.oneEv, self.oneRe, 1, 0);
        const r = one[2];
        // Emscripten's select passes its timeout (0 from fd-py's look), its poll -1 (poll(2)'s
        // revents). select reads only POLLIN/POLLOUT/POLLPRI: give it Linux's select(2) sets,
        // where a hang-up or an error is readable and an error writable.
        if (timeout === -1 || timeout === undefined) return r;
        return r | (r & (POLLHUP | POLLERR) ? POLLIN : 0) | (r & POLLERR ? POLLOUT : 0);
      },
      close(stream: EmStream) {
        // os.dup (Emscripten's dup) shares the node: the kernel's socket closes with its last fd.
        const node = stream.node as unknown as SockNode;
        for (const t of self.FS.streams) if (t && t !== stream && t.node === stream.node) return;
        self.byPath.delete(self.pathOf(node));
        const s = node.wasock;
        node.wasock = null;
        if (s === null) return;
        try { s.close(); } catch (e) { throw self.errnoError(e as Err); }
      },
    };
    // os.read/os.write on a socket skip FS.read/FS.write's checks that do not apply to one (its
    // access mode is always O_RDWR: reading it from the kernel's F_GETFL on every call cost a
    // third of a 64-byte os.write + os.read) and keep those that do, with Emscripten's numbers.
    const fsRead = FS.read, fsWrite = FS.write;
    const [EM_EINVAL, EM_EBADF, EM_ESPIPE] = [22, 9, 29].map((e) => emErrno(e));
    const checked = (stream: EmStream, length: number, position: number | undefined): void => {
      if (length < 0 || (position !== undefined && position < 0)) throw new FS.ErrnoError(EM_EINVAL);
      if (stream.fd === null) throw new FS.ErrnoError(EM_EBADF);
      if (position !== undefined) throw new FS.ErrnoError(EM_ESPIPE);   // pread/pwrite: not seekable
    };
    FS.read = function (stream: EmStream, buffer: Int8Array, offset: number, length: number, position?: number) {
      if (stream?.stream_ops !== self.ops) return fsRead.apply(FS, arguments as never);
      checked(stream, length, position);
      return (self.ops.read as (s: EmStream, b: Int8Array, o: number, l: number) => number)(stream, buffer, offset, length);
    };
    FS.write = function (stream: EmStream, buffer: Int8Array, offset: number, length: number, position?: number) {
      if (stream?.stream_ops !== self.ops) return fsWrite.apply(FS, arguments as never);
      checked(stream, length, position);
      return (self.ops.write as (s: EmStream, b: Int8Array, o: number, l: number) => number)(stream, buffer, offset, length);
    };
    // Emscripten's fstat stats stream.path: a socket's path starts with NUL, which no path
    // from Python can contain, so only the fd reaches it.
    const stat = FS.stat;
    FS.stat = function (path: string, dontFollow?: boolean) {
      const n = typeof path === 'string' && path.charCodeAt(0) === 0 ? self.byPath.get(path) : undefined;
      return n !== undefined ? self.statOf(n) : stat.call(FS, path, dontFollow);
    };
  }

  private pathOf(n: SockNode): string { return `\0socket:[${n.id}]`; }

  private statOf(n: SockNode) {
    const now = new Date();
    return { dev: 8, ino: n.id, mode: n.mode, nlink: 1, uid: 0, gid: 0, rdev: 0, size: 0,
      atime: now, mtime: now, ctime: now, blksize: 4096, blocks: 0 };
  }

  /** The Emscripten exception for a wasock error (Linux errno -> the instance's, by name). */
  private errnoError(e: Err): Error {
    const em = this.emErrno(typeof e.errno === 'number' ? e.errno : 5);
    const x = new this.FS.ErrnoError(em) as Error & { wasock?: Error };
    x.wasock = e;   // close(fd) from _socket raises wasock's own error (its text and class)
    return x;
  }

  private sockOf(stream: EmStream): socket {
    const s = (stream.node as unknown as SockNode).wasock;
    if (s === null || s === undefined) throw new this.FS.ErrnoError(this.emErrno(EBADF));
    return s;
  }

  /**
   * One attempt, as read(2)/write(2) on the fd make: a socket with a timeout has a
   * non-blocking fd in CPython (os.read then raises BlockingIOError, not TimeoutError), so
   * wasock's wait is switched off for the call.
   */
  private once(s: socket, f: () => number): number {
    try {
      const t = s.gettimeout();
      if (t === null || t === 0) return f();
      s.settimeout(0);
      try { return f(); } finally { s.settimeout(t); }
    } catch (e) { throw this.errnoError(e as Err); }
  }

  /** Gives `s` an fd of the instance's table; on a full table `s` is closed and EMFILE raised. */
  open(s: socket): number {
    const node: SockNode = {
      id: this.nextId++, name: 'socket', mode: S_IFSOCK | 0o777, rdev: 0, wasock: s,
      node_ops: {}, stream_ops: this.ops,
    };
    const sockets = this;
    const shared = {
      position: 0,
      // fcntl(F_GETFL/F_SETFL) through Emscripten read and write the kernel's flags.
      get flags(): number { const w = node.wasock; return w === null ? 2 : wfcntl(w, F_GETFL); },
      set flags(v: number) { const w = node.wasock; if (w !== null) sockets.applyFlags(w, v); },
    };
    let stream: EmStream;
    try {
      stream = this.FS.createStream({ shared, node, path: this.pathOf(node), seekable: false, stream_ops: this.ops, ungotten: [], error: false });
    } catch (e) {
      node.wasock = null;
      s.close();
      // Emscripten's table is full (FS.MAX_OPEN_FDS): the process's EMFILE, as Linux says it.
      if ((e as Err).errno === this.emErrno(EMFILE)) throw fromErrno(EMFILE);
      throw e;
    }
    this.byPath.set(this.pathOf(node), node);
    return stream.fd!;
  }

  private applyFlags(w: socket, v: number): void {
    try { wfcntl(w, F_SETFL, v); } catch (e) { throw this.errnoError(e as Err); }
  }

  /** The stream at fd, or undefined. */
  stream(fd: number): EmStream | undefined {
    return typeof fd === 'number' && fd >= 0 ? this.FS.streams[fd] ?? undefined : undefined;
  }

  /** What fd is: 1 a socket, 0 another open file, -1 nothing open. */
  kind(fd: number): number {
    const st = this.stream(fd);
    if (st === undefined) return -1;
    return st.node?.wasock ? 1 : 0;
  }

  /** The socket at fd: EBADF for nothing open, ENOTSOCK for a file, as the kernel says. */
  get(fd: number): socket {
    const st = this.stream(fd);
    if (st === undefined) throw fromErrno(EBADF);
    const s = st.node?.wasock;
    if (!s) throw fromErrno(st.node?.wasock === null ? EBADF : ENOTSOCK);
    return s;
  }

  /** close(fd) as _socket.close(fd) makes it: any open fd; wasock's error raised as is. */
  close(fd: number): void {
    const st = this.stream(fd);
    if (st === undefined) throw fromErrno(EBADF);
    try { this.FS.close(st); } catch (e) {
      const w = (e as { wasock?: Error }).wasock;
      if (w !== undefined) throw w;
      throw e;
    }
  }

  /**
   * Readiness of fds (poll(2)'s revents for `events`): sockets through the network's poll,
   * waiting up to `timeoutMs` (< 0: without limit) unless another file is ready; other
   * streams answer at once as Emscripten's poll does. A closed fd is POLLNVAL, or EBADF when
   * `select` (select(2)'s rule).
   */
  pollFds(fds: ArrayLike<number>, events: ArrayLike<number>, timeoutMs: number, select = false): number[] | null {
    return this.pollPairs(timeoutMs, select, Array.from(fds, (fd, i) => [fd, events[i]]).flat());
  }

  // The kernel-side arrays of pollPairs, grown as needed (no allocation per call).
  private kfd = new Int32Array(16);
  private kev = new Int32Array(16);
  private kre = new Int32Array(16);
  private kat = new Int32Array(16);

  /**
   * pollFds with the fds and events interleaved (fd0, ev0, fd1, ev1, ...): what the Python side
   * passes as plain int arguments (a list would cross as a proxy, several µs). With `select`,
   * null when none of the fds is a socket (Python then asks Emscripten's select).
   */
  pollPairs(timeoutMs: number, select: boolean, pairs: ArrayLike<number>): number[] | null {
    const n = pairs.length >> 1;
    if (this.kfd.length < n) {
      this.kfd = new Int32Array(2 * n); this.kev = new Int32Array(2 * n);
      this.kre = new Int32Array(2 * n); this.kat = new Int32Array(2 * n);
    }
    const kfd = this.kfd, kev = this.kev, kat = this.kat, re = this.kre;
    const out = new Array<number>(n).fill(0);
    let ready = 0, k = 0;
    for (let i = 0; i < n; i++) {
      const st = this.stream(pairs[2 * i]);
      const ev = pairs[2 * i + 1];
      if (st === undefined) {
        if (select) throw fromErrno(EBADF);
        out[i] = POLLNVAL; ready++;
        continue;
      }
      const s = st.node?.wasock;
      if (s) { kfd[k] = s.fileno(); kev[k] = ev; kat[k++] = i; continue; }
      const poll = st.stream_ops.poll as ((s: EmStream, t: number) => number) | undefined;
      const m = (poll ? poll(st, 0) : POLLIN | POLLOUT) & (ev | POLLERR | POLLHUP);
      out[i] = m;
      if (m) ready++;
    }
    if (k === 0) return select ? null : out;
    this.pollerOf().poll(kfd, kev, re, k, ready > 0 ? 0 : timeoutMs);
    for (let j = 0; j < k; j++) out[kat[j]] = re[j];
    return out;
  }

  pollerOf(): Poller {
    const net = this.net();
    if (this.poller === null || this.pollerNet !== net) {
      this.poller = pollerFor(net);
      this.pollerNet = net;
    }
    return this.poller;
  }

  /**
   * fcntl(fd, cmd, arg) for _socket's fcntl module, arguments already converted by the Python
   * side: an int arg (number), or `buf` (bytes, copied). Sockets go to wasock's fcntl (the
   * kernel's flags); another file answers as Emscripten's own fcntl does, except F_SETFL,
   * which sets (Emscripten's ORs).
   */
  fcntl(fd: number, cmd: number, arg: number, buf: Uint8Array | null): number | Uint8Array {
    const st = this.stream(fd);
    if (st === undefined) throw fromErrno(EBADF);
    const s = st.node?.wasock;
    if (s) return buf !== null ? wfcntl(s, cmd, readonly(buf)) : wfcntl(s, cmd, arg);
    if (s === null) throw fromErrno(EBADF);
    if (buf !== null) throw fromErrno(EINVAL);
    switch (cmd) {
      case F_GETFL: return st.flags;
      case F_SETFL: st.flags = (st.flags & 3) | (arg & ~3); return 0;
      case F_GETFD: case F_SETFD: return 0;
      default: throw fromErrno(EINVAL);
    }
  }

  /** ioctl(fd, request, arg, mutate) on a socket; `arg` a number, a readonly copy or a heap view. */
  ioctl(fd: number, request: number, arg: number | Uint8Array, copy: boolean, mutate: boolean): number | Uint8Array {
    const s = this.get(fdOrNotty(this, fd));
    if (typeof arg === 'number') return wioctl(s, request, arg);
    if (copy) return wioctl(s, request, readonly(arg));
    return wioctl(s, request, arg, mutate);
  }
}

/** ioctl on a file that is not a socket: ENOTTY, as Linux answers for socket requests. */
function fdOrNotty(ss: SocketStreams, fd: number): number {
  if (ss.kind(fd) === 0) throw fromErrno(ENOTTY);
  return fd;
}
