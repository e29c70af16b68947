// Python's struct module. Formats are compiled, and values packed and unpacked, by the Wasm
// core (assembly/struct/); this file moves JS values onto the core's value tape and back,
// and makes CPython's messages from the core's error codes.
import { core, whenCoreChanges, type Core } from './core.js';
import { OverflowError, SystemError, MemoryError, UnicodeEncodeError, IndexError } from './errors.js';
import { bytesLike, pyTypeName, pyTruthy } from './args.js';
import * as C from './generated/contract.js';
// Tags and result kinds of the value tape, the record size (assembly/struct/codec.ts) and
// struct's error codes: the contract, declared in scripts/contract.py.
import { T_INT, T_UINT, T_BIGINT, T_BYTES, T_OTHER, T_NUM, K_NUM, K_BIG_S, K_BIG_U, K_BOOL, K_I32, K_U32, REC, S_BASE, ALLOC_MAX } from './generated/contract.js';

/**
 * A value unpack returns: Python's int (a number; a bigint for q Q n N P and native l L),
 * float (number), bool (boolean) and bytes (Uint8Array).
 */
export type Value = number | bigint | boolean | Uint8Array;

/** struct.error */
export class error extends Error {
  override get name(): string { return 'error'; }
}


/**
 * The core's work area: tape, then bytes (its address, size and generation live on the
 * Core: each core has its own). Grown by the core when a call needs more; 8 bytes of slack
 * past every request (a '0p' item at the very end writes its length byte there). When it
 * cannot grow, the old area is gone too: the size and generation say so before MemoryError.
 */
function area(c: Core, bytes: number): number {
  bytes += 8;
  if (bytes > c.stCap) {
    if (bytes > ALLOC_MAX) throw new MemoryError();   // the core's largest block: nothing is asked
    // Struct objects cache their addresses in the area until the generation moves on.
    c.stGen++;
    c.stCap = 0;
    c.stBase = c.allocating(() => c.x.st_area(bytes));
    c.stCap = bytes;
  }
  return c.stBase;
}

/**
 * Struct objects free their compiled format in the core when collected. A finalizer never
 * throws: a core given up after an internal error is left alone (its memory goes with it).
 */
const compiled = new FinalizationRegistry<[Core, number]>(([c, block]) => {
  if (c.broken !== null) return;
  try { c.x.st_free(block); } catch { /* abandon() has made it known */ }
});

const utf8 = new TextDecoder();

/** The format's bytes, as Struct.__init__ takes them: str (ASCII only) or bytes. */
function formatBytes(format: unknown): Uint8Array {
  if (typeof format === 'string') {
    const out = new Uint8Array(format.length);
    for (let i = 0; i < format.length; i++) {
      const ch = format.charCodeAt(i);
      if (ch > 127) throw asciiError(format);
      out[i] = ch;
    }
    return out;
  }
  if (format instanceof Uint8Array) return format;
  throw new TypeError(`Struct() argument 1 must be a str or bytes object, not ${pyTypeName(format)}`);
}

/** The UnicodeEncodeError of str.encode('ascii'): the first run of non-ASCII code points. */
function asciiError(text: string): UnicodeEncodeError {
  const cps = Array.from(text);
  const start = cps.findIndex((ch) => ch.codePointAt(0)! > 127);
  let end = start;
  while (end < cps.length && cps[end].codePointAt(0)! > 127) end++;
  return UnicodeEncodeError.encoding('ascii', cps.slice(start, end).join(''), start, end, 'ordinal not in range(128)');
}

