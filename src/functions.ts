// Module-level functions of Python's socket module (socket.py).
import { core, hostCore, type Core } from './core.js';
import { errorFor, OSError, ValueError, UnicodeError, gaierror, osErrorWith, coreCode, E_ADDR_FAMILY_HOST } from './errors.js';
import { timeoutKind, timeoutValue, cInt, cIntClinic, cFdLong, cLong, asPyInt, pyTruthy, pyTypeName, LONE_SURROGATE } from './args.js';
import { socket } from './socket.js';
import { AF_INET, AF_INET6, AF_UNIX, reprAddress, type Address } from './address.js';
import { SOCK_STREAM, IPPROTO_TCP, SOL_SOCKET, SO_REUSEADDR, SO_REUSEPORT } from './generated/constants.js';

const utf8 = new TextEncoder();
const latin1 = new TextDecoder('latin1');
/** getaddrinfo(None, ...) without AI_PASSIVE: the loopback address of each family. */
const LOCALHOST = utf8.encode('localhost');

const IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;
/** The core's answer for a numeric host of the other family: getaddrinfo skips that family. */
const ADDR_FAMILY_HOST = coreCode(E_ADDR_FAMILY_HOST);

/**
 * What the module functions run on. Called as plain functions they use the top-level API's
 * core and socket class; a network (src/network.ts) calls them with itself as `this`, so one
 * body serves every host. (A module namespace as `this`, from `w.socketpair()`, is no Binding.)
 */
export class Binding {
  constructor(
    /** The core for sockets (the top level's moves onto its host on the first one). */
    readonly core: () => Core,
    /** The core for module state (the default timeout): no host needed at the top level. */
    readonly state: () => Core,
    readonly socket: SocketClass,
  ) {}
}
type SocketClass = typeof socket;
const TOP = new Binding(hostCore, core, socket);
function on(self: unknown): Binding { return self instanceof Binding ? self : TOP; }
/** The Binding a module function runs on (src/names.ts's functions share it). */
export const bindingOf = on;

/** socketpair(family=None, type=SOCK_STREAM, proto=0) -> [socket, socket]; None is AF_UNIX. */
export function socketpair(this: unknown, family: number | null = AF_UNIX, type: number = SOCK_STREAM, proto: number = 0): [socket, socket] {
  const n = arguments.length;
  if (n > 3) throw new TypeError(`socketpair() takes from 0 to 3 positional arguments but ${n} were given`);
  const own = on(this), c = own.core();
  const a = c.x.sock_pair(family === null ? AF_UNIX : cInt(family), cInt(type), cInt(proto));
  if (a < 0) throw errorFor(a, 'socketpair', c);
  const b = c.i32[(c.OUT >> 2) + 3];
  return [own.socket._wrap(c, a), own.socket._wrap(c, b)];
}

/** fromfd(fd, family, type, proto=0): a socket on a duplicate of fd (the fd stays yours). */
export function fromfd(this: unknown, fd: number, family: number, type: number, proto: number = 0): socket {
  const n = arguments.length;
  if (n < 3) {
    const names = ["'fd'", "'family'", "'type'"].slice(n);
    const list = names.length === 1 ? names[0] : names.length === 2 ? `${names[0]} and ${names[1]}` : `${names[0]}, ${names[1]}, and ${names[2]}`;
    throw new TypeError(`fromfd() missing ${names.length} required positional argument${names.length === 1 ? '' : 's'}: ${list}`);
  }
  if (n > 4) throw new TypeError(`fromfd() takes from 3 to 4 positional arguments but ${n} were given`);
  const b = on(this), c = b.core();
  // socket.py's fromfd is socket(family, type, proto, _socket.dup(fd)): dup converts fd as
  // a C long cast to the C int SOCKET_T (2**31 is fd -2**31: EBADF), then socket() converts
  // the rest (_PyLong_AsInt). All are converted before the dup here, so a conversion error
  // leaves no fd behind.
  const h = c.x.sock_fromfd(cFdLong(fd), cIntClinic(family), cIntClinic(type), cIntClinic(proto));
  if (h < 0) throw errorFor(h, 'fromfd', c);
  return b.socket._wrap(c, h);
}

