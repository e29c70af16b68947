// The socket-option table (generated from scripts/optiontable.py into generated/options.ts):
// one row per (level, option) Python 3.11 exports on Linux at SOL_SOCKET, IPPROTO_TCP,
// IPPROTO_IP, IPPROTO_IPV6 and IPPROTO_UDP, plus Linux options Python lacks. These exports
// let src/ and the probe command read it; strings are returned as AssemblyScript string
// pointers (UTF-16, byte length at ptr - 4).

import {
  OPT_COUNT, OPT_LEVEL, OPT_VALUE, OPT_KIND, OPT_SIZE, OPT_FLAGS, OPT_NAME, OPT_FORMAT,
  OPT_DECODER, OPT_FAMILIES, OPT_ALIAS_NAME, OPT_ALIAS_ROW,
} from "./generated/options";

export function opt_count(): i32 { return OPT_COUNT; }

/** The row of (level, value), or -1. */
export function opt_find(level: i32, value: i32): i32 {
  for (let i = 0; i < OPT_COUNT; i++) {
    if (unchecked(OPT_LEVEL[i]) == level && unchecked(OPT_VALUE[i]) == value) return i;
  }
  return -1;
}

export function opt_level(i: i32): i32 { return OPT_LEVEL[i]; }
export function opt_value(i: i32): i32 { return OPT_VALUE[i]; }
export function opt_kind(i: i32): i32 { return <i32>OPT_KIND[i]; }
export function opt_size(i: i32): i32 { return OPT_SIZE[i]; }
export function opt_flags(i: i32): i32 { return OPT_FLAGS[i]; }
export function opt_families(i: i32): i32 { return OPT_FAMILIES[i]; }
export function opt_name(i: i32): usize { return changetype<usize>(OPT_NAME[i]); }
export function opt_format(i: i32): usize { return changetype<usize>(OPT_FORMAT[i]); }
export function opt_decoder(i: i32): usize { return changetype<usize>(OPT_DECODER[i]); }
export function opt_alias_count(): i32 { return OPT_ALIAS_NAME.length; }
export function opt_alias_name(i: i32): usize { return changetype<usize>(OPT_ALIAS_NAME[i]); }
export function opt_alias_row(i: i32): i32 { return OPT_ALIAS_ROW[i]; }