/** The exception for a negative core result (assembly/struct/errors.ts), with SCR_OUT's numbers. */
export function structError(c: Core, code: number): Error {
  const p = c.big64, at = c.OUT >> 3;
  const a = p[at], b = p[at + 1], d = p[at + 2], e = p[at + 3];
  const u = (v: bigint) => BigInt.asUintN(64, v);
  const ch = String.fromCharCode(Number(a));
  switch (-code - S_BASE) {
    case C.S_BAD_CHAR: return new error('bad char in struct format');
    case C.S_REPEAT_NO_SPEC: return new error('repeat count given without format specifier');
    case C.S_TOO_LONG: return new error('total struct size too long');
    case C.S_EMBEDDED_NUL: return new error('embedded null character');
    case C.S_PACK_COUNT: return new error(`pack expected ${a} items for packing (got ${b})`);
    case C.S_NOT_INT: return new error('required argument is not an integer');
    case C.S_OUT_OF_RANGE: return new error('argument out of range');
    case C.S_INT_TOO_LARGE: return new error('int too large to convert');
    case C.S_NOT_FLOAT: return new error('required argument is not a float');
    case C.S_BYTE_RANGE: return new error('byte format requires -128 <= number <= 127');
    case C.S_UBYTE_RANGE: return new error('ubyte format requires 0 <= number <= 255');
    case C.S_CHAR: return new error('char format requires a bytes object of length 1');
    case C.S_SHORT_RANGE: return new error('short format requires -32768 <= number <= 32767');
    case C.S_USHORT_RANGE: return new error('ushort format requires 0 <= number <= 65535');
    case C.S_RANGE_SIGNED: {
      const largest = (1n << (b * 8n - 1n)) - 1n;
      return new error(`'${ch}' format requires ${-largest - 1n} <= number <= ${largest}`);
    }
    case C.S_RANGE_UNSIGNED: return new error(`'${ch}' format requires 0 <= number <= ${(1n << (b * 8n)) - 1n}`);
    case C.S_NOT_BYTES: return new error(`argument for '${ch}' must be a bytes object`);
    case C.S_FLOAT_TOO_LARGE: return new OverflowError(`float too large to pack with ${ch} format`);
    case C.S_UNPACK_SIZE: return new error(`unpack requires a buffer of ${a} bytes`);
    case C.S_UNPACK_FROM_SIZE: return new error(`unpack_from requires a buffer of at least ${u(a)} bytes for unpacking ${b} bytes at offset ${d} (actual buffer size is ${e})`);
    case C.S_OFFSET_RANGE: return new error(`offset ${a} out of range for ${b}-byte buffer`);
    case C.S_NO_SPACE: return new error(`no space to pack ${a} bytes at offset ${b}`);
    case C.S_PACK_INTO_SIZE: return new error(`pack_into requires a buffer of at least ${u(a)} bytes for packing ${b} bytes at offset ${d} (actual buffer size is ${e})`);
    case C.S_ITER_ZERO: return new error('cannot iteratively unpack with a struct of length 0');
    case C.S_ITER_MULTIPLE: return new error(`iterative unpacking requires a buffer of a multiple of ${a} bytes`);
    case C.S_NOT_ENOUGH: return new error(`not enough data to unpack ${a} bytes at offset ${b}`);
    case C.S_PACK_INTO_COUNT: return new error(`pack_into expected ${a} items for packing (got ${b})`);
    case C.S_SYSTEM_NEGATIVE: return new SystemError('Negative size passed to PyBytes_FromStringAndSize');
    case C.S_NO_MEMORY: return new MemoryError();
  }
  return new SystemError(`wasock core: unknown struct error ${code}`);
}

/**
 * Bytes the values need on the work area (only bytes values carry any). An item never
 * reads more of its value than the struct's size, so no more is copied: a long value costs
 * no allocation, as CPython packs it from where it lies.
 */
