// The WASI preview 1 socket functions, implemented by wasock: @wasmer/wasi 1.2.2 has no
// sock_accept and no way to make anything a socket (its sock_recv/send/shutdown can never
// succeed), so a guest's socket fds are this table's. Guest fd 3, 4, … -> a wasock socket of
// another host (the Linux host's kernel sockets, or an emulated network's); accepted
// connections get the next free numbers. The calls below are the p1 functions for those fds
// (sock_accept, sock_recv, sock_send, sock_shutdown, and fd_fdstat_get, fd_fdstat_set_flags,
// fd_close and poll_oneoff, whose wasmer versions do not know them); every other fd goes to
// wasmer's own function. Errors are the backing socket's OSError errno (Linux numbering),
// translated to WASI's (wasm/errno-table.ts).
//
// Layouts (wasm32, witx): see wasm/host.ts's header.
import { OSError } from '../../src/exceptions.js';
import type { socket } from '../../src/socket.js';
import { isNodeFdSource } from '../types.js';
import { libc, baseAddress } from '../linux/libc.js';
import { WASI_TO_LINUX_ERRNO } from './wasm/errno-table.js';

type Fn = (...args: never[]) => unknown;
/** A wasi_snapshot_preview1 import table (wasmer's, or ours laid over it). */
export type P1Imports = Record<string, Fn>;

const LINUX_TO_WASI = new Map<number, number>();
WASI_TO_LINUX_ERRNO.forEach((linux, wasi) => { if (!LINUX_TO_WASI.has(linux)) LINUX_TO_WASI.set(linux, wasi); });
// Linux's EWOULDBLOCK is EAGAIN (11) and EOPNOTSUPP ENOTSUP (95): the table has them once.

// WASI numbers.
const ESUCCESS = 0, EBADF = 8, EFAULT = 21, EINVAL = 28, EIO = 29, ENOTSUP = 58;
const FILETYPE_SOCKET_DGRAM = 5, FILETYPE_SOCKET_STREAM = 6;
const FDFLAGS_NONBLOCK = 4;
const RIFLAGS_PEEK = 1, RIFLAGS_WAITALL = 2;
const SDFLAGS_RD = 1, SDFLAGS_WR = 2;
const EVENTTYPE_CLOCK = 0, EVENTTYPE_FD_READ = 1, EVENTTYPE_FD_WRITE = 2;
const SUBCLOCKFLAGS_ABSTIME = 1;
const EVENTRWFLAGS_HANGUP = 1;
const CLOCKID_MONOTONIC = 1;
/** fd_read, fd_fdstat_set_flags, fd_write, poll_fd_readwrite, sock_shutdown, sock_accept. */
const SOCKET_RIGHTS = 2n | 8n | 64n | (1n << 27n) | (1n << 28n) | (1n << 29n);
// Linux numbers.
const MSG_PEEK = 2, MSG_WAITALL = 0x100, SOCK_DGRAM = 2;
const POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 16;

/**
 * The WASI errno for an exception a backing socket raised (its Linux errno, translated), or
 * EFAULT for a guest pointer outside its memory (a DataView's RangeError), else EIO.
 */
export function wasiErrno(e: unknown): number {
  if (e instanceof OSError && typeof e.errno === 'number') return LINUX_TO_WASI.get(e.errno) ?? EIO;
  return e instanceof RangeError ? EFAULT : EIO;
}

interface Entry { sock: socket; nonblocking: boolean }

/** The emulated core's poll(2) of n pollfds in its memory, and its virtual clock (assembly/emulated.ts). */
interface EmuPoll { emu_poll(fds: number, n: number, ms: number): number; emu_now(): number }

export class P1Sockets {
  private readonly fds = new Map<number, Entry>();
  /**
   * The last OSError a backing socket raised: a WASI errno carries a number only, so the host
   * (index.ts explain) can give back what the number lost, such as the emulated network's
   * reason a call would wait forever.
   */
  lastError: OSError | null = null;
  private next = 3;
  /** pollfds for poll(2) over Linux-backed sockets (a plain ArrayBuffer: off the V8 heap, never moves). */
  private pollBuf = new ArrayBuffer(8 * 64);
  private pollBase = 0;

  /** The sockets, as guest fds 3, 4, … in order. The table owns them from now on. */
  constructor(preopened: Iterable<socket> = []) {
    for (const s of preopened) this.add(s);
  }

  /**
   * Makes `sock` a guest fd and returns it: the next number, never one used before (a closed
   * number goes back to the runtime's own table, as wasi-p1-edge.test.ts pins).
   */
  add(sock: socket): number {
    const fd = this.next++;
    // A socket with a timeout is made blocking: the guest's O_NONBLOCK is the only mode here.
    const nonblocking = !sock.getblocking();
    if (!nonblocking) sock.setblocking(true);
    this.fds.set(fd, { sock, nonblocking });
    return fd;
  }

