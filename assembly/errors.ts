// Error codes the core returns. OS errors travel as -errno (1..4095); the core's own
// decisions travel as -(ERR_BASE + code). Messages and exception classes are made in one
// place on the TypeScript side (src/errors.ts, table CORE_ERRORS), keyed by these codes,
// so the Wasm holds no message text it does not need. The codes are declared once, in
// scripts/contract.py; the generated file gives both sides the same names.

import { ERR_BASE } from "./generated/contract";
export * from "./generated/contract";

@inline export function fail(code: i32): i32 { return -(ERR_BASE + code); }
