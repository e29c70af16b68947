// sendmsg / recvmsg in the emulated kernel (the host ABI's sendmsg capability): the iovecs are
// gathered into one message and scattered back out, as Linux's sock_sendmsg/recvmsg copy
// through their msghdr, over the same send and receive paths as sendto/recvfrom. msg_flags:
// MSG_TRUNC when a datagram did not fit. Control messages: none of the kernel's own (the
// network lacks the `ancillary` capability, so the core sends it none but SCM_RIGHTS).

import * as ops from "./kernel/ops";
import { sockOf, badFd, fdValid, fileOfFd, holdFile, installFile, dropFile, sockAt } from "./kernel/sock";
import { releaseSock } from "./kernel/ops";
import { SOCK_DGRAM, SOCK_SEQPACKET, MSG_TRUNC, EINVAL, AF_UNIX, SOL_SOCKET, EBADF, MSG_PEEK, MSG_CMSG_CLOEXEC } from "./kernel/defs";

// The core's message header (scripts/contract.py MSGHDR): u32 fields.
const M_NAME: usize = 0, M_NAMELEN: usize = 4, M_IOV: usize = 8, M_IOVLEN: usize = 12,
  M_CONTROL: usize = 16, M_CONTROLLEN: usize = 20, M_FLAGS: usize = 24;
/** Linux's UIO_MAXIOV: more iovecs is EMSGSIZE (sendmsg) / EMSGSIZE (recvmsg). */
const UIO_MAXIOV: u32 = 1024;
const EMSGSIZE: i32 = 90;

/** A staging block for the gathered bytes, kept for the next call. */
let buf: usize = 0;
let cap: usize = 0;
function room(n: usize): usize {
  if (n > cap) { if (buf != 0) heap.free(buf); buf = heap.alloc(n > 256 ? n : 256); cap = n > 256 ? n : 256; }
  return buf;
}

function total(msg: usize): i64 {
  const iov = <usize>load<u32>(msg + M_IOV), n = load<u32>(msg + M_IOVLEN);
  let t: i64 = 0;
  for (let i: u32 = 0; i < n; i++) t += <i64>load<u32>(iov + <usize>i * 8 + 4);
  return t;
}

export function HOST_sendmsg(fd: i32, msg: usize, flags: i32): i32 {
  if (sockOf(fd) === null) return badFd(fd);
  if (load<u32>(msg + M_IOVLEN) > UIO_MAXIOV) return -EMSGSIZE;
  if (load<u32>(msg + M_CONTROLLEN) != 0) {
    const r = sendRights(fd, msg);
    if (r < 0) return r;
  }
  const t = total(msg);
  if (t > 0x7ffff000) return -EINVAL;
  const iov = <usize>load<u32>(msg + M_IOV), n = load<u32>(msg + M_IOVLEN);
  const b = room(<usize>t);
  let p = b;
  for (let i: u32 = 0; i < n; i++) {
    const len = <usize>load<u32>(iov + <usize>i * 8 + 4);
    memory.copy(p, <usize>load<u32>(iov + <usize>i * 8), len);
    p += len;
  }
  const name = <usize>load<u32>(msg + M_NAME);
  const r = ops.sendto(fd, b, <i32>t, flags, name, name != 0 ? <i32>load<u32>(msg + M_NAMELEN) : 0);
  if (r < 0) dropRights();
  else commitRights(fd);
  return r;
}

export function HOST_recvmsg(fd: i32, msg: usize, flags: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return badFd(fd);
  if (load<u32>(msg + M_IOVLEN) > UIO_MAXIOV) return -EMSGSIZE;
  const t = total(msg);
  const want = <i32>(t > 0x7ffff000 ? 0x7ffff000 : t);
  const b = room(<usize>want);
  const dgram = s.type == SOCK_DGRAM || s.type == SOCK_SEQPACKET;
  const name = <usize>load<u32>(msg + M_NAME);
  // A datagram's whole length (MSG_TRUNC asked of the kernel's receive path) says whether it
  // was cut: msg_flags then has MSG_TRUNC, and the result is what was copied unless the
  // caller asked for MSG_TRUNC itself (udp_recvmsg).
  const r = ops.recvfrom(fd, b, want, dgram ? flags | MSG_TRUNC : flags, name, name != 0 ? msg + M_NAMELEN : 0);
  if (r < 0) return r;
  recvFlags = flags;
  const copied = r > want ? want : r;
  let outFlags = 0;
  if (dgram && r > want) outFlags |= MSG_TRUNC;
  // Scatter what was copied.
  const iov = <usize>load<u32>(msg + M_IOV), n = load<u32>(msg + M_IOVLEN);
  let left = copied, p = b;
  for (let i: u32 = 0; i < n && left > 0; i++) {
    const len = <i32>load<u32>(iov + <usize>i * 8 + 4);
    const k = len < left ? len : left;
    memory.copy(<usize>load<u32>(iov + <usize>i * 8), p, <usize>k);
    p += <usize>k; left -= k;
  }
  outFlags |= receiveRights(fd, msg, copied);
  store<i32>(msg + M_FLAGS, outFlags);
  return dgram && (flags & MSG_TRUNC) == 0 ? copied : r;
}

// ------------------------------------------------------------------ SCM_RIGHTS
// Files in flight wait on the receiving socket, one batch per sendmsg, and are delivered with
// the next recvmsg that takes data (not with MSG_PEEK). Linux ties them to the exact bytes (a
// stream read stops at a message that carries files); here a batch rides with whatever the
// next read takes: the same for one message at a time (docs/decisions.md).