  /** The socket behind guest fd `fd`, or undefined. */
  get(fd: number): socket | undefined { return this.fds.get(fd)?.sock; }

  /** The guest fds open now. */
  open(): number[] { return [...this.fds.keys()]; }

  /**
   * The p1 functions for this table laid over `base` (wasmer's getImports(module)
   * .wasi_snapshot_preview1): ours for our fds, `base`'s for the rest. `memory` is the
   * guest's (read on every call: it may grow).
   */
  imports(base: P1Imports, memory: () => WebAssembly.Memory): P1Imports {
    // Views of guest memory, made again only when it grew (a new ArrayBuffer): the data calls
    // are the hot path (bench/wasi-p1.mjs) and allocate nothing else they can avoid.
    let buf: ArrayBuffer | null = null, u8c = new Uint8Array(0), dvc = new DataView(new ArrayBuffer(0));
    const renew = (): void => { const b = memory().buffer as ArrayBuffer; if (b !== buf) { buf = b; u8c = new Uint8Array(b); dvc = new DataView(b); } };
    const u8 = (): Uint8Array => { renew(); return u8c; };
    const dv = (): DataView => { renew(); return dvc; };
    const fail = (e: unknown): number => { if (e instanceof OSError) this.lastError = e; return wasiErrno(e); };
    const call = (f: () => void): number => { try { f(); return ESUCCESS; } catch (e) { return fail(e); } };
    const orig = (name: string) => base[name] as (...a: number[]) => number;
    /** The iovecs at ptr (n of them) as views of guest memory. */
    const iovecs = (ptr: number, n: number): Uint8Array[] => {
      const d = dv(), m = u8(), out: Uint8Array[] = [];
      for (let i = 0; i < n; i++) {
        const at = d.getUint32(ptr + 8 * i, true), len = d.getUint32(ptr + 8 * i + 4, true);
        out.push(m.subarray(at, at + len));
      }
      return out;
    };
    return {
      ...base,
      sock_accept: (fd: number, flags: number, newFd: number): number => {
        const e = this.fds.get(fd);
        if (e === undefined) return EBADF;
        if ((flags & ~FDFLAGS_NONBLOCK) !== 0) return EINVAL;
        let conn: socket | null = null;
        try {
          [conn] = e.sock.accept();
          conn.setblocking((flags & FDFLAGS_NONBLOCK) === 0);
          dv().setUint32(newFd, this.next, true);     // first, so a bad pointer leaves no fd behind
          this.add(conn);
          return ESUCCESS;
        } catch (err) {
          conn?.close();
          return fail(err);
        }
      },
      sock_recv: (fd: number, iovs: number, n: number, riflags: number, datalen: number, roflags: number): number => {
        const e = this.fds.get(fd);
        if (e === undefined) return orig('sock_recv')(fd, iovs, n, riflags, datalen, roflags);
        if ((riflags & ~(RIFLAGS_PEEK | RIFLAGS_WAITALL)) !== 0) return EINVAL;
        const flags = (riflags & RIFLAGS_PEEK ? MSG_PEEK : 0) | (riflags & RIFLAGS_WAITALL ? MSG_WAITALL : 0);
        try {
          let got: number;
          if (n === 1) {
            const d = dv(), at = d.getUint32(iovs, true), len = d.getUint32(iovs + 4, true);
            got = e.sock.recv_into(u8c.subarray(at, at + len), 0, flags);
          } else {
            const bufs = iovecs(iovs, n);
            // Scatter: one receive of the total, spread over the vectors (a datagram stays whole).
            const total = bufs.reduce((s, b) => s + b.length, 0);
            const tmp = new Uint8Array(total);
            got = e.sock.recv_into(tmp, 0, flags);
            let off = 0;
            for (const b of bufs) { if (off >= got) break; const k = Math.min(b.length, got - off); b.set(tmp.subarray(off, off + k)); off += k; }
          }
          const d = dv();
          d.setUint32(datalen, got, true);
          d.setUint16(roflags, 0, true);
          return ESUCCESS;
        } catch (err) { return fail(err); }
      },
      sock_send: (fd: number, iovs: number, n: number, siflags: number, datalen: number): number => {
        const e = this.fds.get(fd);
        if (e === undefined) return orig('sock_send')(fd, iovs, n, siflags, datalen);
        if (siflags !== 0) return EINVAL;
        try {
          let data: Uint8Array;
          if (n === 1) {
            const d = dv(), at = d.getUint32(iovs, true), len = d.getUint32(iovs + 4, true);
            data = u8c.subarray(at, at + len);
          } else {
            const bufs = iovecs(iovs, n);
            data = new Uint8Array(bufs.reduce((s, b) => s + b.length, 0));
            let off = 0;
            for (const b of bufs) { data.set(b, off); off += b.length; }
          }
          const sent = e.sock.send(data);
          dv().setUint32(datalen, sent, true);
          return ESUCCESS;
        } catch (err) { return fail(err); }
      },
      sock_shutdown: (fd: number, how: number): number => {
        const e = this.fds.get(fd);
        if (e === undefined) return orig('sock_shutdown')(fd, how);
        if (how === 0 || (how & ~(SDFLAGS_RD | SDFLAGS_WR)) !== 0) return EINVAL;
        return call(() => e.sock.shutdown(how === SDFLAGS_RD ? 0 : how === SDFLAGS_WR ? 1 : 2));
      },
      fd_fdstat_get: (fd: number, stat: number): number => {
        const e = this.fds.get(fd);
        if (e === undefined) return orig('fd_fdstat_get')(fd, stat);
        if (e.sock.fileno() < 0) return EBADF;
        const d = dv();
        d.setUint8(stat, e.sock.type === SOCK_DGRAM ? FILETYPE_SOCKET_DGRAM : FILETYPE_SOCKET_STREAM);
        d.setUint16(stat + 2, e.nonblocking ? FDFLAGS_NONBLOCK : 0, true);
        d.setBigUint64(stat + 8, SOCKET_RIGHTS, true);
        d.setBigUint64(stat + 16, SOCKET_RIGHTS, true);
        return ESUCCESS;
      },
      fd_fdstat_set_flags: (fd: number, flags: number): number => {
        const e = this.fds.get(fd);
        if (e === undefined) return orig('fd_fdstat_set_flags')(fd, flags);
        // Sockets have one flag to change (APPEND, DSYNC, RSYNC and SYNC are a file's).
        if ((flags & ~FDFLAGS_NONBLOCK) !== 0) return ENOTSUP;
        const on = (flags & FDFLAGS_NONBLOCK) !== 0;
        return call(() => { e.sock.setblocking(!on); e.nonblocking = on; });
      },
      fd_close: (fd: number): number => {
        const e = this.fds.get(fd);
        if (e === undefined) return orig('fd_close')(fd);
        this.fds.delete(fd);
        return call(() => e.sock.close());
      },
      // The monotonic clock is this table's (monotonicNs): @wasmer/wasi 1.2.2 answers it from
      // Date.now(), wall time in whole milliseconds, which a timeout must not be measured by.
      clock_time_get: (id: number, precision: bigint, time: number): number => {
        if (id !== CLOCKID_MONOTONIC) return (base.clock_time_get as (i: number, p: bigint, t: number) => number)(id, precision, time);
        dv().setBigUint64(time, this.monotonicNs(), true);
        return ESUCCESS;
      },
      poll_oneoff: (subs: number, events: number, n: number, nevents: number): number => {
        const d = dv();
        let ours = false;
        for (let i = 0; i < n; i++) {
          const at = subs + 48 * i, tag = d.getUint8(at + 8);
          if (tag !== EVENTTYPE_CLOCK && this.fds.has(d.getUint32(at + 16, true))) { ours = true; break; }
        }
        if (!ours) return orig('poll_oneoff')(subs, events, n, nevents);
        try {
          return this.poll(subs, events, n, nevents, dv);
        } catch (e) {
          return fail(e);
        }
      },
    };
  }

