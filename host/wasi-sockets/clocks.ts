// wasi:clocks 0.2 for a provider: monotonic-clock is the backing network's clock (the
// process's on the Linux host, the emulated network's virtual clock there: waiting advances
// it), so the guest's timeouts and the network's run on the same time; wall-clock is the
// system's on both.
import type { Backend } from './backend.js';
import { Pollable } from './poll.js';

export interface Datetime { seconds: bigint; nanoseconds: number }

// Type literals, not interfaces: an import object's interfaces are records (index signatures).
export type MonotonicClock = {
  now(): bigint;
  resolution(): bigint;
  subscribeInstant(when: bigint): Pollable;
  subscribeDuration(d: bigint): Pollable;
};

export type WallClock = { now(): Datetime; resolution(): Datetime };

export function monotonicClockOf(b: Backend): MonotonicClock {
  return {
    now: () => b.now(),
    resolution: () => 1n,
    subscribeInstant: (when) => new Pollable(b, null, BigInt(when)),
    subscribeDuration: (d) => new Pollable(b, null, b.now() + BigInt(d)),
  };
}

function wallNow(): Datetime {
  const us = Math.round((performance.timeOrigin + performance.now()) * 1000);
  return { seconds: BigInt(Math.floor(us / 1e6)), nanoseconds: (us % 1e6) * 1000 };
}

export const wallClock: WallClock = { now: wallNow, resolution: () => ({ seconds: 0n, nanoseconds: 1000 }) };
