// wasock/pyodide: Python's own socket.py in Pyodide 0.25.1 (CPython 3.11.3) over wasock's
// _socket, against native python3 peers in other processes (a blocking call in Pyodide blocks
// this thread, so a peer in this process could never answer). Loading Pyodide takes seconds:
// each instance is loaded once for the file.
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSocketCallsBetweenMarkers } from './helpers/strace.js';
import { loadPyodide } from 'pyodide';
import { installIntoPyodide } from '../src/pyodide-node.js';
import { type Py, LONG, run } from './helpers/pyodide.js';
import { network as linuxNetwork } from '../src/linux.js';
import { network as emulatedNetwork } from '../src/emulated.js';
import { policy } from '../src/policy.js';
import { OSError } from '../src/errors.js';
import { core } from '../src/core.js';
import { fdCount } from './helpers/fds.js';


/** A python3 child running `script`; its first stdout line (a port, a path) is returned. */
async function peer(script: string, ...args: string[]): Promise<{ child: ChildProcess; first: string; out: () => Promise<string> }> {
  const child = spawn('python3', ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  child.stdout!.setEncoding('utf8');
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: string) => { buf += d; const i = buf.indexOf('\n'); if (i >= 0) resolve(buf.slice(0, i)); });
    child.on('exit', (code) => reject(new Error(`python3 peer exited (${code}) before its first line`)));
  });
  const first = await firstLine;
  const out = async (): Promise<string> => {
    if (child.exitCode === null) await once(child, 'exit');
    return buf.slice(first.length + 1);
  };
  return { child, first, out };
}

const ECHO_TCP = `
import socket, sys
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
total = 0
while True:
    d = c.recv(65536)
    if not d: break
    total += len(d)
    c.sendall(d)
# after the peer's half-close: the peer still reads what follows, then EOF
c.sendall(b'EOF after %d bytes' % total)
c.close()
`;

const CLIENT_TCP = `
import socket, sys
c = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
c.sendall(b'hello from native\\n')
print(c.recv(100).decode(), flush=True)
`;

const ECHO_UDP = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0))
print(s.getsockname()[1], flush=True)
d, a = s.recvfrom(2048)
s.sendto(d.upper(), a)
`;

const CLIENT_UNIX = `
import socket, sys
c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1])
c.sendall(b'over unix')
print(c.recv(100).decode(), flush=True)
`;

let py: Py;          // the default network: Linux
let confined: Py;    // a policy-confined Linux network
let emulated: Py;    // an emulated network's machine 'local' (10.0.0.1)
let server: Py;      // the same network's machine 'server' (10.0.0.2)
let dir: string;

beforeAll(async () => {
  py = await loadPyodide() as unknown as Py;
  installIntoPyodide(py);
  confined = await loadPyodide() as unknown as Py;
  installIntoPyodide(confined, {
    network: linuxNetwork({ policy: policy().allowTcp().allow(['bind', 'listen', 'accept'], '127.0.0.1').allow('connect', '127.0.0.1', [1024, 65535]) }),
  });
  emulated = await loadPyodide() as unknown as Py;
  const emu = emulatedNetwork({ seed: 14, addresses: ['10.0.0.1'], machines: { server: { addresses: ['10.0.0.2'] } } });
  installIntoPyodide(emulated, { network: emu });
  server = await loadPyodide() as unknown as Py;
  installIntoPyodide(server, { network: emu.machine('server') });
  dir = mkdtempSync(join(tmpdir(), 'wasock-pyodide-'));
}, LONG);

afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('wasock/pyodide on the Linux host', () => {
  it('replaces _socket and rebuilds socket.py over it; asyncio sees the same module', () => {
    const r = run(py, `