/** Python's `host, port = address` on a str or a tuple (array). */
function unpackPair(address: unknown): [unknown, unknown] {
  const seq = typeof address === 'string' ? [...address] : Array.isArray(address) ? address : null;
  if (seq === null) throw new TypeError(`cannot unpack non-iterable ${pyTypeName(address)} object`);
  if (seq.length > 2) throw new ValueError('too many values to unpack (expected 2)');
  if (seq.length < 2) throw new ValueError(`not enough values to unpack (expected 2, got ${seq.length})`);
  return [seq[0], seq[1]];
}

/** Python's repr() of one character (a lone surrogate here): '\ud800'. */
function reprChar(ch: string): string {
  return `'\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}'`;
}

/**
 * getaddrinfo()'s host argument as the C string glibc gets, or null (None). str is IDNA
 * encoded (a lone surrogate fails the idna codec's nameprep, a UnicodeError), bytes are
 * taken as they are; the C string ends at the first NUL, as glibc reads it.
 */
function gaiHost(host: unknown): Uint8Array | null {
  if (host === null || host === undefined) return null;
  let b: Uint8Array;
  if (typeof host === 'string') {
    const bad = LONE_SURROGATE.exec(host);
    if (bad) throw new UnicodeError(`encoding with 'idna' codec failed (UnicodeError: Invalid character ${reprChar(bad[0])})`);
    b = utf8.encode(host);
  } else if (host instanceof Uint8Array) {
    b = host;
  } else {
    throw new TypeError('getaddrinfo() argument 1 must be string or None');
  }
  const nul = b.indexOf(0);
  return nul < 0 ? b : b.subarray(0, nul);
}

const EAI_SERVICE = () => new gaierror(-8, 'Servname not supported for ai_socktype');
const ULONG_MAX = 2n ** 64n - 1n;

/**
 * getaddrinfo()'s port argument, then glibc's reading of the service: an exact int is
 * printed ("%ld"), a str or bytes taken as is, None is no service (port 0). glibc reads the
 * text with strtoul (blanks and a sign allowed, the whole text must be a number, "" is 0),
 * keeps it as a C int, and a negative one is looked up as a service name. There is no
 * service lookup here (no name_lookup capability), so every name is EAI_SERVICE; CPython
 * would find "http" in /etc/services. Returns the port (the low 16 bits, htons).
 */
function gaiPort(port: unknown): number {
  let text: string;
  if (port === null || port === undefined) return 0;
  if ((typeof port === 'number' && Number.isInteger(port) && !Object.is(port, -0)) || typeof port === 'bigint') {
    text = String(cLong(port));     // PyLong_CheckExact: a bool is not an exact int
  } else if (typeof port === 'string') {
    text = port;
  } else if (port instanceof Uint8Array) {
    text = latin1.decode(port);
  } else {
    throw new OSError('Int or String expected');
  }
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)$/.exec(text);
  if (m === null || (m[2] === '' && text !== '')) throw EAI_SERVICE();
  let n = m[2] === '' ? 0n : BigInt(m[2]);
  if (n > ULONG_MAX) n = ULONG_MAX;                  // strtoul saturates
  else if (m[1] === '-') n = BigInt.asUintN(64, -n);
  const num = Number(BigInt.asIntN(32, n));          // gaih_service.num is an int
  if (num < 0) throw EAI_SERVICE();
  return num & 0xffff;
}