function bytesNeeded(values: readonly unknown[], from: number, size: number): number {
  let n = 0;
  for (let i = from; i < values.length; i++) { const v = values[i]; if (v instanceof Uint8Array) n += Math.min(v.length, size); }
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
    if (typeof v === 'number') {
      // The core decides which Python value a number is (int, or float for fractions, NaN,
      // infinities and -0) and its truthiness.
      tag = T_NUM;
      f64[(r + 8) >> 3] = v;
      u8[r] = tag;
      continue;
    } else if (typeof v === 'bigint') {
      if (v >= -(1n << 63n) && v < (1n << 64n)) {
        tag = v < (1n << 63n) ? T_INT : T_UINT;
        const u = BigInt.asUintN(64, v);
        i32[w + 2] = Number(u & 0xffffffffn) | 0; i32[w + 3] = Number(u >> 32n) | 0;
      } else {
        // The nearest double (float codes, ranges) and the low 64 bits (what big-endian
        // 'q'/'Q' leave in pack_into's buffer when they overflow).
        tag = T_BIGINT;
        f64[(r + 8) >> 3] = Number(v);
        c.big64[(r + 16) >> 3] = BigInt.asIntN(64, v);
      }
    } else if (typeof v === 'boolean') {
      tag = T_INT; i32[w + 2] = v ? 1 : 0; i32[w + 3] = 0;
    } else if (wantBytes && v instanceof Uint8Array) {
      // At most size bytes are read (bytesNeeded); the length says size + 1 for a longer
      // value, which every code treats as the long value it is ('c' refuses it, 's' and
      // 'p' cut it).
      tag = T_BYTES;
      const size = st.size, n = Math.min(v.length, size);
      u8.set(n === v.length ? v : v.subarray(0, n), data);
      i32[w + 1] = Math.min(v.length, size + 1); i32[w + 2] = data;
      data += n;
    } else {
      tag = T_OTHER;
    }
    u8[r] = tag;
    if (wantTruth) u8[r + 1] = pyTruthy(v) ? 1 : 0;
  }
}

/**
 * Reads the n values unpack left in 8-byte slots at `slots`, by the format's kind runs.
 * Integers up to 4 bytes come as 32-bit words, so they become small ints (no boxed
 * doubles). A struct with floats stores its values into an array of ordinary elements: V8
 * quiets signalling NaNs stored into its double arrays, and struct must hand back the
 * exact bits.
 */
function readSlots(c: Core, st: Struct, slots: number, n: number): Value[] {
  const rd = st._reader;
  if (rd !== null) return rd(c.i32, c.u32, c.big64, c.bigU64, slots >> 2);
  const runs = st._runs;
  if (runs.length === 2 && runs[0] === K_I32) {        // 'ii', '4B', '>hh'...: the hot case
    const i32 = c.i32, w = slots >> 2;
    if (n === 2) return [i32[w], i32[w + 2]];
    if (n === 1) return [i32[w]];
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = i32[w + 2 * i];
    return out;
  }
  const out: Value[] = new Array(n);
  if (st._float) (out as unknown[])[0] = undefined;  // elements of any kind from here on: no double array
  let at = slots >> 3, i = 0;
  for (let r = 0; r < runs.length; r += 2) {
    const kind = runs[r], end = i + runs[r + 1];
    switch (kind) {
      case K_I32: { const i32 = c.i32; for (; i < end; i++, at++) out[i] = i32[at * 2]; break; }
      case K_U32: { const u32 = c.u32; for (; i < end; i++, at++) out[i] = u32[at * 2]; break; }
      case K_NUM: { const f64 = c.f64; for (; i < end; i++, at++) out[i] = f64[at]; break; }
      case K_BIG_S: { const big = c.big64; for (; i < end; i++, at++) out[i] = big[at]; break; }
      case K_BIG_U: { const big = c.bigU64; for (; i < end; i++, at++) out[i] = big[at]; break; }
      case K_BOOL: { const i32 = c.i32; for (; i < end; i++, at++) out[i] = i32[at * 2] !== 0; break; }
      default: {
        const i32 = c.i32;
        for (; i < end; i++, at++) out[i] = c.copyOut(i32[at * 2], i32[at * 2 + 1]);
      }
    }
  }
  return out;
}

/** Builds the array of one unpack from the slots; `w` is the first slot's i32 index. */
type SlotReader = (i32: Int32Array, u32: Uint32Array, b64: BigInt64Array, bu64: BigUint64Array, w: number) => Value[];

/** Readers by kind runs (shared by every Struct with the same layout); null: none. */
const readers = new Map<string, SlotReader | null>();

/**
 * A reader made for one layout: a function returning one array literal of slot reads, which
 * V8 builds in one go (measured 2x faster than filling `new Array(n)` for tcp_info's 68
 * values). Only for integer, bigint and bool layouts: float values must not land in a double
 * array (V8 would quiet signalling NaNs), and bytes need copies. The source holds nothing
 * but slot indices from the compiled format. Where the runtime refuses `new Function`
 * (a sandbox without eval), readSlots' loop does the same work.
 */
