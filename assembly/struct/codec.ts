// Packing and unpacking with a compiled format (format.ts), value by value as _struct.c's
// s_pack_internal()/s_unpack_internal() do, with its exact range rules and error choices.
//
// Values to pack arrive on a tape written by src/struct.ts, one 16-byte record per value:
//   @0 u8 tag (T_*), @1 u8 Python truthiness, @4 i32 byte length, @8 payload
// (i64 / u64 / f64 bits, or the address of the bytes). Unpacked values leave as one 8-byte
// slot each; what a slot holds is fixed by the format (kindOf), which src/ learns once.

import { SCR_OUT } from "../layout";
import {
  H_SIZE, H_ITEMS, H_CODES, H_ORDER, HEADER, C_CHAR, C_SIZE, C_REPEAT, C_OFFSET, C_OP, CODE,
  OP_INT, OP_S, OP_P, OP_C, OP_BOOL, OP_E, OP_F, OP_D, OP_B, OP_UB,
  NATIVE, BIG, isBigCode,
} from "./format";
import {
  S_PACK_COUNT, S_NOT_INT, S_OUT_OF_RANGE, S_INT_TOO_LARGE, S_NOT_FLOAT, S_BYTE_RANGE,
  S_UBYTE_RANGE, S_CHAR, S_SHORT_RANGE, S_USHORT_RANGE, S_RANGE_SIGNED, S_RANGE_UNSIGNED,
  S_NOT_BYTES, S_FLOAT_TOO_LARGE, S_SYSTEM_NEGATIVE, sfail,
} from "./errors";

// Input tags (T_*), the record size (REC) and the output kinds (K_*) are the contract with
// src/struct.ts: declared in scripts/contract.py.
import {
  T_INT, T_UINT, T_BIGINT, T_FLOAT, T_BYTES, T_NUM, REC,
  K_NUM, K_BIG_S, K_BIG_U, K_BOOL, K_BYTES, K_I32, K_U32,
} from "../generated/contract";

/** Error parameters for src/ (SCR_OUT as four i64). */
function param(i: i32, v: i64): void { store<i64>(SCR_OUT + (<usize>i << 3), v); }

// ---------------------------------------------------------------- argument conversion
// One value at a time; the result in gv (i64) / gu (u64) / gd (f64).
let gv: i64 = 0;
let gu: u64 = 0;
let gd: f64 = 0;

@inline function tagOf(r: usize): i32 { return <i32>load<u8>(r); }

/** PyLong_AsLong (get_long): "argument out of range" outside C long. */
function getLong(r: usize): i32 {
  const t = tagOf(r);
  if (t == T_INT) { gv = load<i64>(r + 8); return 0; }
  if (t == T_UINT || t == T_BIGINT) return S_OUT_OF_RANGE;
  return S_NOT_INT;
}

/** PyLong_AsUnsignedLong (get_ulong): negatives are out of range too. */
function getULong(r: usize): i32 {
  const t = tagOf(r);
  if (t == T_INT) { const v = load<i64>(r + 8); if (v < 0) return S_OUT_OF_RANGE; gu = <u64>v; return 0; }
  if (t == T_UINT) { gu = load<u64>(r + 8); return 0; }
  if (t == T_BIGINT) return S_OUT_OF_RANGE;
  return S_NOT_INT;
}

/** _PyLong_AsByteArray (standard q/Q) and PyLong_AsVoidPtr (P): overflow is reported by
 *  s_pack_internal as "int too large to convert". */
function getBytes8(r: usize, unsigned: bool, pointer: bool): i32 {
  const t = tagOf(r);
  if (t == T_INT) {
    const v = load<i64>(r + 8);
    if (unsigned && v < 0) return S_INT_TOO_LARGE;
    gu = <u64>v; return 0;
  }
  if (t == T_UINT) { if (!unsigned && !pointer) return S_INT_TOO_LARGE; gu = load<u64>(r + 8); return 0; }
  if (t == T_BIGINT) return S_INT_TOO_LARGE;
  return S_NOT_INT;
}

