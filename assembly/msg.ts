// sendmsg / recvmsg / recvmsg_into and CMSG_LEN / CMSG_SPACE, as CPython 3.11's
// socketmodule.c decides them (sock_sendmsg, sock_recvmsg_guts, get_CMSG_LEN,
// get_CMSG_SPACE, get_cmsg_data_len). src/ converts the Python-level arguments (iterables,
// bytes-like items, (level, type, data) tuples) and stages them; the sizes, the control
// buffer, the walk over received control messages and the warning are decided here.
//
// The control buffer is Linux x86-64's (struct cmsghdr: u64 cmsg_len, i32 level, i32 type,
// data at CMSG_HDR, CMSG_ALIGN-aligned items): the host ABI carries it as is
// (bindings/host.ts, scripts/contract.py MSGHDR), so CMSG_LEN/CMSG_SPACE are that layout's on
// every host, as the fixtures recorded by CPython on Linux say.

import { host_close } from "./bindings/host";
import { hasCap, CAP_SENDRECV, CAP_SENDMSG, CAP_ANCILLARY, CAP_POLL } from "./caps";
import { fail, E_NOT_AVAILABLE, E_RECVMSG_NEGATIVE, E_ANCBUF_LENGTH, E_CMSG_LEN_RANGE, E_CMSG_SPACE_RANGE,
         E_ANC_ITEM_LARGE, E_ANC_TOO_MUCH, E_MSG_NO_MEMORY } from "./errors";
import { SCR_OUT, SCR_ADDR, SCR_ADDRLEN } from "./layout";
import * as table from "./sockets";
import { call, setArgs, OP_SENDMSG, OP_RECVMSG, OP_PEEKFROM } from "./blocking";
import * as policy from "./policy";
import { PU_SEND, PA_SENDMSG, PA_RECVMSG, PA_RECVMSG_INTO,
         M_NAME, M_NAMELEN, M_IOV, M_IOVLEN, M_CONTROL, M_CONTROLLEN, M_FLAGS, IOVEC_SIZE, CMSG_HDR, CMSG_ALIGN,
         RM_DATA, RM_FLAGS, RM_NCMSG, RM_CMSGS, RM_WARN, RC_LEVEL, RC_TYPE, RC_DATA, RC_LEN, RC_SIZE } from "./generated/contract";
import { tryAlloc } from "./alloc";

/** SOCKLEN_T_LIMIT (socketmodule.c: INT_MAX): the largest control buffer, and CMSG_*'s bound. */
const SOCKLEN_T_LIMIT: f64 = 2147483647;
const AF_UNIX: i32 = 1, AF_INET: i32 = 2, AF_INET6: i32 = 10;
const SOL_SOCKET: i32 = 1, SCM_RIGHTS: i32 = 1;
/** Where the host finds the header; the two words after it keep recvmsg's room (a retry after EAGAIN offers it again). */
const HDR: usize = 40;
export const M_NAMEROOM: usize = 28;
export const M_CONTROLROOM: usize = 32;

@inline function notAvailable(cap: i32): i32 { return fail(E_NOT_AVAILABLE + cap); }
@inline function align(n: f64): f64 { return Math.ceil(n / <f64>CMSG_ALIGN) * <f64>CMSG_ALIGN; }

// ---------------------------------------------------------------- CMSG_LEN / CMSG_SPACE

/** get_CMSG_LEN(): CMSG_LEN(length), or -1 when it would pass SOCKLEN_T_LIMIT. */
function cmsgLen(length: f64): f64 {
  if (length > SOCKLEN_T_LIMIT - <f64>CMSG_HDR) return -1;
  return <f64>CMSG_HDR + length;
}

/**
 * get_CMSG_SPACE(): CMSG_SPACE(length), or -1. CPython bounds the length by
 * SOCKLEN_T_LIMIT - CMSG_SPACE(1), which counts the padding before *and* after the data.
 */
function cmsgSpace(length: f64): f64 {
  if (length > SOCKLEN_T_LIMIT - (<f64>CMSG_HDR + <f64>CMSG_ALIGN)) return -1;
  return <f64>CMSG_HDR + align(length);
}

/** socket.CMSG_LEN(length): src/ has converted PyArg 'n'; a negative length is out of range too. */
export function msg_cmsg_len(length: f64): f64 {
  const r = length < 0 ? -1 : cmsgLen(length);
  return r < 0 ? <f64>fail(E_CMSG_LEN_RANGE) : r;
}

export function msg_cmsg_space(length: f64): f64 {
  const r = length < 0 ? -1 : cmsgSpace(length);
  return r < 0 ? <f64>fail(E_CMSG_SPACE_RANGE) : r;
}

