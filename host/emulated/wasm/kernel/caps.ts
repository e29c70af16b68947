// The capability set the embedder gave this network (bits of assembly/generated/contract.ts).
let bits: i32 = 0;
export function capBits(): i32 { return bits; }
export function setCapBits(b: i32): void { bits = b; }