/**
 * What _PyLong_AsByteArray leaves behind when an int overflows big-endian 'q'/'Q' ('>' and
 * '!'; the other orders use native packers that check first): it writes the value's low 64
 * bits, two's complement, before it finds the overflow, and pack_into's buffer keeps them. A
 * negative value for 'Q' is refused before any byte is written. (test/fixtures/struct-fuzz.json.gz,
 * the random-badval cases with '>q'.)
 */
function overflowBytes(p: usize, r: usize, unsigned: bool): void {
  const t = tagOf(r);
  if (t == T_UINT) { if (!unsigned) putInt(p, load<u64>(r + 8), 8, BIG); return; }
  if (t != T_BIGINT) return;
  if (unsigned && load<f64>(r + 8) < 0) return;
  putInt(p, load<u64>(r + 16), 8, BIG);
}

/** PyFloat_AsDouble: ints convert (correctly rounded, done by the caller for big ones). */
function getDouble(r: usize): i32 {
  const t = tagOf(r);
  if (t == T_FLOAT) { gd = load<f64>(r + 8); return 0; }
  if (t == T_INT) { gd = <f64>load<i64>(r + 8); return 0; }
  if (t == T_UINT) { gd = <f64>load<u64>(r + 8); return 0; }
  if (t == T_BIGINT) { gd = load<f64>(r + 8); return isFinite(gd) ? 0 : S_NOT_FLOAT; }
  return S_NOT_FLOAT;
}

/** A float that does not fit: OverflowError, but struct.error when the value was an int. */
function floatOverflow(r: usize, c: i32): i32 {
  const t = tagOf(r);
  if (t == T_INT || t == T_UINT || t == T_BIGINT) return S_INT_TOO_LARGE;
  param(0, c);
  return S_FLOAT_TOO_LARGE;
}

// ---------------------------------------------------------------- byte order

function putInt(p: usize, v: u64, size: i32, order: i32): void {
  const swap = order == BIG;
  switch (size) {
    case 1: store<u8>(p, <u8>v); break;
    case 2: store<u16>(p, swap ? bswap<u16>(<u16>v) : <u16>v); break;
    case 4: store<u32>(p, swap ? bswap<u32>(<u32>v) : <u32>v); break;
    default: store<u64>(p, swap ? bswap<u64>(v) : v);
  }
}

function getInt(p: usize, size: i32, order: i32): u64 {
  const swap = order == BIG;
  switch (size) {
    case 1: return <u64>load<u8>(p);
    case 2: { const v = load<u16>(p); return <u64>(swap ? bswap<u16>(v) : v); }
    case 4: { const v = load<u32>(p); return <u64>(swap ? bswap<u32>(v) : v); }
  }
  const v = load<u64>(p);
  return swap ? bswap<u64>(v) : v;
}

// ---------------------------------------------------------------- IEEE half and single

@inline function pow2(k: i32): f64 { return reinterpret<f64>(<u64>(1023 + k) << 52); }

/** PyFloat_Pack2: round half to even; -1 on overflow. */
function halfBits(x: f64): i32 {
  const b = reinterpret<u64>(x);
  let sign = <i32>(b >> 63), e = 0, bits = 0;
  if (x == 0.0) { e = 0; bits = 0; }
  else if (isNaN(x)) { e = 0x1f; bits = 512; }
  else if (!isFinite(x)) { e = 0x1f; bits = 0; }
  else {
    const ax = abs(x);
    const ab = reinterpret<u64>(ax);
    const E = <i32>(ab >> 52);
    let f: f64;
    if (E == 0) { f = 0.0; e = 0; }                        // a double subnormal: far below 2**-25
    else {
      e = E - 1023;
      f = reinterpret<f64>((ab & 0x000fffffffffffff) | (<u64>1023 << 52));   // in [1, 2)
      if (e >= 16) return -1;
      else if (e < -25) { f = 0.0; e = 0; }
      else if (e < -14) { f = f * pow2(14 + e); e = 0; }
      else { e += 15; f -= 1.0; }
    }
    f *= 1024.0;
    bits = <i32>f;
    const rest = f - <f64>bits;
    if (rest > 0.5 || (rest == 0.5 && (bits & 1) == 1)) {
      ++bits;
      if (bits == 1024) { bits = 0; ++e; if (e == 31) return -1; }
    }
  }
  return bits | (e << 10) | (sign << 15);
}

