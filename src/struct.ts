// Python's struct module. Formats are compiled, and values packed and unpacked, by the Wasm
// core (assembly/struct/); this file moves JS values onto the core's value tape and back,
// and makes CPython's messages from the core's error codes.
import { core, type Core } from './core.js';
import { OverflowError, ValueError } from './errors.js';
import { bytesLike, pyTypeName } from './args.js';

/** struct.error */
export class error extends Error {
  override get name(): string { return 'error'; }
}
/** Python's UnicodeEncodeError (a ValueError), for formats that are not ASCII. */
export class UnicodeEncodeError extends ValueError {
  override get name(): string { return 'UnicodeEncodeError'; }
}

// Tags of the value tape (assembly/struct/codec.ts).
const T_INT = 0, T_UINT = 1, T_BIGINT = 2, T_FLOAT = 3, T_BYTES = 4, T_OTHER = 5;
const K_NUM = 0, K_BIG_S = 1, K_BIG_U = 2, K_BOOL = 3;
const REC = 16;
const S_BASE = 8192;
const TWO32 = 4294967296, TWO63 = 9223372036854775808, TWO64 = 18446744073709551616;


/** The work area: tape, then bytes. Grown by the core when a call needs more. */
let areaBase = 0, areaCap = 0;
function area(c: Core, bytes: number): number {
  if (bytes > areaCap) {
    areaBase = c.x.st_area(bytes);
    areaCap = bytes;
  }
  return areaBase;
}

/** Struct objects free their compiled format in the core when collected. */
const compiled = new FinalizationRegistry<[Core, number]>(([c, block]) => c.x.st_free(block));

const utf8 = new TextDecoder();

/** The format's bytes, as Struct.__init__ takes them: str (ASCII only) or bytes. */
function formatBytes(format: unknown): Uint8Array {
  if (typeof format === 'string') {
    const out = new Uint8Array(format.length);
    for (let i = 0; i < format.length; i++) {
      const ch = format.charCodeAt(i);
      if (ch > 127) {
        const cp = format.codePointAt(i)!;
        const esc = cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
        throw new UnicodeEncodeError(`'ascii' codec can't encode character '${esc}' in position ${i}: ordinal not in range(128)`);
      }
      out[i] = ch;
    }
    return out;
  }
  if (format instanceof Uint8Array) return format;
  throw new TypeError(`Struct() argument 1 must be a str or bytes object, not ${pyTypeName(format)}`);
}

/** The exception for a negative core result (assembly/struct/errors.ts), with SCR_OUT's numbers. */
function structError(c: Core, code: number): Error {
  const f = new Float64Array(c.memory.buffer, c.OUT, 4);
  const [a, b, d, e] = f;
  const ch = String.fromCharCode(a);
  switch (-code - S_BASE) {
    case 1: return new error('bad char in struct format');
    case 2: return new error('repeat count given without format specifier');
    case 3: return new error('total struct size too long');
    case 4: return new error('embedded null character');
    case 5: return new error(`pack expected ${a} items for packing (got ${b})`);
    case 6: return new error('required argument is not an integer');
    case 7: return new error('argument out of range');
    case 8: return new error('int too large to convert');
    case 9: return new error('required argument is not a float');
    case 10: return new error('byte format requires -128 <= number <= 127');
    case 11: return new error('ubyte format requires 0 <= number <= 255');
    case 12: return new error('char format requires a bytes object of length 1');
    case 13: return new error('short format requires -32768 <= number <= 32767');
    case 14: return new error('ushort format requires 0 <= number <= 65535');
    case 15: {
      const largest = (1n << BigInt(b * 8 - 1)) - 1n;
      return new error(`'${ch}' format requires ${-largest - 1n} <= number <= ${largest}`);
    }
    case 16: return new error(`'${ch}' format requires 0 <= number <= ${(1n << BigInt(b * 8)) - 1n}`);
    case 17: return new error(`argument for '${ch}' must be a bytes object`);
    case 18: return new OverflowError(`float too large to pack with ${ch} format`);
    case 19: return new error(`unpack requires a buffer of ${a} bytes`);
    case 20: return new error(`unpack_from requires a buffer of at least ${a} bytes for unpacking ${b} bytes at offset ${d} (actual buffer size is ${e})`);
    case 21: return new error(`offset ${a} out of range for ${b}-byte buffer`);
    case 22: return new error(`no space to pack ${a} bytes at offset ${b}`);
    case 23: return new error(`pack_into requires a buffer of at least ${a} bytes for packing ${b} bytes at offset ${d} (actual buffer size is ${e})`);
    case 24: return new error('cannot iteratively unpack with a struct of length 0');
    case 25: return new error(`iterative unpacking requires a buffer of a multiple of ${a} bytes`);
  }
  return new Error(`wasock core: unknown struct error ${code}`);
}

