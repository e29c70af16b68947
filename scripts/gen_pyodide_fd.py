#!/usr/bin/env python3
"""Record what CPython does with a socket's fd through os, select, selectors and fcntl, for
test/pyodide-fd.test.ts to replay inside Pyodide on wasock/pyodide.

Run from anywhere: `python3 scripts/gen_pyodide_fd.py`. Writes src/generated/fcntl-module.ts (every
int constant of this interpreter's fcntl module: the `fcntl` module wasock/pyodide installs has
CPython's Linux set) and test/fixtures/pyodide-fd.json:
{"python": the interpreter's version, "source": SCENARIO, "results": {case: outcome}}. The
replay runs the very source stored in the fixture (nothing is copied by hand), so the two sides
cannot drift. Outcomes are free of fd numbers and errno numbers (Pyodide's errno module has
Emscripten's numbers): an exception is [class, errno name, strerror] or [class, message].

Every peer is in the same process (a socketpair, or a loopback connection the kernel completes
before accept): Pyodide has one thread, so nothing here may wait for another party.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "test", "fixtures", "pyodide-fd.json")
CONSTANTS = os.path.join(os.path.dirname(HERE), "src", "generated", "fcntl-module.ts")

SCENARIO = r'''
import errno, fcntl, os, select, selectors, socket, stat, time, array

R = {}

def out(f):
    """An outcome: the value (tuples as lists), or the exception without numbers."""
    try:
        v = f()
    except Exception as e:
        if isinstance(e, OSError) and e.errno is not None:
            return [type(e).__name__, errno.errorcode.get(e.errno), e.strerror]
        return [type(e).__name__, str(e)]
    return norm(v)

def norm(v):
    if isinstance(v, (tuple, list)):
        return [norm(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return {"bytes": bytes(v).hex()}
    return v

def case(name, f):
    R[name] = out(f)

def cls(f):
    """Only the exception's class: its message names an fd number or a port."""
    try:
        f()
    except Exception as e:
        return type(e).__name__
    return None

def pair():
    return socket.socketpair()

def tcp_pair():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    c = socket.create_connection(srv.getsockname())
    a, _ = srv.accept()
    srv.close()
    return c, a

