// The file descriptor behind a socket Node created. Node has no public API for it: the fd
// is a property of the libuv handle wrapper (TCPWrap, PipeWrap, UDPWrap, TLSWrap), reached
// through private fields. This file is the only place that touches them, and it feature-
// detects each step, so a Node that moves them yields 'no-fd-field' (a clear error) rather
// than a wrong fd. Checked on Node 20:
//   net.Socket   connected: _handle.fd >= 0; connecting: _handle.fd === -1 (libuv opens the
//                socket only at connect); never connected / destroyed: _handle === null
//   net.Server   listening: _handle.fd >= 0; not listening / closed: _handle === null;
//                a cluster worker's round-robin handle has no fd property
//   dgram.Socket created: a UDPWrap whose fd getter returns -9 (uv_fileno's UV_EBADF: libuv
//                creates the socket at bind); bound: fd >= 0; closed: handle null
//   tls.TLSSocket (a net.Socket): _handle is a TLSWrap whose fd is the TCP socket's
import net from 'node:net';
import dgram from 'node:dgram';
import type { NodeFd, NodeKind } from '../types.js';

/** dgram keeps its state (handle, bindState) under a module-private Symbol('state symbol'). */
function dgramState(s: dgram.Socket): { handle?: unknown; bindState?: unknown } | null {
  for (const sym of Object.getOwnPropertySymbols(s)) {
    if (sym.description === 'state symbol') {
      const st = (s as unknown as Record<symbol, unknown>)[sym];
      return st !== null && typeof st === 'object' ? st as { handle?: unknown; bindState?: unknown } : null;
    }
  }
  return null;
}

// lib/dgram.js: BIND_STATE_UNBOUND 0, BIND_STATE_BINDING 1, BIND_STATE_BOUND 2.
const DGRAM_BINDING = 1;

function handleFd(kind: NodeKind, handle: unknown, state: () => string): NodeFd {
  if (handle === null || handle === undefined) return { kind, fd: -1, state: state() };
  const fd = (handle as { fd?: unknown }).fd;
  if (typeof fd !== 'number') {
    const name = (handle as object).constructor?.name ?? typeof handle;
    return { kind, fd: -2, state: name };
  }
  return fd >= 0 ? { kind, fd, state: '' } : { kind, fd: -1, state: state() };
}

/** The fd of a Node socket, or why there is none; null when `x` is no Node socket. */
export function nodeFd(x: unknown): NodeFd | null {
  if (x instanceof net.Socket) {
    const s = x as net.Socket & { _handle?: unknown };
    return handleFd('net.Socket', s._handle, () =>
      s.destroyed ? 'destroyed' : s.connecting ? 'connecting' : 'unconnected');
  }
  if (x instanceof net.Server) {
    return handleFd('net.Server', (x as net.Server & { _handle?: unknown })._handle, () => 'not listening');
  }
  if (x instanceof dgram.Socket) {
    const st = dgramState(x);
    if (st === null) return { kind: 'dgram.Socket', fd: -2, state: 'dgram.Socket' };
    return handleFd('dgram.Socket', st.handle, () =>
      st.handle === null || st.handle === undefined ? 'closed' : st.bindState === DGRAM_BINDING ? 'binding' : 'unbound');
  }
  return null;
}
