// The capability model. A host declares, once, the set of operations it supports; the
// core checks that set before every host call and answers "not available" without trying
// (Python's "Availability: not WASI" and "Windows only" become bits some hosts lack).
// The names are what users read in NotAvailableError messages and pass to isAvailable(). Bits and names are declared in scripts/contract.py (generated into
// assembly/generated/contract.ts: CAP_*, CAP_COUNT, CAP_NAMES).

export * from "./generated/contract";

let caps: i32 = 0;

export function setCaps(bits: i32): void { caps = bits; }

@inline export function hasCap(cap: i32): bool { return ((caps >>> cap) & 1) != 0; }