function readerFor(runs: Int32Array, n: number): SlotReader | null {
  if (n < 3 || n > 512) return null;
  const key = runs.join(',');
  let rd = readers.get(key);
  if (rd !== undefined) return rd;
  const items: string[] = [];
  for (let r = 0, j = 0; r < runs.length; r += 2) {
    const kind = runs[r];
    for (let k = 0; k < runs[r + 1]; k++, j++) {
      switch (kind) {
        case K_I32: items.push(`a[w+${2 * j}]`); break;
        case K_U32: items.push(`u[w+${2 * j}]`); break;
        case K_BOOL: items.push(`a[w+${2 * j}]!==0`); break;
        case K_BIG_S: items.push(`s[(w>>1)+${j}]`); break;
        case K_BIG_U: items.push(`g[(w>>1)+${j}]`); break;
        default: readers.set(key, null); return null;
      }
    }
  }
  try {
    rd = new Function('a', 'u', 's', 'g', 'w', `return [${items.join(',')}];`) as SlotReader;
  } catch {
    rd = null;
  }
  if (readers.size >= MAXCACHE) readers.clear();   // bounded as the format cache is
  readers.set(key, rd);
  return rd;
}

function needBuffer(v: unknown): Uint8Array {
  const b = bytesLike(v);
  if (b === null) throw new TypeError(`a bytes-like object is required, not '${pyTypeName(v)}'`);
  return b;
}

const INT63 = 1n << 63n;

/**
 * An offset argument for the core: [f64, big]. A bigint offset travels exactly (as i64 in
 * SCR_OUT[3], big = 1). `overflow` is how CPython reports offsets beyond ssize_t:
 * unpack_from's Argument Clinic converter raises OverflowError, pack_into's
 * PyNumber_AsSsize_t(IndexError) an IndexError.
 */
function offsetArg(c: Core, v: unknown, overflow: () => Error): [number, number] {
  // -0 is Python's -0.0: a float, refused as CPython refuses any float offset.
  if (typeof v === 'number' && Number.isInteger(v) && (v !== 0 || !Object.is(v, -0))) {
    const n = v as number;
    if (n >= -9223372036854775808 && n < 9223372036854775808) {
      if (Number.isSafeInteger(n)) return [n, 0];
      c.big64[(c.OUT >> 3) + 3] = BigInt(n);
      return [0, 1];
    }
    throw overflow();
  }
  if (typeof v === 'boolean') return [v ? 1 : 0, 0];
  if (typeof v === 'bigint') {
    if (v < -INT63 || v >= INT63) throw overflow();
    c.big64[(c.OUT >> 3) + 3] = v;
    return [0, 1];
  }
  throw new TypeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
}

const ssizeOverflow = () => new OverflowError('Python int too large to convert to C ssize_t');
const indexOverflow = () => new IndexError("cannot fit 'int' into an index-sized integer");


/** struct.Struct: a compiled format. */
export class Struct {
  /** The format string (str, as in Python 3.11, also when built from bytes). */
  readonly format: string;
  /** calcsize(format) */
  readonly size: number;
  /** @internal */ readonly _block: number;
  /** @internal */ readonly _items: number;
  /** @internal some value unpacks from a float code (e f d) */ readonly _float: boolean;
  /** @internal (kind, count) runs of the unpacked values */ readonly _runs: Int32Array;
  /** @internal builds unpack's array, where a reader could be made */ readonly _reader: SlotReader | null;
  /** @internal packing needs truthiness / bytes values */ readonly _truth: boolean; readonly _bytes: boolean;
  /** @internal */ readonly _c: Core;
  /** @internal this struct's place in the work area, valid while _gen === _c.stGen */
  _base = 0; _gen = -1; _slots = 0;

