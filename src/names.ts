// The socket module's name service functions (CPython 3.11's socketmodule.c and socket.py):
// getaddrinfo, getnameinfo, gethostbyname, gethostbyname_ex, gethostbyaddr, getservbyname,
// getservbyport, getprotobyname, if_nameindex, if_nametoindex, if_indextoname. This file
// converts the Python-level arguments (PyArg's rules and messages) and reads the results;
// the core decides the rest (assembly/names.ts) and the host looks names up.
import type { Core } from './core.js';
import { errorFor, coreCode, OSError, ValueError, OverflowError, UnicodeError, UnicodeEncodeError, PermissionError } from './errors.js';
import { cInt, cLong, cUIntMask, asPyInt, pyTypeName, pyRepr, LONE_SURROGATE } from './args.js';
import { bindingOf } from './binding.js';
import { E_NAME_DENIED, N_FAMILY, N_TYPE, N_PROTO, N_PORT, N_SCOPE, N_TEXTLEN, N_TEXT, NAME_RECORD_SIZE } from './generated/contract.js';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const latin1 = new TextDecoder('latin1');
const AF_INET6 = 10;
const DENIED = coreCode(E_NAME_DENIED);

/** One getaddrinfo() result: (family, type, proto, canonname, sockaddr). */
export type AddrInfo = [number, number, number, string, [string, number] | [string, number, number, number]];

// ---------------------------------------------------------------- argument conversion

/** Python's idna codec (encodings.idna, IDNA 2003): labels checked, non-ASCII ones punycoded. */
function idna(host: string): Uint8Array {
  const bad = LONE_SURROGATE.exec(host);
  if (bad) throw idnaError(`Invalid character ${pyRepr(bad[0])}`);
  if (host === '') return new Uint8Array(0);
  // nameprep (approximated: NFKC and lower case) only when a label is not ASCII.
  const ascii = /^[\x00-\x7f]*$/.test(host);
  const labels = (ascii ? host : host.normalize('NFKC')).split(/[.\u3002\uff0e\uff61]/);
  let trailing = false;
  if (labels.length > 1 && labels[labels.length - 1] === '') { labels.pop(); trailing = true; }
  const out = labels.map((l, i) => {
    const a = /^[\x00-\x7f]*$/.test(l) ? l : `xn--${punycode(l.toLowerCase())}`;
    const last = i === labels.length - 1 && !trailing;
    if (ascii && last) { if (a.length >= 64) throw idnaError('label too long'); }
    else if (a.length === 0 || a.length >= 64) throw idnaError('label empty or too long');
    return a;
  });
  return utf8.encode(out.join('.') + (trailing ? '.' : ''));
}

function idnaError(why: string): UnicodeError {
  return new UnicodeError(`encoding with 'idna' codec failed (UnicodeError: ${why})`);
}

/** RFC 3492's encoder. */
function punycode(s: string): string {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  let out = cps.filter((c) => c < 0x80).map((c) => String.fromCharCode(c)).join('');
  const b = out.length;
  let h = b, n = 128, delta = 0, bias = 72;
  if (b > 0) out += '-';
  const digit = (d: number) => String.fromCharCode(d + (d < 26 ? 97 : 22));
  const adapt = (d: number, num: number, first: boolean) => {
    d = first ? Math.floor(d / 700) : d >> 1;
    d += Math.floor(d / num);
    let k = 0;
    for (; d > 455; k += 36) d = Math.floor(d / 35);
    return k + Math.floor((36 * d) / (d + 38));
  };
  while (h < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = 36; ; k += 36) {
        const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (q < t) break;
        out += digit(t + ((q - t) % (36 - t)));
        q = Math.floor((q - t) / (36 - t));
      }
      out += digit(q);
      bias = adapt(delta, h + 1, h === b);
      delta = 0;
      h++;
    }
    delta++; n++;
  }
  return out;
}

/** PyUnicode_AsUTF8: a lone surrogate cannot be encoded. */
function strictUtf8(s: string): Uint8Array {
  const bad = LONE_SURROGATE.exec(s);
  if (bad) {
    throw UnicodeEncodeError.encoding('utf-8', bad[0], bad.index, bad.index + 1, 'surrogates not allowed');
  }
  return utf8.encode(s);
}

