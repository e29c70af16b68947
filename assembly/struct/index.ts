// The struct module's exports (re-exported by assembly/index.ts). One work area holds the
// value tape and the bytes going in or out; src/struct.ts asks for it to grow (st_area)
// only when a call needs more than it has.

import { compile, H_SIZE, H_ITEMS, H_FLAGS, H_CODES, H_ORDER, HEADER, CODE, C_CHAR, C_SIZE, C_REPEAT, C_OFFSET, C_OP,
         OP_INT, OP_B, OP_UB, BIG } from "./format";
import { pack, unpack, kindOf } from "./codec";
import { T_NUM, REC } from "../generated/contract";
import { SCR_OUT } from "../layout";
import { ALLOC_MAX, tryAlloc } from "../alloc";
import {
  sfail, S_UNPACK_SIZE, S_UNPACK_FROM_SIZE, S_OFFSET_RANGE, S_NO_SPACE, S_PACK_INTO_SIZE,
  S_ITER_ZERO, S_ITER_MULTIPLE, S_NOT_ENOUGH, S_PACK_INTO_COUNT, S_PACK_COUNT,
} from "./errors";

let area: usize = 0;
let areaCap: usize = 0;

function param(i: i32, v: i64): void { store<i64>(SCR_OUT + (<usize>i << 3), v); }

/** An offset argument: the f64 itself, or (when big != 0) the exact i64 src/ left in SCR_OUT[3]. */
@inline function offsetOf(offset: f64, big: i32): i64 {
  return big != 0 ? load<i64>(SCR_OUT + 24) : <i64>offset;
}

/** Compiles the format bytes at ptr[0..len): the block's address, or a negative error. */
export function st_compile(ptr: usize, len: i32): isize { return compile(ptr, len); }
export function st_free(block: usize): void { heap.free(block); }
export function st_size(block: usize): f64 { return <f64>load<i64>(block + H_SIZE); }
export function st_items(block: usize): f64 { return <f64>load<i64>(block + H_ITEMS); }
export function st_flags(block: usize): i32 { return load<i32>(block + H_FLAGS); }
export function st_codes(block: usize): i32 { return load<i32>(block + H_CODES); }

/**
 * The runs of value kinds (codec.ts K_*) the format unpacks to, written at `out` as
 * (kind, count) i32 pairs with equal neighbours merged; returns the number of runs.
 * src/ reads unpack's slots by them without a per-value tag.
 */
export function st_kinds(block: usize, out: usize): i32 {
  const n = load<i32>(block + H_CODES);
  let runs = 0;
  for (let i = 0; i < n; i++) {
    const code = block + HEADER + <usize>i * CODE;
    const c = load<i32>(code + C_CHAR);
    const kind = kindOf(c, load<i32>(code + C_SIZE));
    const count = c == 115 || c == 112 ? 1 : <i32>load<i64>(code + C_REPEAT);
    if (runs > 0 && load<i32>(out + (<usize>(runs - 1) << 3)) == kind) {
      const at = out + (<usize>(runs - 1) << 3) + 4;
      store<i32>(at, load<i32>(at) + count);
    } else {
      store<i32>(out + (<usize>runs << 3), kind);
      store<i32>(out + (<usize>runs << 3) + 4, count);
      runs++;
    }
  }
  return runs;
}

/**
 * A work area of at least `bytes` bytes (grown, never shrunk); returns its address, or 0
 * when no such area can be had (src/ raises MemoryError; the old area is gone then too).
 */
export function st_area(bytes: f64): usize {
  if (bytes > <f64>areaCap) {
    if (!(bytes <= <f64>ALLOC_MAX)) return 0;
    // Forget the old area before allocating: a trap in heap.alloc then leaves none behind.
    const cap = max(<u64>bytes, min(<u64>areaCap * 2, ALLOC_MAX));
    if (area != 0) heap.free(area);
    area = 0; areaCap = 0;
    area = tryAlloc(cap);
    areaCap = <usize>cap;
  }
  return area;
}

/**
 * pack with up to four plain JS numbers passed as arguments (the common call, without a
 * tape written by src/): they are put on the tape here, then packed to `out`.
 */
export function st_pack_nums(block: usize, nargs: i32, a: f64, b: f64, c: f64, d: f64, tape: usize, out: usize): i32 {
  if (packSmallInts(block, nargs, a, b, c, d, out)) return 0;
  store<u8>(tape, <u8>T_NUM); store<f64>(tape + 8, a);
  store<u8>(tape + REC, <u8>T_NUM); store<f64>(tape + REC + 8, b);
  store<u8>(tape + 2 * REC, <u8>T_NUM); store<f64>(tape + 2 * REC + 8, c);
  store<u8>(tape + 3 * REC, <u8>T_NUM); store<f64>(tape + 3 * REC + 8, d);
  return pack(block, tape, <i64>nargs, out);
}

/**
 * The common pack, done without the tape: a struct of at most 32 bytes whose codes are all
 * 1-, 2- or 4-byte integers (b B h H i I), given integral numbers in range. Anything else
 * (another code, a float, -0, a value out of range, a wrong count) returns false before a
 * decision is made, and pack() then does the whole call with CPython's rules and messages.
 */
