// A Python fragment run in the `_socket` module after SOCKET_PY (src/pyodide/socket-py.ts): the
// points where CPython's C socket type differs from a plain Python class, found by running
// CPython's own test_socket.py inside Pyodide (scripts/conformance/): socket(fileno=...)'s
// argument checks and given family/type/proto, the repr, the ResourceWarning of an unclosed
// socket, AF_UNIX paths with surrogate escapes, Pyodide 314's jsnull, the immutable type.
// It wraps the methods SOCKET_PY defines (rather than rewriting them), so it holds whatever
// those do with the fd. No backtick or dollar-brace may appear in it.
export const SOCKET_PY_CPYTHON = String.raw`
import operator as _operator
import os as _os
import warnings as _warnings
try:
    from pyodide.ffi import jsnull as _jsnull   # Pyodide >= 0.27: JS null is not None
except ImportError:
    _jsnull = None


def _fdarg(fd):
    # CPython converts an fd with PyLong_AsLong: "'str' object cannot be interpreted as an integer".
    return _operator.index(fd)


_pa0 = _pa
_oserror0 = _oserror


def _oserror(cls, errno, strerror, message):
    # A JS error's errno/strerror of null arrive as jsnull on Pyodide >= 0.27 (a TimeoutError
    # from a socket timeout has none: CPython's is TimeoutError('timed out')).
    return _oserror0(cls, None if errno is _jsnull else errno, None if strerror is _jsnull else strerror, message)


def _pa(a):
    return None if a is _jsnull else _pa0(a)


def _unixpath(a):
    # CPython encodes a str AF_UNIX path with the filesystem encoding and surrogateescape; a JS
    # string cannot carry those escapes, so such a path goes to wasock as its bytes.
    if type(a) is str:
        try:
            a.encode('utf-8')
        except UnicodeEncodeError:
            return _os.fsencode(a)
    return a


def _wrap():
    init0, del0 = socket.__init__, socket.__del__
    bind0, connect0, connect_ex0 = socket.bind, socket.connect, socket.connect_ex

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        self._fd = -1   # __del__ runs after an __init__ that raised here too
        if fileno is not None:
            # sock_initobj: an fd must be an int and not negative, checked before anything else.
            fileno = _operator.index(fileno)
            if fileno < 0:
                raise ValueError('negative file descriptor')
        init0(self, family, type, proto, fileno)
        if fileno is not None:
            # With an fd, CPython asks the kernel only for what the caller left out (-1).
            if family != -1:
                self._family = family
            if type != -1:
                self._type = type
            if proto != -1:
                self._proto = proto

    def __del__(self):
        # sock_finalize: an fd still open warns "unclosed <socket ...>", then is closed.
        try:
            fd = self.fileno()
        except AttributeError:
            return   # __init__ refused its arguments before the socket had an fd
        if fd != -1:
            try:
                _warnings.warn('unclosed %r' % (self,), ResourceWarning, stacklevel=2, source=self)
            except Exception:
                pass
        del0(self)

    def __repr__(self):
        return '<socket object, fd=%d, family=%d, type=%d, proto=%d>' % (
            self.fileno(), self.family, self.type, self.proto)

    def bind(self, address):
        return bind0(self, _unixpath(address) if self.family == AF_UNIX else address)

    def connect(self, address):
        return connect0(self, _unixpath(address) if self.family == AF_UNIX else address)

    def connect_ex(self, address):
        return connect_ex0(self, _unixpath(address) if self.family == AF_UNIX else address)

    for f in (__init__, __del__, __repr__, bind, connect, connect_ex):
        f.__qualname__ = 'socket.' + f.__name__
        setattr(socket, f.__name__, f)


_wrap()
del _wrap


import sys as _sys
_own = globals()


class _ImmutableType(type):
    """_socket.socket is an immutable type in CPython (setting an attribute on it raises
    TypeError); its subclasses (socket.socket) are not. This module's own code (the fragments
    after this one add methods, as C code fills its type at init) may still set them."""

    def __setattr__(cls, name, value):
        if cls is socket and _sys._getframe(1).f_globals is not _own:
            raise TypeError("cannot set '%s' attribute of immutable type '_socket.socket'" % name)
        type.__setattr__(cls, name, value)

    def __delattr__(cls, name):
        if cls is socket and _sys._getframe(1).f_globals is not _own:
            raise TypeError("cannot delete '%s' attribute of immutable type '_socket.socket'" % name)
        type.__delattr__(cls, name)


# The metaclass can only be given at creation: the class is made again from its namespace (its
# slots' descriptors left out, for the new class makes its own).
socket = SocketType = _ImmutableType('socket', socket.__bases__, {
    k: v for k, v in socket.__dict__.items() if k not in socket.__slots__ and k not in ('__dict__', '__weakref__')})
`;