import sys, socket, _socket, asyncio.base_events as be, selectors
[getattr(_socket, '__wasock__', False), socket.socket.__mro__[1] is _socket.socket,
 be.socket is socket, socket.timeout is TimeoutError, socket.error is OSError,
 issubclass(socket.gaierror, OSError), socket.SOL_SOCKET, socket.SO_RCVBUF, socket.AF_UNIX,
 socket.has_ipv6, type(socket.AF_INET).__name__]`);
    expect(r).toEqual([true, true, true, true, true, true, 1, 8, 1, true, 'AddressFamily']);
  });

  it('getsockopt(SO_RCVBUF) is the kernel value; setting 4096 reads back 8192', () => {
    const native = execFileSync('python3', ['-c', 'import socket; s = socket.socket(); print(s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))'], { encoding: 'utf8' }).trim();
    const r = run(py, `
import socket
with socket.socket() as s:
    before = s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    after = s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    raw = s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4)
    zero = s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    reuse = s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, bytes(8))
    linger = s.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8)
[before, after, raw == (8192).to_bytes(4, 'little'), linger == bytes(8), zero, reuse]`);
    expect(r).toEqual([Number(native), 8192, true, true, 8192, 1]);
  });

  it('bind to port 0 gets a real port; listen/accept serve a native client', async () => {
    const port = run(py, `
import socket
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(); srv.settimeout(20)
srv.getsockname()[1]`) as number;
    expect(port).toBeGreaterThan(0);
    const child = spawn('python3', ['-c', CLIENT_TCP, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = ''; child.stdout!.on('data', (d) => { out += d; });
    const r = run(py, `
conn, addr = srv.accept()
f = conn.makefile('rb')
line = f.readline()
conn.sendall(b'hi, ' + line.strip())
fd = conn.fileno()
f.close(); conn.close(); srv.close()
[line.decode(), addr[0], type(conn).__module__, fd >= 3, srv.fileno()]`);
    await once(child, 'exit');
    expect(r).toEqual(['hello from native\n', '127.0.0.1', 'socket', true, -1]);
    expect(out.trim()).toBe('hi, hello from native');
  }, LONG);

  it('connect + sendall/recv with a native echo server; half-close delivers EOF', async () => {
    const { first, out } = await peer(ECHO_TCP);
    const r = run(py, `
import socket
c = socket.create_connection(('127.0.0.1', ${first}), timeout=20)
payload = bytes(range(256)) * 1024
c.sendall(payload)
got = bytearray()
while len(got) < len(payload):
    chunk = c.recv(65536)
    got += chunk
    if not chunk: break
c.shutdown(socket.SHUT_WR)
tail = b''
while True:
    d = c.recv(100)
    if not d: break
    tail += d
c.close()
[len(got), tail.decode()]`);
    await out();
    expect(r).toEqual([262144, 'EOF after 262144 bytes']);
  }, LONG);

  it('recv_into fills the caller’s buffer in place; makefile().readline() reads lines', async () => {
    const { first, out } = await peer(ECHO_TCP);
    const r = run(py, `
import socket
c = socket.create_connection(('127.0.0.1', ${first}), timeout=20)
c.sendall(b'first line\\nsecond line\\n')
buf = bytearray(11)
n = c.recv_into(buf, 11)
f = c.makefile('r', encoding='ascii')
second = f.readline()
c.shutdown(socket.SHUT_WR)
rest = f.read()
f.close(); c.close()
[n, bytes(buf).decode(), second, rest]`);
    await out();
    expect(r).toEqual([11, 'first line\n', 'second line\n', 'EOF after 23 bytes']);
  }, LONG);

  it('UDP with a native peer: sendto/recvfrom', async () => {
    const { first, out } = await peer(ECHO_UDP);
    const r = run(py, `
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
u.sendto(b'datagram', ('127.0.0.1', ${first}))
d, a = u.recvfrom(100)
u.close()
[d.decode(), a]`);
    await out();
    expect(r).toEqual(['DATAGRAM', ['127.0.0.1', Number(first)]]);
  }, LONG);

  it('AF_UNIX: a server on a kernel path for a native client, and socketpair', async () => {
    const path = join(dir, 'srv.sock');
    run(py, `