/** PyArg 'et' with the idna encoding (gethostbyname & co): str (encoded) or bytes, no NUL. */
function hostArg(v: unknown, fn: string): Uint8Array {
  let b: Uint8Array;
  if (typeof v === 'string') b = idna(v);
  else if (v instanceof Uint8Array) b = v;
  else throw new TypeError(`${fn}() argument 1 must be str, bytes or bytearray, not ${v === null || v === undefined ? 'None' : pyTypeName(v)}`);
  if (b.includes(0)) throw new TypeError(`${fn}() argument 1 must be encoded string without null bytes, not ${typeof v === 'string' ? 'str' : 'bytes'}`);
  return b;
}

/** PyArg 's': a str without NUL, as UTF-8. */
function strArg(v: unknown, fn: string, pos: number): Uint8Array {
  if (typeof v !== 'string') throw new TypeError(`${fn}() argument ${pos} must be str, not ${pyTypeName(v)}`);
  if (v.includes('\0')) throw new ValueError('embedded null character');
  return strictUtf8(v);
}

function arity(fn: string, n: number, min: number, max: number, names: string[]): void {
  if (n < min) throw new TypeError(`${fn}() missing required argument '${names[n]}' (pos ${n + 1})`);
  if (n > max) throw new TypeError(`${fn}() takes at most ${max} argument${max === 1 ? '' : 's'} (${n} given)`);
}

// ---------------------------------------------------------------- the core's side

/** Writes an input for the core: 0 the host text, 1 the service or protocol text. */
function put(c: Core, which: number, b: Uint8Array | null): number {
  if (b === null) return -1;
  const n = Math.min(b.length, 1025);     // the core refuses what is longer than its 1024 bytes
  c.u8.set(b.subarray(0, Math.min(n, 1024)), c.x.nm_in(which));
  return n;
}

function text(c: Core, i: number): string {
  const r = c.x.nm_out() + i * NAME_RECORD_SIZE;
  const n = c.i32[(r + N_TEXTLEN) >> 2];
  return fromUtf8.decode(c.u8.subarray(r + N_TEXT, r + N_TEXT + n));
}
function field(c: Core, i: number, f: number): number {
  return c.i32[(c.x.nm_out() + i * NAME_RECORD_SIZE + f) >> 2];
}

/** The exception for a core result; a policy denial names what was looked up. */
function fail(c: Core, r: number, fn: string, what: string | null): Error {
  if (r === DENIED && what !== null) {
    return new PermissionError(1, `${fn} of ${pyRepr(what)} denied by policy: no rule allows an address it resolves to`);
  }
  return errorFor(r, fn, c);
}

const shown = (b: Uint8Array | null): string | null => (b === null ? null : latin1.decode(b));

/** (name, aliases, addresses) from hostent records: SCR_OUT[1] names, then addresses. */
function hostent(c: Core, n: number): [string, string[], string[]] {
  const names = c.i32[(c.OUT >> 2) + 1];
  const list: string[] = [];
  for (let i = 0; i < n; i++) list.push(text(c, i));
  return [list[0] ?? '', list.slice(1, names), list.slice(names)];
}

// ---------------------------------------------------------------- the functions

/**
 * getaddrinfo(host, port, family=0, type=0, proto=0, flags=0): a list of (family, type,
 * proto, canonname, sockaddr). host: str (IDNA-encoded), bytes or null; port: int, str,
 * bytes or null.
 */
