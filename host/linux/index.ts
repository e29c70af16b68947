// The Linux host: real kernel sockets through libc. It has every capability but
// ioctl.windows (CPython's socket.ioctl exists on Windows only; POSIX code uses fcntl.ioctl).
import type { Capability, Host } from '../types.js';
import { CAPABILITIES, capBits } from '../types.js';
import { libc as loadLibc, baseAddress } from './libc.js';
import { nodeFd } from './node-handles.js';

const LINUX_CAPS = new Set<Capability>(CAPABILITIES.filter((c) => c !== 'ioctl.windows'));

export class LinuxHost implements Host {
  readonly capabilities: ReadonlySet<Capability>;
  private staged: Uint8Array = new Uint8Array(0);
  private pollBase = 0;

  /** A narrower capability set (and a name to tell it apart) makes a restricted host. */
  constructor(capabilities: Iterable<Capability> = LINUX_CAPS, readonly name: string = 'linux') {
    this.capabilities = new Set(capabilities);
  }

  stage(buf: Uint8Array): void { this.staged = buf; }

  /** Linux fds are the process's own, so Node's sockets can be shared (node-handles.ts). */
  nodeFd(x: unknown) { return nodeFd(x); }

  imports(memory: WebAssembly.Memory): Record<string, (...args: any[]) => any> {
    // koffi loads here, when a core is bound to this host (the first socket), not at import.
    const libc = loadLibc();
    const base = baseAddress(memory.buffer);
    // A pollfd lives in its own 8-byte area so poll never clobbers the core's scratch.
    // (A plain ArrayBuffer's storage is off the V8 heap and never moves.)
    const pollArea = new ArrayBuffer(8);
    this.pollBase = baseAddress(pollArea);
    const pollView = new DataView(pollArea);
    const p = (ptr: number): number => (ptr === 0 ? 0 : base + ptr);
    const err = (r: number): number => (r < 0 ? -libc.errno() : r);
    const getsockopt = libc.getsockopt;
    let stagedFor: Uint8Array | null = null, stagedAddr = 0;
    const bits = capBits(this.capabilities);
    // A JavaScript buffer region for the data calls (pointer -1).
    // Offsets into the staged buffer arrive as u32 bits (buffers reach 4 GiB).
    const js = (off: number, len: number): Uint8Array => {
      const s = this.staged;
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
        // The hottest call: written out, no helper closures.
        const r = getsockopt(fd, l, o, v === 0 ? 0 : base + v, base + lp);
        return r < 0 ? -libc.errno() : r;
      },
      getsockopt_js: (fd: number, l: number, o: number, off: number, lp: number) => {
        const s = this.staged;
        // The staged pool changes once per thousand results: its address is looked up then.
        if (s !== stagedFor) { stagedAddr = baseAddress(s.buffer as ArrayBuffer) + s.byteOffset; stagedFor = s; }
        const r = getsockopt(fd, l, o, stagedAddr + off, base + lp);
        return r < 0 ? -libc.errno() : r;
      },
      setsockopt: (fd: number, l: number, o: number, v: number, len: number) =>
        err(libc.setsockopt(fd, l, o, p(v), len >>> 0)),
      getsockname: (fd: number, a: number, lp: number) => err(libc.getsockname(fd, base + a, base + lp)),
      getpeername: (fd: number, a: number, lp: number) => err(libc.getpeername(fd, base + a, base + lp)),
      shutdown: (fd: number, how: number) => err(libc.shutdown(fd, how)),
      recv: (fd: number, b: number, off: number, len: number, fl: number) =>
        err(Number(b === -1 ? libc.recvJs(fd, js(off, len), len, fl) : libc.recv(fd, base + b + off, len, fl))),
      send: (fd: number, b: number, off: number, len: number, fl: number) =>
        err(Number(b === -1 ? libc.sendJs(fd, js(off, len), len, fl) : libc.send(fd, base + b + off, len, fl))),
      recvfrom: (fd: number, b: number, off: number, len: number, fl: number, a: number, lp: number) =>
        err(Number(b === -1
          ? libc.recvfromJs(fd, js(off, len), len, fl, base + a, base + lp)
          : libc.recvfrom(fd, base + b + off, len, fl, base + a, base + lp))),
      sendto: (fd: number, b: number, off: number, len: number, fl: number, a: number, alen: number) =>
        err(Number(b === -1
          ? libc.sendtoJs(fd, js(off, len), len, fl, base + a, alen)
          : libc.sendto(fd, base + b + off, len, fl, base + a, alen))),
      fcntl: (fd: number, cmd: number, arg: number) => err(libc.fcntl(fd, cmd, arg)),
      fcntl_ptr: (fd: number, cmd: number, ptr: number) => err(libc.fcntlPtr(fd, cmd, base + ptr)),
      ioctl: (fd: number, req: number, ptr: number) =>
        err(ptr === -1 ? libc.ioctlJs(fd, req >>> 0, this.staged) : libc.ioctl(fd, req >>> 0, p(ptr))),
      // CPython passes fcntl.ioctl's int through ioctl's varargs in a 32-bit register, which
      // zero-extends: the kernel sees (unsigned long)(unsigned int)arg.
      ioctl_int: (fd: number, req: number, arg: number) => err(libc.ioctl(fd, req >>> 0, arg >>> 0)),
      // Never called: the core checks the ioctl.windows capability, which this host lacks.
      win_ioctl: () => { throw new Error('wasock: win_ioctl on a host without ioctl.windows'); },
      poll: (fd: number, events: number, ms: number) => {
        pollView.setInt32(0, fd, true);
        pollView.setInt16(4, events, true);
        pollView.setInt16(6, 0, true);
        const r = libc.poll(this.pollBase, 1, ms);
        return r < 0 ? -libc.errno() : r === 0 ? 0 : pollView.getInt16(6, true) & 0xffff;
      },
      now_ns: () => process.hrtime.bigint(),
    };
  }
}