  /**
   * The guest's monotonic clock, in ns: the emulated network's virtual clock when all of this
   * table's sockets are one emulated network's (its waits pass virtual time, so deadlines must
   * be measured in it too), else the process's monotonic clock (process.hrtime).
   */
  monotonicNs(): bigint {
    const emu = this.emulatedClock();
    return emu !== null ? BigInt(Math.round(emu.emu_now())) : process.hrtime.bigint();
  }

  /** The emulated core all of this table's sockets belong to, or null (none, or others too). */
  private emulatedClock(): EmuPoll | null {
    let core: unknown = null;
    for (const e of this.fds.values()) {
      const c = e.sock._c;
      if (core !== null && c !== core) return null;
      core = c;
    }
    if (core === null) return null;
    const x = (core as socket['_c']).x as unknown as Partial<EmuPoll>;
    return typeof x.emu_now === 'function' ? x as EmuPoll : null;
  }

  /** poll_oneoff over subscriptions that name at least one of our fds (and maybe clocks). */
  private poll(subs: number, events: number, n: number, nevents: number, dv: () => DataView): number {
    let d = dv();
    let timeoutNs = -1n;           // the earliest clock, relative; -1: none
    let clockSub = -1;
    const waits: { sub: number; entry: Entry; type: number }[] = [];
    for (let i = 0; i < n; i++) {
      const at = subs + 48 * i, tag = d.getUint8(at + 8);
      if (tag === EVENTTYPE_CLOCK) {
        let t = d.getBigUint64(at + 24, true);
        if (d.getUint16(at + 40, true) & SUBCLOCKFLAGS_ABSTIME) {
          const now = d.getUint32(at + 16, true) === 0 ? BigInt(Date.now()) * 1_000_000n : this.monotonicNs();
          t = t > now ? t - now : 0n;
        }
        if (timeoutNs < 0n || t < timeoutNs) { timeoutNs = t; clockSub = i; }
      } else if (tag === EVENTTYPE_FD_READ || tag === EVENTTYPE_FD_WRITE) {
        const entry = this.fds.get(d.getUint32(at + 16, true));
        // A wait on one of our sockets and a file of wasmer's at once: nothing can wait on both.
        if (entry === undefined) return ENOTSUP;
        waits.push({ sub: i, entry, type: tag });
      } else return EINVAL;
    }
    const ms = timeoutNs < 0n ? -1 : Number((timeoutNs + 999_999n) / 1_000_000n);
    const revents = this.wait(waits.map((w) => ({ sock: w.entry.sock, events: w.type === EVENTTYPE_FD_READ ? POLLIN : POLLOUT })), ms);
    d = dv();
    let k = 0;
    const put = (sub: number, type: number, error: number, flags: number): void => {
      const ev = events + 32 * k++, at = subs + 48 * sub;
      d.setBigUint64(ev, d.getBigUint64(at, true), true);
      d.setUint16(ev + 8, error, true);
      d.setUint8(ev + 10, type);
      d.setBigUint64(ev + 16, 0n, true);
      d.setUint16(ev + 24, flags, true);
    };
    waits.forEach((w, i) => {
      const r = revents[i];
      if (r === 0) return;
      const hup = (r & POLLHUP) !== 0 ? EVENTRWFLAGS_HANGUP : 0;
      put(w.sub, w.type, 0, hup);
    });
    if (k === 0 && clockSub >= 0) put(clockSub, EVENTTYPE_CLOCK, 0, 0);
    d.setUint32(nevents, k, true);
    return ESUCCESS;
  }