const SCM_RIGHTS: i32 = 1;
const MSG_CTRUNC: i32 = 8;
const CMSG_HDR: u64 = 16;
/** Linux's SCM_MAX_FD: more fds in one message is EINVAL. */
const SCM_MAX_FD: i32 = 253;

class Batch { constructor(public sock: i32, public gen: i32, public files: Array<i32>) {} }
const inFlight = new Array<Batch>();
/** The batch sendRights() collected for the send under way. */
let collecting: Array<i32> | null = null;
let collectingFor: i32 = -1;

function release(f: i32): void { const s = dropFile(f); if (s !== null) releaseSock(s); }

/** Reads the control buffer of a sendmsg: SCM_RIGHTS only (the core sends no other here). */
function sendRights(fd: i32, msg: usize): i32 {
  const s = sockOf(fd)!;
  const ctl = <usize>load<u32>(msg + M_CONTROL);
  const len = <u64>load<u32>(msg + M_CONTROLLEN);
  const files = new Array<i32>();
  let off: u64 = 0;
  while (off + CMSG_HDR <= len) {
    const cl = load<u64>(ctl + <usize>off);
    if (cl < CMSG_HDR || off + cl > len) { for (let i = 0; i < files.length; i++) release(files[i]); return -EINVAL; }
    const level = load<i32>(ctl + <usize>off + 8), type = load<i32>(ctl + <usize>off + 12);
    // __scm_send: SOL_SOCKET only; SCM_RIGHTS only on AF_UNIX (inet's ip_cmsg_send gives EINVAL).
    if (level != SOL_SOCKET || type != SCM_RIGHTS || s.family != AF_UNIX) { for (let i = 0; i < files.length; i++) release(files[i]); return -EINVAL; }
    const n = <i32>((cl - CMSG_HDR) >> 2);
    for (let i = 0; i < n; i++) {
      const sent = load<i32>(ctl + <usize>(off + CMSG_HDR) + (<usize>i << 2));
      if (!fdValid(sent)) { for (let k = 0; k < files.length; k++) release(files[k]); return -EBADF; }
      const f = fileOfFd(sent);
      holdFile(f);
      files.push(f);
    }
    if (files.length > SCM_MAX_FD) { for (let k = 0; k < files.length; k++) release(files[k]); return -EINVAL; }
    off += (cl + 7) & ~7;
  }
  // Where they go: the connected peer (a socketpair's or a connect()ed socket's).
  if (files.length > 0 && s.peer < 0) { for (let k = 0; k < files.length; k++) release(files[k]); return -95; /* EOPNOTSUPP: see docs/decisions.md */ }
  collecting = files;
  collectingFor = s.peer;
  return 0;
}

function dropRights(): void {
  const c = collecting;
  if (c !== null) for (let i = 0; i < c.length; i++) release(c[i]);
  collecting = null;
}

function commitRights(_fd: i32): void {
  const c = collecting;
  if (c !== null && c.length > 0) inFlight.push(new Batch(collectingFor, sockAt(collectingFor).gen, c));
  collecting = null;
}

/** Delivers the oldest batch waiting on fd's socket into the control buffer (scm_detach_fds); returns msg_flags bits. */
function receiveRights(fd: i32, msg: usize, copied: i32): i32 {
  // Clear what is owed to sockets that are gone (their fds close with them, as Linux's do).
  for (let i = 0; i < inFlight.length; i++) {
    const b = inFlight[i];
    const t = sockAt(b.sock);
    if (t.gen != b.gen || !t.live) { for (let k = 0; k < b.files.length; k++) release(b.files[k]); inFlight.splice(i, 1); i--; }
  }
  store<u32>(msg + M_CONTROLLEN, 0);
  const s = sockOf(fd)!;
  if (copied <= 0 && s.type != SOCK_DGRAM) return 0;
  let at = -1;
  for (let i = 0; i < inFlight.length; i++) if (inFlight[i].sock == s.id) { at = i; break; }
  if (at < 0) return 0;
  const flags = 0;
  const b = inFlight[at];
  // MSG_PEEK leaves them queued (unix_stream_read_generic peeks without detaching).
  if ((recvFlags & MSG_PEEK) != 0) return 0;
  inFlight.splice(at, 1);
  const ctl = <usize>load<u32>(msg + M_CONTROL);
  const room = ctl == 0 ? 0 : <i64>load<u32>(msg + 32);   // the core's offered room (M_CONTROLROOM)
  let fit = room < <i64>CMSG_HDR ? 0 : <i32>((room - <i64>CMSG_HDR) >> 2);
  if (fit > b.files.length) fit = b.files.length;
  let installed = 0;
  for (; installed < fit; installed++) {
    const nfd = installFile(b.files[installed], (recvFlags & MSG_CMSG_CLOEXEC) != 0);
    if (nfd < 0) break;
    store<i32>(ctl + <usize>CMSG_HDR + (<usize>installed << 2), nfd);
  }
  for (let k = installed; k < b.files.length; k++) release(b.files[k]);
  let out = flags;
  if (installed < b.files.length) out |= MSG_CTRUNC;
  if (installed > 0) {
    store<u64>(ctl, CMSG_HDR + (<u64>installed << 2));
    store<i32>(ctl + 8, SOL_SOCKET);
    store<i32>(ctl + 12, SCM_RIGHTS);
    // put_cmsg: msg_controllen advances by CMSG_SPACE, at most to the room.
    const space = <i64>((CMSG_HDR + (<u64>installed << 2) + 7) & ~7);
    store<u32>(msg + M_CONTROLLEN, <u32>(space < room ? space : room));
  }
  return out;
}
let recvFlags: i32 = 0;
