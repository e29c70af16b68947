// sendmsg / recvmsg / recvmsg_into / CMSG_* in Pyodide 0.25.1 (CPython 3.11.3) over wasock's
// _socket (src/pyodide/msg.ts): Python's own socket.py, real kernel sockets (the Linux host)
// and the emulated network. Both ends of each exchange live in this Pyodide (socketpairs and
// UDP sockets, which never block on each other). The expected values are CPython's (the same
// exchanges in test/fixtures/msg.json, scripts/gen_msg.py).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPyodide } from 'pyodide';
import { installIntoPyodide, type PyodideLike } from '../src/pyodide-node.js';
import { network as emulatedNetwork } from '../src/emulated.js';
import { fdCount } from './helpers/fds.js';

type Py = PyodideLike & { globals: { get(n: string): any; set(n: string, v: unknown): void } };
const LONG = 120_000;

function run(py: Py, code: string): any {
  const r = py.runPython(code);
  if (r && typeof r.toJs === 'function') {
    const v = r.toJs({ dict_converter: Object.fromEntries });
    r.destroy();
    return v;
  }
  return r;
}

// SCM_RIGHTS between a socketpair: the fd of another pair's end travels, comes back as an int
// of Python's own fd space, and socket(fileno=...) wraps it; the wrapped socket talks to the
// passed end's peer.
const RIGHTS = `
import socket, array
a, b = socket.socketpair()
x, y = socket.socketpair()
n = a.sendmsg([b'fd'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [x.fileno()]))])
data, anc, flags, addr = b.recvmsg(10, socket.CMSG_SPACE(4))
level, type_, fdbytes = anc[0]
fd = array.array('i', fdbytes)[0]
z = socket.socket(fileno=fd)
z.sendall(b'through the passed fd')
got = y.recv(100)
out = [n, data.decode(), len(anc), level, type_, len(fdbytes), flags, addr is None, fd != x.fileno(), z.family == socket.AF_UNIX, got.decode()]
for s in (a, b, x, y, z): s.close()
out
`;