import socket
u = socket.socket(socket.AF_UNIX); u.bind(${JSON.stringify(path)}); u.listen(); u.settimeout(20)`);
    const child = spawn('python3', ['-c', CLIENT_UNIX, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = ''; child.stdout!.on('data', (d) => { out += d; });
    const r = run(py, `
conn, _ = u.accept()
got = conn.recv(100)
conn.sendall(got[::-1]); conn.close(); name = u.getsockname(); u.close()
ab = socket.socket(socket.AF_UNIX); ab.bind(bytearray(b'\\0wasock-pyodide-abstract')); abname = ab.getsockname(); ab.close()
a, b = socket.socketpair()
a.sendall(b'pair'); pr = b.recv(4); a.close(); eof = b.recv(4); b.close()
[got.decode(), name, a.family == socket.AF_UNIX, pr.decode(), eof.decode(), abname == b'\\0wasock-pyodide-abstract']`);
    await once(child, 'exit');
    expect(r).toEqual(['over unix', path, true, 'pair', '', true]);
    expect(out.trim()).toBe('xinu revo');
  }, LONG);

  it('settimeout raises TimeoutError (socket.timeout) on time', async () => {
    const { first, child } = await peer(ECHO_TCP);
    const r = run(py, `
import socket, time
c = socket.create_connection(('127.0.0.1', ${first}))
c.settimeout(0.25)
t0 = time.monotonic()
try:
    c.recv(1)
    kind = None
except socket.timeout as e:
    kind = [type(e).__name__, str(e), isinstance(e, OSError)]
dt = time.monotonic() - t0
t = c.gettimeout(); c.setblocking(False); nb = [c.gettimeout(), c.getblocking()]
try:
    c.recv(1)
except BlockingIOError as e:
    import errno
    nb.append(e.errno == errno.EAGAIN)
c.close()
[kind, dt, t, nb]`);
    child.kill();
    expect(r[0]).toEqual(['TimeoutError', 'timed out', true]);
    expect(r[1]).toBeGreaterThanOrEqual(0.24);
    expect(r[1]).toBeLessThan(1.5);
    expect(r[2]).toBe(0.25);
    expect(r[3]).toEqual([0, false, true]);
  }, LONG);

  it('ECONNREFUSED is ConnectionRefusedError with Pyodide’s errno.ECONNREFUSED', () => {
    const r = run(py, `
import socket, errno
s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
c = socket.socket()
try:
    c.connect(('127.0.0.1', port))
    r = None
except ConnectionRefusedError as e:
    r = [type(e).__name__, e.errno, errno.ECONNREFUSED, e.errno == errno.ECONNREFUSED, e.strerror, str(e)]
ex = c.connect_ex(('127.0.0.1', port))
c.close()
try:
    c.getsockname()
    bad = None
except OSError as e:
    bad = [type(e).__name__, e.errno == errno.EBADF]
r + [ex == errno.ECONNREFUSED, bad]`);
    expect(r).toEqual(['ConnectionRefusedError', 14, 14, true, 'Connection refused', '[Errno 14] Connection refused', true, ['OSError', true]]);
  });

  it('argument errors keep CPython’s classes; module functions', () => {
    const r = run(py, `
import socket
out = []
for f in (lambda: socket.socket().bind(('127.0.0.1', 70000)), lambda: socket.socket().recv(-1),
          lambda: socket.getaddrinfo('no-such-host.invalid', 80), lambda: socket.htons(-1),
          lambda: socket.socket().bind(['127.0.0.1', 0]), lambda: socket.socket().connect({'a': 1}),
          lambda: socket.socket().send('text'), lambda: socket.socket().recv_into(b'ro')):
    try:
        f(); out.append(None)
    except Exception as e:
        out.append([type(e).__name__, str(e)])
