// The `error` record (wit/core.wit, types.error) from a negative core result: the exception
// CPython 3.11 raises, as src/errors.ts makes it for wasock's own API — errno class and text
// from the core's errno table, the core's own codes from the table generated from
// src/errors.ts (generated/errors.ts), NotAvailableError naming the host and the capability.
// The text is written into static buffers, so an error costs no allocation and needs no
// post-return function: the caller copies the strings out before its next call.

import { ERR_BASE, E_NOT_AVAILABLE, E_POLICY_DENIED, CAP_NAMES, CAP_COUNT } from "../generated/contract";
import { policyDenial } from "./denial";
import { ERRNO_MAX, ERRNO_TEXT, ERRNO_CLASS, ERRNO_CLASS_NAMES } from "../generated/errno";
import { COMP_host_name, COMP_host_name_len } from "./caps";
import { CORE_ERROR_MAX, CORE_ERROR_CLASS, CORE_ERROR_ERRNO, CORE_ERROR_TEXT } from "./generated/errors";

/**
 * The return area of every export whose result is more than one flat value: result<T, error>
 * puts its discriminant at 0 and its payload at 4 (8 when T holds a 64-bit value).
 */
/**
 * The component's one error code of its own, beyond the core's: no buffer of the asked size
 * can be had (MemoryError, with no message, as CPython's).
 */
export const MEMORY_ERROR: i32 = 0x7fff;

export const RES: usize = memory.data(64, 8);

const EXC: usize = memory.data(64);
const MSG_SIZE: i32 = 1024;
const MSG: usize = memory.data(1024);
let msgLen: i32 = 0;

export function putBytes(p: usize, n: i32): void {
  if (n > MSG_SIZE - msgLen) n = MSG_SIZE - msgLen;
  memory.copy(MSG + msgLen, p, n);
  msgLen += n;
}
/** Appends an ASCII string (every text here is: the generator and the errno table check). */
export function put(s: string): void {
  const n = min(s.length, MSG_SIZE - msgLen);
  for (let i = 0; i < n; i++) store<u8>(MSG + msgLen + i, <u8>s.charCodeAt(i));
  msgLen += n;
}
export function putInt(v: i32): void {
  if (v < 0) { put("-"); v = -v; }
  let d = 1;
  while (v / d >= 10) d *= 10;
  for (; d > 0; d /= 10) store<u8>(MSG + msgLen++, <u8>(0x30 + (v / d) % 10));
}
/** A message template with {fn} replaced by the method's name. */
function putTemplate(t: string, fn: string): void {
  for (let i = 0; i < t.length; i++) {
    if (t.charCodeAt(i) == 0x7b && t.substr(i, 4) == "{fn}") { put(fn); i += 3; continue; }
    const n = msgLen < MSG_SIZE ? 1 : 0;
    if (n) store<u8>(MSG + msgLen++, <u8>t.charCodeAt(i));
  }
}

/** Starts a message of the component's own (msg then put*, then fail()). */
export function begin(): void { msgLen = 0; }

/** The exception recorded with the message begun by begin(): result::err at RES. */
export function fail(code: i32, errno: i32, exception: string): usize {
  return finish(code, errno, setException(exception), 4);
}

/** A JSON string literal of the UTF-8 bytes [p, p+n), as JSON.stringify writes it. */
export function putJson(p: usize, n: i32): void {
  put("\"");
  for (let i = 0; i < n; i++) {
    const c = <i32>load<u8>(p + i);
    if (c == 0x22) put("\\\"");
    else if (c == 0x5c) put("\\\\");
    else if (c == 0x0a) put("\\n");
    else if (c == 0x0d) put("\\r");
    else if (c == 0x09) put("\\t");
    else if (c == 0x08) put("\\b");
    else if (c == 0x0c) put("\\f");
    else if (c < 0x20) { put("\\u00"); putHex2(c); }
    else if (msgLen < MSG_SIZE) store<u8>(MSG + msgLen++, <u8>c);
  }
  put("\"");
}
function putHex2(c: i32): void {
  const d = "0123456789abcdef";
  put(d.charAt(c >> 4)); put(d.charAt(c & 15));
}