describe('sendmsg/recvmsg in Pyodide on the Linux host', () => {
  let py: Py;
  beforeAll(async () => {
    py = await loadPyodide() as unknown as Py;
    installIntoPyodide(py);
  }, LONG);

  it('SCM_RIGHTS between a socketpair: the received fd is an int socket(fileno=) wraps, and it works', () => {
    const before = fdCount();
    expect(run(py, RIGHTS)).toEqual([2, 'fd', 1, 1, 1, 4, 0, true, true, true, 'through the passed fd']);
    expect(fdCount()).toBe(before);     // every fd, the passed one's duplicate too, closed again
  });

  it("socket.py's send_fds / recv_fds (defined because _socket.socket has sendmsg/recvmsg) pass two sockets", () => {
    const before = fdCount();
    expect(run(py, `
import socket
a, b = socket.socketpair()
x, y = socket.socketpair()
n = socket.send_fds(a, [b'two'], [x.fileno(), y.fileno()])
msg, fds, flags, addr = socket.recv_fds(b, 10, 4)
s0, s1 = socket.socket(fileno=fds[0]), socket.socket(fileno=fds[1])
s0.sendall(b'ping')
got = s1.recv(10)
out = [n, msg.decode(), len(fds), flags, addr is None, got.decode(), 'send_fds' in socket.__all__]
for s in (a, b, x, y, s0, s1): s.close()
out`)).toEqual([3, 'two', 2, 0, true, 'ping', true]);
    expect(fdCount()).toBe(before);
  });

  it('IP_PKTINFO on UDP: the in_pktinfo item (ifindex 1, 127.0.0.1 twice), cut to CMSG_LEN(4) with MSG_CTRUNC', () => {
    expect(run(py, `
import socket, struct
IP_PKTINFO = 8   # CPython 3.11's socket module has no IP_PKTINFO name (3.12 added it)
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(('127.0.0.1', 0))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0))
r.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
s.sendmsg([b'he', b'llo'], [], 0, r.getsockname())
data, anc, flags, addr = r.recvmsg(10, socket.CMSG_SPACE(12))
level, type_, d = anc[0]
ifindex, spec, dst = struct.unpack('i4s4s', d)
s.sendmsg([b'x'], [], 0, r.getsockname())
data2, anc2, flags2, _ = r.recvmsg(10, socket.CMSG_LEN(4))
out = [data.decode(), level, type_, ifindex, socket.inet_ntoa(spec), socket.inet_ntoa(dst), flags, addr == s.getsockname(),
       [(l, t, len(x)) for l, t, x in anc2], flags2 == socket.MSG_CTRUNC]
r.close(); s.close()
out`)).toEqual(['hello', 0, 8, 1, '127.0.0.1', '127.0.0.1', 0, true, [[0, 8, 4]], true]);
  });

  it('recvmsg_into scatters into bytearrays and memoryviews; MSG_TRUNC on a short datagram buffer', () => {
    expect(run(py, `
import socket
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
a.sendmsg([b'abcdefgh'])
b1, b2 = bytearray(3), bytearray(10)
n, anc, flags, addr = b.recvmsg_into([b1, memoryview(b2)[2:]])
a.sendmsg([b'abcdef'])
t = b.recvmsg(2)
a.close(); b.close()
[n, bytes(b1).decode(), bytes(b2[2:7]).decode(), anc, flags, addr is None, t[0].decode(), t[2] == socket.MSG_TRUNC]`))
      .toEqual([8, 'abc', 'defgh', [], 0, true, 'ab', true]);
  });

  it("CPython's exceptions and messages for bad arguments", () => {
    expect(run(py, `
import socket
a, b = socket.socketpair()
def err(f):
    try:
        f()
    except Exception as e:
        return [type(e).__name__, str(e)]
out = [
  err(lambda: a.sendmsg()),
  err(lambda: a.sendmsg(5)),
  err(lambda: a.sendmsg([5])),
  err(lambda: a.sendmsg([b'x'], 5)),
  err(lambda: a.sendmsg([b'x'], [(1, 2)])),
  err(lambda: a.sendmsg([b'x'], [b'abc'])),
  err(lambda: a.sendmsg([b'x'], [(1.5, 2, b'')])),
  err(lambda: a.sendmsg([b'x'], [], 2**31)),
  err(lambda: a.recvmsg(-1)),
  err(lambda: a.recvmsg(1, -1)),
  err(lambda: a.recvmsg_into([b'x'])),
  err(lambda: a.recvmsg_into(5)),
  err(lambda: socket.CMSG_LEN(-1)),
  err(lambda: socket.CMSG_SPACE(2**31)),
  err(lambda: socket.CMSG_LEN(2**63)),
  [socket.CMSG_LEN(0), socket.CMSG_LEN(4), socket.CMSG_SPACE(4), socket.CMSG_SPACE(12)],
]
a.close(); b.close()
out`)).toEqual([
      ['TypeError', 'sendmsg() takes at least 1 argument (0 given)'],
      ['TypeError', 'sendmsg() argument 1 must be an iterable'],
      ['TypeError', "a bytes-like object is required, not 'int'"],
      ['TypeError', 'sendmsg() argument 2 must be an iterable'],
      ['TypeError', '[sendmsg() ancillary data items]() argument must be sequence of length 3, not 2'],
      ['TypeError', '[sendmsg() ancillary data items]() argument must be 3-item sequence, not bytes'],
      ['TypeError', "'float' object cannot be interpreted as an integer"],
      ['OverflowError', 'signed integer is greater than maximum'],
      ['ValueError', 'negative buffer size in recvmsg()'],
      ['ValueError', 'invalid ancillary data buffer length'],
      ['TypeError', 'recvmsg_into() argument 1 must be an iterable of single-segment read-write buffers'],
      ['TypeError', 'recvmsg_into() argument 1 must be an iterable'],
      ['OverflowError', 'CMSG_LEN() argument out of range'],
      ['OverflowError', 'CMSG_SPACE() argument out of range'],
      ['OverflowError', 'Python int too large to convert to C ssize_t'],
      [16, 20, 24, 32],
    ]);
  });

  it('an fd Pyodide has not opened is EBADF in SCM_RIGHTS, as the kernel says of a bad fd', () => {
    expect(run(py, `
import socket, array, errno
a, b = socket.socketpair()
try:
    a.sendmsg([b'x'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [4000]))])
    r = None
except OSError as e:
    r = e.errno == errno.EBADF
a.close(); b.close()
r`)).toBe(true);
  });
});

describe('sendmsg/recvmsg in Pyodide on the emulated network', () => {
  let py: Py;
  beforeAll(async () => {
    py = await loadPyodide() as unknown as Py;
    installIntoPyodide(py, { network: emulatedNetwork({ seed: 7 }) });
  }, LONG);
  afterAll(() => { /* the instance goes with the file's fork */ });

  it('SCM_RIGHTS between a socketpair passes an emulated socket', () => {
    expect(run(py, RIGHTS)).toEqual([2, 'fd', 1, 1, 1, 4, 0, true, true, true, 'through the passed fd']);
  });

  it('the kernel\'s own control messages are absent there: IP_TTL in sendmsg is NotAvailable (an OSError naming ancillary)', () => {
    const r = run(py, `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0))
try:
    s.sendmsg([b'x'], [(socket.IPPROTO_IP, socket.IP_TTL, b'\\x40\\0\\0\\0')], 0, s.getsockname())
    r = None
except OSError as e:
    r = str(e)
s.close()
r`);
    expect(r).toMatch(/ancillary/);
  });
});
