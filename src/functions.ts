// Module-level functions of Python's socket module (socket.py).
import { core } from './core.js';
import { errorFor, OSError, ValueError, osErrorWith, coreCode, E_ADDR_FAMILY_HOST } from './errors.js';
import { timeoutKind, timeoutValue, cInt, cIntClinic, pyTypeName } from './args.js';
import { socket } from './socket.js';
import { AF_INET, AF_INET6, AF_UNIX, putHost, reprAddress, type Address } from './address.js';

const SOCK_STREAM = 1;
const IPPROTO_TCP = 6;
const SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_REUSEPORT = 15;
const IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;
/** The core's answer for a numeric host of the other family: getaddrinfo skips that family. */
const ADDR_FAMILY_HOST = coreCode(E_ADDR_FAMILY_HOST);

/** socketpair(family=None, type=SOCK_STREAM, proto=0) -> [socket, socket]; None is AF_UNIX. */
export function socketpair(family: number | null = AF_UNIX, type: number = SOCK_STREAM, proto: number = 0): [socket, socket] {
  const n = arguments.length;
  if (n > 3) throw new TypeError(`socketpair() takes from 0 to 3 positional arguments but ${n} were given`);
  const c = core();
  const a = c.x.sock_pair(family === null ? AF_UNIX : cInt(family), cInt(type), cInt(proto));
  if (a < 0) throw errorFor(a, 'socketpair');
  const b = c.i32[(c.OUT >> 2) + 3];
  return [socket._wrap(c, a), socket._wrap(c, b)];
}

/** fromfd(fd, family, type, proto=0): a socket on a duplicate of fd (the fd stays yours). */
export function fromfd(fd: number, family: number, type: number, proto: number = 0): socket {
  const n = arguments.length;
  if (n < 3) {
    const names = ["'fd'", "'family'", "'type'"].slice(n);
    const list = names.length === 1 ? names[0] : names.length === 2 ? `${names[0]} and ${names[1]}` : `${names[0]}, ${names[1]}, and ${names[2]}`;
    throw new TypeError(`fromfd() missing ${names.length} required positional argument${names.length === 1 ? '' : 's'}: ${list}`);
  }
  if (n > 4) throw new TypeError(`fromfd() takes from 3 to 4 positional arguments but ${n} were given`);
  const c = core();
  // os.dup(fd) converts fd (_PyLong_AsInt); socket() then converts the rest. All of them
  // are converted before the dup here, so a conversion error leaves no fd behind.
  const h = c.x.sock_fromfd(cIntClinic(fd), cIntClinic(family), cIntClinic(type), cIntClinic(proto));
  if (h < 0) throw errorFor(h, 'fromfd');
  return socket._wrap(c, h);
}

/** Python's `host, port = address` on a str or a tuple (array). */
function unpackPair(address: unknown): [unknown, unknown] {
  const seq = typeof address === 'string' ? [...address] : Array.isArray(address) ? address : null;
  if (seq === null) throw new TypeError(`cannot unpack non-iterable ${pyTypeName(address)} object`);
  if (seq.length > 2) throw new ValueError('too many values to unpack (expected 2)');
  if (seq.length < 2) throw new ValueError(`not enough values to unpack (expected 2, got ${seq.length})`);
  return [seq[0], seq[1]];
}

/**
 * create_connection(address, timeout?, source_address?): connects a TCP socket to
 * [host, port] for each address getaddrinfo(host, port, 0, SOCK_STREAM) gives (AF_INET,
 * then AF_INET6, as far as the core resolves the host for that family); the first that
 * connects wins, else the first error of the last attempt is raised. Sockets are made with
 * proto IPPROTO_TCP, as getaddrinfo reports. Python's keyword-only all_errors has no
 * equivalent here.
 */