/** PyFloat_Unpack2: a NaN comes back as the standard quiet NaN with its sign. */
function halfValue(h: i32): f64 {
  const sign = (h >> 15) & 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e == 0x1f) {
    if (f == 0) return sign ? -Infinity : Infinity;
    return reinterpret<f64>(0x7ff8000000000000 | (<u64>sign << 63));
  }
  let x = <f64>f / 1024.0;
  let ex = e;
  if (e == 0) ex = -14; else { x += 1.0; ex -= 15; }
  x = x * pow2(ex);
  return sign ? -x : x;
}

/** (float)x as x86_64 does it: a NaN keeps its sign and top payload bits, made quiet. */
function singleBits(x: f64): u32 {
  if (isNaN(x)) {
    const b = reinterpret<u64>(x);
    return (<u32>(b >> 32) & 0x80000000) | 0x7fc00000 | (<u32>(b >> 29) & 0x3fffff);
  }
  return reinterpret<u32>(<f32>x);
}

/** (double)f as x86_64 does it: a NaN keeps sign and payload and becomes quiet. */
function singleValue(u: u32): f64 {
  if ((u & 0x7f800000) == 0x7f800000 && (u & 0x7fffff) != 0) {
    return reinterpret<f64>((<u64>(u & 0x80000000) << 32) | 0x7ff8000000000000 | (<u64>(u & 0x7fffff) << 29));
  }
  return <f64>reinterpret<f32>(u);
}

// ---------------------------------------------------------------- pack

/** Packs one value of code c at p. Returns 0 or an error code (positive). */
function packOne(c: i32, size: i32, order: i32, p: usize, r: usize): i32 {
  let e: i32;
  switch (c) {
    case 98: {   // b
      if ((e = getLong(r)) != 0) return e;
      if (gv < -128 || gv > 127) return S_BYTE_RANGE;
      store<u8>(p, <u8>gv); return 0;
    }
    case 66: {   // B
      if ((e = getLong(r)) != 0) return e;
      if (gv < 0 || gv > 255) return S_UBYTE_RANGE;
      store<u8>(p, <u8>gv); return 0;
    }
    case 99: {   // c
      if (tagOf(r) != T_BYTES || load<i32>(r + 4) != 1) return S_CHAR;
      store<u8>(p, load<u8>(<usize>load<i32>(r + 8))); return 0;
    }
    case 63: store<u8>(p, load<u8>(r + 1) ? 1 : 0); return 0;   // ?: Python truthiness
    case 104: case 105: case 108: {   // h i l (signed)
      if ((e = getLong(r)) != 0) return e;
      // On a little-endian host CPython gives '<' and '=' the native packers wherever the
      // sizes agree (_struct's module init), so their 'h'/'H'/'q'/'Q' errors are native ones.
      if (order != BIG && c == 104) {
        if (gv < -32768 || gv > 32767) return S_SHORT_RANGE;
      } else if (size < 8) {
        const lim = (<i64>1) << (size * 8 - 1);
        if (gv < -lim || gv >= lim) { param(0, c); param(1, size); return S_RANGE_SIGNED; }
      }
      putInt(p, <u64>gv, size, order); return 0;
    }
    case 72: case 73: case 76: {      // H I L (unsigned)
      if (order != BIG && c == 72) {
        if ((e = getLong(r)) != 0) return e;
        if (gv < 0 || gv > 65535) return S_USHORT_RANGE;
        putInt(p, <u64>gv, size, order); return 0;
      }
      if ((e = getULong(r)) != 0) return e;
      if (size < 8 && gu >= ((<u64>1) << (size * 8))) { param(0, c); param(1, size); return S_RANGE_UNSIGNED; }
      putInt(p, gu, size, order); return 0;
    }
    case 113: case 110: {   // q n
      if (order != BIG) { if ((e = getLong(r)) != 0) return e; putInt(p, <u64>gv, 8, order); return 0; }
      if ((e = getBytes8(r, false, false)) != 0) { overflowBytes(p, r, false); return e; }
      putInt(p, gu, 8, order); return 0;
    }
    case 81: case 78: {     // Q N
      if (order != BIG) { if ((e = getULong(r)) != 0) return e; putInt(p, gu, 8, order); return 0; }
      if ((e = getBytes8(r, true, false)) != 0) { overflowBytes(p, r, true); return e; }
      putInt(p, gu, 8, order); return 0;
    }
    case 80: {              // P (native only): PyLong_AsVoidPtr
      if ((e = getBytes8(r, false, true)) != 0) return e;
      putInt(p, gu, 8, order); return 0;
    }
    case 101: {             // e
      if ((e = getDouble(r)) != 0) return e;
      const h = halfBits(gd);
      if (h < 0) return floatOverflow(r, c);
      putInt(p, <u64>h, 2, order); return 0;
    }
    case 102: {             // f
      if ((e = getDouble(r)) != 0) return e;
      const u = singleBits(gd);
      // Native 'f' is a plain C cast (np_float): no overflow check, as in CPython.
      if (order != NATIVE && (u & 0x7fffffff) == 0x7f800000 && isFinite(gd)) return floatOverflow(r, c);
      putInt(p, <u64>u, 4, order); return 0;
    }
    case 100: {             // d
      if ((e = getDouble(r)) != 0) return e;
      putInt(p, reinterpret<u64>(gd), 8, order); return 0;
    }
  }
  return S_NOT_INT;
}