/**
 * create_connection(address, timeout?, source_address?): connects a TCP socket to
 * [host, port] for each address getaddrinfo(host, port, 0, SOCK_STREAM) gives (AF_INET,
 * then AF_INET6, as far as the core resolves the host for that family); the first that
 * connects wins, else the first error of the last attempt is raised. Sockets are made with
 * proto IPPROTO_TCP, as getaddrinfo reports. A host of None is the loopback address
 * (getaddrinfo without AI_PASSIVE); '' is no name at all. source_address counts when it is
 * true by Python's rules (b'' and () are none). Python's keyword-only all_errors has no
 * equivalent here.
 */
export function create_connection(this: unknown, address: [string, number], timeout?: number | null, source_address?: Address | null): socket {
  const [host, p] = unpackPair(address);
  // getaddrinfo converts the host, then the port; glibc reads the service before the name
  const name = gaiHost(host);
  const port = gaiPort(p);
  if (name !== null && name.length === 0) throw new gaierror(-2, 'Name or service not known');
  const target = name === null ? LOCALHOST : name;
  const b = on(this), c = b.core();
  const families: number[] = [];
  let resolveError = 0;
  for (const family of [AF_INET, AF_INET6]) {
    const r = c.x.addr_resolve(family, c.putStr(target));
    if (r >= 0) families.push(family);
    else if (r !== ADDR_FAMILY_HOST && resolveError === 0) resolveError = r;
  }
  if (families.length === 0) throw errorFor(resolveError || ADDR_FAMILY_HOST, 'getaddrinfo', c);
  let last: unknown = null;
  for (const family of families) {
    let s: socket | null = null;
    try {
      s = new b.socket(family, SOCK_STREAM, IPPROTO_TCP);
      if (timeout !== undefined) s.settimeout(timeout);   // undefined: the module default
      if (pyTruthy(source_address)) s.bind(source_address!);
      s.connect((family === AF_INET6 ? [target, port, 0, 0] : [target, port]) as unknown as Address);
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
export function create_server(this: unknown, address: Address, opts: { family?: number | null; backlog?: number | null; reuse_port?: unknown; dualstack_ipv6?: unknown } = {}): socket {
  const n = arguments.length;
  if (n > 2 || (n === 2 && (opts === null || typeof opts !== 'object' || Array.isArray(opts)))) {
    throw new TypeError(`create_server() takes 1 positional argument but ${n} were given`);
  }
  opts ??= {};
  // Keyword arguments: undefined is "not given"; null is None (socket(None) refuses it).
  // Flags are judged by Python truthiness (NaN is true, '' and b'' false).
  const family = opts.family === undefined ? AF_INET : opts.family;
  const inet6 = asPyInt(family) === BigInt(AF_INET6);   // socket.py: family == AF_INET6
  const dualstack = pyTruthy(opts.dualstack_ipv6);
  if (dualstack && !inet6) throw new ValueError('dualstack_ipv6 requires AF_INET6 family');
  const s = new (on(this).socket)(family as number, SOCK_STREAM);
  try {
    try {
      s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    } catch (e) {
      if (!(e instanceof OSError)) throw e;   // socket.py: except error: pass
    }
    if (pyTruthy(opts.reuse_port)) s.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
    if (inet6) s.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, dualstack ? 0 : 1);
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
export function getdefaulttimeout(this: unknown): number | null {
  if (arguments.length) throw new TypeError(`_socket.getdefaulttimeout() takes no arguments (${arguments.length} given)`);
  const t = on(this).state().x.core_getdefaulttimeout();
  return t < 0 ? null : t;
}

/** setdefaulttimeout(value): the timeout for sockets created from now on (as settimeout). */
export function setdefaulttimeout(this: unknown, value: number | bigint | boolean | null): void {
  if (arguments.length !== 1) throw new TypeError(`_socket.setdefaulttimeout() takes exactly one argument (${arguments.length} given)`);
  const kind = timeoutKind(value);
  const r = on(this).state().x.core_setdefaulttimeout(kind, timeoutValue);
  if (r < 0) throw errorFor(r, 'setdefaulttimeout');
}
