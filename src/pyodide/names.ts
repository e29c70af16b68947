// wasock/pyodide's name service: the `_socket` module functions getaddrinfo, getnameinfo,
// gethostbyname(_ex), gethostbyaddr, getservbyname/port, getprotobyname and if_* as bridge
// calls to the network's own (src/names.ts: the core decides, the host looks names up, the
// policy applies). The Python half converts what JS cannot tell apart (a float 1.0 from the
// int 1, a Python type's name for a message) with PyArg's own rules and messages, and turns
// the JS results into tuples; the JS half calls the network. src/pyodide.ts appends NAMES_PY
// to the module's source and nameFunctions() to its bridge.
import type { Network } from '../network.js';

/** The bridge functions NAMES_PY binds (prefixed nm_), on the network the instance uses now. */
export function nameFunctions(net: () => Network): Record<string, unknown> {
  // Python's None arrives as undefined: each function takes it for "None" as CPython's would.
  const none = (v: unknown): unknown => (v === undefined ? null : v);
  return {
    nm_getaddrinfo: (h: unknown, p: unknown, f: number, t: number, pr: number, fl: number) =>
      net().getaddrinfo(none(h), none(p), f, t, pr, fl),
    nm_gethostbyname: (h: unknown) => net().gethostbyname(h),
    nm_gethostbyname_ex: (h: unknown) => net().gethostbyname_ex(h),
    nm_gethostbyaddr: (h: unknown) => net().gethostbyaddr(h),
    nm_getnameinfo: (sa: unknown, flags: number) => net().getnameinfo(sa, flags),
    nm_getservbyname: (name: unknown, ...proto: unknown[]) => net().getservbyname(name, ...proto as [unknown?]),
    nm_getservbyport: (port: unknown, ...proto: unknown[]) => net().getservbyport(port, ...proto as [unknown?]),
    nm_getprotobyname: (name: unknown) => net().getprotobyname(name),
    nm_if_nameindex: () => net().if_nameindex(),
    nm_if_nametoindex: (name: unknown) => net().if_nametoindex(name),
    nm_if_indextoname: (index: unknown) => net().if_indextoname(index),
  };
}

/**
 * The module functions, run in the `_socket` module after SOCKET_PY (which defines _b,
 * _translate and the exceptions). No backtick or dollar-brace may appear in it.
 */
export const NAMES_PY = String.raw`

import operator as _operator
import os as _os
from pyodide.ffi import to_js as _to_js

_nm_gai = _b.nm_getaddrinfo; _nm_ghbn = _b.nm_gethostbyname; _nm_ghbnx = _b.nm_gethostbyname_ex
_nm_ghba = _b.nm_gethostbyaddr; _nm_gni = _b.nm_getnameinfo; _nm_gsbn = _b.nm_getservbyname
_nm_gsbp = _b.nm_getservbyport; _nm_gpbn = _b.nm_getprotobyname; _nm_ifni = _b.nm_if_nameindex
_nm_ifnti = _b.nm_if_nametoindex; _nm_ifitn = _b.nm_if_indextoname
_NOARG = object()


def _nm_call(f, *args):
    try:
        return f(*args)
    except _JsException as e:
        raise _translate(e) from None


def _nm_int(x):
    # PyArg 'i' takes __index__ (a float is refused here; JS would see 1.0 as 1); the range is
    # checked on the JS side with CPython's messages.
    return x if type(x) is int else _operator.index(x)


def _nm_tn(x):
    return 'None' if x is None else type(x).__name__


def _nm_et(fn, x):
    """PyArg 'et' (idna): str, bytes or bytearray."""
    if isinstance(x, str):
        return x
    if isinstance(x, (bytes, bytearray)):
        return _to_js(bytes(x))
    raise TypeError('%s() argument 1 must be str, bytes or bytearray, not %s' % (fn, _nm_tn(x)))


def _nm_str(fn, pos, x):
    if not isinstance(x, str):
        raise TypeError('%s() argument %d must be str, not %s' % (fn, pos, _nm_tn(x)))
    return x


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    family = _nm_int(family); type = _nm_int(type); proto = _nm_int(proto); flags = _nm_int(flags)
    if host is not None and not isinstance(host, str):
        if not isinstance(host, bytes):
            raise TypeError('getaddrinfo() argument 1 must be string or None')
        host = _to_js(host)
    if isinstance(port, bytes):
        port = _to_js(port)
    elif not (port is None or isinstance(port, str) or (isinstance(port, int) and not isinstance(port, bool))):
        raise OSError('Int or String expected')
    r = _nm_call(_nm_gai, host, port, family, type, proto, flags)
    return [(f, t, p, c, tuple(sa)) for f, t, p, c, sa in r.to_py()]


def gethostbyname(hostname):
    return _nm_call(_nm_ghbn, _nm_et('gethostbyname', hostname))


def _nm_hostent(r):
    name, aliases, addrs = r.to_py()
    return (name, aliases, addrs)


def gethostbyname_ex(hostname):
    return _nm_hostent(_nm_call(_nm_ghbnx, _nm_et('gethostbyname_ex', hostname)))


def gethostbyaddr(ip_address):
    return _nm_hostent(_nm_call(_nm_ghba, _nm_et('gethostbyaddr', ip_address)))


def getnameinfo(sockaddr, flags):
    flags = _nm_int(flags)
    if not isinstance(sockaddr, tuple):
        raise TypeError('getnameinfo() argument 1 must be a tuple')
    if not 2 <= len(sockaddr) <= 4 or not isinstance(sockaddr[0], str):
        raise TypeError('getnameinfo(): illegal sockaddr argument')
    sa = [sockaddr[0]] + [_nm_int(x) for x in sockaddr[1:]]
    return tuple(_nm_call(_nm_gni, _to_js(sa), flags).to_py())


def getservbyname(servicename, protocolname=_NOARG):
    args = [_nm_str('getservbyname', 1, servicename)]
    if protocolname is not _NOARG:
        args.append(_nm_str('getservbyname', 2, protocolname))
    return _nm_call(_nm_gsbn, *args)


def getservbyport(port, protocolname=_NOARG):
    args = [_nm_int(port)]
    if protocolname is not _NOARG:
        args.append(_nm_str('getservbyport', 2, protocolname))
    return _nm_call(_nm_gsbp, *args)


def getprotobyname(protocolname):
    return _nm_call(_nm_gpbn, _nm_str('getprotobyname', 1, protocolname))


def if_nameindex():
    return [tuple(x) for x in _nm_call(_nm_ifni).to_py()]


def if_nametoindex(if_name):
    if not isinstance(if_name, (str, bytes)):
        try:
            if_name = _os.fspath(if_name)
        except TypeError:
            raise TypeError('expected str, bytes or os.PathLike object, not %s' % _nm_tn(if_name)) from None
    if isinstance(if_name, bytes):
        if_name = _to_js(if_name)
    return _nm_call(_nm_ifnti, if_name)


def if_indextoname(if_index):
    if not isinstance(if_index, int):
        raise TypeError('an integer is required')
    return _nm_call(_nm_ifitn, if_index)
`;
