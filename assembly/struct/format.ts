// struct format strings, compiled as CPython's _struct.c prepare_s() does: an optional
// byte-order prefix, then items "[count]code" with whitespace between items. Native mode
// ('@' or none) uses x86_64 sizes and alignment; '=', '<', '>', '!' use standard sizes and
// no alignment. The result is a heap block the JS Struct object owns (st_free on GC).

import { S_BAD_CHAR, S_REPEAT_NO_SPEC, S_TOO_LONG, S_EMBEDDED_NUL, S_NO_MEMORY, sfail } from "./errors";
import { tryAlloc } from "../alloc";

export const NATIVE: i32 = 0;
export const LITTLE: i32 = 1;
export const BIG: i32 = 2;

// Compiled block: header, then one 32-byte record per code (per format item).
@inline export const H_SIZE: usize = 0;      // i64 s_size
@inline export const H_ITEMS: usize = 8;     // i64 s_len: values pack() takes
@inline export const H_CODES: usize = 16;    // i32 number of code records
@inline export const H_ORDER: usize = 20;    // i32 NATIVE | LITTLE | BIG
@inline export const H_FLAGS: usize = 24;    // i32 F_ALL_NUMBERS
@inline export const HEADER: usize = 32;
@inline export const C_CHAR: usize = 0;      // i32 format character
@inline export const C_SIZE: usize = 4;      // i32 item size (1 for 's'/'p')
@inline export const C_REPEAT: usize = 8;    // i64 repeat count (the length for 's'/'p')
@inline export const C_OFFSET: usize = 16;   // i64 byte offset of the first item
@inline export const C_OP: usize = 24;       // i32 OP_* (a dense number for the codec's switch)
@inline export const CODE: usize = 32;

// Codec operations, dense so that switches compile to jump tables.
export const OP_INT: i32 = 0;    // h H i I l L q Q n N P (size and signedness from the code)
export const OP_S: i32 = 1;
export const OP_P: i32 = 2;
export const OP_C: i32 = 3;
export const OP_BOOL: i32 = 4;
export const OP_E: i32 = 5;
export const OP_F: i32 = 6;
export const OP_D: i32 = 7;
export const OP_B: i32 = 8;      // b
export const OP_UB: i32 = 9;     // B

function opOf(c: i32): i32 {
  switch (c) {
    case 115: return OP_S;
    case 112: return OP_P;
    case 99: return OP_C;
    case 63: return OP_BOOL;
    case 101: return OP_E;
    case 102: return OP_F;
    case 100: return OP_D;
    case 98: return OP_B;
    case 66: return OP_UB;
  }
  return OP_INT;
}

/** Every unpacked value is a JS number (no bigint, bool or bytes): the fast path. */
export const F_ALL_NUMBERS: i32 = 1;
/** Packing reads Python truthiness ('?' present). */
export const F_TRUTH: i32 = 2;
/** Packing takes bytes values ('s', 'p' or 'c' present). */
export const F_BYTES: i32 = 4;

const SSIZE_MAX: i64 = 0x7fffffffffffffff;

/** Item size in this mode, or 0 if the code is not allowed here. */
export function itemSize(c: i32, order: i32): i32 {
  switch (c) {
    case 120: case 98: case 66: case 99: case 115: case 112: case 63: return 1;  // x b B c s p ?
    case 104: case 72: case 101: return 2;                                         // h H e
    case 105: case 73: case 102: return 4;                                         // i I f
    case 108: case 76: return order == NATIVE ? 8 : 4;                             // l L
    case 113: case 81: case 100: return 8;                                         // q Q d
    case 110: case 78: case 80: return order == NATIVE ? 8 : 0;                    // n N P: native only
  }
  return 0;
}

/** Native alignment (the C type's alignof); 'x' and standard modes have none. */
function alignment(c: i32, size: i32, order: i32): i32 {
  if (order != NATIVE || c == 120) return 0;
  return size;   // on x86_64 every struct code's C type is aligned to its size
}

/** True when the code unpacks to a bigint (8-byte integer codes, native l L). */
export function isBigCode(c: i32, size: i32): bool {
  return size == 8 && (c == 113 || c == 81 || c == 110 || c == 78 || c == 80 || c == 108 || c == 76);
}

@inline function isSpace(c: i32): bool { return c == 32 || (c >= 9 && c <= 13); }

// The item readItem() just read: its code character and repeat count.
let itemCode: i32 = 0;
let itemCount: i64 = 0;

/**
 * Reads the next "[count]code" item at s (skipping whitespace before it). Returns the
 * position after it, 0 at the end of the format, or a negative error.
 */