  constructor(format: string | Uint8Array) {
    if (arguments.length !== 1) {
      throw new TypeError(arguments.length === 0 ? "Struct() missing required argument 'format' (pos 1)" : `Struct() takes at most 1 argument (${arguments.length} given)`);
    }
    const bytes = formatBytes(format);
    const c = core(), x = c.x;
    let ptr = c.stageIn(bytes);
    const block = x.st_compile(ptr, bytes.length);
    if (block < 0) throw structError(c, block);
    // Nothing below may throw with the block unowned: its runs are read into a temporary
    // area that is freed with the block if the area cannot be had.
    try {
      ptr = area(c, x.st_codes(block) * 8 + 8);
    } catch (e) {
      x.st_free(block);
      throw e;
    }
    this._c = c;
    this._block = block;
    this.format = typeof format === 'string' ? format : utf8.decode(format);
    this.size = x.st_size(block);
    this._items = x.st_items(block);
    const flags = x.st_flags(block);
    this._truth = (flags & 2) !== 0;
    this._bytes = (flags & 4) !== 0;
    const nruns = x.st_kinds(block, ptr);
    this._runs = c.i32.slice(ptr >> 2, (ptr >> 2) + nruns * 2);
    this._reader = readerFor(this._runs, this._items);
    this._float = this._runs.some((k, j) => j % 2 === 0 && k === K_NUM);
    compiled.register(this, [c, block]);
  }

  /** pack(v1, v2, ...) -> bytes */
  pack(...values: unknown[]): Uint8Array {
    return this._packValues(values);
  }

  /**
   * @internal packs `values`: up to four plain numbers go to the core as arguments (it
   * decides their Python type); anything else is written on the value tape.
   */
  _packValues(values: readonly unknown[]): Uint8Array {
    const n = values.length;
    // The count first, before any allocation, as CPython's s_pack does.
    if (n !== this._items) throw structError(this._c, this._c.x.st_check_count(this._block, n, 0));
    if (n <= 4) {
      // Missing values go as 0, not undefined: the Wasm call then converts no undefined.
      const a = n > 0 ? values[0] : 0, b = n > 1 ? values[1] : 0, d = n > 2 ? values[2] : 0, e = n > 3 ? values[3] : 0;
      if (typeof a === 'number' && typeof b === 'number' && typeof d === 'number' && typeof e === 'number') {
        return this._packNums(n, a, b, d, e);
      }
    }
    return this._pack(values, 0);
  }

  /** @internal this struct's place in the work area: slots (or a 4-value tape), then bytes */
  _area(): number {
    const c = this._c;
    if (this._gen !== c.stGen) {
      const slots = Math.max(this._items * 8, 4 * REC);
      const base = area(c, slots + this.size);    // MemoryError beyond ALLOC_MAX
      this._slots = slots;
      this._base = base;       // area() may have moved it: cache what holds now
      this._gen = c.stGen;
    }
    return this._base;
  }

  /** @internal pack with up to four plain numbers: one core call, no tape written here */
  _packNums(n: number, a: number, b: number, d: number, e: number): Uint8Array {
    const c = this._c;
    const base = this._area(), out = base + this._slots;
    const r = c.x.st_pack_nums(this._block, n, a, b, d, e, base, out);
    if (r < 0) throw structError(c, r);
    return c.copyOut(out, this.size);
  }

  /** @internal packs values[from..] into new bytes */
  _pack(values: readonly unknown[], from: number): Uint8Array {
    const c = this._c, x = c.x;
    const nargs = values.length - from;
    // The item count is checked before the allocation, as in CPython.
    if (nargs !== this._items) throw structError(c, x.st_check_count(this._block, nargs, 0));
    const tapeBytes = nargs * REC;
    const data = this._bytes ? bytesNeeded(values, from, this.size) : 0;
    const base = area(c, tapeBytes + data + this.size);
    const out = base + tapeBytes + data;
    writeTape(c, this, values, from, base, base + tapeBytes);
    const r = x.st_pack(this._block, nargs, base, out);
    if (r < 0) throw structError(c, r);
    return c.copyOut(out, this.size);
  }

  /** unpack(buffer) -> values; the buffer must be exactly size bytes. */
  unpack(buffer: Uint8Array | ArrayBufferView | ArrayBuffer): Value[] {
    if (arguments.length !== 1) throw new TypeError(`Struct.unpack() takes exactly one argument (${arguments.length} given)`);
    const b = needBuffer(buffer);
    if (b.length !== this.size) {
      const r = this._c.x.st_unpack(this._block, 0, b.length, 0);   // the core words the error
      throw structError(this._c, r);
    }
    return this._unpackAt(b, 0);
  }

