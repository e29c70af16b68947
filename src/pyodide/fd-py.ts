// The Python side of wasock/pyodide's fds (src/pyodide/fd.ts holds the streams): run once per
// instance after `_socket` is in place. Emscripten's own syscalls cannot do four things on a
// socket fd, so those functions are replaced, for socket fds only, in the modules Python code
// reaches them through:
//   - select.select / select.poll: Emscripten's never wait (the timeout is ignored); these
//     wait in the network's poll (poll(2), or virtual time on the emulated network).
//   - os.get/set_blocking: Emscripten's F_SETFL only ORs flags in (blocking could never be
//     restored); these go to the kernel's flags through wasock's fcntl.
//   - os.get/set_inheritable: Emscripten's F_GETFD is always 0; these read the kernel's
//     FD_CLOEXEC.
//   - fcntl: Pyodide has no module; this one is wasock's fcntl for sockets with CPython 3.11's
//     argument rules (Modules/fcntlmodule.c) and its Linux constants.
// Then selectors (whose PollSelector bound select.poll at import) and what picked a selector
// class at import (socketserver) are reloaded. No backtick or dollar-brace may appear below.
export const FD_PY = String.raw`
def __wasock_fd_install(b, constants):
    import sys, types, importlib, errno as _errno, os as _os, select as _select, posix as _posix
    from pyodide.ffi import JsException as _JsException

    _kind = b.kind; _wait = b.wait; _fcntl_js = b.fcntl; _ioctl_js = b.ioctl
    _translate = sys.modules['_socket']._translate

    def _fildes(fd):
        # PyObject_AsFileDescriptor's rules and messages.
        if isinstance(fd, int):
            fd = int(fd)
        else:
            meth = getattr(fd, 'fileno', None)
            if meth is None:
                raise TypeError('argument must be an int, or have a fileno() method.')
            fd = meth()
            if not isinstance(fd, int):
                raise TypeError('fileno() returned a non-integer')
        if fd < 0:
            raise ValueError('file descriptor cannot be a negative integer (%d)' % fd)
        if fd > 0x7FFFFFFF:
            raise OverflowError('Python int too large to convert to C int')
        return fd

    def _index(v):
        if isinstance(v, int):
            return int(v)
        try:
            return v.__index__()
        except AttributeError:
            raise TypeError("'%s' object cannot be interpreted as an integer" % type(v).__name__) from None

    def _revents(got, n):
        # bridge.wait's answer: up to three revents packed 16 bits each, else a JS array.
        if type(got) is int:
            return [(got >> (16 * i)) & 0xFFFF for i in range(n)]
        return got.to_py()

    def _call(f, *a):
        try:
            return f(*a)
        except _JsException as e:
            raise _translate(e) from None

    # ---- fcntl ------------------------------------------------------------------------------
    m = types.ModuleType('fcntl')
    m.__doc__ = 'wasock/pyodide: fcntl() and ioctl() on the file descriptors of this instance'
    for k, v in constants.to_py().items():
        setattr(m, k, v)

    def fcntl(*args):
        if not 2 <= len(args) <= 3:
            raise TypeError('fcntl expected %s, got %d' % (
                'at least 2 arguments' if len(args) < 2 else 'at most 3 arguments', len(args)))
        fd = _fildes(args[0])
        cmd = _index(args[1])
        if not -0x80000000 <= cmd <= 0x7FFFFFFF:
            raise OverflowError('signed integer is %s than %s' % (('greater', 'maximum') if cmd > 0 else ('less', 'minimum')))
        arg = args[2] if len(args) > 2 else 0
        if isinstance(arg, (str, bytes)):
            data = arg.encode() if isinstance(arg, str) else arg
            if len(data) > 1024:
                raise ValueError('fcntl argument 3 is too long')
            return _call(_fcntl_js, fd, cmd, 0, data).to_bytes()
        a = _index(arg) & 0xFFFFFFFF
        return _call(_fcntl_js, fd, cmd, a - (1 << 32) if a & 0x80000000 else a, None)
    m.fcntl = fcntl

    def ioctl(*args):
        if not 2 <= len(args) <= 4:
            raise TypeError('ioctl expected %s, got %d' % (
                'at least 2 arguments' if len(args) < 2 else 'at most 4 arguments', len(args)))
        fd = _fildes(args[0])
        req = _index(args[1]) & 0xFFFFFFFF
        arg = args[2] if len(args) > 2 else 0
        mutate = bool(args[3]) if len(args) > 3 else True
        if isinstance(arg, int):
            if not -0x80000000 <= arg <= 0x7FFFFFFF:
                raise OverflowError('signed integer is %s than %s' % (('greater', 'maximum') if arg > 0 else ('less', 'minimum')))
            return _call(_ioctl_js, fd, req, int(arg), False, False)
        if isinstance(arg, str):
            arg = arg.encode()
        try:
            mv = memoryview(arg)
        except TypeError:
            raise TypeError('ioctl requires a file or file descriptor, an integer and optionally an integer or buffer argument') from None
        if mv.readonly or not mutate:
            data = mv.tobytes()
            if len(data) > 1024:
                raise ValueError('ioctl string arg too long')
            return _call(_ioctl_js, fd, req, data, True, False).to_bytes()
        # A writable buffer is written in place (Pyodide's heap: the kernel's copy lands there).
        return _call(_ioctl_js, fd, req, mv.cast('B') if mv.format != 'B' else mv, False, True)
    m.ioctl = ioctl

    def flock(fd, operation):
        raise OSError(_errno.EINVAL, 'Invalid argument')
    m.flock = flock
    sys.modules['fcntl'] = m

    # ---- os: blocking and inheritance of socket fds -----------------------------------------
    F_GETFL, F_SETFL, F_GETFD, F_SETFD, FD_CLOEXEC, O_NONBLOCK = 3, 4, 1, 2, 1, 0o4000
    orig = {n: getattr(_os, n) for n in ('get_blocking', 'set_blocking', 'get_inheritable', 'set_inheritable')}
    orig = {n: getattr(f, '__wasock_orig__', f) for n, f in orig.items()}

    def get_blocking(fd, /):
        if _kind(fd) != 1:
            return orig['get_blocking'](fd)
        return not _call(_fcntl_js, fd, F_GETFL, 0, None) & O_NONBLOCK

    def set_blocking(fd, blocking, /):
        if _kind(fd) != 1:
            return orig['set_blocking'](fd, blocking)
        flags = _call(_fcntl_js, fd, F_GETFL, 0, None)
        new = flags & ~O_NONBLOCK if blocking else flags | O_NONBLOCK
        if new != flags:
            _call(_fcntl_js, fd, F_SETFL, new, None)

    def get_inheritable(fd, /):
        if _kind(fd) != 1:
            return orig['get_inheritable'](fd)
        return not _call(_fcntl_js, fd, F_GETFD, 0, None) & FD_CLOEXEC

    def set_inheritable(fd, inheritable, /):
        if _kind(fd) != 1:
            return orig['set_inheritable'](fd, inheritable)
        flags = _call(_fcntl_js, fd, F_GETFD, 0, None)
        new = flags & ~FD_CLOEXEC if inheritable else flags | FD_CLOEXEC
        if new != flags:
            _call(_fcntl_js, fd, F_SETFD, new, None)

    orig['dup'] = getattr(_os.dup, '__wasock_orig__', _os.dup)
    _dup_js = b.dup

    def dup(fd, /):
        # Emscripten's dup copies the stream, so both fds would share one kernel fd and its
        # FD_CLOEXEC; a socket's is a kernel dup (its own fd, non-inheritable, the same open
        # file: O_NONBLOCK shared), as os.dup makes natively.
        if _kind(fd) != 1:
            return orig['dup'](fd)
        return _call(_dup_js, fd)

    for f in (get_blocking, set_blocking, get_inheritable, set_inheritable, dup):
        f.__wasock_orig__ = orig[f.__name__]
        f.__doc__ = orig[f.__name__].__doc__
        setattr(_os, f.__name__, f)
        setattr(_posix, f.__name__, f)

    # ---- select.select and select.poll ------------------------------------------------------
    POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL = 1, 2, 4, 8, 16, 32
    RSET = POLLIN | POLLHUP | POLLERR     # Linux's POLLIN_SET for select(2)
    WSET = POLLOUT | POLLERR
    orig_select = getattr(_select.select, '__wasock_orig__', _select.select)
    orig_poll = getattr(_select.poll, '__wasock_orig__', _select.poll)

    def _fds(seq):
        try:
            seq = list(seq)
        except TypeError:
            raise TypeError('arguments 1-3 must be sequences') from None
        out = []
        for o in seq:
            fd = _fildes(o)
            if fd >= 1024:
                raise ValueError('filedescriptor out of range in select()')
            out.append((o, fd))
        return out

    def _timeout_ms(t, message):
        if t is None:
            return -1
        if isinstance(t, float):
            if t != t:
                raise ValueError('Invalid value NaN (not a number)')
            secs = t
        else:
            try:
                secs = t.__index__()
            except AttributeError:
                raise TypeError(message) from None
        return secs

    def select(rlist, wlist, xlist, timeout=None, /):
        if timeout is not None:
            secs = _timeout_ms(timeout, 'timeout must be a float or None')
            if secs < 0:
                raise ValueError('timeout must be non-negative')
        # First a look that does not wait, in C (Emscripten's select asks each stream's poll,
        # a socket's with select(2)'s readiness sets): it converts the arguments with CPython's
        # own rules, and most calls end here. Only a wait continues in Python.
        res = orig_select(rlist, wlist, xlist, 0)
        if res[0] or res[1] or res[2] or timeout == 0:
            return res
        r, w, x = _fds(rlist), _fds(wlist), _fds(xlist)
        ev = {}
        for lst, bit in ((r, POLLIN), (w, POLLOUT), (x, POLLPRI)):
            for _, fd in lst:
                ev[fd] = ev.get(fd, 0) | bit
        # Milliseconds rounded up (CPython's _PyTime_ROUND_TIMEOUT): never wake too early.
        ms = -1 if timeout is None else int(-(-secs * 1000 // 1))
        pairs = [v for kv in ev.items() for v in kv]
        got = _call(_wait, ms, True, *pairs)
        if got is None:   # no socket among them: Emscripten's own select never waits
            return res
        re = dict(zip(ev, _revents(got, len(ev))))
        return ([o for o, fd in r if re[fd] & RSET],
                [o for o, fd in w if re[fd] & WSET],
                [o for o, fd in x if re[fd] & POLLPRI])
    select.__wasock_orig__ = orig_select
    select.__doc__ = orig_select.__doc__

    class poll:
        """select.poll() on wasock/pyodide: waits in the network's poll. Emscripten's own poll
        object (C: CPython's argument rules, and a look that does not wait) is kept beside it."""
        __slots__ = ('_c', '_fds', '_busy', '_pairs')

        def __init__(self):
            self._c = orig_poll()
            self._fds = {}
            self._busy = False
            self._pairs = ()

        def register(self, fd, eventmask=POLLIN | POLLPRI | POLLOUT, /):
            self._c.register(fd, eventmask)
            self._fds[_fildes(fd)] = _index(eventmask)
            self._pairs = tuple(v for kv in self._fds.items() for v in kv)

        def modify(self, fd, eventmask, /):
            self._c.modify(fd, eventmask)
            self._fds[_fildes(fd)] = _index(eventmask)
            self._pairs = tuple(v for kv in self._fds.items() for v in kv)

        def unregister(self, fd, /):
            self._c.unregister(fd)
            del self._fds[_fildes(fd)]
            self._pairs = tuple(v for kv in self._fds.items() for v in kv)

        def poll(self, timeout=None, /):
            if timeout is None:
                ms = -1
            else:
                if isinstance(timeout, float):
                    ms = -(-timeout // 1)
                else:
                    ms = _timeout_ms(timeout, 'timeout must be an integer or None')
                ms = -1 if ms < 0 else int(ms)
                if ms > 0x7FFFFFFF:
                    raise OverflowError('Overflow in converting timeout')
            if self._busy:
                raise RuntimeError('concurrent poll() invocation')
            # Emscripten's poll masks POLLNVAL away (a closed fd looks idle): only what it finds
            # ready is taken from it; anything else asks the network's poll.
            r = self._c.poll(0)
            if r or not self._fds:
                return r
            self._busy = True
            try:
                re = _revents(_call(_wait, ms, False, *self._pairs), len(self._fds))
            finally:
                self._busy = False
            return [(fd, e) for fd, e in zip(self._fds, re) if e]

    poll.__wasock_orig__ = orig_poll
    _select.select = select
    _select.poll = poll
    import selectors
    importlib.reload(selectors)
    # socketserver chose its selector class at import; asyncio looks DefaultSelector up per loop.
    if 'socketserver' in sys.modules:
        importlib.reload(sys.modules['socketserver'])
__wasock_fd_install
`;
