// The Python source of the `_socket` module wasock/pyodide installs (src/pyodide.ts). Its
// socket type keeps an fd of wasock/pyodide's own table and calls the JS bridge's functions,
// bound to module globals once at install: a JsProxy attribute lookup per call was most of the
// prototype's cost (../shared/reference/pyodide.md). Kept as a string so the entry needs no
// file of its own at run time; no backtick or dollar-brace may appear in it.
export const SOCKET_PY = String.raw`
"""wasock's _socket for Pyodide: CPython's socket semantics on wasock's network."""
import builtins as _builtins
import errno as _errno_mod
from pyodide.ffi import JsException as _JsException

_b = __wasock_bridge__
del __wasock_bridge__

# Bound once: each is a JsProxy of a plain JS function (no this, no attribute lookup per call).
_new = _b.new_socket; _info = _b.info; _close = _b.close; _dup = _b.dup
_bind = _b.bind; _connect = _b.connect; _connect_ex = _b.connect_ex; _listen = _b.listen
_accept = _b.accept; _getsockname = _b.getsockname; _getpeername = _b.getpeername
_shutdown = _b.shutdown; _gso = _b.getsockopt; _gsob = _b.getsockopt_bytes; _sso = _b.setsockopt
_settimeout = _b.settimeout; _gettimeout = _b.gettimeout; _setblocking = _b.setblocking
_getblocking = _b.getblocking; _send = _b.send; _sendall = _b.sendall; _sendto = _b.sendto
_recv = _b.recv; _recv_into = _b.recv_into; _recvfrom = _b.recvfrom; _recvfrom_into = _b.recvfrom_into
_socketpair = _b.socketpair; _getdefaulttimeout = _b.getdefaulttimeout
_setdefaulttimeout = _b.setdefaulttimeout; _errname = _b.errname

# wasock's table is the socket module's ints; EAGAIN, EBADF and EWOULDBLOCK there are socket.py's
# own (taken from errno, Pyodide's numbers), not _socket's.
for _k, _v in _b.constants().to_py().items():
    if _k not in ('EAGAIN', 'EBADF', 'EWOULDBLOCK'):
        globals()[_k] = _v
del _k, _v

error = OSError
timeout = TimeoutError
has_ipv6 = True


class gaierror(OSError):
    pass


class herror(OSError):
    pass


gaierror.__module__ = herror.__module__ = 'socket'

_EXC = {n: getattr(_builtins, n) for n in (
    'ValueError', 'TypeError', 'OverflowError', 'MemoryError', 'IndexError', 'SystemError',
    'UnicodeError', 'UnicodeEncodeError', 'RangeError')
    if hasattr(_builtins, n)}


def _oserror(cls, errno, strerror, message):
    if errno is None:
        return cls(message)
    if cls is gaierror or cls is herror:
        return cls(errno, strerror)
    # wasock speaks Linux errno numbers; Pyodide's errno module has Emscripten's. Translate by
    # name, so that e.errno == errno.ECONNREFUSED holds and OSError picks the subclass.
    name = _errname(errno)
    own = getattr(_errno_mod, name, None) if name else None
    if own is not None:
        return OSError(own, strerror)
    e = cls('[Errno %d %s] %s' % (errno, name, strerror) if name else '[Errno %d] %s' % (errno, strerror))
    e.strerror = strerror
    return e


def _translate(e):
    """The Python exception for a JS error thrown by wasock (a JsException)."""
    name = getattr(e, 'name', None)
    message = getattr(e, 'message', '') or ''
    if name == 'gaierror':
        cls = gaierror
    elif name == 'herror':
        cls = herror
    elif name == 'NotAvailableError':
        cls = OSError
    else:
        cls = getattr(_builtins, name, None) if isinstance(name, str) else None
        if cls is TimeoutError and getattr(e, 'errno', None) is None:
            return TimeoutError(message)
    if isinstance(cls, type) and issubclass(cls, OSError):
        return _oserror(cls, getattr(e, 'errno', None), getattr(e, 'strerror', None), message)
    if name == 'RangeError':
        return OverflowError(message)
    if cls is UnicodeEncodeError:
        return _encode_error(e)
    if isinstance(cls, type) and issubclass(cls, Exception):
        return cls(message)
    return e


def _encode_error(e):
    # UnicodeEncodeError takes (encoding, object, start, end, reason), not a message: wasock's
    # carries those fields (src/exceptions.ts UnicodeEncodeError.encoding), the characters at
    # [start, end) standing in for the whole object (test_socket's testGetaddrinfo).
    start, end = int(e.start), int(e.end)
    return UnicodeEncodeError(str(e.encoding), ' ' * start + str(e.chars), start, end, str(e.reason))


def _pa(a):
    """An address from JS: a str, None, a JS array (a tuple) or a Uint8Array (bytes)."""
    if a is None or type(a) is str:
        return a
    v = a.to_py()
    if type(v) is list:
        return tuple(v)
    return bytes(v)


def _fdarg(fd):
    if not isinstance(fd, int):
        fd = fd.__index__()
    return fd


class socket:
    """socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None) on wasock."""
    __slots__ = ('_fd', '_family', '_type', '_proto')

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        self._fd = -1
        try:
            fd = _new(family, type, proto, None if fileno is None else _fdarg(fileno))
            i = _info(fd)
        except _JsException as e:
            raise _translate(e) from None
        self._fd = fd
        self._family = i[0]
        self._type = i[1]
        self._proto = i[2]

    def __del__(self):
        fd = self._fd
        if fd != -1:
            self._fd = -1
            try:
                _close(fd)
            except Exception:
                pass

    family = property(lambda self: self._family, doc='the socket family')
    type = property(lambda self: self._type, doc='the socket type')
    proto = property(lambda self: self._proto, doc='the socket protocol')

    @property
    def timeout(self):
        return self.gettimeout()

    def fileno(self):
        return self._fd

    def close(self):
        fd = self._fd
        if fd == -1:
            return
        self._fd = -1
        try:
            _close(fd)
        except _JsException as e:
            raise _translate(e) from None

    def detach(self):
        fd = self._fd
        self._fd = -1
        return fd

    def bind(self, address):
        try:
            _bind(self._fd, address)
        except _JsException as e:
            raise _translate(e) from None

    def connect(self, address):
        try:
            _connect(self._fd, address)
        except _JsException as e:
            raise _translate(e) from None

    def connect_ex(self, address):
        try:
            r = _connect_ex(self._fd, address)
        except _JsException as e:
            raise _translate(e) from None
        if r == 0:
            return 0
        name = _errname(r)
        own = getattr(_errno_mod, name, None) if name else None
        return own if own is not None else r

    def listen(self, *backlog):
        try:
            if backlog:
                _listen(self._fd, backlog[0])
            else:
                _listen(self._fd)
        except _JsException as e:
            raise _translate(e) from None

    def _accept(self):
        try:
            r = _accept(self._fd)
        except _JsException as e:
            raise _translate(e) from None
        return r[0], _pa(r[1])

    def getsockname(self):
        try:
            return _pa(_getsockname(self._fd))
        except _JsException as e:
            raise _translate(e) from None

    def getpeername(self):
        try:
            return _pa(_getpeername(self._fd))
        except _JsException as e:
            raise _translate(e) from None

    def shutdown(self, how):
        try:
            _shutdown(self._fd, how)
        except _JsException as e:
            raise _translate(e) from None

    def getsockopt(self, level, optname, buflen=None):
        try:
            if buflen is None:
                return _gso(self._fd, level, optname)
            r = _gsob(self._fd, level, optname, buflen)
            return r if type(r) is int else r.to_bytes()  # buflen 0 reads an int, as CPython does
        except _JsException as e:
            raise _translate(e) from None

    def setsockopt(self, level, optname, value, optlen=None):
        try:
            if optlen is None:
                _sso(self._fd, level, optname, value)
            else:
                _sso(self._fd, level, optname, value, optlen)
        except _JsException as e:
            raise _translate(e) from None

    def settimeout(self, value):
        try:
            _settimeout(self._fd, value)
        except _JsException as e:
            raise _translate(e) from None

    def gettimeout(self):
        try:
            return _gettimeout(self._fd)
        except _JsException as e:
            raise _translate(e) from None

    def setblocking(self, flag):
        try:
            _setblocking(self._fd, flag)
        except _JsException as e:
            raise _translate(e) from None

    def getblocking(self):
        try:
            return _getblocking(self._fd)
        except _JsException as e:
            raise _translate(e) from None

    def send(self, data, flags=0):
        try:
            return _send(self._fd, data, flags)
        except _JsException as e:
            raise _translate(e) from None

    def sendall(self, data, flags=0):
        try:
            _sendall(self._fd, data, flags)
        except _JsException as e:
            raise _translate(e) from None

    def sendto(self, data, *args):
        # sendto(data, address) or sendto(data, flags, address): told apart by count, as
        # CPython does (a None address is a TypeError either way, not the other form).
        if not 1 <= len(args) <= 2:
            raise TypeError('sendto() takes 2 or 3 arguments (%d given)' % (len(args) + 1))
        try:
            if len(args) == 1:
                return _sendto(self._fd, data, 0, args[0])
            return _sendto(self._fd, data, args[0], args[1])
        except _JsException as e:
            raise _translate(e) from None

    def recv(self, bufsize, flags=0):
        try:
            return _recv(self._fd, bufsize, flags).to_bytes()
        except _JsException as e:
            raise _translate(e) from None

    def recv_into(self, buffer, nbytes=0, flags=0):
        try:
            return _recv_into(self._fd, buffer, nbytes, flags)
        except _JsException as e:
            raise _translate(e) from None

    def recvfrom(self, bufsize, flags=0):
        try:
            r = _recvfrom(self._fd, bufsize, flags)
        except _JsException as e:
            raise _translate(e) from None
        return r[0].to_bytes(), _pa(r[1])

    def recvfrom_into(self, buffer, nbytes=0, flags=0):
        try:
            r = _recvfrom_into(self._fd, buffer, nbytes, flags)
        except _JsException as e:
            raise _translate(e) from None
        return r[0], _pa(r[1])

    def __repr__(self):
        return '<_socket.socket fd=%d, family=%d, type=%d, proto=%d>' % (
            self._fd, self._family, self._type, self._proto)


SocketType = socket


def close(fd):
    try:
        _close(_fdarg(fd))
    except _JsException as e:
        raise _translate(e) from None


def dup(fd):
    try:
        return _dup(_fdarg(fd))
    except _JsException as e:
        raise _translate(e) from None


def socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0):
    try:
        r = _socketpair(family, type, proto)
    except _JsException as e:
        raise _translate(e) from None
    return socket(family, type, proto, r[0]), socket(family, type, proto, r[1])


def getdefaulttimeout():
    return _getdefaulttimeout()


def setdefaulttimeout(timeout):
    try:
        _setdefaulttimeout(timeout)
    except _JsException as e:
        raise _translate(e) from None


def _u16(name, x):
    x = x.__index__()
    if x < 0:
        raise OverflowError("%s: can't convert negative Python int to C 16-bit unsigned integer" % name)
    if x > 0xFFFF:
        raise OverflowError('%s: Python int too large to convert to C 16-bit unsigned integer' % name)
    return x


def _u32(name, x):
    x = x.__index__()
    if x < 0:
        raise OverflowError("%s: can't convert negative Python int to C 32-bit unsigned integer" % name)
    if x > 0xFFFFFFFF:
        raise OverflowError('%s: Python int too large to convert to C 32-bit unsigned integer' % name)
    return x


def htons(x):
    x = _u16('htons', x)
    return ((x & 0xFF) << 8) | (x >> 8)


ntohs = htons


def htonl(x):
    return int.from_bytes(_u32('htonl', x).to_bytes(4, 'little'), 'big')


def ntohl(x):
    return int.from_bytes(_u32('ntohl', x).to_bytes(4, 'little'), 'big')


def _aton(s):
    """glibc's inet_aton: 1 to 4 parts, each decimal, octal (0...) or hex (0x...)."""
    parts = s.split('.')
    if not 1 <= len(parts) <= 4:
        return None
    vals = []
    for p in parts:
        if not p:
            return None
        try:
            if p[:2] in ('0x', '0X'):
                v = int(p[2:], 16) if p[2:] else 0
            elif len(p) > 1 and p[0] == '0':
                v = int(p[1:], 8)
            else:
                if not p.isdigit():
                    return None
                v = int(p)
        except ValueError:
            return None
        vals.append(v)
    last = vals.pop()
    if any(v > 255 for v in vals) or last >= 1 << (8 * (4 - len(vals))):
        return None
    n = last
    for i, v in enumerate(vals):
        n |= v << (24 - 8 * i)
    return n.to_bytes(4, 'big')


def inet_aton(string):
    if not isinstance(string, str):
        raise TypeError('inet_aton() argument 1 must be str, not %s' % type(string).__name__)
    # glibc stops at the first whitespace and accepts what precedes it.
    r = _aton(string.split(None, 1)[0] if string.strip() else '')
    if r is None:
        raise OSError('illegal IP address string passed to inet_aton')
    return r


def inet_ntoa(packed):
    b = memoryview(packed).tobytes()
    if len(b) != 4:
        raise OSError('packed IP wrong length for inet_ntoa')
    return '%d.%d.%d.%d' % tuple(b)


def inet_pton(family, string):
    if not isinstance(string, str):
        raise TypeError('inet_pton() argument 2 must be str, not %s' % type(string).__name__)
    if family == AF_INET:
        parts = string.split('.')
        if len(parts) == 4 and all(p.isdigit() and p.isascii() and len(p) <= 3 and int(p) <= 255 for p in parts):
            return bytes(int(p) for p in parts)
        raise OSError('illegal IP address string passed to inet_pton')
    if family == AF_INET6:
        import ipaddress
        if '%' in string:
            raise OSError('illegal IP address string passed to inet_pton')
        try:
            return ipaddress.IPv6Address(string).packed
        except ValueError:
            raise OSError('illegal IP address string passed to inet_pton') from None
    raise OSError(_errno_mod.EAFNOSUPPORT, 'Address family not supported by protocol')


def inet_ntop(family, packed):
    b = memoryview(packed).tobytes()
    if family == AF_INET:
        if len(b) != 4:
            raise ValueError('invalid length of packed IP address string')
        return inet_ntoa(b)
    if family == AF_INET6:
        if len(b) != 16:
            raise ValueError('invalid length of packed IP address string')
        import ipaddress
        a = ipaddress.IPv6Address(b)
        if b[:12] == bytes(10) + b'\xff\xff':
            return '::ffff:' + inet_ntoa(b[12:])
        return a.compressed
    raise ValueError('unknown address family %d' % family)


# The name service functions (getaddrinfo & co) follow from src/pyodide/names.ts (NAMES_PY).
`;
