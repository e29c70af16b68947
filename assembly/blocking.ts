// How an operation waits, as CPython's sock_call_ex() does it. With a timeout > 0 the fd is
// non-blocking: poll until ready or the deadline (a monotonic clock), run the syscall, and
// go back to polling on a spurious wakeup (EAGAIN); EINTR retries. With timeout 0 the
// syscall runs once and EAGAIN is the caller's BlockingIOError; with None it blocks.

import { host_poll, host_now_ns, host_recv, host_send, host_recvfrom, host_sendto,
         host_recv_js, host_send_js, host_recvfrom_js, host_sendto_js,
         host_accept, host_getsockopt, host_sendmsg, host_recvmsg } from "./bindings/host";
import { fail, E_TIMEOUT } from "./errors";
import { SCR_ADDR, SCR_ADDRLEN, SCR_VAL, SCR_LEN } from "./layout";

const EINTR: i32 = 4;
const EAGAIN: i32 = 11;
const EISCONN: i32 = 106;
const POLLIN: i32 = 1, POLLOUT: i32 = 4, POLLERR: i32 = 8;
const SOL_SOCKET: i32 = 1, SO_ERROR: i32 = 4;
const SOCK_CLOEXEC: i32 = 0o2000000;

export const OP_RECV: i32 = 0;
export const OP_SEND: i32 = 1;
export const OP_RECVFROM: i32 = 2;
export const OP_SENDTO: i32 = 3;
export const OP_ACCEPT: i32 = 4;
export const OP_CONNECT: i32 = 5;   // the wait after an asynchronous connect: SO_ERROR
export const OP_PEEKFROM: i32 = 6;  // the policy's look at the next datagram's sender (policy.ts screened)
export const OP_SENDMSG: i32 = 7;   // aBuf: the message header msg.ts built
export const OP_RECVMSG: i32 = 8;
const MSG_PEEK: i32 = 2, MSG_DONTWAIT: i32 = 0x40;

// The operation's arguments (the core is single-threaded: set right before call()). `aBuf`
// is a core pointer, or with `aJs` the id of a buffer lent to the host (js_buffers: the
// caller checked the capability); `aOff` is a byte offset into it, as u32 bits.
let aBuf: usize = 0;
let aOff: i32 = 0;
let aLen: i32 = 0;
let aFlags: i32 = 0;
let aAddrLen: i32 = 0;
let aJs: bool = false;

export function setArgs(buf: usize, off: i32, len: i32, flags: i32, alen: i32, js: bool): void {
  aBuf = buf; aOff = off; aLen = len; aFlags = flags; aAddrLen = alen; aJs = js;
}

function run(op: i32, fd: i32): i32 {
  const at = aBuf + <usize><u32>aOff;
  switch (op) {
    case OP_RECV:
      return aJs ? host_recv_js(fd, <i32>aBuf, aOff, aLen, aFlags) : host_recv(fd, at, aLen, aFlags);
    case OP_SEND:
      return aJs ? host_send_js(fd, <i32>aBuf, aOff, aLen, aFlags) : host_send(fd, at, aLen, aFlags);
    case OP_RECVFROM:
      memory.fill(SCR_ADDR, 0, 128);
      store<i32>(SCR_ADDRLEN, 128);
      return aJs ? host_recvfrom_js(fd, <i32>aBuf, aOff, aLen, aFlags, SCR_ADDR, SCR_ADDRLEN)
                 : host_recvfrom(fd, at, aLen, aFlags, SCR_ADDR, SCR_ADDRLEN);
    case OP_SENDTO:
      return aJs ? host_sendto_js(fd, <i32>aBuf, aOff, aLen, aFlags, SCR_ADDR, aAddrLen)
                 : host_sendto(fd, at, aLen, aFlags, SCR_ADDR, aAddrLen);
    case OP_ACCEPT:
      memory.fill(SCR_ADDR, 0, 128);
      store<i32>(SCR_ADDRLEN, 128);
      return host_accept(fd, SCR_ADDR, SCR_ADDRLEN, SOCK_CLOEXEC);
    case OP_SENDMSG:
      return host_sendmsg(fd, aBuf, aFlags);
    case OP_RECVMSG:
      // Each attempt offers the whole name and control room again (msg.ts keeps them at
      // +28 and +32): an earlier attempt may have shrunk them.
      store<u32>(aBuf + 4, load<u32>(aBuf + 28));
      store<u32>(aBuf + 20, load<u32>(aBuf + 32));
      store<i32>(aBuf + 24, 0);
      return host_recvmsg(fd, aBuf, aFlags);
    case OP_PEEKFROM:
      // Length 0 with MSG_PEEK: the sender's address, the datagram left queued (and the
      // caller's MSG_DONTWAIT kept, so a non-blocking receive stays one).
      memory.fill(SCR_ADDR, 0, 128);
      store<i32>(SCR_ADDRLEN, 128);
      return host_recvfrom(fd, SCR_VAL, 0, MSG_PEEK | (aFlags & MSG_DONTWAIT), SCR_ADDR, SCR_ADDRLEN);
  }
  // sock_connect_impl: the connection's outcome is SO_ERROR (EISCONN counts as success).
  store<i32>(SCR_VAL, 0); store<i32>(SCR_LEN, 4);
  const r = host_getsockopt(fd, SOL_SOCKET, SO_ERROR, SCR_VAL, SCR_LEN);
  if (r < 0) return r;
  const err = load<i32>(SCR_VAL);
  return err == 0 || err == EISCONN ? 0 : -err;
}

/**
 * internal_select(): 0 ready, 1 timed out, or -errno. A closed socket counts as ready (the
 * syscall then reports EBADF). `interval` < 0 waits without limit.
 */
function select(fd: i32, writing: bool, interval: i64, connect: bool): i32 {
  if (fd < 0) return 0;
  let ms: i32 = -1;
  if (interval >= 0) {
    const m = (interval + 999999) / 1000000;          // round up to whole milliseconds
    ms = m > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>m;
  }
  let events = writing ? POLLOUT : POLLIN;
  if (connect) events |= POLLERR;
  const n = host_poll(fd, events, ms);
  if (n < 0) return n;
  return n == 0 ? 1 : 0;
}

/**
 * sock_call_ex(): runs `op` on fd under `timeout` (ns). Returns the syscall's result (>= 0),
 * -errno, or the core's timeout error.
 */
export function call(fd: i32, op: i32, writing: bool, connect: bool, timeout: i64): i32 {
  let deadline: i64 = 0;
  let started = false;
  for (;;) {
    if (timeout > 0 || connect) {
      let res: i32;
      if (timeout > 0) {
        let interval: i64;
        if (started) interval = deadline - host_now_ns();
        else { started = true; deadline = host_now_ns() + timeout; interval = timeout; }
        res = interval >= 0 ? select(fd, writing, interval, connect) : 1;
      } else {
        res = select(fd, writing, timeout, connect);
      }
      if (res < 0) { if (res == -EINTR) continue; return res; }
      if (res == 1) return fail(E_TIMEOUT);
    }
    let r: i32;
    do { r = run(op, fd); } while (r == -EINTR);
    if (r >= 0) return r;
    if (timeout > 0 && r == -EAGAIN) continue;      // a spurious wakeup: poll again
    return r;
  }
}

/** The monotonic clock, for sendall's deadline over the whole call. */
export function now(): i64 { return host_now_ns(); }
