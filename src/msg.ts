// socket.sendmsg / recvmsg / recvmsg_into and the module's CMSG_LEN / CMSG_SPACE, at
// CPython 3.11's level (socketmodule.c: sock_sendmsg, sock_recvmsg, sock_recvmsg_into).
// Here the Python arguments are converted (PyArg_ParseTuple's formats, PySequence_Fast over an
// iterable, the "(iiy*)" ancillary items) and staged; assembly/msg.ts decides the sizes, builds
// the control buffer and lists the control messages received.
import { core, type Core } from './core.js';
import { errorFor, MemoryError } from './errors.js';
import { argCount, bytesLike, cInt, cSsize, pyTypeName, converterrName, ReadOnlyBuffer } from './args.js';
import { putAddress, readAddress, type Address } from './address.js';
import { RM_DATA, RM_FLAGS, RM_NCMSG, RM_CMSGS, RM_WARN, RC_SIZE, RC_LEVEL, RC_TYPE, RC_DATA, RC_LEN } from './generated/contract.js';

/** One received control message: [cmsg_level, cmsg_type, cmsg_data]. */
export type AncItem = [number, number, Uint8Array];
/** recvmsg's result: [data, ancdata, msg_flags, address]. */
export type RecvmsgResult = [Uint8Array, AncItem[], number, Address];
/** recvmsg_into's result: [nbytes, ancdata, msg_flags, address]. */
export type RecvmsgIntoResult = [number, AncItem[], number, Address];

/** What a socket lends these functions: its core, handle and family. */
export interface MsgSocket { readonly _c: Core; readonly _h: number; readonly family: number }

/** CPython's RuntimeWarning text for a control message cut short (sock_recvmsg_guts). */
export const TRUNCATED_WARNING = 'received malformed or improperly-truncated ancillary data';

/**
 * How the RuntimeWarning is given: Node's process.emitWarning by default. A caller that can
 * turn it into an exception (the Pyodide bridge: Python's warnings filters) replaces it; when
 * it throws, the received SCM_RIGHTS fds are closed first, as CPython closes them.
 */
export let warnTruncated: (message: string) => void = (message) => {
  const p = (globalThis as { process?: { emitWarning?: (m: string, t: string) => void } }).process;
  if (p?.emitWarning) p.emitWarning(message, 'RuntimeWarning');
};
export function setTruncatedWarning(f: (message: string) => void): void { warnTruncated = f; }

function fail(code: number, fn: string, c: Core): never { throw errorFor(code, fn, c); }

/** PySequence_Fast(v, message): the items of an iterable (a string's characters too, as str's). */
function fast(v: unknown, message: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && v !== undefined && typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') {
    return Array.from(v as Iterable<unknown>);
  }
  throw new TypeError(message);
}

/** PyObject_GetBuffer(PyBUF_SIMPLE): a bytes-like item's bytes. */
function bytesItem(v: unknown): Uint8Array {
  if (v instanceof ReadOnlyBuffer) return v.bytes;
  const b = bytesLike(v);
  if (b === null) throw new TypeError(`a bytes-like object is required, not '${pyTypeName(v)}'`);
  return b;
}

const ANC = '[sendmsg() ancillary data items]()';

/** PyArg_Parse(item, "(iiy*)"): a sequence of three (a str is one; bytes is not), level, type, data. */
function ancItem(v: unknown): [number, number, Uint8Array] {
  let items: ArrayLike<unknown>;
  if (Array.isArray(v) || typeof v === 'string') items = v;
  else throw new TypeError(`${ANC} argument must be 3-item sequence, not ${converterrName(v)}`);
  if (items.length !== 3) throw new TypeError(`${ANC} argument must be sequence of length 3, not ${items.length}`);
  return [cInt(items[0]), cInt(items[1]), bytesItem(items[2])];
}

/**
 * sendmsg(buffers[, ancdata[, flags[, address]]]) -> bytes sent. PyArg "O|OiO": flags is
 * converted first, then the address (unless None), the buffers, the ancillary items.
 */
export function sendmsg(s: MsgSocket, given: number, buffers: unknown, ancdata: unknown, flags: unknown, address: unknown): number {
  if (given < 1 || given > 4) throw argCount('sendmsg', given, 1, 4);
  const fl = given >= 3 ? cInt(flags) : 0;
  const c = s._c;
  let alen = 0;
  if (given >= 4 && address !== null && address !== undefined) {
    const [sn, port, flow, scope] = putAddress(c, s.family, address, 'sendmsg');
    alen = c.x.addr_encode(s.family, sn, port, flow, scope);
    if (alen < 0) fail(alen, 'sendmsg', c);
  }
  const items = fast(buffers, 'sendmsg() argument 1 must be an iterable');
  const data: Uint8Array[] = new Array(items.length);
  let bytes = 0;
  for (let i = 0; i < items.length; i++) { data[i] = bytesItem(items[i]); bytes += data[i].length; }
  let anc: [number, number, Uint8Array][] = [];
  if (given >= 2 && ancdata !== undefined) {
    const a = fast(ancdata, 'sendmsg() argument 2 must be an iterable');
    anc = new Array(a.length);
    for (let i = 0; i < a.length; i++) { anc[i] = ancItem(a[i]); bytes += anc[i][2].length; }
  }
  // The staged input (assembly/msg.ts sock_sendmsg): lengths, item headers, then the bytes.
  const head = 4 * data.length + 12 * anc.length;
  const p = c.area(head + bytes);
  const u32 = c.u32, i32 = c.i32, u8 = c.u8;
  let w = p >> 2;
  for (const d of data) u32[w++] = d.length;
  for (const [level, type, d] of anc) { i32[w++] = level; i32[w++] = type; u32[w++] = d.length; }
  let at = p + head;
  for (const d of data) { u8.set(d, at); at += d.length; }
  for (const it of anc) { u8.set(it[2], at); at += it[2].length; }
  const r = c.x.sock_sendmsg(s._h, p, data.length, anc.length, fl, alen);
  if (r < 0) fail(r, 'sendmsg', c);
  return r;
}

