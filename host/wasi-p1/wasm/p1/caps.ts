// The capability set the embedder gave this core (bits of assembly/generated/contract.ts),
// set through the p1_set_caps export before core_init reads it.
let bits: i32 = 0;
export function capBits(): i32 { return bits; }
export function setCapBits(b: i32): void { bits = b; }
