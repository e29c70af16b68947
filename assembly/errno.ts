// The Linux errno table (generated from CPython by scripts/gen_constants.py): number ->
// name, strerror text and the PEP 3151 OSError subclass CPython picks. Every OSError
// message src/ builds ("[Errno 92] Protocol not available") comes from here.

import { ERRNO_MAX, ERRNO_NAME, ERRNO_TEXT, ERRNO_CLASS, ERRNO_CLASS_NAMES } from "./generated/errno";

export function errno_max(): i32 { return ERRNO_MAX; }
/** Name, text and class name are string pointers; 0 when n is outside the table. */
export function errno_name(n: i32): usize {
  return n >= 0 && n <= ERRNO_MAX ? changetype<usize>(ERRNO_NAME[n]) : 0;
}
export function errno_text(n: i32): usize {
  return n >= 0 && n <= ERRNO_MAX ? changetype<usize>(ERRNO_TEXT[n]) : 0;
}
export function errno_class(n: i32): i32 { return n >= 0 && n <= ERRNO_MAX ? <i32>ERRNO_CLASS[n] : 0; }
export function errno_class_name(c: i32): usize { return changetype<usize>(ERRNO_CLASS_NAMES[c]); }