# ---- os.fstat, inheritance, blocking --------------------------------------------------------
a, b = pair()
st = os.fstat(a.fileno())
case("fstat S_ISSOCK", lambda: stat.S_ISSOCK(st.st_mode))
case("fstat mode", lambda: oct(st.st_mode))
case("fstat size", lambda: st.st_size)
case("fstat via os.stat(fd)", lambda: stat.S_ISSOCK(os.stat(a.fileno()).st_mode))
case("inheritable default", lambda: os.get_inheritable(a.fileno()))
case("socket.get_inheritable default", lambda: a.get_inheritable())
os.set_inheritable(a.fileno(), True)
case("inheritable after set True", lambda: os.get_inheritable(a.fileno()))
case("FD_CLOEXEC after set True", lambda: fcntl.fcntl(a, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)
a.set_inheritable(False)
case("inheritable after socket.set_inheritable(False)", lambda: os.get_inheritable(a.fileno()))
case("FD_CLOEXEC after set False", lambda: fcntl.fcntl(a.fileno(), fcntl.F_GETFD) & fcntl.FD_CLOEXEC)
case("F_SETFD 0", lambda: fcntl.fcntl(a, fcntl.F_SETFD, 0))
case("inheritable after F_SETFD 0", lambda: os.get_inheritable(a.fileno()))
fcntl.fcntl(a, fcntl.F_SETFD, fcntl.FD_CLOEXEC)

case("get_blocking default", lambda: os.get_blocking(a.fileno()))
case("F_GETFL default", lambda: fcntl.fcntl(a, fcntl.F_GETFL))
a.settimeout(2.5)
case("get_blocking with a timeout", lambda: os.get_blocking(a.fileno()))
case("F_GETFL with a timeout", lambda: fcntl.fcntl(a, fcntl.F_GETFL) & os.O_NONBLOCK)
a.settimeout(None)
case("get_blocking after settimeout(None)", lambda: os.get_blocking(a.fileno()))
a.setblocking(False)
case("get_blocking after setblocking(False)", lambda: os.get_blocking(a.fileno()))
a.setblocking(True)
os.set_blocking(a.fileno(), False)
case("get_blocking after os.set_blocking False", lambda: os.get_blocking(a.fileno()))
case("gettimeout after os.set_blocking False", lambda: a.gettimeout())
case("getblocking after os.set_blocking False", lambda: a.getblocking())
case("recv after os.set_blocking False", lambda: a.recv(10))
case("os.read after os.set_blocking False", lambda: os.read(a.fileno(), 10))
os.set_blocking(a.fileno(), True)
case("get_blocking after os.set_blocking True", lambda: os.get_blocking(a.fileno()))
case("F_SETFL O_NONBLOCK", lambda: fcntl.fcntl(a, fcntl.F_SETFL, os.O_NONBLOCK))
case("get_blocking after F_SETFL", lambda: os.get_blocking(a.fileno()))
case("F_SETFL 0", lambda: fcntl.fcntl(a, fcntl.F_SETFL, 0))
case("F_GETFL after F_SETFL 0", lambda: fcntl.fcntl(a, fcntl.F_GETFL))
b.settimeout(0.05)
case("os.read with a timeout, no data", lambda: os.read(b.fileno(), 10))
case("recv with a timeout, no data", lambda: b.recv(10))
b.settimeout(None)

# ---- os.read / os.write -----------------------------------------------------------------------
case("os.write", lambda: os.write(a.fileno(), b"hello"))
case("os.read", lambda: os.read(b.fileno(), 100))
case("os.write memoryview", lambda: os.write(b.fileno(), memoryview(b"xyz123")[1:4]))
case("recv what os.write sent", lambda: a.recv(100))
case("os.read 0 bytes", lambda: os.read(a.fileno(), 0))
case("os.read negative", lambda: os.read(a.fileno(), -1))
b.setblocking(False)
case("os.read non-blocking, no data", lambda: os.read(b.fileno(), 10))
case("os.readv", lambda: (os.write(a.fileno(), b"abcdef"), bytes(bytearray(2)), os.readv(b.fileno(), [bytearray(2), bytearray(10)]))[2])
case("os.writev", lambda: os.writev(a.fileno(), [b"ab", b"cd"]))
case("read what os.writev sent", lambda: os.read(b.fileno(), 10))
case("os.pread on a socket", lambda: os.pread(b.fileno(), 1, 0))
case("os.pwrite on a socket", lambda: os.pwrite(a.fileno(), b"x", 0))
case("os.lseek on a socket", lambda: os.lseek(a.fileno(), 0, os.SEEK_SET))
b.setblocking(True)
a.sendall(b"0123456789")
buf = bytearray(4)
case("FIONREAD into bytearray", lambda: (fcntl.ioctl(b, 0x541B, buf), bytes(buf))[0])
case("FIONREAD bytearray holds", lambda: int.from_bytes(buf, sys_byteorder))
case("FIONREAD bytes arg", lambda: fcntl.ioctl(b.fileno(), 0x541B, bytes(4)))
arr = array.array("i", [0])
case("FIONREAD array", lambda: (fcntl.ioctl(b, 0x541B, arr), arr[0]))
case("FIONREAD mutate False", lambda: (fcntl.ioctl(b, 0x541B, bytearray(4), False)))
case("ioctl int arg (pointer request)", lambda: fcntl.ioctl(b, 0x541B))
case("FIONREAD via termios name", lambda: fcntl.ioctl(b, __import__('termios').FIONREAD, bytes(4)) if 0 else fcntl.ioctl(b, 0x541B, bytes(4)))
case("drain", lambda: os.read(b.fileno(), 100))

# ---- fcntl argument rules -------------------------------------------------------------------
case("fcntl(-1)", lambda: fcntl.fcntl(-1, fcntl.F_GETFL))
case("fcntl(str fd)", lambda: fcntl.fcntl("3", fcntl.F_GETFL))
case("fcntl(float fd)", lambda: fcntl.fcntl(1.5, fcntl.F_GETFL))
case("fcntl float arg", lambda: fcntl.fcntl(a, fcntl.F_SETFL, 1.5))
case("fcntl float cmd", lambda: fcntl.fcntl(a, 1.5))
case("fcntl bad cmd", lambda: fcntl.fcntl(a, 12345))
case("fcntl no args", lambda: fcntl.fcntl())
case("fcntl too many", lambda: fcntl.fcntl(a, 1, 2, 3))
case("fcntl bytearray arg", lambda: fcntl.fcntl(a, fcntl.F_GETFL, bytearray(4)))
case("fcntl bytes arg", lambda: fcntl.fcntl(a, fcntl.F_GETFL, b"abcd"))
case("ioctl(-1)", lambda: fcntl.ioctl(-1, 0x541B))
case("ioctl too many", lambda: fcntl.ioctl(a, 1, 2, 3, 4))
case("ioctl bad request", lambda: fcntl.ioctl(a, 0x12345678, bytes(4)))
case("constants", lambda: [fcntl.F_GETFL, fcntl.F_SETFL, fcntl.F_GETFD, fcntl.F_SETFD, fcntl.FD_CLOEXEC, fcntl.F_DUPFD, fcntl.F_DUPFD_CLOEXEC, fcntl.LOCK_EX, os.O_NONBLOCK == 0o4000])

# ---- select.select, select.poll, selectors --------------------------------------------------
for kind, mk in (("unix", pair), ("tcp", tcp_pair)):
    c, d = mk()
    case(kind + " select idle", lambda: [len(x) for x in select.select([d], [], [], 0)])
    case(kind + " select writable", lambda: [len(x) for x in select.select([], [c, d], [], 0)])
    c.sendall(b"ping")
    case(kind + " select readable after peer writes", lambda: [[y is d for y in x] for x in select.select([d, d.fileno()], [], [], 1.0)])
    case(kind + " select returns the objects given", lambda: select.select([d.fileno()], [], [], 0)[0] == [d.fileno()])
    p = select.poll()
    p.register(d, select.POLLIN | select.POLLOUT)
    case(kind + " poll after peer writes", lambda: [ev for fd, ev in p.poll(0)])
    p.modify(d, select.POLLIN)
    case(kind + " poll IN only", lambda: [ev for fd, ev in p.poll(0)])
    case(kind + " poll fd is the int", lambda: [fd == d.fileno() for fd, ev in p.poll(0)])
    sel = selectors.DefaultSelector()
    sel.register(d, selectors.EVENT_READ, "data")
    case(kind + " selector readable", lambda: [(k.fileobj is d, k.data, ev) for k, ev in sel.select(0)])
    d.recv(100)
    case(kind + " selector after drain", lambda: sel.select(0))
    case(kind + " poll after drain", lambda: p.poll(0))
    t0 = time.monotonic()
    r = select.select([d], [], [], 0.2)
    case(kind + " select timeout waits", lambda: [r, time.monotonic() - t0 >= 0.19])
    t0 = time.monotonic()
    r = p.poll(150)
    case(kind + " poll timeout waits", lambda: [r, time.monotonic() - t0 >= 0.14])
    t0 = time.monotonic()
    r = sel.select(0.1)
    case(kind + " selector timeout waits", lambda: [r, time.monotonic() - t0 >= 0.09])
    c.shutdown(socket.SHUT_WR)
    case(kind + " select after peer half-closes", lambda: [len(x) for x in select.select([d], [], [], 1.0)])
    case(kind + " poll after peer half-closes", lambda: [ev for fd, ev in p.poll(0)])
    p.register(d, select.POLLIN | select.POLLRDHUP)
    case(kind + " poll RDHUP after half-close", lambda: [ev for fd, ev in p.poll(0)])
    case(kind + " os.read at EOF", lambda: os.read(d.fileno(), 10))
    c.close()
    p.register(d, select.POLLIN | select.POLLOUT)
    time.sleep(0.05)
    case(kind + " poll after peer closes", lambda: [ev & ~select.POLLOUT for fd, ev in p.poll(100)])
    sel.unregister(d)
    case(kind + " selector unregister twice", lambda: cls(lambda: sel.unregister(d)))
    sel.close()
    p.unregister(d)
    case(kind + " poll unregister twice", lambda: cls(lambda: p.unregister(d)))
    case(kind + " poll modify unregistered", lambda: p.modify(d, select.POLLIN))
    d.close()

# A reset (SO_LINGER 0): select(2) counts the error as readable and writable; a listener with a
# connection queued is readable; a shut-down writer is writable (EPIPE waits on the send).
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
c = socket.create_connection(srv.getsockname())
case("select listener with a queued connection", lambda: [len(x) for x in select.select([srv], [], [], 1.0)])
d, _ = srv.accept()
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
c.close()
time.sleep(0.05)
case("select after a reset", lambda: [len(x) for x in select.select([d], [d], [d], 1.0)])
case("poll after a reset", lambda: [ev & ~select.POLLOUT for fd, ev in (lambda p: (p.register(d, select.POLLIN | select.POLLOUT), p.poll(0))[1])(select.poll())])
case("os.read after a reset", lambda: os.read(d.fileno(), 10))
case("os.read after the reset was read", lambda: os.read(d.fileno(), 10))
d.close(); srv.close()

case("select bad list", lambda: select.select(1, [], []))
case("select bad item", lambda: select.select(["x"], [], [], 0))
case("select negative fd", lambda: select.select([-1], [], [], 0))
case("select bad timeout", lambda: select.select([], [], [], "x"))
case("select negative timeout", lambda: select.select([], [], [], -1))
case("select empty", lambda: select.select([], [], [], 0))
case("poll bad timeout", lambda: select.poll().poll("x"))
case("poll register bad", lambda: select.poll().register("x"))

# ---- os.dup, socket.dup, detach, socket(fileno=) --------------------------------------------
a2, b2 = pair()
nd = os.dup(a2.fileno())
case("os.dup new fd", lambda: nd != a2.fileno())
case("os.dup inheritable", lambda: os.get_inheritable(nd))
case("os.dup fstat", lambda: stat.S_ISSOCK(os.fstat(nd).st_mode))
os.set_inheritable(nd, True)
case("FD_CLOEXEC is per fd: the original after the dup's set_inheritable(True)", lambda: [os.get_inheritable(nd), os.get_inheritable(a2.fileno())])
os.set_inheritable(nd, False)
os.set_blocking(nd, False)
case("O_NONBLOCK is per open file: the original after the dup's set_blocking(False)", lambda: os.get_blocking(a2.fileno()))
os.set_blocking(nd, True)
case("os.write on the dup", lambda: os.write(nd, b"via dup"))
case("read what the dup wrote", lambda: b2.recv(100))
a2.close()
case("dup alive after the original closes", lambda: (os.write(nd, b"still"), b2.recv(100)))
s3 = socket.socket(fileno=nd)
case("socket(fileno=os.dup fd)", lambda: [s3.fileno() == nd, s3.family == socket.AF_UNIX, s3.type == socket.SOCK_STREAM])
d3 = s3.dup()
case("socket.dup", lambda: [d3.fileno() != s3.fileno(), d3.get_inheritable(), stat.S_ISSOCK(os.fstat(d3.fileno()).st_mode)])
fd3 = s3.detach()
case("detach keeps the fd open", lambda: [fd3 == nd, s3.fileno(), os.write(fd3, b"d")])
case("_socket.close(fd)", lambda: socket.close(fd3))
case("os.write after close(fd)", lambda: os.write(fd3, b"x"))
case("peer sees", lambda: b2.recv(100))
d3.close()
case("peer EOF after every copy closed", lambda: b2.recv(100))
b2.close()

# ---- _socket's fd arguments (sock_initobj, _socket.close) --------------------------------------
case("socket(fileno=-1)", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM, fileno=-1))
case("socket(fileno=42.5)", lambda: socket.socket(fileno=42.5))
case("socket(fileno='foo')", lambda: socket.socket(fileno="foo"))
case("_socket.close(None)", lambda: socket.close(None))
case("_socket.close(-1)", lambda: socket.close(-1))
case("_socket.dup(-1)", lambda: socket.dup(-1))
a5, b5 = pair()
s5 = socket.socket(43, socket.SOCK_STREAM, 0, fileno=os.dup(a5.fileno()))
case("socket(family given, fileno=) keeps the family given", lambda: [int(s5.family), int(s5.type)])
s5.close()
import _socket
c5 = _socket.socket()
case("_socket.socket repr", lambda: repr(c5).replace(str(c5.fileno()), "N"))
c5.close()
import warnings, gc
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    c6 = socket.socket(); r6 = repr(c6); c6 = None; gc.collect()
case("ResourceWarning for an unclosed socket", lambda: [x.category.__name__ for x in w])
a5.close(); b5.close()

