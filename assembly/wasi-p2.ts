// The core with host/wasi-p2 compiled in (asconfig target "wasi-p2", whose `lib` is
// host/wasi-p2/wasm): every export of the core, plus what a component needs (its memory and
// cabi_realloc) and what the JavaScript side reads (the abort's arguments, open fds). Built
// into a component whose only imports are wasi:* by scripts/build-wasi-p2.mjs.
export * from "./index";

/** The canonical ABI's allocator: where the runtime puts the lists it returns. */
export function cabi_realloc(old: usize, oldSize: usize, align: usize, size: usize): usize {
  return cabiRealloc(old, oldSize, align, size);
}

// An abort cannot call out (a wasi:* component imports nothing of wasock's): it leaves its
// arguments here and traps; host/wasi-p2/index.ts reads them and gives the core up as any
// other core's abort does (SystemError, a successor core).
let abortMsg: usize = 0, abortFile: usize = 0, abortLine: u32 = 0, abortCol: u32 = 0;
export function p2Abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  abortMsg = changetype<usize>(message); abortFile = changetype<usize>(fileName);
  abortLine = line; abortCol = column;
  unreachable();
}
/** The last abort's arguments (0 message, 1 file, 2 line, 3 column); 0 when none. */
export function p2_abort_info(i: i32): u32 {
  switch (i) { case 0: return <u32>abortMsg; case 1: return <u32>abortFile; case 2: return abortLine; }
  return abortCol;
}
export function p2_set_caps(bits: i32): void { P2_set_caps(bits); }
export function p2_set_defects(bits: i32): void { P2_set_defects(bits); }
export function p2_open_fds(): i32 { return P2_open_fds(); }
export function p2_nonblocking(fd: i32): i32 { return P2_nonblocking(fd); }
