#!/usr/bin/env python3
"""Record CPython's answers for socket timeouts, blocking mode and listen().

Run from anywhere: `python3 scripts/gen_timeouts.py`. Writes test/fixtures/timeouts.json
(schema: test/fixtures/README.md, "Case schema", "Socket-API fixtures" and "Timeout
fixtures"). test/timeouts.test.ts replays every case through wasock.

What is covered (reference/cpython-socket-semantics.md §3, §4, §10):
  args     every settimeout / setblocking / setdefaulttimeout argument, and the state after
  state    the (gettimeout, getblocking, O_NONBLOCK, .type) matrix: toggles, SOCK_NONBLOCK,
           sockets made under a default timeout (fresh, socketpair, socket(fileno=), fromfd,
           dup), closed/detached sockets, the accept() inheritance matrix
  listen   the backlog the kernel reports (`ss -ltn`, Send-Q) and listen()'s errors
  io       blocking calls under a timeout that are deterministic on loopback

CPython is the oracle: every result is what the running interpreter returned or raised on
the live kernel. The fd's O_NONBLOCK bit is read from /proc/self/fdinfo/<fd> ("flags:",
octal, 0o4000), the way the replay reads it for wasock's fd. What depends on the run is
masked or tolerance-checked with a `why`: elapsed times of timed calls, ephemeral ports,
net.core.somaxconn, and connect_ex's EINPROGRESS-or-0.
"""

import math
import os
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optiontable as T  # noqa: E402

GENERATOR = "scripts/gen_timeouts.py"
OUT = "test/fixtures/timeouts.json"
with open("/proc/sys/net/core/somaxconn") as _f:
    SOMAXCONN = int(_f.read())

AF_INET, AF_INET6, AF_UNIX = socket.AF_INET, socket.AF_INET6, socket.AF_UNIX
STREAM, DGRAM = socket.SOCK_STREAM, socket.SOCK_DGRAM
NONBLOCK, CLOEXEC = socket.SOCK_NONBLOCK, socket.SOCK_CLOEXEC
SOL_SOCKET = socket.SOL_SOCKET
FAM, TYP, LOOPBACK = T.FAMILIES, T.TYPES, T.LOOPBACK

INF, NAN = float("inf"), float("nan")

WHY_PORT = "ephemeral port chosen by the kernel"
WHY_ELAPSED = "wall-clock time of a timed call: poll() waits at least the timeout (rounded up to ms)"
WHY_WATCHDOG = "watchdog (README, Timeout fixtures)"
TIMEVAL_4S = struct.pack("@ll", 4, 0)


def nonblock_bit(fd):
    """O_NONBLOCK from /proc/self/fdinfo/<fd> (flags: is octal); None for fd -1."""
    if fd < 0:
        return None
    with open(f"/proc/self/fdinfo/{fd}") as f:
        for line in f:
            if line.startswith("flags:"):
                return bool(int(line.split()[1], 8) & 0o4000)
    raise RuntimeError("no flags: line")


def ss_backlog(host, port):
    """Send-Q of the LISTEN socket at host:port as `ss -ltn` reports it (None: not listening)."""
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], check=True, capture_output=True,
                         text=True).stdout
    want = {f"{host}:{port}", f"[{host}]:{port}"}
    if host in ("0.0.0.0", "::"):
        want |= {f"*:{port}", f"[::]:{port}"}
    for line in out.splitlines():
        cols = line.split()
        if len(cols) >= 4 and cols[0] == "LISTEN" and cols[3] in want:
            return int(cols[2])
    return None


# --------------------------------------------------------------------------------------------
# Arguments


class Ph:
    """A placeholder argument the replay resolves in its own run."""

    def __init__(self, t, v):
        self.t, self.v = t, v

    def json(self):
        return {"t": self.t, "v": self.v}


def ADDR(name):
    return Ph("addr", name)


def FD(name):
    return Ph("fd", name)


class Buf:
    """A fresh bytearray (a writable buffer) holding these bytes."""

    def __init__(self, data):
        self.data = bytes(data)


class AsNumber(int):
    """An int beyond 2**53 whose JS twin is a (integral) number rather than a bigint."""


def integral_float(v):
    return isinstance(v, float) and math.isfinite(v) and v == int(v) and math.copysign(1, v) > 0


class Zeros:
    """n zero bytes (a bytes argument too large to write out as hex)."""

    def __init__(self, n):
        self.n = n


def enc_float(v):
    # NaN, ±inf and -0.0 travel as IEEE-754 hex: JSON has no NaN/Infinity, and the hex form
    # keeps the sign of zero beyond doubt.
    if math.isnan(v) or math.isinf(v) or (v == 0 and math.copysign(1, v) < 0):
        return {"t": "float", "hex": struct.pack(">d", v).hex()}
    return {"t": "float", "v": v}