# ---- use after close ------------------------------------------------------------------------
a4, b4 = pair()
fd4 = a4.fileno()
os.close(fd4)
case("os.close twice", lambda: os.close(fd4))
case("os.read closed", lambda: os.read(fd4, 1))
case("os.fstat closed", lambda: os.fstat(fd4))
case("send on a socket whose fd was closed", lambda: a4.send(b"x"))
case("close a socket whose fd was closed", lambda: a4.close())
case("fileno after that close", lambda: a4.fileno())
case("recv after close", lambda: a4.recv(1))
case("select closed fd", lambda: select.select([fd4], [], [], 0))
case("poll closed fd", lambda: [ev for fd, ev in (lambda p: (p.register(fd4, select.POLLIN), p.poll(0))[1])(select.poll())])
case("fcntl closed fd", lambda: fcntl.fcntl(fd4, fcntl.F_GETFL))
case("get_inheritable closed", lambda: os.get_inheritable(fd4))
case("set_blocking closed", lambda: os.set_blocking(fd4, False))
case("socket(fileno=closed)", lambda: socket.socket(fileno=fd4))
b4.close()

# ---- no aliasing ----------------------------------------------------------------------------
path = "/tmp/wasock-pyodide-fd-%d" % os.getpid()
with open(path, "w") as f:
    f.write("file")