export function getaddrinfo(this: unknown, host: unknown, port: unknown, family: unknown = 0, type: unknown = 0, proto: unknown = 0, flags: unknown = 0): AddrInfo[] {
  arity('getaddrinfo', arguments.length, 2, 6, ['host', 'port']);
  // PyArg_ParseTupleAndKeywords("OO|iiii") converts the ints before the host and port.
  const fam = cInt(family), typ = cInt(type), pro = cInt(proto), fl = cInt(flags);
  let h: Uint8Array | null;
  if (host === null || host === undefined) h = null;
  else if (typeof host === 'string') h = idna(host);
  else if (host instanceof Uint8Array) h = host;
  else throw new TypeError('getaddrinfo() argument 1 must be string or None');
  let p: Uint8Array | null;
  if ((typeof port === 'number' && Number.isInteger(port) && !Object.is(port, -0)) || typeof port === 'bigint') {
    p = utf8.encode(String(cLong(port)));         // PyLong_CheckExact: "%ld"
  } else if (typeof port === 'string') p = strictUtf8(port);
  else if (port instanceof Uint8Array) p = port;
  else if (port === null || port === undefined) p = null;
  else throw new OSError('Int or String expected');
  const c = bindingOf(this).core();
  const n = c.x.nm_getaddrinfo(put(c, 0, h), put(c, 1, p), fam, typ, pro, fl);
  if (n < 0) throw fail(c, n, 'getaddrinfo', shown(h));
  const canon = c.i32[(c.OUT >> 2) + 1] === 1 ? text(c, n) : '';
  const out: AddrInfo[] = [];
  for (let i = 0; i < n; i++) {
    const f = field(c, i, N_FAMILY), addr = text(c, i), prt = field(c, i, N_PORT);
    const sa: AddrInfo[4] = f === AF_INET6 ? [addr, prt, 0, field(c, i, N_SCOPE) >>> 0] : [addr, prt];
    out.push([f, field(c, i, N_TYPE), field(c, i, N_PROTO), i === 0 ? canon : '', sa]);
  }
  return out;
}

/** gethostbyname(hostname): the IPv4 address as text. */
export function gethostbyname(this: unknown, hostname: unknown): string {
  if (arguments.length !== 1) throw new TypeError(`gethostbyname() takes exactly one argument (${arguments.length} given)`);
  const h = hostArg(hostname, 'gethostbyname');
  const c = bindingOf(this).core();
  const n = c.x.nm_gethostbyname(put(c, 0, h));
  if (n < 0) throw fail(c, n, 'gethostbyname', shown(h));
  return text(c, 0);
}

/** gethostbyname_ex(hostname): (name, aliases, IPv4 addresses). */
export function gethostbyname_ex(this: unknown, hostname: unknown): [string, string[], string[]] {
  if (arguments.length !== 1) throw new TypeError(`gethostbyname_ex() takes exactly one argument (${arguments.length} given)`);
  const h = hostArg(hostname, 'gethostbyname_ex');
  const c = bindingOf(this).core();
  const n = c.x.nm_gethostbyname_ex(put(c, 0, h));
  if (n < 0) throw fail(c, n, 'gethostbyname_ex', shown(h));
  return hostent(c, n);
}

/** gethostbyaddr(ip_address): (name, aliases, addresses) of the address (a name resolves first). */
export function gethostbyaddr(this: unknown, ip_address: unknown): [string, string[], string[]] {
  if (arguments.length !== 1) throw new TypeError(`gethostbyaddr() takes exactly one argument (${arguments.length} given)`);
  const h = hostArg(ip_address, 'gethostbyaddr');
  const c = bindingOf(this).core();
  const n = c.x.nm_gethostbyaddr(put(c, 0, h));
  if (n < 0) throw fail(c, n, 'gethostbyaddr', shown(h));
  return hostent(c, n);
}

/** getnameinfo(sockaddr, flags): (host, port) as text; sockaddr is [host, port, flowinfo?, scope_id?]. */
export function getnameinfo(this: unknown, sockaddr: unknown, flags: unknown): [string, string] {
  if (arguments.length !== 2) throw new TypeError(`getnameinfo expected 2 arguments, got ${arguments.length}`);
  const fl = cInt(flags);
  if (!Array.isArray(sockaddr)) throw new TypeError('getnameinfo() argument 1 must be a tuple');
  const illegal = () => new TypeError('getnameinfo(): illegal sockaddr argument');
  if (sockaddr.length < 2 || sockaddr.length > 4 || typeof sockaddr[0] !== 'string') throw illegal();
  if (sockaddr[0].includes('\0')) throw new ValueError('embedded null character');
  const host = strictUtf8(sockaddr[0]);
  const port = cInt(sockaddr[1]);
  const flowinfo = sockaddr.length > 2 ? cUIntMask(sockaddr[2]) : 0;
  const scope = sockaddr.length > 3 ? cUIntMask(sockaddr[3]) : 0;
  if (flowinfo > 0xfffff) throw new OverflowError('getnameinfo(): flowinfo must be 0-1048575.');
  const c = bindingOf(this).core();
  const n = c.x.nm_getnameinfo(put(c, 0, host), put(c, 1, utf8.encode(String(port))), sockaddr.length, flowinfo, scope, fl);
  if (n < 0) throw fail(c, n, 'getnameinfo', sockaddr[0]);
  return [text(c, 0), text(c, 1)];
}