export function create_connection(address: [string, number], timeout?: number | null, source_address?: Address | null): socket {
  const [host, p] = unpackPair(address);
  // getaddrinfo takes the port as an int or a numeric string alike
  const port = typeof p === 'string' && /^[0-9]+$/.test(p) ? Number(p) : p;
  const c = core();
  const families: number[] = [];
  let resolveError = 0;
  for (const family of [AF_INET, AF_INET6]) {
    const r = c.x.addr_resolve(family, putHost(c, host === null ? '' : host, 'getaddrinfo'));
    if (r >= 0) families.push(family);
    else if (r !== ADDR_FAMILY_HOST && resolveError === 0) resolveError = r;
  }
  if (families.length === 0) throw errorFor(resolveError || ADDR_FAMILY_HOST, 'getaddrinfo');
  let last: unknown = null;
  for (const family of families) {
    let s: socket | null = null;
    try {
      s = new socket(family, SOCK_STREAM, IPPROTO_TCP);
      if (timeout !== undefined) s.settimeout(timeout);   // undefined: the module default
      if (source_address) s.bind(source_address);
      s.connect((family === AF_INET6 ? [host, port, 0, 0] : [host, port]) as Address);
      return s;
    } catch (e) {
      if (!(e instanceof OSError)) { s?.close(); throw e; }
      last = e;
      s?.close();
    }
  }
  throw last ?? new OSError('getaddrinfo returns an empty list');
}

/**
 * create_server(address, {family, backlog, reuse_port, dualstack_ipv6}): a bound,
 * listening TCP socket, with SO_REUSEADDR set (on POSIX), as socket.py does. The options
 * object stands for Python's keyword-only arguments.
 */
export function create_server(address: Address, opts: { family?: number; backlog?: number | null; reuse_port?: boolean; dualstack_ipv6?: boolean } = {}): socket {
  const n = arguments.length;
  if (n > 2 || (n === 2 && (opts === null || typeof opts !== 'object' || Array.isArray(opts)))) {
    throw new TypeError(`create_server() takes 1 positional argument but ${n} were given`);
  }
  opts ??= {};
  const family = opts.family ?? AF_INET;
  if (opts.dualstack_ipv6 && family !== AF_INET6) throw new ValueError('dualstack_ipv6 requires AF_INET6 family');
  const s = new socket(family, SOCK_STREAM);
  try {
    try {
      s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    } catch (e) {
      if (!(e instanceof OSError)) throw e;   // socket.py: except error: pass
    }
    if (opts.reuse_port) s.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
    if (family === AF_INET6) s.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, opts.dualstack_ipv6 ? 0 : 1);
    try {
      s.bind(address);
    } catch (e) {
      // raise error(err.errno, '%s (while attempting to bind on address %r)' % ...)
      if (e instanceof OSError) throw osErrorWith(e.errno, `${e.strerror ?? 'None'} (while attempting to bind on address ${reprAddress(address)})`);
      throw e;
    }
    if (opts.backlog === undefined || opts.backlog === null) s.listen();
    else s.listen(opts.backlog);
    return s;
  } catch (e) {
    s.close();   // socket.py closes only on OSError; nothing may leak here
    throw e;
  }
}


/** getdefaulttimeout(): the timeout new sockets start with (null: blocking). */
export function getdefaulttimeout(): number | null {
  if (arguments.length) throw new TypeError(`_socket.getdefaulttimeout() takes no arguments (${arguments.length} given)`);
  const t = core().x.core_getdefaulttimeout();
  return t < 0 ? null : t;
}

/** setdefaulttimeout(value): the timeout for sockets created from now on (as settimeout). */
export function setdefaulttimeout(value: number | bigint | boolean | null): void {
  if (arguments.length !== 1) throw new TypeError(`_socket.setdefaulttimeout() takes exactly one argument (${arguments.length} given)`);
  const kind = timeoutKind(value);
  const r = core().x.core_setdefaulttimeout(kind, timeoutValue);
  if (r < 0) throw errorFor(r, 'setdefaulttimeout');
}