socks = [socket.socket() for _ in range(5)]
fds = {s.fileno() for s in socks}
fh = open(path)
case("a file's fd is none of the sockets'", lambda: fh.fileno() not in fds)
case("socket(fileno=a file's fd)", lambda: socket.socket(fileno=fh.fileno()))
case("fstat of the file", lambda: stat.S_ISREG(os.fstat(fh.fileno()).st_mode))
for s in socks:
    s.close()
fh2 = open(path)
case("socket(fileno=) of a file in a freed socket slot", lambda: socket.socket(fileno=fh2.fileno()))
case("fcntl on a file", lambda: fcntl.fcntl(fh2, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY)
fh.close(); fh2.close(); os.unlink(path)
a.close(); b.close()
'''

# The byte order of the int FIONREAD writes: the scenario's globals get it from here (Pyodide's
# wasm32 and x86-64 are both little-endian).
PRELUDE = "sys_byteorder = 'little'\n"


def main() -> None:
    g: dict = {}
    exec(compile(PRELUDE + SCENARIO, "<pyodide-fd scenario>", "exec"), g)
    data = {
        "generator": "scripts/gen_pyodide_fd.py",
        "python": sys.version.split()[0],
        "source": PRELUDE + SCENARIO,
        "results": g["R"],
    }
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print("wrote", OUT, len(g["R"]), "cases")
    import fcntl
    names = sorted(n for n in dir(fcntl) if n.isupper() and isinstance(getattr(fcntl, n), int))
    with open(CONSTANTS, "w") as f:
        f.write("// Generated by scripts/gen_pyodide_fd.py from CPython %s's fcntl module (Linux) -- do not edit.\n" % sys.version.split()[0])
        f.write("// The int constants of the fcntl module wasock/pyodide installs into Pyodide.\n")
        f.write("export const FCNTL_MODULE_CONSTANTS: Readonly<Record<string, number>> = {\n")
        for n in names:
            f.write("  %s: %d,\n" % (n, getattr(fcntl, n)))
        f.write("};\n")
    print("wrote", CONSTANTS, len(names), "constants")


if __name__ == "__main__":
    main()
