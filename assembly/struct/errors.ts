// struct's error codes. Like the socket codes (../errors.ts) they travel as negative
// numbers, below the socket range; src/struct.ts makes the messages, with the numbers the
// core leaves in SCR_OUT (as i64) where CPython's message has them. The codes are
// declared in scripts/contract.py (assembly/generated/contract.ts).

import { S_BASE } from "../generated/contract";
export * from "../generated/contract";

@inline export function sfail(code: i32): i32 { return -(S_BASE + code); }