  /** @internal unpacks the size bytes of b at offset (already checked to be there) */
  _unpackAt(b: Uint8Array, offset: number): Value[] {
    const c = this._c;
    const size = this.size;
    const base = this._gen === c.stGen ? this._base : this._area();
    const src = base + this._slots;
    if (size <= 32) {
      // Small structs: assemble whole words (src is 8-aligned); measured 3x faster than a
      // byte loop or set() into the Wasm memory's view.
      const i32 = c.i32;
      let w = src >> 2, i = offset;
      const end = offset + (size & ~3);
      for (; i < end; i += 4) i32[w++] = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
      if (i < offset + size) { const u8 = c.u8; for (let k = w << 2; i < offset + size; i++) u8[k++] = b[i]; }
    } else {
      c.u8.set(offset === 0 && b.length === size ? b : b.subarray(offset, offset + size), src);
    }
    const n = c.x.st_unpack_at(this._block, src, base);
    if (n < 0) throw structError(c, n);
    return readSlots(c, this, base, n);
  }

  /** pack_into(buffer, offset, v1, v2, ...): packs into a writable buffer at offset. */
  pack_into(buffer: Uint8Array, offset: number, ...values: unknown[]): void {
    const c = this._c, x = c.x;
    const nargs = arguments.length;
    if (nargs < 2) throw new error(nargs === 0 ? 'pack_into expected buffer argument' : 'pack_into expected offset argument');
    const r0 = x.st_check_count(this._block, nargs - 2, 1);
    if (r0 < 0) throw structError(c, r0);
    const b = bytesLike(buffer);
    if (b === null) throw new TypeError(`argument must be read-write bytes-like object, not ${buffer === null || buffer === undefined ? 'None' : pyTypeName(buffer)}`);
    const [o, big] = offsetArg(c, offset, indexOverflow);
    const off = x.st_check_into(this._block, b.length, o, big);
    if (off < 0) throw structError(c, off);
    const size = this.size;
    const tapeBytes = values.length * REC, data = this._bytes ? bytesNeeded(values, 0, size) : 0;
    const base = area(c, tapeBytes + data + size);   // MemoryError beyond ALLOC_MAX
    const out = base + tapeBytes + data;
    writeTape(c, this, values, 0, base, base + tapeBytes);
    // A '0p' item at the very end writes its length byte just past the struct, and CPython,
    // packing straight into the buffer, leaves it there when the buffer goes on: the byte
    // that lies there goes into the area's slack first, and back with whatever was packed.
    const tail = off + size < b.length ? 1 : 0;
    const u8 = c.u8;
    if (tail) u8[out + size] = b[off + size];
    const r = x.st_pack(this._block, values.length, base, out);
    // CPython packs straight into the buffer: on an error, the zeroed and partly packed
    // region is left there. Copy back either way.
    b.set(u8.subarray(out, out + size + tail), off);
    if (r < 0) throw structError(c, r);
  }

  /** unpack_from(buffer, offset=0) -> values */
  unpack_from(buffer: Uint8Array | ArrayBufferView | ArrayBuffer, offset: number = 0): Value[] {
    const n = arguments.length;
    if (n === 0) throw new TypeError("unpack_from() missing required argument 'buffer' (pos 1)");
    if (n > 2) throw new TypeError(`unpack_from() takes at most 2 arguments (${n} given)`);
    return this._unpackFrom(buffer, offset);
  }

  /** @internal */
  _unpackFrom(buffer: unknown, offset: unknown): Value[] {
    const c = this._c, x = c.x;
    const b = needBuffer(buffer);
    const [o, big] = offsetArg(c, offset, ssizeOverflow);
    const off = x.st_check_from(this._block, b.length, o, big);
    if (off < 0) throw structError(c, off);
    return this._unpackAt(b, off);
  }

  /** iter_unpack(buffer) -> an iterator of value arrays, one per size bytes. */
  iter_unpack(buffer: Uint8Array | ArrayBufferView | ArrayBuffer): IterableIterator<Value[]> {
    if (arguments.length !== 1) throw new TypeError(`Struct.iter_unpack() takes exactly one argument (${arguments.length} given)`);
    return this._iter(buffer);
  }