/** Python truthiness of the value a JS value stands for (NaN is true, empty containers false). */
function truthy(v: unknown): boolean {
  switch (typeof v) {
    case 'number': return v !== 0;
    case 'bigint': return v !== 0n;
    case 'boolean': return v;
    case 'string': return v.length > 0;
    case 'undefined': return false;
  }
  if (v === null) return false;
  if (ArrayBuffer.isView(v)) return v.byteLength > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  return true;
}

/** Bytes the values need on the work area (only bytes values carry any). */
function bytesNeeded(values: readonly unknown[], from: number): number {
  let n = 0;
  for (let i = from; i < values.length; i++) { const v = values[i]; if (v instanceof Uint8Array) n += v.length; }
  return n;
}

/**
 * Writes values[from..] on the tape at `tape`, bytes values after it at `data`. Truthiness
 * is worked out only for formats with '?', bytes only taken for formats with s, p or c.
 */
function writeTape(c: Core, st: Struct, values: readonly unknown[], from: number, tape: number, data: number): void {
  const i32 = c.i32, u8 = c.u8, f64 = c.f64;
  const wantTruth = st._truth, wantBytes = st._bytes;
  for (let k = from; k < values.length; k++) {
    const v = values[k];
    const r = tape + (k - from) * REC, w = r >> 2;
    let tag: number;
    if (typeof v === 'number' && (v | 0) === v) {
      tag = T_INT; i32[w + 2] = v; i32[w + 3] = v < 0 ? -1 : 0;
    } else if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= -TWO63 && v < TWO64) {
        tag = v < TWO63 ? T_INT : T_UINT;
        const hi = Math.floor(v / TWO32); i32[w + 2] = (v - hi * TWO32) | 0; i32[w + 3] = hi | 0;
      } else {
        tag = Number.isInteger(v) ? T_BIGINT : T_FLOAT;
        f64[(r + 8) >> 3] = v;
      }
    } else if (typeof v === 'bigint') {
      if (v >= -(1n << 63n) && v < (1n << 64n)) {
        tag = v < (1n << 63n) ? T_INT : T_UINT;
        const u = BigInt.asUintN(64, v);
        i32[w + 2] = Number(u & 0xffffffffn) | 0; i32[w + 3] = Number(u >> 32n) | 0;
      } else {
        tag = T_BIGINT;
        f64[(r + 8) >> 3] = Number(v);
      }
    } else if (typeof v === 'boolean') {
      tag = T_INT; i32[w + 2] = v ? 1 : 0; i32[w + 3] = 0;
    } else if (wantBytes && v instanceof Uint8Array) {
      tag = T_BYTES;
      u8.set(v, data);
      i32[w + 1] = v.length; i32[w + 2] = data;
      data += v.length;
    } else {
      tag = T_OTHER;
    }
    u8[r] = tag;
    if (wantTruth) u8[r + 1] = truthy(v) ? 1 : 0;
  }
}

/** Reads the n values unpack left in 8-byte slots at `slots`, by the format's kind runs. */
function readSlots(c: Core, st: Struct, slots: number, n: number): unknown[] {
  const f64 = c.f64;
  let at = slots >> 3;
  if (st._dense) {
    if (n === 2) return [f64[at], f64[at + 1]];
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = f64[at + i];
    return out;
  }
  const out = new Array(n);
  const runs = st._runs;
  const big = c.big64;
  let i = 0;
  for (let r = 0; r < runs.length; r += 2) {
    const kind = runs[r], end = i + runs[r + 1];
    switch (kind) {
      case K_NUM: for (; i < end; i++, at++) out[i] = f64[at]; break;
      case K_BIG_S: for (; i < end; i++, at++) out[i] = big[at]; break;
      case K_BIG_U: for (; i < end; i++, at++) out[i] = BigInt.asUintN(64, big[at]); break;
      case K_BOOL: for (; i < end; i++, at++) out[i] = f64[at] !== 0; break;
      default: {
        const i32 = c.i32;
        for (; i < end; i++, at++) out[i] = c.copyOut(i32[at * 2], i32[at * 2 + 1]);
      }
    }
  }
  return out;
}

