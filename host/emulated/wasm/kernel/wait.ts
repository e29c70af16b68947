// Waiting in virtual time. A blocking call that is not ready runs the network's timers in
// order until it is, or until its deadline (then the clock stands at the deadline and the
// call times out as Linux's would). When no timer is left before its deadline, nothing in
// the network can ever make it ready: the core is single-threaded, so no other party can act
// while it waits. A call without a deadline then fails at once (EDEADLK) instead of hanging;
// `why` tells the embedder which call and why (EMU_why).

import { now, nextAt, popNext, advanceTo, firedKind, firedSock, firedGen, firedArg,
         EV_SYN_RETRY, EV_KEEPALIVE, EV_DELIVER, EV_DATAGRAM, EV_FAULT, EV_RETRANSMIT } from "./clock";
import { Sock, sockAt } from "./sock";
import { EAGAIN, EDEADLK, TCP_LISTEN } from "./defs";
import { onSynRetry, onKeepalive, onDeliver, onRetransmit, readable, writable, acceptable, connectDone } from "./stream";
import { onDatagram, dgramReadable, roomAtReceiver } from "./dgram";
import { onFault } from "./faults";

export const W_READ: i32 = 0, W_WRITE: i32 = 1, W_ACCEPT: i32 = 2, W_CONNECT: i32 = 3;
/** A unix datagram receiver's queue has room again. */
export const W_DRAIN: i32 = 4;
/** A unix stream listener's accept queue has room again (unix_wait_for_peer). */
export const W_BACKLOG: i32 = 5;

/** Why the last call failed with EDEADLK: the operation's code (W_*) and the socket id. */
export let whyOp: i32 = -1;
export let whySock: i32 = -1;

export const FOREVER: i64 = i64.MAX_VALUE;

function ready(s: Sock, what: i32): bool {
  switch (what) {
    case W_READ: return s.type == 2 ? dgramReadable(s) : readable(s);
    case W_WRITE: return s.type == 2 ? roomAtReceiver(s) : writable(s) && roomAtReceiver(s);
    case W_ACCEPT: return acceptable(s);
    case W_DRAIN: return s.dqLen() <= 10 || !s.live;
    case W_BACKLOG: return s.state != TCP_LISTEN || !s.live || s.acceptqLen() <= s.backlog;
  }
  return connectDone(s);
}

/** Fires the earliest timer. */
export function fireNext(): void {
  popNext();
  const s = sockAt(firedSock);
  if (firedKind == EV_FAULT) { onFault(<i32>firedArg); return; }
  if (firedKind == EV_DATAGRAM) { onDatagram(firedSock, firedGen, <usize>firedArg); return; }
  if (!s.live || s.gen != firedGen) return;     // the socket is gone: its timer with it
  switch (firedKind) {
    case EV_SYN_RETRY: onSynRetry(s, <i32>firedArg); break;
    case EV_KEEPALIVE: onKeepalive(s); break;
    case EV_DELIVER: onDeliver(s); break;
    case EV_RETRANSMIT: onRetransmit(s); break;
  }
}

/**
 * Waits until `s` is ready for `what`, or the virtual `deadline`. 0: ready; -EAGAIN: the
 * deadline passed (the clock is at it); -EDEADLK: no deadline, and nothing can happen.
 */
export function waitFor(s: Sock, what: i32, deadline: i64): i32 {
  for (;;) {
    if (ready(s, what)) return 0;
    const t = nextAt();
    if (t <= deadline && t != FOREVER) { fireNext(); continue; }
    if (deadline != FOREVER) { advanceTo(deadline); return -EAGAIN; }
    whyOp = what; whySock = s.id;
    return -EDEADLK;
  }
}

/** The deadline of a wait that may take `timeout` ns (0: SO_*TIMEO unset, no limit). */
export function deadlineAfter(timeout: i64): i64 { return timeout > 0 ? now + timeout : FOREVER; }

/** Runs every timer due by t and moves the clock to t (the embedder's sleep / advance). */
export function runUntil(t: i64): void {
  while (nextAt() <= t) fireNext();
  advanceTo(t);
}