function readItem(s: usize, end: usize): isize {
  let c = 0;
  do {
    if (s >= end) return 0;
    c = <i32>load<u8>(s++);
  } while (isSpace(c));
  let num: i64 = 1;
  if (c >= 48 && c <= 57) {
    num = c - 48;
    for (;;) {
      if (s >= end) return sfail(S_REPEAT_NO_SPEC);
      c = <i32>load<u8>(s++);
      if (c < 48 || c > 57) break;
      const d = <i64>(c - 48);
      if (num >= SSIZE_MAX / 10 && (num > SSIZE_MAX / 10 || d > SSIZE_MAX % 10)) return sfail(S_TOO_LONG);
      num = num * 10 + d;
    }
  }
  itemCode = c;
  itemCount = num;
  return <isize>s;
}

/** Compiles the format at p[0..n); returns the block's address or a negative error. */
export function compile(p: usize, n: i32): isize {
  for (let i = 0; i < n; i++) if (load<u8>(p + i) == 0) return sfail(S_EMBEDDED_NUL);
  const end = p + n;
  let order = NATIVE;
  if (p < end) {
    const c0 = <i32>load<u8>(p);
    if (c0 == 60 || c0 == 61) { order = LITTLE; p++; }          // '<' '='
    else if (c0 == 62 || c0 == 33) { order = BIG; p++; }        // '>' '!'
    else if (c0 == 64) p++;                                     // '@'
  }
  // First pass: validate, size and count codes (so the block is allocated once).
  let codes = 0;
  let size: i64 = 0, items: i64 = 0;
  let s: isize = <isize>p;
  while ((s = readItem(<usize>s, end)) > 0) {
    const c = itemCode, num = itemCount;
    const isz = itemSize(c, order);
    if (isz == 0) return sfail(S_BAD_CHAR);
    if (c == 115 || c == 112) { items++; codes++; }
    else if (c != 120 && num != 0) { items += num; codes++; }
    const a = alignment(c, isz, order);
    if (a != 0 && size > 0) {
      const extra = <i64>(a - 1) - (size - 1) % <i64>a;
      if (extra > SSIZE_MAX - size) return sfail(S_TOO_LONG);
      size += extra;
    }
    if (num > (SSIZE_MAX - size) / <i64>isz) return sfail(S_TOO_LONG);
    size += num * <i64>isz;
  }
  if (s < 0) return s;
  // Second pass: the code records, with offsets (the format is known to be valid).
  const block = tryAlloc(<u64>HEADER + <u64>codes * <u64>CODE);
  if (block == 0) return sfail(S_NO_MEMORY);
  store<i64>(block + H_SIZE, size);
  store<i64>(block + H_ITEMS, items);
  store<i32>(block + H_ORDER, order);
  let flags = F_ALL_NUMBERS, extra = 0;
  let rec = block + HEADER;
  size = 0;
  s = <isize>p;
  while ((s = readItem(<usize>s, end)) > 0) {
    const c = itemCode, num = itemCount;
    const isz = itemSize(c, order);
    const a = alignment(c, isz, order);
    if (a != 0 && size > 0) size += <i64>(a - 1) - (size - 1) % <i64>a;
    if (c == 115 || c == 112 || (c != 120 && num != 0)) {
      const sp = c == 115 || c == 112;
      const prev = rec - CODE;
      if (!sp && rec > block + HEADER && load<i32>(prev + C_CHAR) == c &&
          load<i64>(prev + C_OFFSET) + load<i64>(prev + C_REPEAT) * <i64>isz == size) {
        // "ii" packs and unpacks exactly as "2i": one record, so the codec loops once.
        store<i64>(prev + C_REPEAT, load<i64>(prev + C_REPEAT) + num);
        size += num * <i64>isz;
        continue;
      }
      store<i32>(rec + C_CHAR, c);
      store<i32>(rec + C_SIZE, isz);
      store<i64>(rec + C_REPEAT, num);
      store<i64>(rec + C_OFFSET, size);
      store<i32>(rec + C_OP, opOf(c));
      if (sp || c == 99 || c == 63 || isBigCode(c, isz)) flags = 0;
      if (c == 63) extra |= F_TRUTH;
      if (sp || c == 99) extra |= F_BYTES;
      rec += CODE;
    }
    size += num * <i64>isz;
  }
  store<i32>(block + H_FLAGS, flags | extra);
  store<i32>(block + H_CODES, <i32>((rec - block - HEADER) / CODE));   // after merging
  return <isize>block;
}
