// The Linux host: real kernel sockets through libc. It has every capability but
// ioctl.windows (CPython's socket.ioctl exists on Windows only; POSIX code uses fcntl.ioctl),
// plus js_buffers: koffi hands a JavaScript buffer's own storage to libc, so user bytes,
// the makefile reader's pool and the small-result pool reach the kernel without a copy.
import type { Capability, HostImports, JsBufferHost, NodeFdSource } from '../types.js';
import { CAPABILITIES, capBits } from '../types.js';
import { libc as loadLibc, baseAddress } from './libc.js';
import { nodeFd } from './node-handles.js';
import { nameImports } from './names.js';
import { msgImports } from './msg.js';

const LINUX_CAPS = new Set<Capability>(CAPABILITIES.filter((c) => c !== 'ioctl.windows'));
const FIONBIO = 0x5421;

export class LinuxHost implements JsBufferHost, NodeFdSource {
  readonly capabilities: ReadonlySet<Capability>;
  /** The buffer lent for the next *_js call: one slot (the core makes one call at a time), id 0. */
  private lent: Uint8Array = new Uint8Array(0);

  /** A narrower capability set (and a name to tell it apart) makes a restricted host. */
  constructor(capabilities: Iterable<Capability> = LINUX_CAPS, readonly name: string = 'linux') {
    this.capabilities = new Set(capabilities);
  }

  lend(buf: Uint8Array): number { this.lent = buf; return 0; }

  /** Linux fds are the process's own, so Node's sockets can be shared (node-handles.ts). */
  nodeFd(x: unknown) { return nodeFd(x); }