/**
 * What Python value a JS number stands for (DESIGN.md's value mapping): an integral number
 * is an int (0 is int 0; -0 has no int twin, so it is the float -0.0), anything else a float.
 * Rewrites the record as T_INT / T_UINT / T_BIGINT / T_FLOAT, with Python's truthiness.
 */
function classify(r: usize): void {
  const v = load<f64>(r + 8);
  const integral = isFinite(v) && v == Math.trunc(v) && !(v == 0 && (reinterpret<u64>(v) >> 63) != 0);
  let tag = T_FLOAT;
  if (integral) {
    if (v >= -9223372036854775808.0 && v < 9223372036854775808.0) { tag = T_INT; store<i64>(r + 8, <i64>v); }
    else if (v >= 0 && v < 18446744073709551616.0) { tag = T_UINT; store<u64>(r + 8, <u64>v); }
    else tag = T_BIGINT;
  }
  store<u8>(r, <u8>tag);
  store<u8>(r + 1, v != 0 || isNaN(v) ? 1 : 0);    // NaN is true in Python
}

/** Classifies the nargs records of a tape that hold plain JS numbers (T_NUM). */
export function classifyTape(tape: usize, nargs: i32): void {
  for (let i = 0; i < nargs; i++) {
    const r = tape + <usize>i * REC;
    if (load<u8>(r) == T_NUM) classify(r);
  }
}

/**
 * s_pack_internal: zero-fills size bytes at out, then packs the nargs values of the tape.
 * Returns 0, or a negative error (out may be partly written, as CPython's buffer is).
 */