out += [socket.inet_aton('127.1'), socket.inet_ntoa(b'\\x7f\\x00\\x00\\x01'),
        socket.inet_pton(socket.AF_INET6, '::1'), socket.inet_ntop(socket.AF_INET6, bytes(15) + b'\\x01'),
        socket.htons(1), socket.ntohl(1), socket.getaddrinfo('localhost', 80, type=socket.SOCK_STREAM)[0][4],
        socket.getaddrinfo('::1', '80', socket.AF_INET6, socket.SOCK_STREAM)[0][4],
        isinstance(socket.gethostname(), str), socket.getdefaulttimeout()]
socket.setdefaulttimeout(2.5)
s = socket.socket(); out.append(s.gettimeout()); d = s.dup(); out.append([d.gettimeout(), d.fileno() != s.fileno()])
d.close(); s.close(); socket.setdefaulttimeout(None)
[[list(x) if isinstance(x, bytes) else x for x in out]]`)[0];
    expect(r.slice(0, 8)).toEqual([
      ['OverflowError', 'bind(): port must be 0-65535.'],
      ['ValueError', 'negative buffersize in recv'],
      ['gaierror', '[Errno -2] Name or service not known'],
      ['OverflowError', "htons: can't convert negative Python int to C 16-bit unsigned integer"],
      ['TypeError', 'bind(): AF_INET address must be tuple, not list'],
      ['TypeError', 'connect(): AF_INET address must be tuple, not dict'],
      ['TypeError', "a bytes-like object is required, not 'str'"],
      ['TypeError', "recv_into() argument 1 must be read-write bytes-like object, not bytes"],
    ]);
    expect(r.slice(8)).toEqual([[127, 0, 0, 1], '127.0.0.1', [...Array(15).fill(0), 1], '::1', 256, 16777216,
      ['127.0.0.1', 80], ['::1', 80, 0, 0], true, undefined, 2.5, [2.5, true]]);  // None is undefined in JS
  });

  it('errno is translated by name into Pyodide\u2019s numbering; a number with no name keeps Linux\u2019s in the message', () => {
    // Pyodide 0.25.1's errno module has every name of wasock's Linux table (CPython 3.11's), so
    // the fallback (a Linux number with no Pyodide name) shows with 133, EHWPOISON, which
    // neither table names: OSError with errno None and the Linux number in the message.
    py.globals.set('throw_oserror', (n: number, text: string) => { throw new OSError(n, text); });
    const c = core();
    const names = Array.from({ length: c.x.errno_max() }, (_, i) => c.str(c.x.errno_name(i + 1))).filter((n) => n);
    expect(names.length).toBeGreaterThan(120);
    py.globals.set('linux_names', names.join(' '));
    const r = run(py, `
import _socket, errno
from pyodide.ffi import JsException
out = []
for n, text in ((111, 'Connection refused'), (133, 'Memory page has hardware error'), (11, 'Resource temporarily unavailable'), (200, 'Unknown error 200')):
    try:
        throw_oserror(n, text)
    except JsException as e:
        x = _socket._translate(e)
        out.append([type(x).__name__, x.errno, str(x)])
out + [errno.ECONNREFUSED, [n for n in linux_names.split() if not hasattr(errno, n)], errno.EAGAIN]`);
    const [ref, hasHw, again] = r.slice(4);
    expect(hasHw).toEqual([]);
    expect(r.slice(0, 4)).toEqual([
      ['ConnectionRefusedError', ref, `[Errno ${ref}] Connection refused`],
      ['OSError', undefined, '[Errno 133] Memory page has hardware error'],
      ['BlockingIOError', again, `[Errno ${again}] Resource temporarily unavailable`],
      ['OSError', undefined, '[Errno 200] Unknown error 200'],
    ]);
    expect([ref, again]).toEqual([14, 6]);
  });

  it('socket fds are Emscripten streams of the instance\u2019s table, and do not alias a Pyodide file', () => {
    const r = run(py, `