  /**
   * poll() over the backing sockets: revents for each (0: not ready), after at most `ms`
   * milliseconds (-1: no limit). Linux-backed sockets wait in one poll(2); an emulated
   * network's in its kernel's poll (emu_poll, on the network's virtual clock). Sockets of
   * different networks cannot be waited on together.
   */
  private wait(waits: { sock: socket; events: number }[], ms: number): number[] {
    const cores = new Set(waits.map((w) => w.sock._c));
    if (cores.size !== 1) throw new OSError(95, 'Operation not supported');
    const c = waits[0].sock._c;
    const emu = c.x as unknown as Partial<EmuPoll>;
    if (typeof emu.emu_poll === 'function') {
      // The pollfds go in the emulated core's staging area (nothing else runs meanwhile).
      const at = c.area(waits.length * 8);
      let v = new DataView(c.memory.buffer);
      waits.forEach((w, i) => {
        v.setInt32(at + 8 * i, w.sock.fileno(), true);
        v.setInt16(at + 8 * i + 4, w.events, true);
        v.setInt16(at + 8 * i + 6, 0, true);
      });
      const r = emu.emu_poll(at, waits.length, ms);
      if (r < 0) throw new OSError(-r, 'poll');
      v = new DataView(c.memory.buffer);
      return waits.map((_, i) => v.getInt16(at + 8 * i + 6, true) & 0xffff);
    }
    if (!isNodeFdSource(c.host)) throw new OSError(95, 'Operation not supported');
    const lc = libc();
    if (waits.length * 8 > this.pollBuf.byteLength) { this.pollBuf = new ArrayBuffer(waits.length * 8); this.pollBase = 0; }
    if (this.pollBase === 0) this.pollBase = baseAddress(this.pollBuf);
    const v = new DataView(this.pollBuf);
    waits.forEach((w, i) => {
      v.setInt32(8 * i, w.sock.fileno(), true);
      v.setInt16(8 * i + 4, w.events, true);
      v.setInt16(8 * i + 6, 0, true);
    });
    const r = lc.poll(this.pollBase, waits.length, ms);
    if (r < 0) { const errno = lc.errno(); throw new OSError(errno, 'poll'); }
    return waits.map((_, i) => (r === 0 ? 0 : v.getInt16(8 * i + 6, true) & 0xffff));
  }
}
