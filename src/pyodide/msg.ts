// sendmsg / recvmsg / recvmsg_into and CMSG_LEN / CMSG_SPACE for wasock's Pyodide `_socket`
// (src/pyodide.ts appends MSG_PY to the module's source and spreads msgFunctions() into the
// bridge). Python parses the arguments as PyArg_ParseTuple does ("O|OiO", "n|ni", "O|ni",
// PySequence_Fast, "(iiy*)"), with CPython's messages; wasock (src/msg.ts, the core) decides
// the rest. Python's fds are the bridge's (src/pyodide.ts: Pyodide streams), not the host's:
// SCM_RIGHTS data is translated both ways, a received host fd becoming a table fd that
// socket(fileno=...) wraps, as in CPython.
import type { Network } from '../network.js';
import type { socket } from '../socket.js';
import { setTruncatedWarning, warnTruncated, type AncItem } from '../msg.js';
import { CMSG_LEN, CMSG_SPACE } from '../msg.js';
import { SOL_SOCKET, SCM_RIGHTS } from '../generated/constants.js';

/** A Python list or tuple as it reaches JavaScript. */
interface PyList { toJs(o?: unknown): unknown[]; getBuffer?: undefined }
/** A bytes-like Python object as it reaches JavaScript. */
interface PyBufferLike { getBuffer(t: string): { data: Uint8Array; release(): void } }

const ints = (b: Uint8Array): Int32Array => {
  const n = b.length >> 2;
  const out = new Int32Array(n);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < n; i++) out[i] = v.getInt32(i * 4, true);
  return out;
};

/**
 * The bridge's functions (src/pyodide.ts Bridge.functions spreads them): `at` finds a table fd's
 * socket (EBADF otherwise), `put` adds a socket and returns its table fd.
 */
export function msgFunctions(at: (fd: number) => socket, put: (s: socket) => number, net: () => Network,
  address: (a: unknown) => unknown): Record<string, unknown> {
  /** SCM_RIGHTS data sent from Python: table fds -> the host's fds (a foreign number is EBADF). */
  const outgoing = (level: number, type: number, data: Uint8Array): Uint8Array => {
    if (level !== SOL_SOCKET || type !== SCM_RIGHTS) return data;
    const fds = ints(data), out = data.slice();
    const v = new DataView(out.buffer);
    for (let i = 0; i < fds.length; i++) v.setInt32(i * 4, at(fds[i]).fileno(), true);
    return out;
  };
  /** SCM_RIGHTS data received: each host fd wrapped as a socket of the table (fd -1 if it is no socket). */
  const incoming = (items: AncItem[]): AncItem[] => items.map(([level, type, data]) => {
    if (level !== SOL_SOCKET || type !== SCM_RIGHTS) return [level, type, data];
    const fds = ints(data), out = data.slice();
    const v = new DataView(out.buffer);
    for (let i = 0; i < fds.length; i++) {
      let fd = -1;
      try { fd = put(new (net().socket)(-1, -1, -1, fds[i])); } catch { /* not a socket: left as it came */ fd = fds[i]; }
      v.setInt32(i * 4, fd, true);
    }
    return [level, type, out];
  });
  /** Runs a receive with the RuntimeWarning caught as a flag: Python warns (its filters may raise). */
  const receive = <T extends [unknown, AncItem[], number, unknown]>(f: () => T): [unknown, AncItem[], number, unknown, boolean] => {
    let warned = false;
    const saved = warnTruncated;
    setTruncatedWarning(() => { warned = true; });
    try {
      const [a, anc, flags, addr] = f();
      return [a, incoming(anc), flags, addr, warned];
    } finally { setTruncatedWarning(saved); }
  };
  return {
    // `bufs`: one bytes-like object (Python joined the buffers: the kernel sees the same
    // message, gathered or not) read in place, or a list of them (more than UIO_MAXIOV, so that
    // the kernel's EMSGSIZE is kept); `anc`: a list of (level, type, bytes), or None.
    sendmsg: (fd: number, bufs: PyList | PyBufferLike, anc: PyList | undefined, flags: number, addr: unknown) => {
      const s = at(fd);
      const items = anc === undefined || anc === null ? []
        : (anc.toJs() as [number, number, Uint8Array][]).map(([l, t, d]) => [l, t, outgoing(l, t, d)] as [number, number, Uint8Array]);
      const send = (data: Uint8Array[]) => (addr === undefined || addr === null ? s.sendmsg(data, items, flags) : s.sendmsg(data, items, flags, address(addr) as never));
      if (typeof (bufs as PyBufferLike).getBuffer === 'function') {
        const b = (bufs as PyBufferLike).getBuffer('u8');
        try { return send([b.data]); } finally { b.release(); }
      }
      return send((bufs as PyList).toJs() as Uint8Array[]);
    },
    // The bare data when there is nothing else to say (no item, msg_flags 0, no address, no
    // warning): Python then makes one conversion, not four.
    recvmsg: (fd: number, bufsize: number, ancbufsize: number, flags: number) => {
      const s = at(fd);
      const r = receive(() => s.recvmsg(bufsize, ancbufsize, flags));
      return r[1].length === 0 && r[2] === 0 && (r[3] === null || r[3] === undefined) && !r[4] ? r[0] : r;
    },
    recvmsg_into: (fd: number, bufs: PyList, ancbufsize: number, flags: number) => {
      const s = at(fd);
      // Each Python buffer in place (getBuffer: its bytes in Pyodide's heap, no copy).
      const proxies = bufs.toJs({ depth: 1 }) as { getBuffer(t: string): { data: Uint8Array; release(): void } }[];
      const views = proxies.map((p) => p.getBuffer('u8'));
      try { return receive(() => s.recvmsg_into(views.map((v) => v.data), ancbufsize, flags)); } finally { for (const v of views) v.release(); }
    },
    u8_sample: () => new Uint8Array(0),
    CMSG_LEN: (n: number) => CMSG_LEN(n),
    CMSG_SPACE: (n: number) => CMSG_SPACE(n),
  };
}

