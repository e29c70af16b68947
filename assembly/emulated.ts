// The core with the emulated network compiled in (asconfig target "emulated", whose `lib`
// is host/emulated): every export of the core, plus the embedder's controls of the network.
export * from "./index";

export function emu_set_caps(bits: i32): void { EMU_set_caps(bits); }
export function emu_set_privileged(on: i32): void { EMU_set_privileged(on); }
export function emu_seed(hi: u32, lo: u32): void { EMU_seed(hi, lo); }
export function emu_add_machine(pid: i32): i32 { return EMU_add_machine(pid); }
export function emu_use_machine(m: i32): void { EMU_use_machine(m); }
export function emu_add_address(m: i32, sa: usize): void { EMU_add_address(m, sa); }
export function emu_machine_of(sa: usize): i32 { return EMU_machine_of(sa); }
export function emu_fault(kind: i32, a: i32, b: i32, at: f64): void { EMU_fault(kind, a, b, at); }
export function emu_latency(a: i32, b: i32, ns: f64, jitter: f64): void { EMU_latency(a, b, ns, jitter); }
export function emu_bandwidth(m: i32, bytesPerSec: f64): void { EMU_bandwidth(m, bytesPerSec); }
export function emu_udp_faults(loss: f64, dup: f64, reorder: f64): void { EMU_udp_faults(loss, dup, reorder); }
export function emu_reset(fd: i32): i32 { return EMU_reset(fd); }
export function emu_now(): f64 { return EMU_now(); }
export function emu_advance(ns: f64): void { EMU_advance(ns); }
export function emu_why_op(): i32 { return EMU_why_op(); }
export function emu_open_fds(): i32 { return EMU_open_fds(); }
export function emu_unlink(sa: usize, len: i32): i32 { return EMU_unlink(sa, len); }
export function emu_set_fd_limit(n: i32): void { EMU_set_fd_limit(n); }
export function emu_host_calls(): i32 { return EMU_host_calls(); }
/** poll(2) of the `n` pollfds at `fds` (core memory) in the emulated kernel: the WASI preview 1 functions wait on its sockets through it. */
/** A hosts-table line for the name service (host/emulated/wasm/names.ts): the name in p[0..n), the address in sockaddr sa. */
export function emu_add_host(p: usize, n: i32, sa: usize): void { EMU_add_host(p, n, sa); }
export function emu_poll(fds: usize, n: i32, timeoutMs: i32): i32 { return EMU_poll(fds, n, timeoutMs); }