export function pack(block: usize, tape: usize, nargs: i64, out: usize): i32 {
  const items = load<i64>(block + H_ITEMS);
  if (nargs != items) { param(0, items); param(1, nargs); return sfail(S_PACK_COUNT); }
  classifyTape(tape, <i32>nargs);
  const size = <usize>load<i64>(block + H_SIZE);
  // Small structs: plain stores beat memory.fill's call into the engine.
  if (size <= 64) {
    let z: usize = 0;
    for (; z + 8 <= size; z += 8) store<u64>(out + z, 0);
    for (; z < size; z++) store<u8>(out + z, 0);
  } else memory.fill(out, 0, size);
  const order = load<i32>(block + H_ORDER);
  const n = load<i32>(block + H_CODES);
  let r = tape;
  for (let i = 0; i < n; i++) {
    const code = block + HEADER + <usize>i * CODE;
    const c = load<i32>(code + C_CHAR), size = load<i32>(code + C_SIZE);
    let p = out + <usize>load<i64>(code + C_OFFSET);
    const repeat = load<i64>(code + C_REPEAT);
    if (c == 115 || c == 112) {        // s p: one bytes value for the whole length
      if (tagOf(r) != T_BYTES) { param(0, c); return sfail(S_NOT_BYTES); }
      let len = <i64>load<i32>(r + 4);
      const src = <usize>load<i32>(r + 8);
      if (c == 115) {
        if (len > repeat) len = repeat;
        memory.copy(p, src, <usize>len);
      } else {
        if (len > repeat - 1) len = repeat - 1;
        if (len > 0) memory.copy(p + 1, src, <usize>len);
        // Even '0p' writes its length byte (-1 -> 0xff) at its offset, as CPython does; the
        // caller's area keeps slack for a '0p' at the very end.
        store<u8>(p, <u8>(len > 255 ? 255 : len));
      }
      r += REC;
      continue;
    }
    if (load<i32>(code + C_OP) == OP_INT) {
      // The common case first: an int that fits is stored at once; anything else (other
      // types, out of range) goes through packOne, which words the error as CPython does.
      let lo: i64 = 0, hi: i64 = i64.MAX_VALUE;
      const signed = c == 104 || c == 105 || c == 108 || c == 113 || c == 110 || c == 80;
      if (signed) lo = size == 8 ? i64.MIN_VALUE : -((<i64>1) << (size * 8 - 1));
      if (size < 8) hi = signed ? ((<i64>1) << (size * 8 - 1)) - 1 : ((<i64>1) << (size * 8)) - 1;
      for (let k: i64 = 0; k < repeat; k++) {
        if (tagOf(r) == T_INT) {
          const v = load<i64>(r + 8);
          if (v >= lo && v <= hi) { putInt(p, <u64>v, size, order); p += <usize>size; r += REC; continue; }
        }
        const e = packOne(c, size, order, p, r);
        if (e != 0) return sfail(e);
        p += <usize>size;
        r += REC;
      }
      continue;
    }
    for (let k: i64 = 0; k < repeat; k++) {
      const e = packOne(c, size, order, p, r);
      if (e != 0) return sfail(e);
      p += <usize>size;
      r += REC;
    }
  }
  return 0;
}

// ---------------------------------------------------------------- unpack

/** What an unpacked value becomes in JS (src/struct.ts reads slots by these kinds). */
export function kindOf(c: i32, size: i32): i32 {
  if (c == 115 || c == 112 || c == 99) return K_BYTES;
  if (c == 63) return K_BOOL;
  if (isBigCode(c, size)) return c == 113 || c == 110 || c == 108 ? K_BIG_S : K_BIG_U;
  if (c == 101 || c == 102 || c == 100) return K_NUM;       // e f d
  // Integers up to 4 bytes go out as 32-bit words: JS reads them from an Int32Array (or a
  // Uint32Array) as small ints, where f64 slots would make every array element a boxed double.
  return size == 4 && (c == 73 || c == 76) ? K_U32 : K_I32;
}

/**
 * s_unpack_internal: decodes the struct at src into 8-byte slots at out, one per value
 * (kinds above). Returns the number of values.
 */
