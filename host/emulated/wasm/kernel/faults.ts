// Faults the embedder injects: partitions (one-way too) and their repair, latency with
// jitter, bandwidth limits, UDP loss/duplication/reordering (net.ts), resets of connections,
// crashed machines. Each may start now or at a virtual time; draws come from the seed.

import { Sock, socks, sockAt } from "./sock";
import { now, schedule, EV_FAULT } from "./clock";
import { setCut, setCrashed, isCut, removeBinding } from "./net";
import { armKeepalive, connectedState, pushData, resetConnection, receiveReset, abortConnection } from "./stream";
import { drain } from "./dgram";
import { ECONNRESET, TCP_CLOSE, TCP_LISTEN, SOCK_DGRAM } from "./defs";

export const F_CUT: i32 = 1, F_REPAIR: i32 = 2, F_CRASH: i32 = 3, F_RESTART: i32 = 4;

const fKind = new Array<i32>();
const fA = new Array<i32>();
const fB = new Array<i32>();

/** Applies fault `kind` between machines a and b (b unused for crashes) at virtual time `at` (now when at <= now). */
export function fault(kind: i32, a: i32, b: i32, at: i64): void {
  if (at <= now) { apply(kind, a, b); return; }
  fKind.push(kind); fA.push(a); fB.push(b);
  schedule(at, EV_FAULT, 0, 0, fKind.length - 1);
}

export function onFault(i: i32): void { apply(fKind[i], fA[i], fB[i]); }

function apply(kind: i32, a: i32, b: i32): void {
  switch (kind) {
    case F_CUT: setCut(a, b, true); rearm(a, b); break;
    case F_REPAIR: setCut(a, b, false); resume(a, b); break;
    case F_CRASH: crash(a); break;
    case F_RESTART: setCrashed(a, false); break;
  }
}

/** A partition began: keep-alive timers of the connections across it run again (stream.ts parks them on healthy links). */
function rearm(a: i32, b: i32): void {
  for (let i = 0; i < socks.length; i++) {
    const s = unchecked(socks[i]);
    if (!s.live || s.peer < 0 || !connectedState(s.state)) continue;
    const p = sockAt(s.peer);
    if ((s.machine == a && p.machine == b) || (s.machine == b && p.machine == a)) armKeepalive(s);
  }
}

/** A partition ended: queued bytes move again. */
function resume(a: i32, b: i32): void {
  for (let i = 0; i < socks.length; i++) {
    const s = unchecked(socks[i]);
    if (s.live && s.peer >= 0 && s.machine == a && s.sq.len > 0) pushData(s);
  }
}

/**
 * A machine crashes: every connection it had is reset at the other end (its RST reaches the
 * peers when they next hear from it: here at once), its ports are freed, and its own sockets
 * are dead (ECONNRESET, then EPIPE) for whoever still holds them.
 */
function crash(m: i32): void {
  setCrashed(m, true);
  for (let i = 0; i < socks.length; i++) {
    const s = unchecked(socks[i]);
    if (!s.live || s.machine != m) continue;
    if (s.type == SOCK_DGRAM) { drain(s); removeBinding(s); s.bound = false; continue; }
    if (s.peer >= 0) {
      const p = sockAt(s.peer);
      if (p.machine != m) { p.peer = -1; receiveReset(p); }
    }
    if (s.state == TCP_LISTEN) { s.state = TCP_CLOSE; removeBinding(s); continue; }
    if (s.files == 0 && s.listener < 0) { s.peer = -1; abortConnection(s, ECONNRESET); continue; }
    s.peer = -1;
    abortConnection(s, ECONNRESET);
    removeBinding(s);
  }
}

/** Resets the connection of s (both ends hear ECONNRESET), as an injected RST. */
export function injectReset(s: Sock): void {
  if (s.peer < 0 || !connectedState(s.state)) return;
  const p = sockAt(s.peer);
  resetConnection(p);     // p's RST reaches s
  if (p.files == 0 && p.listener < 0) { removeBinding(p); }
  receiveReset(s);
  p.err = ECONNRESET; p.reset = true; p.state = TCP_CLOSE;
  p.rdShut = true; p.wrShut = true;
}

export { isCut };
