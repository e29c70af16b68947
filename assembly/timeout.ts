// Socket timeouts as CPython 3.11 keeps them: one signed 64-bit nanosecond value per socket,
// -1 for None (blocking), 0 for non-blocking, > 0 for "poll until the deadline". Parsing
// follows socket_parse_timeout() / _PyTime_FromSecondsObject(ROUND_TIMEOUT); reading back
// follows _PyTime_AsSecondsDouble.

import { fail, E_TIMEOUT_NAN, E_TIMEOUT_RANGE, E_TIME_T_RANGE, E_PYTIME_RANGE } from "./errors";

export const NONE_NS: i64 = -1;

/** socket.setdefaulttimeout(): the timeout new sockets start with. */
export let defaultTimeoutNs: i64 = NONE_NS;
export function setDefaultTimeout(ns: i64): void { defaultTimeoutNs = ns; }

/** What a timeout argument is, as src/ classifies the JS value: scripts/contract.py. */
import { ARG_NONE, ARG_FLOAT, ARG_BIG_INT } from "./generated/contract";

/** The parsed value (when parse() returns 0). */
export let parsedNs: i64 = 0;

const NS: f64 = 1e9;
const PYTIME_MAX: i64 = i64.MAX_VALUE;

/** socket_parse_timeout(): 0 and the value in parsedNs, or a negative error. */
export function parse(kind: i32, v: f64): i32 {
  if (kind == ARG_NONE) { parsedNs = NONE_NS; return 0; }
  let ns: i64;
  if (kind == ARG_FLOAT) {
    if (isNaN(v)) return fail(E_TIMEOUT_NAN);
    // _PyTime_FromDouble: scale, round away from zero (ROUND_TIMEOUT), then range-check.
    let d = v * NS;
    d = d >= 0 ? Math.ceil(d) : Math.floor(d);
    if (!(-9223372036854775808.0 <= d && d < 9223372036854775808.0)) return fail(E_TIME_T_RANGE);
    ns = <i64>d;
  } else {
    // PyLong_AsLongLong, then _PyTime_check_mul_overflow(sec, 10**9).
    if (kind == ARG_BIG_INT) return fail(E_PYTIME_RANGE);
    const sec = <i64>v;
    if (sec < i64.MIN_VALUE / 1000000000 || PYTIME_MAX / 1000000000 < sec) return fail(E_PYTIME_RANGE);
    ns = sec * 1000000000;
  }
  if (ns < 0) return fail(E_TIMEOUT_RANGE);
  parsedNs = ns;
  return 0;
}

/** _PyTime_AsSecondsDouble, and -1 for None (src/ turns it into null). */
export function seconds(ns: i64): f64 {
  if (ns < 0) return -1;
  if (ns % 1000000000 == 0) return <f64>(ns / 1000000000);
  return <f64>ns / NS;
}
