// The core as a WASI preview 1 reactor (asconfig target "wasi-p1", whose `lib` is
// host/wasi-p1/wasm): every export of the core, plus the embedder's one control.
export * from "./index";

/** The capability set (bits of generated/contract.ts), before core_init reads it. */
export function p1_set_caps(bits: i32): void { P1_set_caps(bits); }
