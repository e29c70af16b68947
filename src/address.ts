// Socket addresses between JavaScript and the core: the argument checks of getsockaddrarg()
// that concern Python types (tuple shapes, str/bytes), then the core encodes (address.ts in
// assembly/) and decodes. Values: [host, port] for AF_INET, [host, port, flowinfo,
// scope_id] for AF_INET6, a path string (or bytes for Linux abstract names) for AF_UNIX.
import type { Core } from './core.js';
import { bytesLike, cInt, cUIntMask, pyTypeName, pyTupleTypeName, pyRepr, LONE_SURROGATE } from './args.js';
import { OSError, OverflowError, coreError, E_PORT_RANGE, E_HOST_NUL } from './errors.js';

import { AF_UNIX, AF_INET, AF_INET6 } from './generated/constants.js';
export { AF_UNIX, AF_INET, AF_INET6 };

export type Address = [string, number] | [string, number, number, number] | string | Uint8Array | null;

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();
const latin1 = new TextDecoder('latin1');

/**
 * idna_converter(): str (ASCII, else IDNA) or bytes-like; anything else is a TypeError, and
 * so is a NUL inside the name (the core's message table has both).
 */
function hostBytes(host: unknown, caller: string): Uint8Array {
  let b: Uint8Array | null;
  if (typeof host === 'string') {
    // idna_converter(): a str with a lone surrogate fails PyUnicode_AsEncodedString (ASCII
    // and IDNA alike) and CPython replaces that error with this TypeError.
    if (LONE_SURROGATE.test(host)) throw new TypeError('encoding of hostname failed');
    // Non-ASCII names would need IDNA; as they always go to name resolution, UTF-8 is
    // enough to reach the same lookup failure or success.
    b = utf8.encode(host);
  } else {
    b = bytesLike(host);
    if (b === null || host instanceof DataView) throw new TypeError(`str, bytes or bytearray expected, not ${pyTypeName(host)}`);
  }
  if (b.includes(0)) throw coreError(E_HOST_NUL, caller);
  return b;
}

/**
 * Puts `address` for a socket of `family` into the core's scratch and returns the
 * arguments of the core's addr/bind/connect exports: [textLength, port, flowinfo, scope].
 * Only PyArg_ParseTuple's part of getsockaddrarg() is here, in its order (host, port,
 * flowinfo, scope_id); the core resolves the host and then checks the ranges.
 */
export function putAddress(c: Core, family: number, address: unknown, caller: string): [number, number, number, number] {
  if (family === AF_UNIX) {
    const path = typeof address === 'string' ? utf8.encode(address) : bytesLike(address);
    if (path === null) throw new TypeError(`a bytes-like object is required, not '${pyTupleTypeName(address)}'`);
    return [c.putStr(path), 0, 0, 0];
  }
  if (family === AF_INET || family === AF_INET6) {
    const fam = family === AF_INET ? 'AF_INET' : 'AF_INET6';
    if (!Array.isArray(address)) {
      throw new TypeError(`${caller}(): ${fam} address must be tuple, not ${pyTypeName(address)}`);
    }
    const n = address.length;
    // The ';' message of the PyArg format replaces only the argument-count error; a
    // conversion error keeps its own message ('str' object cannot be interpreted ...).
    if (family === AF_INET ? n !== 2 : n < 2 || n > 4) {
      throw new TypeError(family === AF_INET
        ? 'AF_INET address must be a pair (host, port)'
        : 'AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])');
    }
    // Most hosts are short ASCII text ('127.0.0.1'): written straight into core memory, no
    // TextEncoder and no intermediate bytes (~2x connect + accept on the emulated network).
    const h0 = address[0];
    const asciiLen = typeof h0 === 'string' ? putAscii(c, h0) : -1;
    const host = asciiLen >= 0 ? null : hostBytes(h0, caller);
    let port: number;
    try {
      port = cInt(address[1]);
    } catch (e) {
      // getsockaddrarg() reports any overflow of the 'i' conversion as the port range.
      if (e instanceof OverflowError) throw coreError(E_PORT_RANGE, caller);
      throw e;
    }
    // flowinfo and scope_id are PyArg 'I': masked modulo 2**32, no overflow check.
    const flowinfo = n > 2 ? cUIntMask(address[2]) : 0;
    const scope = n > 3 ? cUIntMask(address[3]) : 0;
    return [host === null ? asciiLen : c.putStr(host), port, flowinfo, scope];
  }
  throw new OSError(`${caller}(): bad family`);
}