function needBuffer(v: unknown): Uint8Array {
  const b = bytesLike(v);
  if (b === null) throw new TypeError(`a bytes-like object is required, not '${pyTypeName(v)}'`);
  return b;
}

/** PyNumber_AsSsize_t(offset, IndexError) for pack_into/unpack_from offsets. */
function offsetArg(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') {
    if (v >= -(1n << 63n) && v < (1n << 63n)) return Number(v);
    throw new IndexErrorPy(`cannot fit 'int' into an index-sized integer`);
  }
  throw new TypeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
}

/** Python's IndexError. */
export class IndexErrorPy extends Error {
  override get name(): string { return 'IndexError'; }
}

/** struct.Struct: a compiled format. */
export class Struct {
  /** The format string (str, as in Python 3.11, also when built from bytes). */
  readonly format: string;
  /** calcsize(format) */
  readonly size: number;
  /** @internal */ readonly _block: number;
  /** @internal */ readonly _items: number;
  /** @internal every value unpacks to a JS number */ readonly _dense: boolean;
  /** @internal (kind, count) runs of the unpacked values */ readonly _runs: Int32Array;
  /** @internal packing needs truthiness / bytes values */ readonly _truth: boolean; readonly _bytes: boolean;
  /** @internal */ readonly _c: Core;

  constructor(format: string | Uint8Array) {
    if (arguments.length !== 1) {
      throw new TypeError(arguments.length === 0 ? "Struct() missing required argument 'format' (pos 1)" : `Struct() takes at most 1 argument (${arguments.length} given)`);
    }
    const bytes = formatBytes(format);
    const c = core(), x = c.x;
    let ptr = c.x.core_stage(bytes.length);
    c.u8.set(bytes, ptr);
    const block = x.st_compile(ptr, bytes.length);
    if (block < 0) throw structError(c, block);
    this._c = c;
    this._block = block;
    this.format = typeof format === 'string' ? format : utf8.decode(format);
    this.size = x.st_size(block);
    this._items = x.st_items(block);
    const flags = x.st_flags(block);
    this._dense = (flags & 1) !== 0;
    this._truth = (flags & 2) !== 0;
    this._bytes = (flags & 4) !== 0;
    ptr = area(c, x.st_codes(block) * 8 + 8);
    const nruns = x.st_kinds(block, ptr);
    this._runs = c.i32.slice(ptr >> 2, (ptr >> 2) + nruns * 2);
    compiled.register(this, [c, block]);
  }

  /** pack(v1, v2, ...) -> bytes */
  pack(...values: unknown[]): Uint8Array {
    return this._pack(values, 0);
  }

  /** @internal packs values[from..] */
  _pack(values: readonly unknown[], from: number): Uint8Array {
    const c = this._c, x = c.x;
    const nargs = values.length - from;
    const tapeBytes = nargs * REC;
    const data = this._bytes ? bytesNeeded(values, from) : 0;
    const base = area(c, tapeBytes + data + this.size);
    const out = base + tapeBytes + data;
    writeTape(c, this, values, from, base, base + tapeBytes);
    const r = x.st_pack(this._block, nargs, base, out);
    if (r < 0) throw structError(c, r);
    return c.copyOut(out, this.size);
  }

  /** unpack(buffer) -> values; the buffer must be exactly size bytes. */
  unpack(buffer: Uint8Array | ArrayBufferView | ArrayBuffer): unknown[] {
    return this._unpackAt(needBuffer(buffer), 0, true);
  }

  /** @internal unpacks size bytes of b at offset (whole: b must be exactly size long) */
  _unpackAt(b: Uint8Array, offset: number, whole: boolean): unknown[] {
    const c = this._c, x = c.x;
    const size = this.size;
    const slotBytes = this._items * 8;
    const base = area(c, slotBytes + size);
    const src = base + slotBytes;
    const len = whole ? b.length : size;
    if (len === size) {
      const u8 = c.u8;
      if (size <= 16 && offset + size <= b.length) for (let i = 0; i < size; i++) u8[src + i] = b[offset + i];
      else u8.set(b.subarray(offset, offset + size), src);
    }
    const n = x.st_unpack(this._block, src, len, base);
    if (n < 0) throw structError(c, n);
    return readSlots(c, this, base, n);
  }

