// What the leak tests share: the process's open fds, counted the kernel's way, and a loop
// that insists every call fails as Python would (never a Wasm trap or a RangeError).
import { readdirSync } from 'node:fs';
import { expect } from 'vitest';

/** How many fds this process has open now (/proc/self/fd). */
export const fdCount = (): number => readdirSync('/proc/self/fd').length;

/** Runs `fn` n times; each call must throw a Python-style error (never a trap or RangeError). */
export function failMany(n: number, fn: () => unknown): void {
  for (let i = 0; i < n; i++) {
    let thrown: unknown = null;
    try { fn(); } catch (e) { thrown = e; }
    expect(thrown, 'the call was expected to fail').not.toBeNull();
    expect(thrown).not.toBeInstanceOf(RangeError);
    expect(thrown).not.toBeInstanceOf(WebAssembly.RuntimeError);
  }
}