def enc_arg(v):
    if isinstance(v, Ph):
        return v.json()
    if isinstance(v, Zeros):
        return {"t": "zeros", "n": v.n}
    if isinstance(v, Buf):
        return {"t": "bytearray", "hex": v.data.hex()}
    if isinstance(v, AsNumber):
        return {"t": "int", "v": str(int(v)), "as": "number"}
    if isinstance(v, float):
        # JS has no integral float (1e300 is an int there): such cases are python_only
        return enc_float(v)
    if isinstance(v, tuple):
        return {"t": "tuple", "v": [enc_arg(x) for x in v]}
    if isinstance(v, list):
        assert not v
        return {"t": "list"}
    return T.enc_plain(v)


def label(v):
    if v is None or isinstance(v, bool):
        return repr(v)
    if isinstance(v, AsNumber):
        return label(int(v)) + "(number)" if int(v) != int(1e300) else "int:int(1e300)(number)"
    if isinstance(v, int):
        for e in (31, 32, 63, 64):
            for d in (-1, 0, 1):
                if v == 2 ** e + d:
                    return "int:2**%d%s" % (e, {-1: "-1", 0: "", 1: "+1"}[d])
                if v == -(2 ** e) + d:
                    return "int:-2**%d%s" % (e, {-1: "-1", 0: "", 1: "+1"}[d])
        return f"int:{v}"
    if isinstance(v, float):
        return f"float:{v!r}"
    if isinstance(v, str):
        return f"str:{v!r}"
    if isinstance(v, bytes):
        return f"bytes:{v!r}"
    if isinstance(v, list):
        return "list:[]"
    raise TypeError(v)


# --------------------------------------------------------------------------------------------
# Steps and cases


def C(name, *args, on=None, save=None, elapsed=None, port_at=None, int_in=None, anyint=None,
      note=None):
    """A call: a module function (socket, socketpair, fromfd, setdefaulttimeout,
    getdefaulttimeout) or a method of the socket named `on` (default `sock`)."""
    return dict(kind="call", call=name, args=args, on=on, save=save, elapsed=elapsed,
                port_at=port_at, int_in=int_in, anyint=anyint, note=note)


def STATE(on="sock"):
    return dict(kind="state", on=on)


def ATTR(name, on="sock"):
    return dict(kind="attr", attr=name, on=on)


def SLEEP(seconds, why):
    return dict(kind="sleep", sleep=seconds, why=why)


def BACKLOG(on="sock", requested=None):
    return dict(kind="backlog", on=on, requested=requested)


def PEER(connect, delay, data, why):
    return dict(kind="peer", connect=connect, delay=delay, data=data, why=why)


def WATCHDOG(on="sock"):
    return [C("setsockopt", SOL_SOCKET, socket.SO_RCVTIMEO, TIMEVAL_4S, on=on, note=WHY_WATCHDOG),
            C("setsockopt", SOL_SOCKET, socket.SO_SNDTIMEO, TIMEVAL_4S, on=on, note=WHY_WATCHDOG)]


def EL(lo, hi, why=WHY_ELAPSED):
    return {"min": lo, "max": hi, "why": why}


MODULE_FUNCS = {
    "socket": lambda *a: socket.socket(*a),
    "socketpair": lambda *a: socket.socketpair(*a),
    "fromfd": lambda *a: socket.fromfd(*a),
    "setdefaulttimeout": lambda *a: socket.setdefaulttimeout(*a),
    "getdefaulttimeout": lambda *a: socket.getdefaulttimeout(*a),
}
# calls whose Python None result is a value (JS null), not "no return value" (JS undefined)
VALUE_CALLS = {"gettimeout", "getdefaulttimeout"}

CASES = []
_ids = set()


def case(cid, group, steps, family=None, type=None, state="none", listener=None, fds=None,
         note=None, python_only=None):
    assert cid not in _ids, cid
    _ids.add(cid)
    flat = []
    for st in steps:
        flat.extend(st if isinstance(st, list) else [st])
    CASES.append(dict(id=cid, group=group, family=family, type=type, state=state,
                      listener=listener, fds=fds or {}, steps=flat, note=note,
                      python_only=python_only))


# --------------------------------------------------------------------------------------------
# Execution