/** recvmsg(bufsize[, ancbufsize[, flags]]) -> [data, ancdata, msg_flags, address]. PyArg "n|ni". */
export function recvmsg(s: MsgSocket, given: number, bufsize: unknown, ancbufsize: unknown, flags: unknown): RecvmsgResult {
  if (given < 1 || given > 3) throw argCount('recvmsg', given, 1, 3);
  const size = cSsize(bufsize);
  const anc = given >= 2 ? cSsize(ancbufsize) : 0;
  const fl = given >= 3 ? cInt(flags) : 0;
  const c = s._c;
  const r = c.x.sock_recvmsg(s._h, 0, -1, size, anc, fl);
  if (r < 0) fail(r, 'recvmsg', c);
  const out = c.OUT >> 2, i32 = c.i32;
  const dp = i32[out + RM_DATA];
  // With MSG_TRUNC a datagram's whole length comes back: the bytes stay bufsize long (makeval_recvmsg).
  let data: Uint8Array;
  try { data = c.u8.slice(dp, dp + Math.min(r, size)); } catch { c.x.msg_close_rights(); throw new MemoryError(); }
  return [data, ancillary(c), i32[out + RM_FLAGS], address(c)];
}

/** recvmsg_into(buffers[, ancbufsize[, flags]]) -> [nbytes, ancdata, msg_flags, address]. PyArg "O|ni". */
export function recvmsg_into(s: MsgSocket, given: number, buffers: unknown, ancbufsize: unknown, flags: unknown): RecvmsgIntoResult {
  if (given < 1 || given > 3) throw argCount('recvmsg_into', given, 1, 3);
  const anc = given >= 2 ? cSsize(ancbufsize) : 0;
  const fl = given >= 3 ? cInt(flags) : 0;
  const items = fast(buffers, 'recvmsg_into() argument 1 must be an iterable');
  const bufs: Uint8Array[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const b = items[i] instanceof ReadOnlyBuffer ? null : bytesLike(items[i]);
    if (b === null) throw new TypeError('recvmsg_into() argument 1 must be an iterable of single-segment read-write buffers');
    bufs[i] = b;
  }
  const c = s._c;
  const p = c.area(4 * bufs.length);
  const u32 = c.u32;
  for (let i = 0; i < bufs.length; i++) u32[(p >> 2) + i] = bufs[i].length;
  const r = c.x.sock_recvmsg(s._h, p, bufs.length, 0, anc, fl);
  if (r < 0) fail(r, 'recvmsg_into', c);
  const out = c.OUT >> 2, i32 = c.i32, u8 = c.u8;
  // The bytes landed one buffer's region after another in core memory: each part to its buffer.
  let at = i32[out + RM_DATA], left = r;
  for (const b of bufs) {
    if (left <= 0) break;
    const k = Math.min(left, b.length);
    b.set(u8.subarray(at, at + k));
    at += b.length; left -= k;
  }
  return [r, ancillary(c), i32[out + RM_FLAGS], address(c)];
}

/** The control messages the core listed (then CPython's RuntimeWarning, if one was cut short). */
function ancillary(c: Core): AncItem[] {
  const out = c.OUT >> 2, i32 = c.i32, u8 = c.u8;
  const n = i32[out + RM_NCMSG], recs = i32[out + RM_CMSGS];
  const list: AncItem[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = (recs + i * RC_SIZE) >> 2;
    const p = i32[r + (RC_DATA >> 2)] >>> 0, len = i32[r + (RC_LEN >> 2)] >>> 0;
    list[i] = [i32[r + (RC_LEVEL >> 2)], i32[r + (RC_TYPE >> 2)], u8.slice(p, p + len)];
  }
  if (i32[out + RM_WARN] !== 0) {
    try { warnTruncated(TRUNCATED_WARNING); } catch (e) { c.x.msg_close_rights(); throw e; }
  }
  return list;
}

/** The sender's address (None when the kernel reported none, as makesockaddr gives for length 0). */
function address(c: Core): Address {
  const len = c.i32[c.ADDRLEN >> 2];
  return len === 0 ? null : readAddress(c, len) as Address;
}

/** PyArg "n:CMSG_LEN" / "n:CMSG_SPACE", then the core's range check. */
function cmsg(fn: 'CMSG_LEN' | 'CMSG_SPACE', given: number, length: unknown): number {
  if (given !== 1) throw new TypeError(`${fn}() takes exactly 1 argument (${given} given)`);
  const n = cSsize(length);
  const c = core();
  const r = fn === 'CMSG_LEN' ? c.x.msg_cmsg_len(n) : c.x.msg_cmsg_space(n);
  if (r < 0) fail(r, fn, c);
  return r;
}

/** CMSG_LEN(length): the cmsg_len of an item with `length` bytes of data (no trailing padding). */
export function CMSG_LEN(length: number | bigint): number { return cmsg('CMSG_LEN', arguments.length, length); }
/** CMSG_SPACE(length): the bytes an item with `length` bytes of data takes, padding included. */
export function CMSG_SPACE(length: number | bigint): number { return cmsg('CMSG_SPACE', arguments.length, length); }
