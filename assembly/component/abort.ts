// The core's abort (asconfig "component": use abort=...): an internal invariant failed. The
// message goes to the host's `abort` import as UTF-8, then the core traps, as the raw core's
// abort ends in src/core.ts giving the core up.

@external("wasock:core/host", "abort") declare function wit_abort(mp: usize, ml: i32, fp: usize, fl: i32, line: u32, column: u32): void;

const TEXT: usize = memory.data(512);

/** Writes `s` (UTF-16) as ASCII at `at`, at most `max` bytes, other characters as '?'. */
function ascii(s: string | null, at: usize, max: i32): i32 {
  if (s === null) return 0;
  const n = min(s.length, max);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    store<u8>(at + i, c < 0x80 ? <u8>c : 0x3f);
  }
  return n;
}

export function componentAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const ml = ascii(message, TEXT, 256);
  const fl = ascii(fileName, TEXT + 256, 256);
  wit_abort(TEXT, ml, TEXT + 256, fl, line, column);
  unreachable();
}