// ---------------------------------------------------------------- the message area
// One area holds a call's header (HDR bytes), iovecs, control buffer and, for recvmsg, the
// data and the control-message records. Up to SMALL bytes it is static (a 4-byte message
// with no ancillary data allocates nothing); beyond, one heap block kept for the next call.

const SMALL: i32 = 1024;
const smallArea: usize = memory.data(SMALL, 16);
let bigArea: usize = 0;
let bigCap: f64 = 0;

function area(need: f64): usize {
  if (need <= <f64>SMALL) return smallArea;
  if (need > bigCap) {
    if (bigArea != 0) heap.free(bigArea);
    bigArea = 0; bigCap = 0;
    const p = tryAlloc(<u64>need);
    if (p == 0) return 0;
    bigArea = p; bigCap = need;
  }
  return bigArea;
}

/** The capability checks every message call makes first. */
function msgCheck(): i32 {
  if (!hasCap(CAP_SENDRECV)) return notAvailable(CAP_SENDRECV);
  if (!hasCap(CAP_SENDMSG)) return notAvailable(CAP_SENDMSG);
  return 0;
}

function timed(h: i32, op: i32, writing: bool): i32 {
  const timeout = table.timeoutOf(h);
  if (timeout > 0 && !hasCap(CAP_POLL)) return notAvailable(CAP_POLL);
  return call(table.fdOf(h), op, writing, false, timeout);
}

// ---------------------------------------------------------------- sendmsg

/**
 * sendmsg(buffers, ancdata, flags, address). src/ staged at `input`: `ndata` u32 lengths, then
 * `nanc` records (i32 level, i32 type, u32 length), then the buffers' bytes one after another,
 * then the items' data. `alen` > 0: the destination addr_encode left in SCR_ADDR. Returns the
 * bytes sent.
 */
export function sock_sendmsg(h: i32, input: usize, ndata: i32, nanc: i32, flags: i32, alen: i32): i32 {
  const c = msgCheck();
  if (c < 0) return c;
  const anc = input + (<usize>ndata << 2);
  // The control buffer's size, item by item, with sock_sendmsg's two refusals.
  let controllen: f64 = 0;
  let needsAncillary = false;
  for (let i = 0; i < nanc; i++) {
    const r = anc + <usize>i * 12;
    const space = cmsgSpace(<f64>load<u32>(r + 8));
    if (space < 0) return fail(E_ANC_ITEM_LARGE);
    controllen += space;
    if (controllen > SOCKLEN_T_LIMIT) return fail(E_ANC_TOO_MUCH);
    if (load<i32>(r) != SOL_SOCKET || load<i32>(r + 4) != SCM_RIGHTS) needsAncillary = true;
  }
  if (needsAncillary && !hasCap(CAP_ANCILLARY)) return notAvailable(CAP_ANCILLARY);
  const iovBytes = <f64>ndata * <f64>IOVEC_SIZE;
  const a = area(<f64>HDR + iovBytes + controllen);
  if (a == 0) return fail(E_MSG_NO_MEMORY);
  const iov = a + HDR, ctl = iov + <usize>iovBytes;
  let p = anc + <usize>nanc * 12;
  for (let i = 0; i < ndata; i++) {
    const len = load<u32>(input + (<usize>i << 2));
    store<u32>(iov + <usize>i * IOVEC_SIZE, <u32>p);
    store<u32>(iov + <usize>i * IOVEC_SIZE + 4, len);
    p += len;
  }
  // Zeroed first, as CPython does (glibc's CMSG_NXTHDR reads the next header's length), so
  // the padding the kernel sees is zeros.
  if (controllen > 0) memory.fill(ctl, 0, <usize>controllen);
  let off: usize = 0;
  for (let i = 0; i < nanc; i++) {
    const r = anc + <usize>i * 12;
    const len = load<u32>(r + 8);
    store<u64>(ctl + off, <u64>CMSG_HDR + <u64>len);
    store<i32>(ctl + off + 8, load<i32>(r));
    store<i32>(ctl + off + 12, load<i32>(r + 4));
    memory.copy(ctl + off + CMSG_HDR, p, len);
    p += len;
    off += <usize>cmsgSpace(<f64>len);
  }
  store<u32>(a + M_NAME, alen > 0 ? <u32>SCR_ADDR : 0);
  store<u32>(a + M_NAMELEN, alen > 0 ? <u32>alen : 0);
  store<u32>(a + M_IOV, <u32>iov);
  store<u32>(a + M_IOVLEN, <u32>ndata);
  store<u32>(a + M_CONTROL, controllen > 0 ? <u32>ctl : 0);
  store<u32>(a + M_CONTROLLEN, <u32>controllen);
  store<i32>(a + M_FLAGS, 0);
  // A destination is screened as sendto's is; without one the socket's peer was screened when
  // it connected (send is not checked either).
  if (alen > 0 && policy.active) {
    let d = policy.checkAddress(PA_SENDMSG, PU_SEND, h, SCR_ADDR, alen);
    if (d >= 0) d = policy.checkImplicitBind(PA_SENDMSG, h);
    if (d < 0) return d;
  }
  setArgs(a, 0, 0, flags, 0, false);
  const r = timed(h, OP_SENDMSG, true);
  if (r >= 0 && alen > 0 && policy.active) policy.markImplicit(h);
  return r;
}