function packSmallInts(block: usize, nargs: i32, a: f64, b: f64, c: f64, d: f64, out: usize): bool {
  if (<i64>nargs != load<i64>(block + H_ITEMS)) return false;
  const size = <usize>load<i64>(block + H_SIZE);
  if (size > 32) return false;
  const swap = load<i32>(block + H_ORDER) == BIG;
  const n = load<i32>(block + H_CODES);
  // Every value is checked first: a failure must leave no half-packed state to undo.
  let k = 0;
  for (let i = 0; i < n; i++) {
    const code = block + HEADER + <usize>i * CODE;
    const op = load<i32>(code + C_OP), sz = load<i32>(code + C_SIZE);
    if (op != OP_INT && op != OP_B && op != OP_UB || sz > 4) return false;
    const ch = load<i32>(code + C_CHAR);
    const signed = op == OP_B || ch == 104 || ch == 105 || ch == 108; // b h i l (standard l is 4 bytes)
    const lo: f64 = signed ? -<f64>((<i64>1) << (sz * 8 - 1)) : 0;
    const hi: f64 = signed ? <f64>(((<i64>1) << (sz * 8 - 1)) - 1) : <f64>(((<i64>1) << (sz * 8)) - 1);
    const repeat = <i32>load<i64>(code + C_REPEAT);
    for (let r = 0; r < repeat; r++, k++) {
      const v = k == 0 ? a : k == 1 ? b : k == 2 ? c : d;
      if (!(v >= lo && v <= hi) || v != Math.trunc(v)) return false;   // NaN fails too
      if (v == 0 && (reinterpret<u64>(v) >> 63) != 0) return false;     // -0 is a float
    }
  }
  for (let z: usize = 0; z < size; z += 8) store<u64>(out + z, 0);     // the area has slack
  k = 0;
  for (let i = 0; i < n; i++) {
    const code = block + HEADER + <usize>i * CODE;
    const sz = load<i32>(code + C_SIZE);
    const repeat = <i32>load<i64>(code + C_REPEAT);
    let p = out + <usize>load<i64>(code + C_OFFSET);
    for (let r = 0; r < repeat; r++, k++, p += <usize>sz) {
      const v = <u32><i32><i64>(k == 0 ? a : k == 1 ? b : k == 2 ? c : d);
      if (sz == 4) store<u32>(p, swap ? bswap<u32>(v) : v);
      else if (sz == 2) store<u16>(p, swap ? bswap<u16>(<u16>v) : <u16>v);
      else store<u8>(p, <u8>v);
    }
  }
  return true;
}

/** pack: nargs values from the tape at `tape`, packed to `out`. */
export function st_pack(block: usize, nargs: f64, tape: usize, out: usize): i32 {
  return pack(block, tape, <i64>nargs, out);
}

/**
 * The number of values, checked on its own: pack_into checks it before looking at the
 * buffer (its message says pack_into), pack before allocating a very large result.
 */
export function st_check_count(block: usize, nargs: f64, packInto: i32): i32 {
  const items = load<i64>(block + H_ITEMS);
  if (<i64>nargs == items) return 0;
  param(0, items); param(1, <i64>nargs);
  return sfail(packInto ? S_PACK_INTO_COUNT : S_PACK_COUNT);
}

/** unpack of bytes already known to be the struct's size (src/ checked with st_unpack). */
export function st_unpack_at(block: usize, src: usize, out: usize): i32 {
  return unpack(block, src, out);
}

/** unpack: the buffer must be exactly the struct's size; values to the tape. */
export function st_unpack(block: usize, src: usize, len: f64, tape: usize): i32 {
  const size = load<i64>(block + H_SIZE);
  if (<i64>len != size) { param(0, size); return sfail(S_UNPACK_SIZE); }
  return unpack(block, src, tape);
}

/**
 * The offset rules unpack_from (3.11) and pack_into share: a negative offset counts from
 * the end, but must leave room for the struct (`tooNear`) and stay inside the buffer; then
 * the struct must fit (`tooSmall`). Returns the offset (>= 0) or a negative error; f64
 * because offsets come from JS numbers.
 */
function checkOffset(block: usize, bufLen: f64, offsetIn: f64, big: i32, tooNear: i32, tooSmall: i32): f64 {
  const size = load<i64>(block + H_SIZE), len = <i64>bufLen;
  let offset = offsetOf(offsetIn, big);
  if (offset < 0) {
    if (offset + size > 0) { param(0, size); param(1, offset); return <f64>sfail(tooNear); }
    if (offset + len < 0) { param(0, offset); param(1, len); return <f64>sfail(S_OFFSET_RANGE); }
    offset += len;
  }
  if (len - offset < size) {
    param(0, size + offset); param(1, size); param(2, offset); param(3, len);
    return <f64>sfail(tooSmall);
  }
  return <f64>offset;
}

export function st_check_from(block: usize, bufLen: f64, offset: f64, big: i32): f64 {
  return checkOffset(block, bufLen, offset, big, S_NOT_ENOUGH, S_UNPACK_FROM_SIZE);
}

export function st_check_into(block: usize, bufLen: f64, offset: f64, big: i32): f64 {
  return checkOffset(block, bufLen, offset, big, S_NO_SPACE, S_PACK_INTO_SIZE);
}

/** iter_unpack: how many structs the buffer holds, or a negative error. */
export function st_check_iter(block: usize, bufLen: f64): f64 {
  const size = load<i64>(block + H_SIZE), len = <i64>bufLen;
  if (size == 0) return <f64>sfail(S_ITER_ZERO);
  if (len % size != 0) { param(0, size); return <f64>sfail(S_ITER_MULTIPLE); }
  return <f64>(len / size);
}
