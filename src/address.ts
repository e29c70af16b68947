// Socket addresses between JavaScript and the core: the argument checks of getsockaddrarg()
// that concern Python types (tuple shapes, str/bytes), then the core encodes (address.ts in
// assembly/) and decodes. Values: [host, port] for AF_INET, [host, port, flowinfo,
// scope_id] for AF_INET6, a path string (or bytes for Linux abstract names) for AF_UNIX.
import type { Core } from './core.js';
import { bytesLike, cInt, cUIntMask, pyTypeName, asPyInt } from './args.js';
import { OSError, OverflowError } from './errors.js';

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;

export type Address = [string, number] | [string, number, number, number] | string | Uint8Array | null;

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();
const latin1 = new TextDecoder('latin1');

/** idna_converter(): str (ASCII, else IDNA) or bytes; anything else is a TypeError. */
function hostBytes(host: unknown): Uint8Array {
  if (typeof host === 'string') {
    // Non-ASCII names would need IDNA; as they always go to name resolution, UTF-8 is
    // enough to reach the same lookup failure or success.
    return utf8.encode(host);
  }
  const b = bytesLike(host);
  if (b && !(host instanceof DataView)) return b;
  throw new TypeError(`str, bytes or bytearray expected, not ${pyTypeName(host)}`);
}

/**
 * Puts `address` for a socket of `family` into the core's scratch and returns the
 * arguments of the core's addr/bind/connect exports: [textLength, port, flowinfo, scope].
 */
export function putAddress(c: Core, family: number, address: unknown, caller: string): [number, number, number, number] {
  if (family === AF_UNIX) {
    const path = typeof address === 'string' ? utf8.encode(address) : bytesLike(address);
    if (path === null) throw new TypeError(`a bytes-like object is required, not '${pyTypeName(address)}'`);
    return [c.putStr(path), 0, 0, 0];
  }
  if (family === AF_INET || family === AF_INET6) {
    const fam = family === AF_INET ? 'AF_INET' : 'AF_INET6';
    if (!Array.isArray(address)) {
      throw new TypeError(`${caller}(): ${fam} address must be tuple, not ${pyTypeName(address)}`);
    }
    const n = address.length;
    const shape = family === AF_INET
      ? 'AF_INET address must be a pair (host, port)'
      : 'AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])';
    if (family === AF_INET ? n !== 2 : n < 2 || n > 4) throw new TypeError(shape);
    const host = hostBytes(address[0]);
    let port: number;
    try {
      port = cInt(address[1]);
    } catch (e) {
      // PyArg_ParseTuple(..."i;<shape>") replaces conversion messages by the shape; an
      // overflow is reported as the port range error.
      if (e instanceof OverflowError) throw new OverflowError(`${caller}(): port must be 0-65535.`);
      throw new TypeError(shape);
    }
    let flowinfo = 0, scope = 0;
    if (n > 2) {
      if (asPyInt(address[2]) === null) throw new TypeError(shape);
      flowinfo = cUIntMask(address[2]);
    }
    if (n > 3) {
      if (asPyInt(address[3]) === null) throw new TypeError(shape);
      scope = cUIntMask(address[3]);
    }
    return [c.putStr(host), port, flowinfo, scope];
  }
  throw new OSError(`${caller}(): bad family`);
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
    case ADDR_INET: return [latin1.decode(bytes), i32[out + 1]];
    case ADDR_INET6: return [latin1.decode(bytes), i32[out + 1], i32[out + 2] >>> 0, i32[out + 3] >>> 0];
    case ADDR_UNIX: return utf8d.decode(bytes);
    case ADDR_UNIX_ABSTRACT: return bytes.slice();
    default: return [i32[out + 4], bytes.slice()];
  }
}
