// Node's own sockets and wasock's, both ways. fromNode() gives a wasock socket on a duplicate
// of the fd behind a net.Socket, net.Server or dgram.Socket; toNodeServer() and
// toNodeSocket() give Node a duplicate of a wasock socket's fd. Either way each side owns
// its own fd and closes it independently, but the two fds share one open file description,
// hence one set of file status flags: the wasock socket is put in non-blocking mode (timeout
// 0.0, as libuv keeps the fd and as asyncio does to a socket handed to its loop) and refuses
// blocking mode from then on (docs/decisions.md, "Node's sockets").
// Namespace imports, not default ones: the declarations we emit keep these lines, and a
// consumer compiling without esModuleInterop cannot default-import Node's modules.
import * as net from 'node:net';
import type * as dgram from 'node:dgram';
import { hostCore, type Core } from './core.js';
import { errorFor, NotAvailableError, ValueError } from './errors.js';
import { socket } from './socket.js';
import { isNodeFdSource, type Host, type NodeFd } from '../host/types.js';
import { SOCK_STREAM, AF_UNIX, AF_INET, AF_INET6 } from './generated/constants.js';


/** Why a Node object has no fd now, by the state the host reports. */
const NO_FD: Record<string, string> = {
  connecting: 'is still connecting (Node opens its fd at connect: wait for \'connect\')',
  unconnected: 'is not connected (it has no fd)',
  destroyed: 'is destroyed (its fd is closed)',
  'not listening': 'is not listening (it has an fd from \'listening\' on)',
  unbound: 'is not bound (Node creates its fd at bind)',
  binding: 'is still binding (wait for \'listening\')',
  closed: 'is closed',
};

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object') return typeof x;
  return (x as object).constructor?.name ?? 'Object';
}

/**
 * The host's accessor for Node's fds: only a host whose fds are the process's has one (the
 * Linux host's NodeFdSource); it is not part of the generic Host.
 */
function nodeFds(host: Host, fn: string): (x: unknown) => NodeFd | null {
  if (!isNodeFdSource(host)) {
    throw new NotAvailableError(`${fn} is not available on ${host.name} (its sockets are not the process's fds)`, 'node', host.name);
  }
  return host.nodeFd.bind(host);
}

/**
 * fromNode(x): a wasock socket on a close-on-exec duplicate of the fd behind a net.Socket
 * (connected; an http request's socket, a tls.TLSSocket), a net.Server (listening) or a
 * dgram.Socket (bound). Family, type and proto are read from the fd, as socket(fileno=)
 * does. The socket is non-blocking (timeout 0.0) and stays so; closing it closes only the
 * duplicate: Node's socket stays open and working.
 */
export function fromNode(x: net.Socket | net.Server | dgram.Socket): socket {
  if (arguments.length !== 1) throw new TypeError(`fromNode() takes exactly one argument (${arguments.length} given)`);
  const c = hostCore();
  const r = nodeFds(c.host, 'fromNode')(x);
  if (r === null) throw new TypeError(`fromNode() argument must be a net.Socket, net.Server or dgram.Socket, not '${typeName(x)}'`);
  if (r.fd === -2) {
    throw new NotAvailableError(`fromNode is not available for this ${r.kind}: the running Node exposes no fd for its ${r.state} handle`, 'node', c.host.name);
  }
  if (r.fd < 0) throw new ValueError(`fromNode(): the ${r.kind} ${NO_FD[r.state] ?? r.state}`);
  const h = c.x.sock_fromfd(r.fd, -1, -1, -1);
  if (h < 0) throw errorFor(h, 'fromNode', c);
  const s = socket._wrap(c, h);
  share(c, s, 'fromNode');
  return s;
}

/** Marks `s` shared with Node (timeout 0.0, O_NONBLOCK, blocking mode refused). */
function share(c: Core, s: socket, fn: string): void {
  const r = c.x.sock_share(s._h);
  if (r < 0) {
    if (fn === 'fromNode') s.close();   // the duplicate is ours: nothing leaks
    throw errorFor(r, fn, c);
  }
}

/** What Node can serve: a SOCK_STREAM socket of a family libuv opens as TCP or a pipe. */
function checkStream(sock: unknown, fn: string): socket {
  if (!(sock instanceof socket)) throw new TypeError(`${fn}() argument must be a wasock socket, not '${typeName(sock)}'`);
  // asyncio's create_server(sock=) and open_connection(sock=) raise ValueError here too.
  if (sock.type !== SOCK_STREAM) throw new ValueError(`${fn}(): a SOCK_STREAM socket was expected, got type ${sock.type}`);
  if (sock.family !== AF_INET && sock.family !== AF_INET6 && sock.family !== AF_UNIX) {
    throw new ValueError(`${fn}(): Node takes AF_INET, AF_INET6 and AF_UNIX sockets, got family ${sock.family}`);
  }
  nodeFds(sock._c.host, fn);
  return sock;
}

/**
 * Gives Node a duplicate of `sock`'s fd: `use(fd)` makes the Node object. If it throws, the
 * duplicate is closed here; once it returns, the fd is Node's (closed with its object).
 */
function handOver<T>(sock: socket, fn: string, use: (fd: number) => T): T {
  share(sock._c, sock, fn);
  const d = sock.dup();
  try {
    const made = use(d.fileno());
    d.detach();
    return made;
  } catch (e) {
    d.close();
    throw e;
  }
}

export interface ToNodeServerOptions extends net.ServerOpts {
  /**
   * The backlog Node passes when it calls listen(2) on the fd (again, if the socket was
   * listening already). Node's default is 511, which replaces the socket's own backlog.
   */
  backlog?: number;
}

/**
 * toNodeServer(sock, options?, connectionListener?): a net.Server listening on a duplicate
 * of `sock`'s fd (server.listen({ fd })), so options Node cannot set (SO_REUSEPORT before
 * bind, TCP_DEFER_ACCEPT, IP_FREEBIND, buffer sizes) still serve with Node's event loop.
 * `sock` must be a bound (or listening) SOCK_STREAM socket; it stays open and usable for
 * getsockopt/setsockopt, in non-blocking mode; close it when you no longer need it. The
 * server owns its duplicate and closes it with server.close(). 'listening' follows as usual.
 */
export function toNodeServer(sock: socket, options: ToNodeServerOptions = {}, connectionListener?: (s: net.Socket) => void): net.Server {
  checkStream(sock, 'toNodeServer');
  const { backlog, ...serverOpts } = options ?? {};
  return handOver(sock, 'toNodeServer', (fd) => {
    const server = net.createServer(serverOpts, connectionListener);
    // Node 20 ignores `backlog` inside listen({ fd }): only the positional one reaches listen(2).
    if (backlog === undefined) server.listen({ fd });
    else server.listen({ fd }, backlog);
    return server;
  });
}

export interface ToNodeSocketOptions {
  allowHalfOpen?: boolean;
}

/**
 * toNodeSocket(sock, options?): a net.Socket on a duplicate of a connected (or accepted)
 * SOCK_STREAM `sock`'s fd (new net.Socket({ fd })), readable and writable. `sock` stays
 * open in non-blocking mode; the net.Socket owns its duplicate.
 */
export function toNodeSocket(sock: socket, options: ToNodeSocketOptions = {}): net.Socket {
  checkStream(sock, 'toNodeSocket');
  const allowHalfOpen = options?.allowHalfOpen ?? false;
  return handOver(sock, 'toNodeSocket', (fd) => new net.Socket({ fd, readable: true, writable: true, allowHalfOpen }));
}