/** The Python half: the methods, added to the module's socket type, and the two functions. */
export const MSG_PY = String.raw`

# ---------------------------------------------------------------- sendmsg / recvmsg (src/pyodide/msg.ts)
_sendmsg_b = _b.sendmsg; _recvmsg_b = _b.recvmsg; _recvmsg_into_b = _b.recvmsg_into
_cmsg_len_b = _b.CMSG_LEN; _cmsg_space_b = _b.CMSG_SPACE
# The JsProxy class of a Uint8Array: recvmsg's bare-data answer is told apart by type() (an
# isinstance(r, JsBuffer) asks JavaScript, ~10 us a call here).
_U8T = type(_b.u8_sample())


def _index(v):
    try:
        return v.__index__()
    except AttributeError:
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(v).__name__) from None


def _cint(v):
    """PyArg 'i'."""
    n = _index(v)
    if not -2**63 <= n < 2**63:
        raise OverflowError('Python int too large to convert to C long')
    if n > 2**31 - 1:
        raise OverflowError('signed integer is greater than maximum')
    if n < -2**31:
        raise OverflowError('signed integer is less than minimum')
    return n


def _ssize(v):
    """PyArg 'n'."""
    n = _index(v)
    if not -2**63 <= n < 2**63:
        raise OverflowError('Python int too large to convert to C ssize_t')
    return n


def _fast(v, message):
    """PySequence_Fast: a TypeError from iter() becomes the caller's message."""
    try:
        it = iter(v)
    except TypeError:
        raise TypeError(message) from None
    return list(it)


def _bytes_like(v):
    if type(v) is bytes:
        return v
    try:
        return bytes(memoryview(v))
    except TypeError:
        raise TypeError("a bytes-like object is required, not '%s'" % type(v).__name__) from None


_ANC = '[sendmsg() ancillary data items]()'


def _anc_item(v):
    """PyArg "(iiy*)": a sequence of three (not bytes), two C ints and a bytes-like object."""
    import collections.abc as _abc
    if isinstance(v, (bytes, bytearray)) or not isinstance(v, _abc.Sequence):
        raise TypeError('%s argument must be 3-item sequence, not %s' % (_ANC, 'None' if v is None else type(v).__name__))
    if len(v) != 3:
        raise TypeError('%s argument must be sequence of length 3, not %d' % (_ANC, len(v)))
    return (_cint(v[0]), _cint(v[1]), _bytes_like(v[2]))


def _sendmsg(self, *args):
    n = len(args)
    if n < 1:
        raise TypeError('sendmsg() takes at least 1 argument (0 given)')
    if n > 4:
        raise TypeError('sendmsg() takes at most 4 arguments (%d given)' % n)
    flags = _cint(args[2]) if n > 2 else 0
    address = args[3] if n > 3 else None
    bufs = [_bytes_like(b) for b in _fast(args[0], 'sendmsg() argument 1 must be an iterable')]
    anc = [_anc_item(a) for a in _fast(args[1], 'sendmsg() argument 2 must be an iterable')] if n > 1 else None
    # One buffer for the kernel unless there are more than UIO_MAXIOV (its EMSGSIZE is kept).
    data = bufs if len(bufs) > 1024 else bufs[0] if len(bufs) == 1 else b''.join(bufs)
    try:
        return _sendmsg_b(self._fd, data, anc or None, flags, address)
    except _JsException as e:
        raise _translate(e) from None


def _received(r):
    """recvmsg's result from JS, then CPython's RuntimeWarning (a filter may make it raise:
    the fds received are closed first, as sock_recvmsg_guts closes them)."""
    anc = [(int(i[0]), int(i[1]), i[2].to_bytes()) for i in r[1]]
    addr = _pa(r[3])
    if r[4]:
        import warnings
        try:
            warnings.warn('received malformed or improperly-truncated ancillary data', RuntimeWarning, 3)
        except BaseException:
            import array
            for level, type_, data in anc:
                if level == SOL_SOCKET and type_ == SCM_RIGHTS:
                    for fd in array.array('i', data[:len(data) - len(data) % 4]):
                        try:
                            _close(fd)
                        except Exception:
                            pass
            raise
    return anc, int(r[2]), addr


def _recvmsg(self, *args):
    n = len(args)
    if n < 1:
        raise TypeError('recvmsg() takes at least 1 argument (0 given)')
    if n > 3:
        raise TypeError('recvmsg() takes at most 3 arguments (%d given)' % n)
    bufsize = _ssize(args[0])
    ancbufsize = _ssize(args[1]) if n > 1 else 0
    flags = _cint(args[2]) if n > 2 else 0
    try:
        r = _recvmsg_b(self._fd, bufsize, ancbufsize, flags)
    except _JsException as e:
        raise _translate(e) from None
    if type(r) is _U8T:
        return r.to_bytes(), [], 0, None
    anc, msg_flags, addr = _received(r)
    return r[0].to_bytes(), anc, msg_flags, addr


def _recvmsg_into(self, *args):
    n = len(args)
    if n < 1:
        raise TypeError('recvmsg_into() takes at least 1 argument (0 given)')
    if n > 3:
        raise TypeError('recvmsg_into() takes at most 3 arguments (%d given)' % n)
    ancbufsize = _ssize(args[1]) if n > 1 else 0
    flags = _cint(args[2]) if n > 2 else 0
    bufs = _fast(args[0], 'recvmsg_into() argument 1 must be an iterable')
    for b in bufs:
        try:
            m = memoryview(b)
        except TypeError:
            m = None
        if m is None or m.readonly or not m.contiguous:
            raise TypeError('recvmsg_into() argument 1 must be an iterable of single-segment read-write buffers')
    try:
        r = _recvmsg_into_b(self._fd, bufs, ancbufsize, flags)
    except _JsException as e:
        raise _translate(e) from None
    anc, msg_flags, addr = _received(r)
    return int(r[0]), anc, msg_flags, addr


# type.__setattr__: _socket.socket is immutable to Python code (socket-py-cpython.ts), as in
# CPython; its methods are set here as its C type's are, at creation.
for _n, _f in (('sendmsg', _sendmsg), ('recvmsg', _recvmsg), ('recvmsg_into', _recvmsg_into)):
    _f.__name__ = _n
    _f.__qualname__ = 'socket.' + _n
    type.__setattr__(socket, _n, _f)
del _n, _f


def CMSG_LEN(*args):
    if len(args) != 1:
        raise TypeError('CMSG_LEN() takes exactly 1 argument (%d given)' % len(args))
    n = _ssize(args[0])
    try:
        return int(_cmsg_len_b(n))
    except _JsException as e:
        raise _translate(e) from None


def CMSG_SPACE(*args):
    if len(args) != 1:
        raise TypeError('CMSG_SPACE() takes exactly 1 argument (%d given)' % len(args))
    n = _ssize(args[0])
    try:
        return int(_cmsg_space_b(n))
    except _JsException as e:
        raise _translate(e) from None
`;
