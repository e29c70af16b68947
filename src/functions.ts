// Module-level functions of Python's socket module (socket.py).
import { core } from './core.js';
import { errorFor, OSError } from './errors.js';
import { cInt } from './args.js';
import { socket } from './socket.js';
import { AF_INET, AF_INET6, AF_UNIX, type Address } from './address.js';

const SOCK_STREAM = 1;
const SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_REUSEPORT = 15;
const IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;

/** socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0) -> [socket, socket]. */
export function socketpair(family: number = AF_UNIX, type: number = SOCK_STREAM, proto: number = 0): [socket, socket] {
  const c = core();
  const a = c.x.sock_pair(cInt(family), cInt(type), cInt(proto));
  if (a < 0) throw errorFor(a, 'socketpair');
  const b = c.i32[c.OUT >> 2];
  return [socket._wrap(c, a), socket._wrap(c, b)];
}

/** fromfd(fd, family, type, proto=0): a socket on a duplicate of fd. */
export function fromfd(fd: number, family: number, type: number, proto: number = 0): socket {
  const c = core();
  const h = c.x.sock_fromfd(cInt(fd), cInt(family), cInt(type), cInt(proto));
  if (h < 0) throw errorFor(h, 'fromfd');
  return socket._wrap(c, h);
}

/**
 * create_connection(address, timeout?, source_address?): connect a TCP socket to
 * [host, port]; the first address that works wins, the last error is raised.
 */
export function create_connection(address: [string, number], timeout?: number | null, source_address?: [string, number] | null): socket {
  const [host, port] = address;
  const families = host.includes(':') ? [AF_INET6] : [AF_INET, AF_INET6];
  let last: unknown = null;
  for (const family of families) {
    let s: socket | null = null;
    try {
      s = new socket(family, SOCK_STREAM);
      if (timeout !== undefined && timeout !== null) {
        const st = (s as unknown as { settimeout?: (t: number) => void }).settimeout;
        st?.call(s, timeout);
      }
      if (source_address) s.bind(source_address);
      s.connect(family === AF_INET6 ? [host, port, 0, 0] : [host, port]);
      return s;
    } catch (e) {
      last = e;
      s?.close();
    }
  }
  throw last ?? new OSError('getaddrinfo returns an empty list');
}

/**
 * create_server(address, {family, backlog, reuse_port, dualstack_ipv6}): a bound,
 * listening TCP socket, with SO_REUSEADDR set (on POSIX), as socket.py does.
 */
export function create_server(address: Address, opts: { family?: number; backlog?: number | null; reuse_port?: boolean; dualstack_ipv6?: boolean } = {}): socket {
  const family = opts.family ?? AF_INET;
  if (opts.dualstack_ipv6 && family !== AF_INET6) throw new Error('ValueError: dualstack_ipv6 requires AF_INET6 family');
  const s = new socket(family, SOCK_STREAM);
  try {
    if (family !== AF_UNIX) s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    if (opts.reuse_port) s.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
    if (family === AF_INET6) s.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, opts.dualstack_ipv6 ? 0 : 1);
    try {
      s.bind(address);
    } catch (e) {
      if (e instanceof OSError && e.errno !== null) {
        const err = new (e.constructor as typeof OSError)(e.errno, `${e.strerror} (while attempting to bind on address ${formatAddr(address)})`);
        throw err;
      }
      throw e;
    }
    if (opts.backlog === undefined || opts.backlog === null) s.listen();
    else s.listen(opts.backlog);
    return s;
  } catch (e) {
    s.close();
    throw e;
  }
}

function formatAddr(a: Address): string {
  if (Array.isArray(a)) return `(${a.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ')})`;
  return typeof a === 'string' ? `'${a}'` : String(a);
}
