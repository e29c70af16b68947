// The core with host/wasi-p2 compiled in (asconfig target "wasi-p2", whose `lib` is
// host/wasi-p2/wasm), built by scripts/build-wasi-p2.mjs into a component whose only imports
// are wasi:* and which exports wit/core.wit's `wasock:core/sockets` and `wasock:core/policy`
// (component/exports.ts, the same export layer as build/wasock.component.wasm's): any
// component runtime with wasi:sockets 0.2 drives it through those typed exports (wasmtime:
// test/wasi-p2-wasmtime.test.ts). Its core module also keeps every export of the raw core,
// plus what the JavaScript side reads (the abort's arguments, open fds): src/wasi-p2.ts calls
// those directly through jco's `--instantiation sync` bindings, as it calls any core.
import "./component/wasi-p2-start";  // first: the COMP_host_start global the exports look for
export * from "./index";
export * from "./component/exports";

/** The canonical ABI's allocator: where the runtime puts the lists it returns. */
export function cabi_realloc(old: usize, oldSize: usize, align: usize, size: usize): usize {
  return cabiRealloc(old, oldSize, align, size);
}

// An abort cannot call out (a wasi:* component imports nothing of wasock's): it leaves its
// arguments here and traps; host/wasi-p2/index.ts reads them and gives the core up as any
// other core's abort does (SystemError, a successor core). A runtime driving the typed
// exports sees the trap.
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