  imports(memory: WebAssembly.Memory): HostImports {
    // koffi loads here, when a core is bound to this host (the first socket), not at import.
    const libc = loadLibc();
    const base = baseAddress(memory.buffer);
    // The host's own 16 bytes: a pollfd at 0 and FIONBIO's int at 8, so neither clobbers the
    // core's scratch. (A plain ArrayBuffer's storage is off the V8 heap and never moves.)
    const own = new ArrayBuffer(16);
    const ownBase = baseAddress(own);
    const ownView = new DataView(own);
    const p = (ptr: number): number => (ptr === 0 ? 0 : base + ptr);
    const err = (r: number): number => (r < 0 ? -libc.errno() : r);
    const { getsockopt, recv, send } = libc;
    let lentFor: Uint8Array | null = null, lentAddr = 0;
    const bits = capBits(this.capabilities);
    // A region of the lent buffer; offsets arrive as u32 bits (buffers reach 4 GiB).
    const js = (off: number, len: number): Uint8Array => {
      const s = this.lent;
      return off === 0 && len === s.length ? s : s.subarray(off >>> 0, (off >>> 0) + len);
    };
    return {
      caps: () => bits,
      socket: (f: number, t: number, pr: number) => err(libc.socket(f, t, pr)),
      socketpair: (f: number, t: number, pr: number, out: number) => err(libc.socketpair(f, t, pr, base + out)),
      close: (fd: number) => err(libc.close(fd)),
      dup: (fd: number) => err(libc.fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, 0)),
      bind: (fd: number, a: number, len: number) => err(libc.bind(fd, base + a, len)),
      connect: (fd: number, a: number, len: number) => err(libc.connect(fd, base + a, len)),
      listen: (fd: number, backlog: number) => err(libc.listen(fd, backlog)),
      accept: (fd: number, a: number, lp: number, flags: number) => err(libc.accept4(fd, base + a, base + lp, flags)),
      getsockopt: (fd: number, l: number, o: number, v: number, lp: number) => {
        // The hottest call: written out, no helper closures; errno only on failure.
        const r = getsockopt(fd, l, o, v === 0 ? 0 : base + v, base + lp);
        return r < 0 ? -libc.errno() : r;
      },
      setsockopt: (fd: number, l: number, o: number, v: number, len: number) =>
        err(libc.setsockopt(fd, l, o, p(v), len >>> 0)),
      getsockname: (fd: number, a: number, lp: number) => err(libc.getsockname(fd, base + a, base + lp)),
      getpeername: (fd: number, a: number, lp: number) => err(libc.getpeername(fd, base + a, base + lp)),
      shutdown: (fd: number, how: number) => err(libc.shutdown(fd, how)),
      recv: (fd: number, b: number, len: number, fl: number) => err(Number(recv(fd, base + b, len, fl))),
      send: (fd: number, b: number, len: number, fl: number) => err(Number(send(fd, base + b, len, fl))),
      recvfrom: (fd: number, b: number, len: number, fl: number, a: number, lp: number) =>
        err(Number(libc.recvfrom(fd, base + b, len, fl, base + a, base + lp))),
      sendto: (fd: number, b: number, len: number, fl: number, a: number, alen: number) =>
        err(Number(libc.sendto(fd, base + b, len, fl, base + a, alen))),
      fcntl: (fd: number, cmd: number, arg: number) => err(libc.fcntl(fd, cmd, arg)),
      fcntl_ptr: (fd: number, cmd: number, ptr: number) => err(libc.fcntlPtr(fd, cmd, base + ptr)),
      ioctl: (fd: number, req: number, ptr: number) => err(libc.ioctl(fd, req >>> 0, p(ptr))),
      // CPython passes fcntl.ioctl's int through ioctl's varargs in a 32-bit register, which
      // zero-extends: the kernel sees (unsigned long)(unsigned int)arg.
      ioctl_int: (fd: number, req: number, arg: number) => err(libc.ioctl(fd, req >>> 0, arg >>> 0)),
      // internal_setblocking() on Linux: ioctl(fd, FIONBIO, &int), exactly CPython's syscall.
      set_nonblocking: (fd: number, on: number) => {
        ownView.setInt32(8, on, true);
        return err(libc.ioctl(fd, FIONBIO, ownBase + 8));
      },
      poll: (fd: number, events: number, ms: number) => {
        ownView.setInt32(0, fd, true);
        ownView.setInt16(4, events, true);
        ownView.setInt16(6, 0, true);
        const r = libc.poll(ownBase, 1, ms);
        return r < 0 ? -libc.errno() : r === 0 ? 0 : ownView.getInt16(6, true) & 0xffff;
      },
      now_ns: () => process.hrtime.bigint(),
      // js_buffers: the lent buffer's storage goes to libc (koffi passes a TypedArray's own
      // bytes for void *), so nothing is copied through core memory.
      recv_js: (fd: number, _id: number, off: number, len: number, fl: number) =>
        err(Number(libc.recvJs(fd, js(off, len), len, fl))),
      send_js: (fd: number, _id: number, off: number, len: number, fl: number) =>
        err(Number(libc.sendJs(fd, js(off, len), len, fl))),
      recvfrom_js: (fd: number, _id: number, off: number, len: number, fl: number, a: number, lp: number) =>
        err(Number(libc.recvfromJs(fd, js(off, len), len, fl, base + a, base + lp))),
      sendto_js: (fd: number, _id: number, off: number, len: number, fl: number, a: number, alen: number) =>
        err(Number(libc.sendtoJs(fd, js(off, len), len, fl, base + a, alen))),
      getsockopt_js: (fd: number, l: number, o: number, _id: number, off: number, lp: number) => {
        const s = this.lent;
        // The small-result pool changes once per thousand results: its address is looked up then.
        if (s !== lentFor) { lentAddr = baseAddress(s.buffer as ArrayBuffer) + s.byteOffset; lentFor = s; }
        const r = getsockopt(fd, l, o, lentAddr + off, base + lp);
        return r < 0 ? -libc.errno() : r;
      },
      ioctl_js: (fd: number, req: number, _id: number) => err(libc.ioctlJs(fd, req >>> 0, this.lent)),
      // name_lookup: glibc's resolver (names.ts).
      ...nameImports(libc, base),
      ...msgImports(libc, memory, base),
    } satisfies HostImports;
  }
}