  /** @internal */
  _iter(buffer: unknown): IterableIterator<Value[]> {
    const x = this._c.x;
    // A struct of size 0 is refused before the buffer is looked at (s_iter_unpack).
    if (this.size === 0) { const r = x.st_check_iter(this._block, 0); throw structError(this._c, r); }
    const b = needBuffer(buffer);
    const n = x.st_check_iter(this._block, b.length);
    if (n < 0) throw structError(this._c, n);
    const self = this;
    let i = 0;
    return {
      [Symbol.iterator]() { return this; },
      next(): IteratorResult<Value[]> {
        if (i >= n) return { done: true, value: undefined };
        return { done: false, value: self._unpackAt(b, self.size * i++) };
      },
    };
  }
}

// ---------------------------------------------------------------- module functions

const MAXCACHE = 100;
const cache = new Map<string, Struct>();

/**
 * The compiled Struct for a format, cached like _struct's cache (100 formats, cleared when
 * full). The cache is a dict lookup first, so an unhashable format (a list, a dict) is a
 * TypeError before Struct() sees it.
 */
/** The format compiledFor() saw last: a loop over one format skips even the Map lookup. */
let lastFormat = '';
let lastStruct: Struct | null = null;

// When core() answers with another core (useHost, or a successor of a core given up after
// an internal error), the formats compiled in the old one are forgotten: the next call
// compiles them again where new objects live.
whenCoreChanges(() => { cache.clear(); lastFormat = ''; lastStruct = null; });

function compiledFor(format: unknown): Struct {
  if (format === lastFormat && lastStruct !== null) return lastStruct;
  if (typeof format === 'string') {
    let s = cache.get(format);
    if (s === undefined) {
      s = new Struct(format);
      if (cache.size >= MAXCACHE) cache.clear();
      cache.set(format, s);
    }
    lastFormat = format;
    lastStruct = s;
    return s;
  }
  const t = pyTypeName(format);
  if (t === 'list' || t === 'dict') throw new TypeError(`unhashable type: '${t}'`);
  return new Struct(format as Uint8Array);
}

export function calcsize(format: string | Uint8Array): number {
  if (arguments.length !== 1) throw new TypeError(`_struct.calcsize() takes exactly one argument (${arguments.length} given)`);
  return compiledFor(format).size;
}
export function pack(format: string | Uint8Array, ...values: unknown[]): Uint8Array {
  if (arguments.length === 0) throw new TypeError('missing format argument');
  return compiledFor(format)._packValues(values);
}
export function unpack(format: string | Uint8Array, buffer: Uint8Array | ArrayBufferView | ArrayBuffer): Value[] {
  if (arguments.length !== 2) throw new TypeError(`unpack expected 2 arguments, got ${arguments.length}`);
  const s = compiledFor(format);
  return s.unpack(buffer);
}
export function pack_into(format: string | Uint8Array, buffer: Uint8Array, offset: number, ...values: unknown[]): void {
  if (arguments.length === 0) throw new TypeError('missing format argument');
  const s = compiledFor(format);
  (s.pack_into as (...a: unknown[]) => void).apply(s, Array.prototype.slice.call(arguments, 1));
}
export function unpack_from(format: string | Uint8Array, buffer: Uint8Array | ArrayBufferView | ArrayBuffer, offset: number = 0): Value[] {
  const n = arguments.length;
  if (n === 0) throw new TypeError('unpack_from() takes at least 1 positional argument (0 given)');
  if (n === 1) throw new TypeError("unpack_from() missing required argument 'buffer' (pos 2)");
  if (n > 3) throw new TypeError(`unpack_from() takes at most 3 arguments (${n} given)`);
  return compiledFor(format)._unpackFrom(buffer, offset);
}
export function iter_unpack(format: string | Uint8Array, buffer: Uint8Array | ArrayBufferView | ArrayBuffer): IterableIterator<Value[]> {
  if (arguments.length !== 2) throw new TypeError(`iter_unpack expected 2 arguments, got ${arguments.length}`);
  return compiledFor(format)._iter(buffer);
}
