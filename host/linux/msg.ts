// sendmsg(2) / recvmsg(2) for the Linux host. The core's message header (scripts/contract.py
// MSGHDR: u32 pointers into core memory) becomes the kernel's LP64 struct msghdr and iovec
// array in a buffer of the host's own; the control buffer needs no translation (the core
// lays it out as x86-64 Linux does), so the kernel reads and writes it in core memory.
import type { Libc } from './libc.js';
import { baseAddress } from './libc.js';
import { M_NAME, M_NAMELEN, M_IOV, M_IOVLEN, M_CONTROL, M_CONTROLLEN, M_FLAGS, IOVEC_SIZE } from '../../src/generated/contract.js';

/** struct msghdr's offsets on x86-64 / aarch64 Linux (56 bytes), iovecs from IOV (16 bytes each). */
const N_NAME = 0, N_NAMELEN = 8, N_IOV = 16, N_IOVLEN = 24, N_CONTROL = 32, N_CONTROLLEN = 40, N_FLAGS = 48, IOV = 64;

export function msgImports(libc: Libc, memory: WebAssembly.Memory, base: number) {
  // The native header and iovecs: grown (and its address looked up again) only when a call has
  // more iovecs than it holds, so a call allocates nothing.
  let own = new ArrayBuffer(IOV + 16 * 64);
  let ownBase = baseAddress(own);
  let nat = new DataView(own);
  let core = new Uint32Array(memory.buffer);
  const u32 = (): Uint32Array => (core.length === 0 ? (core = new Uint32Array(memory.buffer)) : core);
  const ptr = (p: number): number => (p === 0 ? 0 : base + p);
  const put64 = (at: number, v: number) => {
    nat.setUint32(at, v % 0x100000000, true);
    nat.setUint32(at + 4, Math.floor(v / 0x100000000), true);
  };

  /** Writes the native header for the core's header at `msg`. */
  function build(msg: number): void {
    const m = u32(), w = msg >>> 2;
    const iovlen = m[w + (M_IOVLEN >> 2)];
    if (IOV + 16 * iovlen > own.byteLength) {
      own = new ArrayBuffer(IOV + 16 * iovlen);
      ownBase = baseAddress(own);
      nat = new DataView(own);
    }
    put64(N_NAME, ptr(m[w + (M_NAME >> 2)]));
    nat.setUint32(N_NAMELEN, m[w + (M_NAMELEN >> 2)], true);
    put64(N_IOV, ownBase + IOV);
    put64(N_IOVLEN, iovlen);
    put64(N_CONTROL, ptr(m[w + (M_CONTROL >> 2)]));
    put64(N_CONTROLLEN, m[w + (M_CONTROLLEN >> 2)]);
    nat.setInt32(N_FLAGS, 0, true);
    const iov = m[w + (M_IOV >> 2)] >>> 2;
    for (let i = 0; i < iovlen; i++) {
      put64(IOV + 16 * i, base + m[iov + i * (IOVEC_SIZE >> 2)]);
      put64(IOV + 16 * i + 8, m[iov + i * (IOVEC_SIZE >> 2) + 1]);
    }
  }

  return {
    sendmsg: (fd: number, msg: number, flags: number): number => {
      build(msg);
      const r = Number(libc.sendmsg(fd, ownBase, flags));
      return r < 0 ? -libc.errno() : r;
    },
    recvmsg: (fd: number, msg: number, flags: number): number => {
      build(msg);
      const r = Number(libc.recvmsg(fd, ownBase, flags));
      if (r < 0) return -libc.errno();
      // What the kernel wrote back: the name's length, the control bytes used, msg_flags.
      const m = u32(), w = msg >>> 2;
      m[w + (M_NAMELEN >> 2)] = nat.getUint32(N_NAMELEN, true);
      m[w + (M_CONTROLLEN >> 2)] = nat.getUint32(N_CONTROLLEN, true);
      m[w + (M_FLAGS >> 2)] = nat.getInt32(N_FLAGS, true);
      return r;
    },
  };
}