export function unpack(block: usize, src: usize, out: usize): i32 {
  const order = load<i32>(block + H_ORDER);
  const n = load<i32>(block + H_CODES);
  if (n == 1 && order != BIG && load<i32>(block + HEADER + C_SIZE) == 4 &&
      load<i32>(block + HEADER + C_OP) == OP_INT) {
    // One run of 4-byte integers in host order ('ii', '4I'): the hot case, words as they are.
    const repeat = <i32>load<i64>(block + HEADER + C_REPEAT);
    const p = src + <usize>load<i64>(block + HEADER + C_OFFSET);     // after pad bytes ('xi')
    for (let k = 0; k < repeat; k++) store<u32>(out + (<usize>k << 3), load<u32>(p + (<usize>k << 2)));
    return repeat;
  }
  let o = out;
  for (let i = 0; i < n; i++) {
    const code = block + HEADER + <usize>i * CODE;
    const c = load<i32>(code + C_CHAR), size = load<i32>(code + C_SIZE);
    let p = src + <usize>load<i64>(code + C_OFFSET);
    const repeat = <i32>load<i64>(code + C_REPEAT);
    switch (load<i32>(code + C_OP)) {
      case OP_S: case OP_P: {     // s p: one bytes value
        let len = repeat, at = p;
        // CPython 3.11 asks PyBytes_FromStringAndSize for -1 bytes on a '0p' item.
        if (c == 112 && repeat == 0) return sfail(S_SYSTEM_NEGATIVE);
        if (c == 112) {
          len = <i32>load<u8>(p);
          if (len >= repeat) len = repeat - 1;
          if (len < 0) len = 0;
          at = p + 1;
        }
        store<i32>(o, <i32>at); store<i32>(o + 4, len);
        o += 8;
        break;
      }
      case OP_C: for (let k = 0; k < repeat; k++, p++, o += 8) { store<i32>(o, <i32>p); store<i32>(o + 4, 1); } break;
      case OP_BOOL: for (let k = 0; k < repeat; k++, p++, o += 8) store<i32>(o, load<u8>(p) != 0 ? 1 : 0); break;
      case OP_B: for (let k = 0; k < repeat; k++, p++, o += 8) store<i32>(o, <i32>load<i8>(p)); break;
      case OP_UB: for (let k = 0; k < repeat; k++, p++, o += 8) store<i32>(o, <i32>load<u8>(p)); break;
      case OP_E: for (let k = 0; k < repeat; k++, p += 2, o += 8) store<f64>(o, halfValue(<i32>getInt(p, 2, order))); break;
      case OP_F: for (let k = 0; k < repeat; k++, p += 4, o += 8) store<f64>(o, singleValue(<u32>getInt(p, 4, order))); break;
      case OP_D: for (let k = 0; k < repeat; k++, p += 8, o += 8) store<u64>(o, getInt(p, 8, order)); break;
      default: {
        // Integer codes: one tight loop per (size, signedness, byte order).
        const signed = c == 104 || c == 105 || c == 108 || c == 113 || c == 110;
        const swap = order == BIG;
        if (size == 8) {                 // bigint codes: the raw 64 bits
          if (swap) for (let k = 0; k < repeat; k++, p += 8, o += 8) store<u64>(o, bswap<u64>(load<u64>(p)));
          else for (let k = 0; k < repeat; k++, p += 8, o += 8) store<u64>(o, load<u64>(p));
        } else if (size == 4) {           // the word as is: kindOf says i32 or u32
          if (swap) for (let k = 0; k < repeat; k++, p += 4, o += 8) store<u32>(o, bswap<u32>(load<u32>(p)));
          else for (let k = 0; k < repeat; k++, p += 4, o += 8) store<u32>(o, load<u32>(p));
        } else {                          // size 2, widened to i32
          if (swap) {
            if (signed) for (let k = 0; k < repeat; k++, p += 2, o += 8) store<i32>(o, <i32><i16>bswap<u16>(load<u16>(p)));
            else for (let k = 0; k < repeat; k++, p += 2, o += 8) store<i32>(o, <i32>bswap<u16>(load<u16>(p)));
          } else {
            if (signed) for (let k = 0; k < repeat; k++, p += 2, o += 8) store<i32>(o, <i32>load<i16>(p));
            else for (let k = 0; k < repeat; k++, p += 2, o += 8) store<i32>(o, <i32>load<u16>(p));
          }
        }
      }
    }
  }
  return <i32>((o - out) >> 3);
}