class Ctx:
    def __init__(self):
        self.socks = {}
        self.extra = []
        self.fds = {}
        self.owned = set()
        self.threads = []
        self.stop = threading.Event()

    def make_fd(self, name, kind):
        fam, typ, *flags = kind.split("-")
        t = TYP[typ] | (NONBLOCK if flags == ["nonblock"] else 0)
        n = socket.socket(FAM[fam], t).detach()
        assert nonblock_bit(n) == (flags == ["nonblock"])
        self.fds[name] = n
        self.owned.add(n)

    def resolve(self, v):
        if isinstance(v, tuple):
            return tuple(self.resolve(x) for x in v)
        if isinstance(v, Zeros):
            return bytes(v.n)
        if isinstance(v, Buf):
            return bytearray(v.data)
        if isinstance(v, Ph):
            if v.t == "addr":
                return self.socks[v.v].getsockname()
            if v.t == "fd":
                return self.fds[v.v]
        return v

    def name_of_addr(self, v):
        for name, s in self.socks.items():
            if s.fileno() < 0:
                continue
            try:
                mine = s.getsockname()
            except OSError:
                continue
            if v == mine and isinstance(mine, tuple) and mine[1] != 0:
                return name
        return None

    def enc(self, v):
        if isinstance(v, socket.socket):
            self.extra.append(v)
            return {"t": "socket", "family": int(v.family), "type": int(v.type),
                    "proto": int(v.proto)}
        if isinstance(v, float):
            # a result float may be integral (gettimeout() of settimeout(5) is 5.0): the
            # replay compares numbers with Object.is
            return enc_float(v)
        if isinstance(v, bytearray):
            return {"t": "bytes", "hex": bytes(v).hex()}
        if isinstance(v, tuple):
            name = self.name_of_addr(v)
            if name:
                return {"t": "addr", "v": name}
            return {"t": "tuple", "v": [self.enc(x) for x in v]}
        return T.enc_plain(v)

    def cleanup(self):
        self.stop.set()
        for s in list(self.socks.values()) + self.extra:
            try:
                if s.fileno() >= 0 and s.family != AF_UNIX and s.type == STREAM:
                    # RST instead of TIME_WAIT, as the other generators do
                    s.setsockopt(SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()
            except OSError:
                pass
        for t in self.threads:
            t.join(10)
        for n in self.owned:
            try:
                os.close(n)
            except OSError:
                pass


def setup(ctx, c):
    ctx.socks.update(T.case_sockets(c))


def peer_thread(ctx, addr, delay, data):
    with socket.create_connection(addr, timeout=10) as s:
        time.sleep(delay)
        s.sendall(data)
        # hold the connection until the case closes its end (or 10 s)
        try:
            while not ctx.stop.is_set() and s.recv(4096):
                pass
        except OSError:
            pass


def run_call(ctx, st):
    out = {"call": st["call"], "args": [enc_arg(a) for a in st["args"]]}
    if st["on"]:
        out["on"] = st["on"]
    if st["save"]:
        out["save"] = st["save"]
    args = [ctx.resolve(a) for a in st["args"]]
    target = ctx.socks.get(st["on"] or "sock")
    t0 = time.monotonic()
    try:
        if st["call"] in MODULE_FUNCS:
            v = MODULE_FUNCS[st["call"]](*args)
        else:
            v = getattr(target, st["call"])(*args)
    except Exception as e:  # noqa: BLE001 - every exception is an answer
        dt = time.monotonic() - t0
        out["result"] = T.raises(e)
    else:
        dt = time.monotonic() - t0
        if st["call"] == "socket" and len(args) > 3 and args[3] is not None:
            ctx.owned.discard(args[3])   # socket(fileno=) took the fd over
        if st["save"]:
            names = st["save"] if isinstance(st["save"], list) else [st["save"]]
            vals = list(v) if isinstance(st["save"], list) else [v]
            for n, x in zip(names, vals):
                if n:
                    ctx.socks[n] = x
        if st["call"] in ("accept", "socketpair", "dup", "socket", "fromfd"):
            for x in (v if isinstance(v, tuple) else (v,)):
                if isinstance(x, socket.socket):
                    ctx.extra.append(x)
        res = ctx.enc(v)
        if st["port_at"]:
            res = T.zero_port(res, st["port_at"])
            out["mask"] = {"why": WHY_PORT, "port_at": st["port_at"]}
        if st["anyint"]:
            assert res["t"] == "int", res
            if st["call"] == "detach":
                ctx.owned.add(v)
            res = {"t": "int", "v": "0"}
            out["mask"] = {"why": st["anyint"], "int": "any"}
        if st["int_in"]:
            assert res["t"] == "int" and int(res["v"]) in st["int_in"][0], res
            out["mask"] = {"why": st["int_in"][1], "int_in": st["int_in"][0]}
        if res["t"] == "none" and st["call"] in VALUE_CALLS:
            res = {"t": "none", "value": True}
        out["result"] = {"ok": res}
    if st["elapsed"]:
        lo, hi = st["elapsed"]["min"], st["elapsed"]["max"]
        assert lo <= dt < hi, (st["call"], dt, st["elapsed"])
        out["elapsed"] = st["elapsed"]
    if st["note"]:
        out["note"] = st["note"]
    return out


def run_step(ctx, st):
    k = st["kind"]
    if k == "call":
        return run_call(ctx, st)
    if k == "state":
        s = ctx.socks[st["on"]]
        t = s.gettimeout()
        assert s.timeout == t or (s.timeout is None and t is None)
        return {"state": st["on"], "result": {
            "timeout": t, "blocking": s.getblocking(), "nonblock": nonblock_bit(s.fileno()),
            "type": int(s.type)}}
    if k == "attr":
        s = ctx.socks[st["on"]]
        v = getattr(s, st["attr"])
        res = ctx.enc(v)
        if res["t"] == "none":
            res["value"] = True
        return {"attr": st["attr"], "on": st["on"], "result": {"ok": res}}
    if k == "sleep":
        time.sleep(st["sleep"])
        return {"sleep": st["sleep"], "why": st["why"]}
    if k == "backlog":
        s = ctx.socks[st["on"]]
        host, port = s.getsockname()[:2]
        got = ss_backlog(host, port)
        out = {"backlog": st["on"], "result": got}
        req = st["requested"]
        if req is not None:
            assert got == min(req, SOMAXCONN), (got, req)
            if req > SOMAXCONN:
                out["requested"] = req
                out["mask"] = {"why": "the kernel caps the backlog at net.core.somaxconn "
                                      f"({SOMAXCONN} here); the replay expects "
                                      "min(requested, its live somaxconn)",
                               "somaxconn": True}
        return out
    if k == "peer":
        addr = ctx.socks[st["connect"]].getsockname()
        th = threading.Thread(target=peer_thread, args=(ctx, addr, st["delay"], st["data"]),
                              daemon=True)
        th.start()
        ctx.threads.append(th)
        return {"peer": {"connect": st["connect"], "delay": st["delay"],
                         "hex": st["data"].hex()}, "why": st["why"]}
    raise ValueError(k)


def run_case(c):
    assert socket.getdefaulttimeout() is None
    ctx = Ctx()
    try:
        for name, kind in c["fds"].items():
            ctx.make_fd(name, kind)
        setup(ctx, c)
        steps = [run_step(ctx, st) for st in c["steps"]]
    finally:
        socket.setdefaulttimeout(None)   # every case starts and ends with the default None
        ctx.cleanup()
    sock = {"family": c["family"], "type": c["type"], "state": c["state"]}
    if c["listener"]:
        sock["listener"] = c["listener"]
    out = {"id": c["id"], "group": c["group"], "row": None, "sock": sock}
    if c["fds"]:
        out["fds"] = c["fds"]
    out["steps"] = steps
    if c["note"]:
        out["note"] = c["note"]
    if c["python_only"]:
        out["python_only"] = c["python_only"]
    return out


# --------------------------------------------------------------------------------------------
# Cases: arguments (§3.2, §3.3)

ARGS = [None, 0, -0.0, 1e-10, 4e-10, 5e-10, 1.5e-9, 0.1, 1.5, 2.5, 5, True, False, -1, -1e-10,
        -0.5, 9223372036.854774, 9223372036.854776, 9223372036, 9223372037, 2 ** 31, 2 ** 32,
        2 ** 63 - 1, 2 ** 63, -(2 ** 63), -(2 ** 63) - 1, 2 ** 64, 1e300, INF, -INF, NAN, "1",
        b"1", [], AsNumber(2 ** 63), AsNumber(2 ** 64), AsNumber(int(1e300))]
WHY_INTEGRAL = ("JS has no integral float: the number 1e300 is Python's int(1e300), which the "
                "'int:int(1e300)(number)' case covers")


def only(a):
    return WHY_INTEGRAL if integral_float(a) else None


def arg_cases():
    for fn in ("settimeout", "setblocking"):
        for start, pre in (("from-none", []), ("from-2.5", [C("settimeout", 2.5)])):
            for a in ARGS:
                case(f"{fn}/{start}/{label(a)}", "args", [*pre, C(fn, a), STATE(),
                                                          ATTR("timeout")],
                     "inet", "stream", "fresh", python_only=only(a))
            case(f"{fn}/{start}/no-args", "args", [*pre, C(fn), STATE()], "inet", "stream", "fresh")
            case(f"{fn}/{start}/two-args", "args", [*pre, C(fn, None, None), STATE()],
                 "inet", "stream", "fresh")
    for fn in ("gettimeout", "getblocking"):
        case(f"{fn}/one-arg", "args", [C(fn, None), STATE()], "inet", "stream", "fresh")
    for start, pre in (("from-none", []), ("from-2.5", [C("setdefaulttimeout", 2.5)])):
        for a in ARGS:
            case(f"setdefaulttimeout/{start}/{label(a)}", "args",
                 [*pre, C("setdefaulttimeout", a), C("getdefaulttimeout"),
                  C("socket", save="s"), STATE("s")], python_only=only(a))
        case(f"setdefaulttimeout/{start}/no-args", "args",
             [*pre, C("setdefaulttimeout"), C("getdefaulttimeout")])
        case(f"setdefaulttimeout/{start}/two-args", "args",
             [*pre, C("setdefaulttimeout", None, None), C("getdefaulttimeout")])
    case("getdefaulttimeout/one-arg", "args", [C("getdefaulttimeout", None)])


# --------------------------------------------------------------------------------------------
# Cases: the state matrix (§3.1, §3.4)


def state_cases():
    # NonBlockingTCPTests.testSetBlocking, on the listening socket it uses
    case("matrix/testSetBlocking", "state",
         [C("setblocking", True), STATE(), C("setblocking", False), STATE(),
          C("settimeout", None), STATE(), C("settimeout", 0), STATE(),
          C("settimeout", 10), STATE(), C("settimeout", 0), STATE(),
          C("settimeout", -0.0), STATE(), C("settimeout", 2.5), STATE(),
          C("setblocking", False), STATE(), C("settimeout", 1e-10), STATE(),
          C("setblocking", True), STATE()], "inet", "stream", "listening")
    # testSetBlocking_overflow: UINT_MAX+1 is true (bpo-35191), not truncated to 0
    case("matrix/testSetBlocking_overflow", "state",
         [C("setblocking", False), STATE(), C("setblocking", 2 ** 32), STATE(),
          C("setblocking", False), STATE(), C("setblocking", -(2 ** 32)), STATE(),
          C("setblocking", 0), STATE(), C("setblocking", 2 ** 63 - 1), STATE()],
         "inet", "stream", "listening")
    # NonblockConstantTest.test_SOCK_NONBLOCK (2.0 is written 2: JS has no integral float,
    # and CPython parses the int 2 to the same 2 s)
    case("matrix/test_SOCK_NONBLOCK", "state",
         [C("socket", AF_INET, STREAM | NONBLOCK, save="s"), STATE("s"),
          C("setblocking", True, on="s"), STATE("s"), C("setblocking", False, on="s"), STATE("s"),
          C("settimeout", None, on="s"), STATE("s"), C("settimeout", 2, on="s"), STATE("s"),
          C("setblocking", True, on="s"), STATE("s"), C("close", on="s"),
          C("setdefaulttimeout", 0), C("socket", save="a"), STATE("a"),
          C("setdefaulttimeout", None), C("socket", save="b"), STATE("b"),
          C("setdefaulttimeout", 2), C("socket", save="c"), STATE("c"),
          C("setdefaulttimeout", None), C("socket", save="d"), STATE("d")])
    # GeneralModuleTests.test_socket_consistent_sock_type
    for typ, tn in ((STREAM, "stream"), (DGRAM, "dgram")):
        case(f"matrix/consistent-type/{tn}", "state",
             [C("socket", AF_INET, typ | NONBLOCK | CLOEXEC, save="s"), STATE("s"),
              ATTR("type", "s"),
              C("settimeout", 1, on="s"), STATE("s"), C("settimeout", 0, on="s"), STATE("s"),
              C("setblocking", True, on="s"), STATE("s"), C("setblocking", False, on="s"),
              STATE("s"), C("settimeout", 0.5, on="s"), STATE("s")])
    # SOCK_NONBLOCK wins over any default (§3.4)
    for d in (None, 0, 2.5):
        case(f"matrix/SOCK_NONBLOCK-under-default/{label(d)}", "state",
             [C("setdefaulttimeout", d),
              C("socket", AF_INET, STREAM | NONBLOCK, save="s"), STATE("s"),
              C("socket", AF_INET, DGRAM | NONBLOCK, save="u"), STATE("u"),
              C("socket", AF_INET, STREAM | CLOEXEC, save="c"), STATE("c"),
              C("socketpair", AF_UNIX, STREAM | NONBLOCK, save=["p", "q"]), STATE("p"),
              STATE("q")])
    # every way a socket object is made, under each default (§3.4). The int 0 and 2 stand for
    # Python's 0.0 and 2.0 (same parse); 2.5 is a real float.
    fds = {"nb": "inet-stream-nonblock", "b": "inet-stream",
           "nb2": "inet-stream-nonblock", "b2": "inet-stream"}
    for d in (None, 0, 2, 2.5):
        case(f"matrix/default/{label(d)}", "state",
             [C("setdefaulttimeout", d), C("getdefaulttimeout"),
              C("socket", save="s"), STATE("s"),
              C("socket", AF_INET, DGRAM, save="u"), STATE("u"),
              C("socket", AF_INET6, STREAM, save="v"), STATE("v"),
              C("socket", AF_UNIX, STREAM, save="x"), STATE("x"),
              C("socketpair", save=["p", "q"]), STATE("p"), STATE("q"),
              C("fromfd", FD("nb2"), AF_INET, STREAM, save="fnb"), STATE("fnb"),
              C("fromfd", FD("b2"), AF_INET, STREAM, save="fb"), STATE("fb"),
              C("socket", -1, -1, -1, FD("nb"), save="onb"), STATE("onb"),
              C("socket", -1, -1, -1, FD("b"), save="ob"), STATE("ob")],
             fds=fds, note="fromfd dups the fd: a dup shares the open file description, so "
                           "its O_NONBLOCK is the original fd's too; that is why socket(fileno=) "
                           "and fromfd use separate raw fds")
        # dup() = socket(fileno=dup(fd)) under the default, then settimeout(self.gettimeout())
        for t in (None, 0, 1.5):
            case(f"matrix/default/{label(d)}/dup-of-{label(t)}", "state",
                 [C("settimeout", t), STATE(), C("setdefaulttimeout", d),
                  C("dup", save="y"), STATE("y"), STATE()],
                 "inet", "stream", "fresh",
                 note="the dup shares the original's open file description, so the original's "
                      "O_NONBLOCK follows the dup's last settimeout")
    # settimeout/setblocking store the timeout before the ioctl (§3.1 quirk)
    detach = C("detach", anyint="detach() returns the fd number, which depends on what the "
                                 "process has open; the replay closes it")
    for st, pre in (("closed", []), ("detached", [detach])):
        state = "closed" if st == "closed" else "fresh"
        case(f"matrix/{st}", "state",
             [*pre, STATE(), C("settimeout", 2.5), STATE(), C("setblocking", False), STATE(),
              C("settimeout", None), STATE(), C("settimeout", 0.25), STATE(),
              C("setblocking", True), STATE(), C("settimeout", -1), STATE(),
              C("settimeout", "x"), STATE(), C("setblocking", 1.5), STATE(),
              C("gettimeout"), C("getblocking"), ATTR("timeout")],
             "inet", "stream", state)
    # testSendAfterClose
    case("matrix/testSendAfterClose", "state",
         [C("settimeout", 1), C("close"), C("send", b"spam"), C("sendall", b"spam"),
          C("recv", 4), STATE()], "inet", "stream", "fresh")
    # accept() inheritance (§3.4): the accepted socket gets the default, never the listener's
    for d in (None, 0, 3):
        for lt in (None, 0, 5):
            accept_case(f"matrix/accept/default-{label(d)}/listener-{label(lt)}", d, lt)
    # testInheritFlagsBlocking / testInheritFlagsTimeout
    accept_case("matrix/accept/testInheritFlagsBlocking", None, 10)
    accept_case("matrix/accept/testInheritFlagsTimeout", 20, 10)


def accept_case(cid, d, lt):
    case(cid, "state",
         [C("socket", save="c"), C("connect", ADDR("listener"), on="c"),
          C("setdefaulttimeout", d), C("settimeout", lt, on="listener"), STATE("listener"),
          SLEEP(0.02, "lets the handshake's last ACK reach the listener (it already has on "
                      "loopback when connect() returns; this only makes it certain)"),
          *WATCHDOG("listener"),
          C("accept", on="listener", save=["conn", None]), STATE("conn"), STATE("listener")],
         listener="inet",
         note="the client is made before setdefaulttimeout, so it connects in blocking mode")


# --------------------------------------------------------------------------------------------
# Cases: listen (§4)


def listen_cases():
    # test_listen_backlog and the kernel's view of each backlog
    for args, req in (((), 128), ((0,), 0), ((-1,), 0), ((-100,), 0), ((1,), 1), ((5,), 5),
                      ((5000,), 5000), ((2 ** 31 - 1,), 2 ** 31 - 1), ((True,), 1),
                      ((-(2 ** 31),), 0)):
        lab = "default" if not args else label(args[0])
        case(f"listen/backlog/{lab}", "listen",
             [BACKLOG(requested=None), C("listen", *args), BACKLOG(requested=req)],
             "inet", "stream", "bound")
    case("listen/backlog/1-then-10", "listen",
         [C("listen", 1), BACKLOG(requested=1), C("listen", 10), BACKLOG(requested=10),
          C("listen", 0), BACKLOG(requested=0)], "inet", "stream", "bound")
    case("listen/backlog/inet6", "listen", [C("listen", 3), BACKLOG(requested=3)],
         "inet6", "stream", "bound")
    case("listen/backlog/bigint", "listen", [C("listen", T.BigInt(4)), BACKLOG(requested=4)],
         "inet", "stream", "bound", note="a bigint is an int (DESIGN.md's mapping)")
    case("listen/backlog/unbound-autobinds", "listen",
         [C("listen", 7), BACKLOG(requested=7), C("getsockopt", SOL_SOCKET, socket.SO_ACCEPTCONN)],
         "inet", "stream", "fresh",
         note="an unbound TCP socket autobinds to 0.0.0.0 and an ephemeral port")
    # test_listen_backlog_overflow and the other errors; a failed listen leaves it unlistening
    # -0.0 (JS -0) is a float: refused as 1.5 is, never the backlog 0
    for a in (2 ** 31, -(2 ** 31) - 1, 2 ** 63, 2 ** 64, None, 1.5, "5", b"5", [], -0.0):
        case(f"listen/error/{label(a)}", "listen", [C("listen", a), BACKLOG(requested=None)],
             "inet", "stream", "bound")
    case("listen/error/two-args", "listen", [C("listen", 1, 2), BACKLOG(requested=None)],
         "inet", "stream", "bound")
    case("listen/error/closed", "listen", [C("listen", 1), C("listen")], "inet", "stream", "closed")
    case("listen/error/udp", "listen", [C("listen", 1), C("listen")], "inet", "dgram", "bound")
    case("listen/error/connected-tcp", "listen", [C("listen", 1), C("listen")],
         "inet", "stream", "connected")
    case("listen/error/accepted-tcp", "listen", [C("listen", 1)], "inet", "stream", "accepted")
    case("listen/with-timeout", "listen",
         [C("settimeout", 2.5), C("listen", 4), BACKLOG(requested=4), STATE()],
         "inet", "stream", "bound")


# --------------------------------------------------------------------------------------------
# Cases: blocking calls under a timeout (§3.5)

EL_SHORT = EL(0.04, 2.0)
EL_FAST = EL(0, 1.0, "a call that must not wait (timeout 0, or data already queued)")


def io_cases():
    # testRecv-like: no data
    for fam in ("inet", "inet6", "unix"):
        case(f"io/recv/{fam}/timeout-0.05", "io",
             [C("settimeout", 0.05), *WATCHDOG(), C("recv", 1024, elapsed=EL_SHORT), STATE()],
             fam, "stream", "connected")
    case("io/recv/inet/timeout-0", "io",
         [C("settimeout", 0), C("recv", 1024, elapsed=EL_FAST), STATE()],
         "inet", "stream", "connected")
    case("io/recv/inet/setblocking-False", "io",
         [C("setblocking", False), C("recv", 1024, elapsed=EL_FAST)],
         "inet", "stream", "connected")
    case("io/recv_into/inet/timeout-0.05", "io",
         [C("settimeout", 0.05), *WATCHDOG(), C("recv_into", Buf(bytes(8)),
                                                 elapsed=EL_SHORT)],
         "inet", "stream", "connected")
    # data already queued: the timed recv returns it at once
    case("io/recv/inet/data-before-deadline", "io",
         [C("sendall", b"hello", on="peer"),
          SLEEP(0.02, "loopback delivers during sendall(); this only makes it certain"),
          C("settimeout", 2.5), *WATCHDOG(), C("recv", 100, elapsed=EL_FAST), STATE()],
         "inet", "stream", "connected")
    # data that arrives while recv waits (an out-of-thread peer sends 0.3 s after connecting)
    case("io/recv/inet/data-during-wait", "io",
         [PEER("listener", 0.3, b"late data", "a peer outside the test thread connects, "
               "sends after `delay` s, then holds the connection until the case ends"),
          C("settimeout", 5, on="listener"), *WATCHDOG("listener"),
          C("accept", on="listener", save=["conn", None], port_at=[1, 1],
            elapsed=EL(0, 3.0, "waits for the peer process to start and connect")),
          C("settimeout", 2.5, on="conn"), *WATCHDOG("conn"),
          C("recv", 100, on="conn",
            elapsed=EL(0.02, 2.5, "the peer sends 0.3 s after connecting: recv waits part of that")),
          STATE("conn")],
         listener="inet")
    # testRecv (NonBlockingTCPTests): EAGAIN before data, the data after it arrived
    case("io/testRecv", "io",
         [C("setblocking", False), C("recv", 5, elapsed=EL_FAST),
          C("sendall", b"Michael", on="peer"),
          SLEEP(0.02, "loopback delivers during sendall(); this only makes it certain"),
          C("recv", 7, elapsed=EL_FAST), C("recv", 7)],
         "inet", "stream", "accepted")
    # UDP (testUDPTimeout / testTimeoutZero)
    for fam in ("inet", "inet6"):
        case(f"io/udp/{fam}/timeout-0.05", "io",
             [C("bind", (LOOPBACK[fam], 0)), C("settimeout", 0.05), *WATCHDOG(),
              C("recv", 1024, elapsed=EL_SHORT), C("recvfrom", 1024, elapsed=EL_SHORT)],
             fam, "dgram", "fresh")
        case(f"io/udp/{fam}/timeout-0", "io",
             [C("bind", (LOOPBACK[fam], 0)), C("settimeout", 0),
              C("recv", 1024, elapsed=EL_FAST), C("recvfrom", 1024, elapsed=EL_FAST)],
             fam, "dgram", "fresh")
    case("io/udp/inet/data-before-deadline", "io",
         [C("send", b"dgram"),
          C("settimeout", 2.5, on="peer"), *WATCHDOG("peer"),
          C("recvfrom", 100, on="peer", elapsed=EL_FAST)],
         "inet", "dgram", "connected")
    # accept (testTCPTimeout / testTimeoutZero / testAccept)
    case("io/accept/timeout-0.05", "io",
         [C("settimeout", 0.05), *WATCHDOG(), C("accept", elapsed=EL_SHORT), STATE()],
         "inet", "stream", "listening")
    case("io/accept/timeout-0", "io",
         [C("settimeout", 0), C("accept", elapsed=EL_FAST), STATE()],
         "inet", "stream", "listening")
    case("io/testAccept", "io",
         [C("setblocking", False), C("accept", elapsed=EL_FAST),
          C("socket", save="c"), C("connect", ADDR("sock"), on="c"),
          SLEEP(0.02, "lets the handshake's last ACK reach the listener (it already has on "
                      "loopback when connect() returns; this only makes it certain)"),
          C("accept", save=["conn", None], elapsed=EL_FAST), STATE("conn"), STATE()],
         "inet", "stream", "listening")
    case("io/accept/pending-with-timeout", "io",
         [C("socket", save="c"), C("connect", ADDR("sock"), on="c"),
          C("settimeout", 2.5), *WATCHDOG(),
          C("accept", save=["conn", None], elapsed=EL_FAST), STATE("conn")],
         "inet", "stream", "listening")
    # connect
    case("io/connect/timeout-2.5-to-listener", "io",
         [C("settimeout", 2.5), *WATCHDOG(), C("connect", ADDR("listener"), elapsed=EL_FAST),
          STATE(), C("getpeername")],
         "inet", "stream", "fresh", listener="inet")
    case("io/connect/timeout-0-to-listener", "io",
         [C("settimeout", 0), C("connect", ADDR("listener"), elapsed=EL_FAST), STATE()],
         "inet", "stream", "fresh", listener="inet")
    case("io/connect_ex/timeout-0-to-listener", "io",
         [C("settimeout", 0),
          C("connect_ex", ADDR("listener"), elapsed=EL_FAST,
            int_in=([115, 0], "a non-blocking connect may complete at once (0) or report "
                              "EINPROGRESS (115); Linux loopback gives 115")),
          STATE()],
         "inet", "stream", "fresh", listener="inet")
    case("io/connect_ex/timeout-2.5-to-listener", "io",
         [C("settimeout", 2.5), *WATCHDOG(), C("connect_ex", ADDR("listener"), elapsed=EL_FAST)],
         "inet", "stream", "fresh", listener="inet")
    case("io/connect/timeout-2.5-refused", "io",
         [C("socket", save="r"), C("bind", ("127.0.0.1", 0), on="r"),
          C("settimeout", 2.5), *WATCHDOG(), C("connect", ADDR("r"), elapsed=EL_FAST),
          C("connect_ex", ADDR("r"), elapsed=EL_FAST)],
         "inet", "stream", "fresh",
         note="r is bound and never listens: loopback answers the SYN with RST at once")
    # sendall into a peer that never reads: small buffers fill, then the deadline passes
    for t, el in ((0.2, EL(0.15, 3.0)), (0, EL_FAST)):
        case(f"io/sendall/full-buffers/timeout-{label(t)}", "io",
             [C("socket", save="l"), C("setsockopt", SOL_SOCKET, socket.SO_RCVBUF, 4096, on="l"),
              C("bind", ("127.0.0.1", 0), on="l"), C("listen", on="l"),
              C("socket", save="c"), C("setsockopt", SOL_SOCKET, socket.SO_SNDBUF, 4096, on="c"),
              C("connect", ADDR("l"), on="c"), C("accept", on="l", save=["a", None]),
              C("settimeout", t, on="c"), *WATCHDOG("c"),
              C("sendall", Zeros(8 << 20), on="c", elapsed=el), STATE("c")],
             note="the accepted socket inherits the listener's 4096-byte SO_RCVBUF; nobody "
                  "reads it, so 8 MiB cannot fit")
    case("io/send/timeout-0/full-buffers", "io",
         [C("socket", save="l"), C("setsockopt", SOL_SOCKET, socket.SO_RCVBUF, 4096, on="l"),
          C("bind", ("127.0.0.1", 0), on="l"), C("listen", on="l"),
          C("socket", save="c"), C("setsockopt", SOL_SOCKET, socket.SO_SNDBUF, 4096, on="c"),
          C("connect", ADDR("l"), on="c"), C("accept", on="l", save=["a", None]),
          C("settimeout", 0, on="c"),
          C("sendall", Zeros(8 << 20), on="c", elapsed=EL_FAST),
          C("send", Zeros(1 << 20), on="c", elapsed=EL_FAST)],
         note="after sendall filled the buffers, one send gets EAGAIN at once")


def main():
    arg_cases()
    state_cases()
    listen_cases()
    io_cases()
    cases = [run_case(c) for c in CASES]
    T.write_fixture(OUT, {**T.header(GENERATOR), "somaxconn": SOMAXCONN}, cases,
                    allow_nan=False)
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    sys.exit(main())