/** A number as JavaScript's String(v) writes it (the policy's bounds). */
export function putNumber(v: f64): void {
  if (isNaN(v)) { put("NaN"); return; }
  if (!isFinite(v)) { put(v > 0 ? "Infinity" : "-Infinity"); return; }
  if (v == Math.floor(v) && Math.abs(v) < 9007199254740992.0) {
    let x = <i64>v;
    if (x < 0) { put("-"); x = -x; }
    let d: i64 = 1;
    while (x / d >= 10) d *= 10;
    for (; d > 0; d /= 10) store<u8>(MSG + msgLen++, <u8>(0x30 + (x / d) % 10));
    return;
  }
  put(v.toString());
}

function setException(s: string): i32 {
  const n = min(s.length, 64);
  for (let i = 0; i < n; i++) store<u8>(EXC + i, <u8>s.charCodeAt(i));
  return n;
}

/**
 * Writes result::err(error) for the core result `r` (< 0) raised by method `fn` at RES;
 * the payload at RES + `at` (4, or 8 after a 64-bit ok case). Returns RES.
 */
export function err(r: i32, fn: string, at: usize = 4): usize {
  let errno = 0, excLen = 0;
  msgLen = 0;
  if (r > -ERR_BASE) {
    // PyErr_SetFromErrno: OSError's PEP 3151 subclass, "[Errno N] strerror".
    errno = -r;
    const known = errno <= ERRNO_MAX;
    excLen = setException(ERRNO_CLASS_NAMES[known ? <i32>ERRNO_CLASS[errno] : 0]);
    put("[Errno "); putInt(errno); put("] ");
    const text = known ? ERRNO_TEXT[errno] : "";
    if (text.length > 0) put(text); else { put("Unknown error "); putInt(errno); }
  } else {
    const e = -r - ERR_BASE;
    if (e >= E_NOT_AVAILABLE && e - E_NOT_AVAILABLE < CAP_COUNT) {
      excLen = setException("NotAvailableError");
      put(fn); put(" is not available on "); putBytes(COMP_host_name(), COMP_host_name_len());
      put(" (it needs the '"); put(CAP_NAMES[e - E_NOT_AVAILABLE]); put("' capability)");
    } else if (e == E_POLICY_DENIED) {
      excLen = setException("PermissionError");
      errno = 1;
      put("[Errno 1] "); policyDenial();
    } else if (e == MEMORY_ERROR) {
      excLen = setException("MemoryError");
    } else if (e > 0 && e <= CORE_ERROR_MAX && CORE_ERROR_CLASS[e].length > 0) {
      excLen = setException(CORE_ERROR_CLASS[e]);
      errno = CORE_ERROR_ERRNO[e];
      putTemplate(CORE_ERROR_TEXT[e], fn);
    } else {
      excLen = setException("SystemError");
      put("wasock core: unknown error code "); putInt(e);
    }
  }
  return finish(r, errno, excLen, at);
}

function finish(r: i32, errno: i32, excLen: i32, at: usize): usize {
  store<u8>(RES, 1);
  const p = RES + at;
  store<i32>(p, r);
  store<i32>(p, errno, 4);
  store<usize>(p, EXC, 8);
  store<i32>(p, excLen, 12);
  store<usize>(p, MSG, 16);
  store<i32>(p, msgLen, 20);
  return RES;
}

/** result::ok with no payload. */
@inline export function ok(): usize { store<u8>(RES, 0); return RES; }
/** result::ok(v) for a 32-bit v. */
@inline export function ok32(v: i32): usize { store<u8>(RES, 0); store<i32>(RES, v, 4); return RES; }
/** result::ok(list) with the list's pointer and length. */
@inline export function okList(p: usize, n: i32): usize {
  store<u8>(RES, 0); store<usize>(RES, p, 4); store<i32>(RES, n, 8); return RES;
}