// ---------------------------------------------------------------- recvmsg / recvmsg_into

/** getsockaddrlen(): the sockaddr room recvmsg offers for the socket's family. */
function nameRoom(family: i32): i32 {
  if (family == AF_UNIX) return 110;     // sizeof(struct sockaddr_un)
  if (family == AF_INET) return 16;
  if (family == AF_INET6) return 28;
  return 128;
}

/**
 * recvmsg(bufsize, ancbufsize, flags) with `nbufs` < 0, or recvmsg_into(buffers, ancbufsize,
 * flags) with `nbufs` u32 buffer lengths staged at `input` (the data lands in core memory, one
 * region after another; src/ copies each part into its buffer). Returns the byte count (with
 * MSG_TRUNC a datagram's whole length); SCR_OUT holds RM_* (data, msg_flags, the control
 * message records, the warning), SCR_ADDR/SCR_ADDRLEN the sender.
 */
export function sock_recvmsg(h: i32, input: usize, nbufs: i32, bufsize: f64, ancbufsize: f64, flags: i32): i32 {
  if (nbufs < 0 && bufsize < 0) return fail(E_RECVMSG_NEGATIVE);
  if (ancbufsize < 0 || ancbufsize > SOCKLEN_T_LIMIT) return fail(E_ANCBUF_LENGTH);
  const c = msgCheck();
  if (c < 0) return c;
  let total: f64 = 0;
  if (nbufs < 0) total = bufsize;
  else for (let i = 0; i < nbufs; i++) total += <f64>load<u32>(input + (<usize>i << 2));
  const niov = nbufs < 0 ? 1 : nbufs;
  const iovBytes = <f64>niov * <f64>IOVEC_SIZE;
  const ctlRoom = align(ancbufsize);
  const records = (Math.floor(ancbufsize / <f64>CMSG_HDR) + 1) * <f64>RC_SIZE;
  const a = area(<f64>HDR + iovBytes + ctlRoom + records + total);
  if (a == 0) return fail(E_MSG_NO_MEMORY);
  const iov = a + HDR, ctl = iov + <usize>iovBytes, recs = ctl + <usize>ctlRoom, data = recs + <usize>records;
  if (nbufs < 0) {
    store<u32>(iov, <u32>data);
    store<u32>(iov + 4, <u32>bufsize);
  } else {
    let p = data;
    for (let i = 0; i < nbufs; i++) {
      const len = load<u32>(input + (<usize>i << 2));
      store<u32>(iov + <usize>i * IOVEC_SIZE, <u32>p);
      store<u32>(iov + <usize>i * IOVEC_SIZE + 4, len);
      p += len;
    }
  }
  // sock_recvmsg_guts: the name zeroed with sa_family AF_UNSPEC, so no address reads as one.
  memory.fill(SCR_ADDR, 0, 128);
  const room = nameRoom(table.familyOf(h));
  store<u32>(a + M_NAME, <u32>SCR_ADDR);
  store<u32>(a + M_NAMEROOM, <u32>room);
  store<u32>(a + M_IOV, <u32>iov);
  store<u32>(a + M_IOVLEN, <u32>niov);
  store<u32>(a + M_CONTROL, ancbufsize > 0 ? <u32>ctl : 0);
  store<u32>(a + M_CONTROLROOM, <u32>ancbufsize);
  setArgs(a, 0, 0, flags, 0, false);
  const api = nbufs < 0 ? PA_RECVMSG : PA_RECVMSG_INTO;
  let r: i32;
  if (!policy.active || !policy.screensReceive(h)) r = timed(h, OP_RECVMSG, false);
  else {
    // A datagram socket under a policy: its senders are screened first (policy.ts), the
    // deadline covering the whole call, as for recvfrom.
    if (table.timeoutOf(h) > 0 && !hasCap(CAP_POLL)) return notAvailable(CAP_POLL);
    const s = policy.screened(h, api, OP_PEEKFROM);
    if (s < 0) return s;
    setArgs(a, 0, 0, flags, 0, false);
    r = call(table.fdOf(h), OP_RECVMSG, false, false, policy.left);
  }
  if (r < 0) return r;
  const namelen = load<u32>(a + M_NAMELEN);
  store<i32>(SCR_ADDRLEN, namelen > <u32>room ? room : <i32>namelen);
  store<i32>(SCR_OUT + (<usize>RM_DATA << 2), <i32>data);
  store<i32>(SCR_OUT + (<usize>RM_FLAGS << 2), load<i32>(a + M_FLAGS));
  store<i32>(SCR_OUT + (<usize>RM_CMSGS << 2), <i32>recs);
  walk(ctl, <f64>load<u32>(a + M_CONTROLLEN), ancbufsize > 0, recs);
  return r;
}