  /** pack_into(buffer, offset, v1, v2, ...): packs into a writable buffer at offset. */
  pack_into(buffer: Uint8Array, offset: number, ...values: unknown[]): void {
    const c = this._c, x = c.x;
    const nargs = arguments.length;
    if (nargs < 2) throw new error(nargs === 0 ? 'pack_into expected buffer argument' : 'pack_into expected offset argument');
    const r0 = x.st_check_count(this._block, nargs - 2);
    if (r0 < 0) throw structError(c, r0);
    const b = bytesLike(buffer);
    if (b === null) throw new TypeError(`argument must be read-write bytes-like object, not ${pyTypeName(buffer)}`);
    const off = x.st_check_into(this._block, b.length, offsetArg(offset));
    if (off < 0) throw structError(c, off);
    const tapeBytes = values.length * REC, data = this._bytes ? bytesNeeded(values, 0) : 0;
    const base = area(c, tapeBytes + data + this.size);
    const out = base + tapeBytes + data;
    writeTape(c, this, values, 0, base, base + tapeBytes);
    const r = x.st_pack(this._block, values.length, base, out);
    // CPython packs straight into the buffer: on an error, the zeroed and partly packed
    // region is left there. Copy back either way.
    b.set(c.u8.subarray(out, out + this.size), off);
    if (r < 0) throw structError(c, r);
  }

  /** unpack_from(buffer, offset=0) -> values */
  unpack_from(buffer: Uint8Array | ArrayBufferView | ArrayBuffer, offset: number = 0): unknown[] {
    const c = this._c, x = c.x;
    const b = needBuffer(buffer);
    const off = x.st_check_from(this._block, b.length, offsetArg(offset));
    if (off < 0) throw structError(c, off);
    return this._unpackAt(b, off, false);
  }

  /** iter_unpack(buffer) -> an iterator of value arrays, one per size bytes. */
  iter_unpack(buffer: Uint8Array | ArrayBufferView | ArrayBuffer): IterableIterator<unknown[]> {
    const c = this._c, x = c.x;
    const b = needBuffer(buffer);
    const n = x.st_check_iter(this._block, b.length);
    if (n < 0) throw structError(c, n);
    const self = this;
    let i = 0;
    return {
      [Symbol.iterator]() { return this; },
      next(): IteratorResult<unknown[]> {
        if (i >= n) return { done: true, value: undefined };
        return { done: false, value: self._unpackAt(b, self.size * i++, false) };
      },
    };
  }
}

// ---------------------------------------------------------------- module functions

const MAXCACHE = 100;
const cache = new Map<string, Struct>();

/** The compiled Struct for a format (cached like _struct's cache of 100, cleared when full). */
function compiledFor(format: unknown): Struct {
  if (typeof format === 'string') {
    let s = cache.get(format);
    if (s === undefined) {
      s = new Struct(format);
      if (cache.size >= MAXCACHE) cache.clear();
      cache.set(format, s);
    }
    return s;
  }
  return new Struct(format as Uint8Array);
}

export function calcsize(format: string | Uint8Array): number {
  return compiledFor(format).size;
}
export function pack(format: string | Uint8Array, ...values: unknown[]): Uint8Array {
  if (arguments.length === 0) throw new TypeError('pack expected at least 1 argument, got 0');
  return compiledFor(format)._pack(values, 0);
}
export function unpack(format: string | Uint8Array, buffer: Uint8Array | ArrayBufferView | ArrayBuffer): unknown[] {
  if (arguments.length !== 2) throw new TypeError(`unpack expected 2 arguments, got ${arguments.length}`);
  return compiledFor(format).unpack(buffer);
}
export function pack_into(format: string | Uint8Array, buffer: Uint8Array, offset: number, ...values: unknown[]): void {
  if (arguments.length === 0) throw new TypeError('pack_into expected at least 1 argument, got 0');
  const s = compiledFor(format);
  (s.pack_into as (...a: unknown[]) => void).apply(s, Array.prototype.slice.call(arguments, 1));
}
export function unpack_from(format: string | Uint8Array, buffer: Uint8Array | ArrayBufferView | ArrayBuffer, offset: number = 0): unknown[] {
  return compiledFor(format).unpack_from(buffer, offset);
}
export function iter_unpack(format: string | Uint8Array, buffer: Uint8Array | ArrayBufferView | ArrayBuffer): IterableIterator<unknown[]> {
  return compiledFor(format).iter_unpack(buffer);
}