/**
 * Writes `text` into the core's string scratch when it is short ASCII with no NUL (what
 * hostBytes() would have made of it, byte for byte); returns its length, or -1 to take the
 * general path (non-ASCII, NUL, surrogates, long).
 */
function putAscii(c: Core, text: string): number {
  const n = text.length;
  if (n > 255) return -1;
  const u8 = c.u8, at = c.STR;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0 || ch > 127) return -1;
    u8[at + i] = ch;
  }
  return n;
}

/** Puts a host (str or bytes) into the core's scratch; returns its length (create_connection). */
export function putHost(c: Core, host: unknown, caller: string): number {
  return c.putStr(hostBytes(host, caller));
}

/** Python's repr() of an address, for messages (create_server). */
export function reprAddress(a: unknown): string {
  if (typeof a === 'string') return pyRepr(a);
  if (a instanceof Uint8Array) {
    let s = "b'";
    for (const b of a) {
      s += b === 0x27 ? "\\'" : b === 0x5c ? '\\\\' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b)
        : b === 9 ? '\\t' : b === 10 ? '\\n' : b === 13 ? '\\r' : `\\x${b.toString(16).padStart(2, '0')}`;
    }
    return s + "'";
  }
  if (Array.isArray(a)) return a.length === 1 ? `(${reprAddress(a[0])},)` : `(${a.map(reprAddress).join(', ')})`;
  if (a === null || a === undefined) return 'None';
  if (typeof a === 'boolean') return a ? 'True' : 'False';
  return String(a);
}

// The last IP text decoded, and its bytes: addresses repeat (a peer, a listener), and a string
// compared is cheaper than a string made (readAddress on every accept and recvfrom).
let lastIp = '';
const lastIpBytes = new Uint8Array(64);
let lastIpLen = -1;

/** The text of an IP address's bytes (ASCII, as the core formats them). */
function ipText(b: Uint8Array): string {
  const n = b.length;
  if (n === lastIpLen) {
    let same = true;
    for (let i = 0; i < n; i++) if (b[i] !== lastIpBytes[i]) { same = false; break; }
    if (same) return lastIp;
  }
  const t = n <= 64 ? String.fromCharCode.apply(null, b as unknown as number[]) : latin1.decode(b);
  if (n <= 64) { lastIpBytes.set(b); lastIpLen = n; lastIp = t; }
  return t;
}

const ADDR_NONE = 0, ADDR_INET = 1, ADDR_INET6 = 2, ADDR_UNIX = 3, ADDR_UNIX_ABSTRACT = 4;

/** makesockaddr(): the address the core decoded from SCR_ADDR (length `len`). */
export function readAddress(c: Core, len: number): Address | [number, Uint8Array] {
  const kind = c.x.addr_decode(len);
  const i32 = c.i32, out = c.OUT >> 2;
  const n = i32[out];
  const bytes = c.u8.subarray(c.STR, c.STR + n);
  switch (kind) {
    case ADDR_NONE: return null;
    case ADDR_INET: return [ipText(bytes), i32[out + 1]];
    case ADDR_INET6: return [ipText(bytes), i32[out + 1], i32[out + 2] >>> 0, i32[out + 3] >>> 0];
    case ADDR_UNIX: return utf8d.decode(bytes);
    case ADDR_UNIX_ABSTRACT: return bytes.slice();
    default: return [i32[out + 4], bytes.slice()];
  }
}