/**
 * The (level, type, data) items of a received control buffer, as sock_recvmsg_guts lists
 * them with glibc's CMSG_FIRSTHDR/CMSG_NXTHDR: an item whose data is cut short is listed
 * with what the buffer holds, and ends the list with CPython's RuntimeWarning ("received
 * malformed or improperly-truncated ancillary data"), as does a header the buffer cannot
 * hold. Fills RM_NCMSG and RM_WARN.
 */
function walk(ctl: usize, controllen: f64, any: bool, recs: usize): void {
  let n = 0, warn = 0;
  let off: f64 = any && controllen >= <f64>CMSG_HDR ? 0 : -1;     // CMSG_FIRSTHDR
  while (off >= 0) {
    // get_cmsg_data_len(): -1 (no room for a header, or cmsg_len below one), 0, or 1 (cut short).
    let status = -1;
    let dataLen: f64 = 0;
    let cmsgLenF: f64 = 0;
    if (off + <f64>CMSG_HDR <= controllen) {
      cmsgLenF = <f64>load<u64>(ctl + <usize>off);
      if (cmsgLenF >= <f64>CMSG_HDR) {
        const want = cmsgLenF - <f64>CMSG_HDR;
        const space = controllen - (off + <f64>CMSG_HDR);
        if (space >= want) { status = 0; dataLen = want; }
        else { status = 1; dataLen = space; }
      }
    }
    if (status != 0) warn = 1;
    if (status < 0) break;
    const rec = recs + <usize>n * RC_SIZE;
    store<i32>(rec + RC_LEVEL, load<i32>(ctl + <usize>off + 8));
    store<i32>(rec + RC_TYPE, load<i32>(ctl + <usize>off + 12));
    store<u32>(rec + RC_DATA, <u32>(ctl + <usize>off + CMSG_HDR));
    store<u32>(rec + RC_LEN, <u32>dataLen);
    n++;
    if (status != 0) break;
    // CMSG_NXTHDR (glibc's __cmsg_nxthdr): the next header must fit, and so must its data.
    const next = off + align(cmsgLenF);
    if (next + <f64>CMSG_HDR > controllen) break;
    const nextLen = <f64>load<u64>(ctl + <usize>next);
    if (next + align(nextLen) > controllen) break;
    off = next;
  }
  store<i32>(SCR_OUT + (<usize>RM_NCMSG << 2), n);
  store<i32>(SCR_OUT + (<usize>RM_WARN << 2), warn);
}

/**
 * Closes the fds of every SCM_RIGHTS item the last recvmsg listed: what sock_recvmsg_guts does
 * when building its result fails (src/ calls it when it cannot deliver the result, e.g. a
 * warnings filter that turns the RuntimeWarning into an error). Returns how many it closed.
 */
export function msg_close_rights(): i32 {
  const n = load<i32>(SCR_OUT + (<usize>RM_NCMSG << 2));
  const recs = <usize>load<i32>(SCR_OUT + (<usize>RM_CMSGS << 2));
  let closed = 0;
  for (let i = 0; i < n; i++) {
    const rec = recs + <usize>i * RC_SIZE;
    if (load<i32>(rec + RC_LEVEL) != SOL_SOCKET || load<i32>(rec + RC_TYPE) != SCM_RIGHTS) continue;
    const p = <usize>load<u32>(rec + RC_DATA), count = load<u32>(rec + RC_LEN) >> 2;
    for (let k: u32 = 0; k < count; k++) { host_close(load<i32>(p + (<usize>k << 2))); closed++; }
  }
  return closed;
}