import socket, os, stat
f = open('/tmp/x', 'w')
s = socket.socket()
res = [stat.S_ISSOCK(os.fstat(s.fileno()).st_mode), stat.S_ISREG(os.fstat(f.fileno()).st_mode), s.fileno() != f.fileno()]
s.close(); f.close()
res`);
    expect(r).toEqual([true, true, true]);
  });

  it('no fd leaks: connect/accept/close cycles, sockets dropped unclosed, failed calls; socket(fileno=) takes only this table\u2019s fds', () => {
    run(py, `
import socket, gc
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(64); addr = srv.getsockname()
def cycle(n, drop=False):
    for _ in range(n):
        c = socket.create_connection(addr)
        a, _ = srv.accept()
        if drop:
            del c, a
        else:
            c.close(); a.close()
    gc.collect()
cycle(50)`);
    const before = fdCount();
    run(py, 'cycle(1000); cycle(300, drop=True)');
    const r = run(py, `
out = []
for _ in range(200):
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM, 99)
    except OSError as e:
        out.append(type(e).__name__)
gc.collect()
import errno
foreign = []
for fd in (0, 4000):   # stdin, a Pyodide file: ENOTSOCK as CPython says; an fd never opened: EBADF
    try:
        socket.socket(fileno=fd)
        foreign.append(None)
    except OSError as e:
        foreign.append(errno.errorcode[e.errno])
[sorted(set(out)), foreign]`);
    const after = fdCount();
    run(py, 'srv.close()');
    expect(r).toEqual([['OSError'], ['ENOTSOCK', 'EBADF']]);
    expect(after - before).toBeLessThanOrEqual(2);
  }, LONG);

  it('installing twice is harmless: the same _socket, live sockets keep working', () => {
    run(py, `
import socket
keep = socket.socket(); keep.bind(('127.0.0.1', 0)); keep_name = keep.getsockname()
import _socket; first = _socket`);
    installIntoPyodide(py);
    const r = run(py, `
import socket, _socket
[_socket is first, keep.getsockname() == keep_name, socket.socket().getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)]`);
    run(py, 'keep.close()');
    expect(r).toEqual([true, true, 1]);
  });
});

describe('wasock/pyodide on a confined or emulated network', () => {
  it('a policy-confined network raises PermissionError; the unconfined instance is unaffected', () => {
    const r = run(confined, `
import socket, errno
out = []
for f in (lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM), lambda: socket.create_connection(('10.0.0.1', 80)),
          lambda: socket.socket().connect(('127.0.0.1', 80))):
    try:
        f(); out.append(None)
    except PermissionError as e:
        out.append([e.errno == errno.EPERM, 'denied by policy' in str(e)])
out`);
    expect(r).toEqual([[true, true], [true, true], [true, true]]);
    // The other instance, on its own network, may do all of it.
    expect(run(py, `
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.close(); True`)).toBe(true);
  });

  it('two instances are independent: default timeout, fds, modules', () => {
    run(confined, 'import socket; socket.setdefaulttimeout(7); cs = socket.socket()');
    const r = run(py, `
import socket
ps = socket.socket()
[socket.getdefaulttimeout(), ps.gettimeout()]`);
    const fdc = run(confined, '[cs.fileno(), socket.getdefaulttimeout()]');
    const fdp = run(py, 'ps.fileno()');
    run(confined, 'cs.close()');
    expect(run(py, 'ps.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)')).toBe(1);
    run(py, 'ps.close()');
    run(confined, 'socket.setdefaulttimeout(None)');
    expect(r).toEqual([undefined, undefined]);  // None: no default timeout here
    expect(fdc[1]).toBe(7);
    expect(typeof fdp).toBe('number');
  });

  it('the emulated network: server and client in one Pyodide', () => {
    const r = run(emulated, `