/** getservbyname(servicename, protocolname?): the port. */
export function getservbyname(this: unknown, servicename: unknown, protocolname?: unknown): number {
  arity('getservbyname', arguments.length, 1, 2, ['servicename']);
  const name = strArg(servicename, 'getservbyname', 1);
  const proto = protocolname === undefined ? null : strArg(protocolname, 'getservbyname', 2);
  const c = bindingOf(this).core();
  const r = c.x.nm_getservbyname(put(c, 0, name), put(c, 1, proto));
  if (r < 0) throw errorFor(r, 'getservbyname', c);
  return r;
}

/** getservbyport(port, protocolname?): the service's name. */
export function getservbyport(this: unknown, port: unknown, protocolname?: unknown): string {
  arity('getservbyport', arguments.length, 1, 2, ['port']);
  const p = cInt(port);
  const proto = protocolname === undefined ? null : strArg(protocolname, 'getservbyport', 2);
  if (p < 0 || p > 0xffff) throw new OverflowError('getservbyport: port must be 0-65535.');
  const c = bindingOf(this).core();
  const r = c.x.nm_getservbyport(p, put(c, 1, proto));
  if (r < 0) throw errorFor(r, 'getservbyport', c);
  return text(c, 0);
}

/** getprotobyname(protocolname): the protocol number. */
export function getprotobyname(this: unknown, protocolname: unknown): number {
  if (arguments.length !== 1) throw new TypeError(`getprotobyname() takes exactly one argument (${arguments.length} given)`);
  const name = strArg(protocolname, 'getprotobyname', 1);
  const c = bindingOf(this).core();
  const r = c.x.nm_getprotobyname(put(c, 0, name));
  if (r < 0) throw errorFor(r, 'getprotobyname', c);
  return r;
}

/** if_nameindex(): [index, name] for each network interface. */
export function if_nameindex(this: unknown): [number, string][] {
  if (arguments.length) throw new TypeError(`if_nameindex() takes no arguments (${arguments.length} given)`);
  const c = bindingOf(this).core();
  const n = c.x.nm_if_nameindex();
  if (n < 0) throw errorFor(n, 'if_nameindex', c);
  const out: [number, string][] = [];
  for (let i = 0; i < n; i++) out.push([field(c, i, N_PORT) >>> 0, text(c, i)]);
  return out;
}

/** if_nametoindex(if_name): the interface's index (str or bytes, as os.fsencode takes). */
export function if_nametoindex(this: unknown, if_name: unknown): number {
  if (arguments.length !== 1) throw new TypeError(`if_nametoindex() takes exactly one argument (${arguments.length} given)`);
  let b: Uint8Array;
  if (typeof if_name === 'string') b = utf8.encode(if_name);     // fsencode (surrogateescape: lone surrogates name nothing)
  else if (if_name instanceof Uint8Array) b = if_name;
  else throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(if_name)}`);
  if (b.includes(0)) throw new ValueError('embedded null byte');
  const c = bindingOf(this).core();
  const r = c.x.nm_if_nametoindex(put(c, 0, b));
  if (r < 0) throw errorFor(r, 'if_nametoindex', c);
  return r;
}

/** if_indextoname(if_index): the interface's name. */
export function if_indextoname(this: unknown, if_index: unknown): string {
  if (arguments.length !== 1) throw new TypeError(`if_indextoname() takes exactly one argument (${arguments.length} given)`);
  const v = asPyInt(if_index);
  if (v === null) throw new TypeError('an integer is required');
  if (v < 0n) throw new OverflowError("can't convert negative value to unsigned int");
  if (v > 0xffffffffffffffffn) throw new OverflowError('Python int too large to convert to C unsigned long');
  const c = bindingOf(this).core();
  const r = c.x.nm_if_indextoname(Number(BigInt.asUintN(32, v)));   // (unsigned int) of the unsigned long
  if (r < 0) throw errorFor(r, 'if_indextoname', c);
  return text(c, 0);
}
