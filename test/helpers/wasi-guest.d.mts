// Types of test/helpers/wasi-guest.mjs (plain JS: bench/wasi-sockets.mjs imports it too).
export declare const MAP: Record<string, string>;
export declare function guestWit(): string;
export declare function buildGuest(): Promise<Uint8Array>;
export declare function transpileGuest(component: Uint8Array, version: '1.11' | '1.35', provider: 'wasock' | 'shim' | 'instantiation'): Promise<string>;