import socket, errno
srv = socket.socket(); srv.bind(('127.0.0.1', 8080)); srv.listen()
c = socket.socket(); c.setblocking(False)
rc = c.connect_ex(('127.0.0.1', 8080))
conn, addr = srv.accept()
c.setblocking(True)
c.sendall(b'ping\\n')
f = conn.makefile('rb'); line = f.readline(); f.close()
conn.sendall(b'pong'); conn.shutdown(socket.SHUT_WR)
got = c.recv(10); eof = c.recv(10)
try:
    socket.create_connection(('127.0.0.1', 9))
    refused = None
except ConnectionRefusedError as e:
    refused = e.errno == errno.ECONNREFUSED
for s in (c, conn, srv): s.close()
[rc in (0, errno.EINPROGRESS), line.decode(), got.decode(), eof.decode(), refused, addr[0]]`);
    expect(r).toEqual([true, 'ping\n', 'pong', '', true, '127.0.0.1']);
  });

  it('two emulated machines, one Pyodide each; a call no party can satisfy fails at once', () => {
    run(server, `
import socket
srv = socket.socket(); srv.bind(('10.0.0.2', 8080)); srv.listen()`);
    run(emulated, `
import socket, errno
c = socket.create_connection(('10.0.0.2', 8080))
c.sendall(b'ping')`);
    const peer = run(server, `
conn, peer = srv.accept()
conn.sendall(conn.recv(4).upper())
[peer[0], conn.getsockname()]`);
    const r = run(emulated, `
got = c.recv(4)
try:
    c.recv(4)
    stuck = None
except OSError as e:
    stuck = [type(e).__name__, e.errno == errno.EDEADLK, e.strerror]
c.close()
[got.decode(), c.family == socket.AF_INET, stuck]`);
    run(server, 'conn.close(); srv.close()');
    expect(peer).toEqual(['10.0.0.1', ['10.0.0.2', 8080]]);
    expect(r[0]).toBe('PING');
    expect(r[2][0]).toBe('OSError');
    expect(r[2][1]).toBe(true);
  });
});

describe('strace: a denial from Python makes no socket syscall', () => {
  it('denied calls between the markers make none; an allowed connect after them makes one', () => {
    const work = mkdtempSync(join(tmpdir(), 'wasock-pyodide-strace-'));
    try {
      const dist = new URL('../dist/src/', import.meta.url).pathname;
      const pyodideEntry = new URL('../node_modules/pyodide/pyodide.mjs', import.meta.url).pathname;
      const script = join(work, 'denied.mjs');
      writeFileSync(script, `
        import { writeSync } from 'node:fs';
        import { loadPyodide } from '${pyodideEntry}';
        import { installIntoPyodide } from '${dist}pyodide.js';
        import { network } from '${dist}linux.js';
        import { policy } from '${dist}index.js';
        const py = await loadPyodide();
        installIntoPyodide(py, { network: network({ policy: policy().allowTcp().allow('connect', '127.0.0.1') }) });
        py.runPython('import socket, errno; s = socket.socket()');
        writeSync(1, 'WASOCK-BEGIN\\n');
        const denied = py.runPython(\`
n = 0
for f in (lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM), lambda: socket.socket(socket.AF_UNIX),
          lambda: s.connect(('10.0.0.1', 80)), lambda: s.bind(('127.0.0.1', 0)), lambda: s.listen(),
          lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)):
    try:
        f()
    except PermissionError as e:
        n += e.errno == errno.EPERM
n + (s.connect_ex(('10.0.0.1', 80)) == errno.EPERM)\`);
        writeSync(1, 'WASOCK-END\\n');
        const t = network({ policy: policy().allowTcp().allow(['bind', 'connect'], '0.0.0.0/0') });
        installIntoPyodide(py, { network: t });
        py.runPython("socket.socket().connect_ex(('127.0.0.1', 1))");
        writeSync(1, 'denied ' + denied + '\\n');
      `);
      expect(expectNoSocketCallsBetweenMarkers('/usr/bin/strace', script)).toContain('denied 7');
    } finally { rmSync(work, { recursive: true, force: true }); }
  }, LONG);
});
