#!/usr/bin/env python3
"""Record CPython's exact results for the socket object's methods (other than
getsockopt/setsockopt), the constructor and the module functions socketpair, fromfd,
create_server and create_connection.

Run from anywhere: `python3 scripts/gen_socket_api.py`. Writes test/fixtures/socket-api.json
(schema: test/fixtures/README.md, "Case schema" plus "Socket-API fixtures").

CPython is the oracle: every result below is what the running interpreter returned or raised
on the live kernel, over loopback and unix sockets in a temp dir. Nothing is typed in by hand
except the calls themselves. Values that depend on the run (ephemeral ports, temp-dir paths,
abstract unix names, fd numbers, autobind names) are either written as placeholders the
replay resolves the same way, or masked with a `why`.
"""

import os
import secrets
import shutil
import signal
import socket
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optiontable as T  # noqa: E402

GENERATOR = "scripts/gen_socket_api.py"
OUT = "test/fixtures/socket-api.json"

# One random token per run: abstract unix names must not collide with another run (or a
# concurrent test) in the same network namespace. The fixture never contains it.
RUN = secrets.token_hex(4)

AF_INET, AF_INET6, AF_UNIX = socket.AF_INET, socket.AF_INET6, socket.AF_UNIX
STREAM, DGRAM = socket.SOCK_STREAM, socket.SOCK_DGRAM
NONBLOCK, CLOEXEC = socket.SOCK_NONBLOCK, socket.SOCK_CLOEXEC
FAM, TYP, LOOPBACK = T.FAMILIES, T.TYPES, T.LOOPBACK

WHY_PORT = "ephemeral port chosen by the kernel"
WHY_FD = "fd numbers depend on what the process has open"


# --------------------------------------------------------------------------------------------
# Arguments: plain Python values, plus placeholders the replay resolves in its own run.


class Ph:
    """A placeholder argument (see README "Socket-API fixtures")."""

    def __init__(self, t, v, as_=None):
        self.t, self.v, self.as_ = t, v, as_

    def json(self):
        d = {"t": self.t, "v": self.v}
        if self.as_:
            d["as"] = self.as_
        return d


def ADDR(v):
    return Ph("addr", v)


def PATH(v, as_=None):
    return Ph("path", v, as_)


def ABSTRACT(v, as_=None):
    return Ph("abstract", v, as_)


def FD(v):
    return Ph("fd", v)


def PORT(v, as_=None):
    """getsockname()[1] of the socket named v, as an int (or its decimal str / bytes)."""
    return Ph("port", v, as_)


class Dict:
    """An empty Python dict (JS `{}`): falsy, as a JS object never is."""


class Buf:
    """A fresh bytearray (writable buffer) argument."""

    def __init__(self, data: bytes):
        self.data = bytes(data)


def enc_arg(v):
    if isinstance(v, Ph):
        return v.json()
    if isinstance(v, Buf):
        return {"t": "bytearray", "hex": v.data.hex()}
    if isinstance(v, Dict):
        return {"t": "dict"}
    if isinstance(v, tuple):
        return {"t": "tuple", "v": [enc_arg(x) for x in v]}
    if isinstance(v, list):
        return {"t": "list", "v": [enc_arg(x) for x in v]}
    return T.enc_plain(v)


# --------------------------------------------------------------------------------------------
# Steps and cases.


class Step:
    def __init__(self, call=None, args=(), kw=None, attr=None, on=None, save=None, port=None,
                 anyint=False, mask_bytes=None, fd=None, fd_result=False, buffer_after=False,
                 note=None):
        self.call, self.args, self.kw, self.attr = call, tuple(args), kw or {}, attr
        self.on, self.save, self.port, self.anyint = on, save, port, anyint
        self.mask_bytes, self.fd, self.fd_result = mask_bytes, fd, fd_result
        self.buffer_after, self.note = buffer_after, note


def call(name, *args, **opts):
    return Step(call=name, args=args, **opts)


def attr(name, **opts):
    return Step(attr=name, **opts)


MODULE_FUNCS = {
    "socket": lambda *a, **k: socket.socket(*a, **k),
    "socketpair": lambda *a, **k: socket.socketpair(*a, **k),
    "fromfd": lambda *a, **k: socket.fromfd(*a, **k),
    "create_server": lambda *a, **k: socket.create_server(*a, **k),
    "create_connection": lambda *a, **k: socket.create_connection(*a, **k),
}

CASES = []
_ids = set()


def case(cid, family=None, type=None, state="none", steps=(), listener=None, note=None,
         python_only=None):
    assert cid not in _ids, cid
    _ids.add(cid)
    CASES.append(dict(id=cid, family=family, type=type, state=state, steps=list(steps),
                      listener=listener, note=note, python_only=python_only))


# --------------------------------------------------------------------------------------------
# Execution context of one case.


class Ctx:
    def __init__(self, index):
        self.tmp = tempfile.mkdtemp(prefix="wasock-api-")
        # exactly 16 ASCII characters, unique per run and case (README: abstract placeholder)
        self.abstract_prefix = f"w{RUN}{index:06d}-"
        assert len(self.abstract_prefix) == 16
        self.socks = {}          # name -> socket
        self.extra = []          # every socket created during the case (closed at the end)
        self.fds = {}            # fd placeholder -> fd number
        self.owned_fds = set()   # fds the context must close at the end
        self.refused = {}        # family name -> blocker socket

    # placeholders -> values
    def resolve(self, v, target):
        if isinstance(v, tuple):
            return tuple(self.resolve(x, target) for x in v)
        if isinstance(v, list):
            return [self.resolve(x, target) for x in v]
        if isinstance(v, Buf):
            return bytearray(v.data)
        if isinstance(v, Dict):
            return {}
        if not isinstance(v, Ph):
            return v
        if v.t == "path":
            p = os.path.join(self.tmp, v.v)
            return os.fsencode(p) if v.as_ == "bytes" else p
        if v.t == "abstract":
            name = "\0" + self.abstract_prefix + v.v
            return name if v.as_ == "str" else name.encode("ascii")
        if v.t == "addr":
            if v.v == "self":
                return target.getsockname()
            if v.v in ("refused", "refused6"):
                return self.refused_addr(v.v)
            return self.socks[v.v].getsockname()
        if v.t == "fd":
            return self.fd(v.v)
        if v.t == "port":
            port = self.socks[v.v].getsockname()[1]
            return {None: port, "str": str(port), "bytes": str(port).encode()}[v.as_]
        raise ValueError(f"unknown placeholder {v.json()}")

    def refused_addr(self, which):
        if which not in self.refused:
            fam = AF_INET if which == "refused" else AF_INET6
            b = socket.socket(fam, STREAM)
            b.bind(("127.0.0.1" if fam == AF_INET else "::1", 0))
            self.refused[which] = b   # bound, never listening: connect gets RST
        return self.refused[which].getsockname()

    def fd(self, name):
        if name in self.fds:
            return self.fds[name]
        if name == "closed-fd":
            n = os.open(os.devnull, os.O_RDONLY)
            os.close(n)
        elif name == "devnull":
            n = os.open(os.devnull, os.O_RDONLY)
            self.owned_fds.add(n)
        else:
            fam, typ = name.split("-")
            n = socket.socket(FAM[fam], TYP[typ]).detach()
            self.owned_fds.add(n)
        self.fds[name] = n
        return n

    def adopt(self, fd):
        # a socket(fileno=fd) now owns fd
        self.owned_fds.discard(fd)

    # values -> result JSON
    def addr_name(self, v, target, step):
        # An address equal to a named socket's getsockname() is written as that name:
        # stronger than a port mask. Never the target's own name for getsockname() (that
        # would compare the call with itself).
        order = ["listener", "peer", "sock"] + [n for n in self.socks
                                                if n not in ("listener", "peer", "sock")]
        for name in order:
            s = self.socks.get(name)
            if s is None or s.fileno() == -1:
                continue
            if s is target and step.call == "getsockname":
                continue
            try:
                mine = s.getsockname()
            except OSError:
                continue
            if v == mine and mine not in (("0.0.0.0", 0), ("::", 0, 0, 0), "", b""):
                return "self" if s is target else name
        for name, s in self.refused.items():
            if v == s.getsockname():
                return name
        return None

    def enc(self, v, step, target, pre_fd, args):
        if isinstance(v, socket.socket):
            self.extra.append(v)
            d = {"t": "socket", "family": int(v.family), "type": int(v.type),
                 "proto": int(v.proto)}
            if step.fd == "arg":
                assert v.fileno() == step._fileno_arg, (v.fileno(), step._fileno_arg)
                d["fd"] = "arg"
            elif step.fd == "new":
                assert v.fileno() >= 0 and v.fileno() != pre_fd
                assert v.fileno() not in self.fds.values()
                d["fd"] = "new"
            return d
        if isinstance(v, bool):
            return {"t": "bool", "v": v}
        if isinstance(v, int):
            if step.fd_result:
                assert v == pre_fd and v >= 0, (v, pre_fd)
                return {"t": "fd", "v": "self"}
            return {"t": "int", "v": str(int(v))}
        if v is None:
            return {"t": "none"}
        if isinstance(v, str):
            if v.startswith(self.tmp + "/"):
                return {"t": "path", "v": v[len(self.tmp) + 1:]}
            return {"t": "str", "v": v}
        if isinstance(v, (bytes, bytearray)):
            pre = ("\0" + self.abstract_prefix).encode()
            if v.startswith(pre):
                return {"t": "abstract", "v": v[len(pre):].decode("ascii")}
            assert RUN.encode() not in v
            return {"t": "bytes", "hex": bytes(v).hex()}
        if isinstance(v, tuple):
            name = self.addr_name(v, target, step)
            if name:
                return {"t": "addr", "v": name}
            return {"t": "tuple", "v": [self.enc(x, step, target, pre_fd, args) for x in v]}
        if isinstance(v, float):
            assert v != int(v)
            return {"t": "float", "v": v}
        raise TypeError(f"cannot encode result {v!r}")

    def subst_message(self, msg):
        """Write repr() of a named address inside a message as {addr:NAME}."""
        names = []
        cands = [(n, s) for n, s in self.socks.items()] + list(self.refused.items())
        for name, s in cands:
            try:
                a = s.getsockname()
            except OSError:
                continue
            if isinstance(a, tuple) and a[1] != 0 and repr(a) in msg:
                msg = msg.replace(repr(a), "{addr:%s}" % name)
                names.append(name)
        assert RUN not in msg and self.tmp not in msg, msg
        return msg, names

    def cleanup(self):
        for s in list(self.socks.values()) + self.extra + list(self.refused.values()):
            try:
                s.close()
            except OSError:
                pass
        for n in self.owned_fds:
            try:
                os.close(n)
            except OSError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)


def setup(ctx, c):
    unix = c["family"] == "unix"
    assert not (unix and c["state"] == "accepted")
    # a bound unix socket gets a path in the case's temp dir
    unix_path = (lambda: ctx.resolve(PATH("bound.sock"), None)) if unix else None
    ctx.socks.update(T.case_sockets(c, unix_path))


def port_at(v, path):
    for i in path:
        if v["t"] != "tuple":
            return None
        v = v["v"][i]
    return int(v["v"]) if v["t"] == "int" else None


def run_step(ctx, st):
    target = ctx.socks.get(st.on or "sock")
    pre_fd = target.fileno() if target is not None else None
    out = {}
    if st.attr:
        out["attr"] = st.attr
    else:
        out["call"] = st.call
        out["args"] = [enc_arg(a) for a in st.args]
        if st.kw:
            out["kwargs"] = {k: enc_arg(v) for k, v in st.kw.items()}
    if st.on:
        out["on"] = st.on
    if st.save:
        out["save"] = st.save
    args = [ctx.resolve(a, target) for a in st.args]
    kw = {k: ctx.resolve(v, target) for k, v in st.kw.items()}
    st._fileno_arg = kw.get("fileno", args[3] if len(args) > 3 else None)
    try:
        if st.attr:
            v = getattr(target, st.attr)
        elif st.call in MODULE_FUNCS:
            v = MODULE_FUNCS[st.call](*args, **kw)
        else:
            v = getattr(target, st.call)(*args, **kw)
    except BaseException as e:  # noqa: BLE001 - every exception is a result
        if isinstance(e, (KeyboardInterrupt, SystemExit, Hang)):
            raise
        err = getattr(e, "errno", None)
        msg, names = ctx.subst_message(str(e))
        out["result"] = {"raises": {"type": type(e).__name__, "errno": err, "message": msg}}
        if names:
            out["mask"] = {"why": "the message quotes an address with an ephemeral port",
                           "message_addr": names}
        if st.port or st.anyint or st.mask_bytes:
            raise AssertionError(f"mask on a raising step: {out}")
    else:
        if st.call == "socket" and isinstance(v, socket.socket) and st._fileno_arg is not None:
            ctx.adopt(st._fileno_arg)
        if st.call == "detach" and isinstance(v, int) and v >= 0:
            ctx.owned_fds.add(v)
        res = ctx.enc(v, st, target, pre_fd, args)
        if st.port is not None and port_at(res, st.port) not in (0, None):
            # a port of 0 (nothing bound) is deterministic and stays unmasked
            res = T.zero_port(res, st.port)
            out["mask"] = {"why": WHY_PORT, "port_at": st.port}
        if st.anyint:
            assert res["t"] == "int"
            res = {"t": "int", "v": "0"}
            out["mask"] = {"why": WHY_FD, "int": "any"}
        if st.mask_bytes and res["t"] == "bytes":
            b = bytearray.fromhex(res["hex"])
            for a, z in st.mask_bytes[0]:
                b[a:z] = bytes(z - a)
            res = {"t": "bytes", "hex": b.hex()}
            out["mask"] = {"why": st.mask_bytes[1], "bytes": st.mask_bytes[0]}
        out["result"] = {"ok": res}
        if st.buffer_after:
            out["buffer_after"] = ctx.enc(bytes(args[0]), st, target, pre_fd, args)
        if st.save:
            names = st.save if isinstance(st.save, list) else [st.save]
            vals = list(v) if isinstance(st.save, list) else [v]
            for n, sv in zip(names, vals):
                if n:
                    ctx.socks[n] = sv
    if st.note:
        out["note"] = st.note
    return out


class Hang(Exception):
    pass


def _on_alarm(signum, frame):
    raise Hang("a step blocked for 10 s")


def run_case(index, c):
    ctx = Ctx(index)
    signal.alarm(10)  # nothing here may block; a hang is a generator bug
    try:
        setup(ctx, c)
        steps = []
        for st in c["steps"]:
            steps.append(run_step(ctx, st))
            # a step that should have made a socket raised: the steps on it cannot run
            if st.save and "raises" in steps[-1]["result"]:
                break
    except BaseException:
        print(f"in case {c['id']}", file=sys.stderr)
        raise
    finally:
        signal.alarm(0)
        ctx.cleanup()
    out = {"id": c["id"], "row": None,
           "sock": {"family": c["family"], "type": c["type"], "state": c["state"]}}
    if c["listener"]:
        out["sock"]["listener"] = c["listener"]
    if c["note"]:
        out["note"] = c["note"]
    if c["python_only"]:
        out["python_only"] = c["python_only"]
    out["steps"] = steps
    return out


# --------------------------------------------------------------------------------------------
# The cases.

def ctor_cases():
    A = "ctor/"
    case(A + "defaults", steps=[call("socket", save="s"), attr("family", on="s"),
                                attr("type", on="s"), attr("proto", on="s")])
    for fam in ("inet", "inet6", "unix"):
        for typ in ("stream", "dgram"):
            case(A + f"{fam}-{typ}", steps=[call("socket", FAM[fam], TYP[typ])])
            case(A + f"{fam}-{typ}/proto=0", steps=[call("socket", FAM[fam], TYP[typ], 0)])
            for proto in (6, 17):
                if fam == "unix" and proto == 17:
                    continue
                case(A + f"{fam}-{typ}/proto={proto}",
                     steps=[call("socket", FAM[fam], TYP[typ], proto)])
            case(A + f"{fam}-{typ}/kw", steps=[call("socket", kw=dict(family=FAM[fam],
                                                                       type=TYP[typ]))])
    case(A + "unix-stream/proto=1", steps=[call("socket", AF_UNIX, STREAM, 1)],
         note="PF_UNIX as protocol is accepted by the kernel")
    for fam in ("inet", "unix"):
        for typ in ("stream", "dgram"):
            for name, flag in (("NONBLOCK", NONBLOCK), ("CLOEXEC", CLOEXEC),
                               ("NONBLOCK|CLOEXEC", NONBLOCK | CLOEXEC)):
                case(A + f"{fam}-{typ}|{name}",
                     steps=[call("socket", FAM[fam], TYP[typ] | flag, save="s"),
                            attr("type", on="s")])
    case(A + "family=-1", steps=[call("socket", -1)],
         note="Lib/socket.py: -1 means the default")
    case(A + "type=-1", steps=[call("socket", AF_INET, -1)])
    case(A + "proto=-1", steps=[call("socket", AF_INET, STREAM, -1)])
    case(A + "all=-1", steps=[call("socket", -1, -1, -1)])
    case(A + "family=True", steps=[call("socket", True)], note="True is 1 = AF_UNIX")
    for v in (12345, 0, -2, 255):
        case(A + f"family={v}", steps=[call("socket", v)])
    for v in (12345, 0, 3 + 100, 5):
        case(A + f"inet/type={v}", steps=[call("socket", AF_INET, v)])
    for v in (12345, -2, 1, 41):
        case(A + f"inet-stream/proto={v}", steps=[call("socket", AF_INET, STREAM, v)])
    case(A + "unix-dgram/proto=17", steps=[call("socket", AF_UNIX, DGRAM, 17)])
    for label, v in (("2**31", 2**31), ("-2**31-1", -2**31 - 1), ("2**63", 2**63),
                     ("2**40", 2**40)):
        case(A + f"family={label}", steps=[call("socket", v)])
        case(A + f"type={label}", steps=[call("socket", AF_INET, v)])
        case(A + f"proto={label}", steps=[call("socket", AF_INET, STREAM, v)])
    for label, v in (("1.5", 1.5), ("str", "2"), ("None", None), ("bytes", b"2")):
        case(A + f"family={label}", steps=[call("socket", v)])
        case(A + f"type={label}", steps=[call("socket", AF_INET, v)])
        case(A + f"proto={label}", steps=[call("socket", AF_INET, STREAM, v)])
    case(A + "too-many-args", steps=[call("socket", AF_INET, STREAM, 0, None, 5)])
    case(A + "kw-unknown", steps=[call("socket", kw=dict(flags=1))])

    # fileno forms
    F = A + "fileno/"
    case(F + "None", steps=[call("socket", AF_INET, STREAM, 0, None)])
    for label, v in (("1.5", 1.5), ("str", "3"), ("bytes", b"3"), ("-1", -1), ("-2", -2),
                     ("2**31", 2**31), ("2**32-1", 2**32 - 1), ("2**63", 2**63),
                     ("-2**63-1", -2**63 - 1)):
        case(F + label, steps=[call("socket", AF_INET, STREAM, 0, v)])
        case(F + label + "/kw", steps=[call("socket", kw=dict(fileno=v))])
    for name in ("closed-fd", "devnull"):
        case(F + name, steps=[call("socket", kw=dict(fileno=FD(name)))])
        case(F + name + "/explicit", steps=[call("socket", AF_INET, STREAM, 0, FD(name))])
    for name in ("inet-stream", "inet-dgram", "inet6-stream", "inet6-dgram", "unix-stream",
                 "unix-dgram"):
        case(F + name + "/detect",
             steps=[call("socket", kw=dict(fileno=FD(name)), save="s", fd="arg"),
                    call("getsockname", on="s"),
                    attr("family", on="s"), attr("type", on="s"), attr("proto", on="s")])
    fd = FD("inet-stream")
    case(F + "inet-stream/explicit-same",
         steps=[call("socket", AF_INET, STREAM, 0, fd, fd="arg")],
         note="an explicit proto is kept, even 0 (not read back from SO_PROTOCOL)")
    case(F + "inet-stream/explicit-family-only",
         steps=[call("socket", AF_INET, -1, -1, fd, fd="arg")])
    case(F + "inet-stream/explicit-inet6",
         steps=[call("socket", AF_INET6, STREAM, 0, fd, save="s", fd="arg"),
                attr("family", on="s")],
         note="the given family is believed without a check")
    case(F + "inet-stream/explicit-dgram",
         steps=[call("socket", AF_INET, DGRAM, 0, fd, fd="arg")])
    case(F + "inet-stream/explicit-family=12345",
         steps=[call("socket", 12345, STREAM, 0, fd, save="s", fd="arg"),
                attr("family", on="s")])
    case(F + "inet-stream/explicit-proto=17",
         steps=[call("socket", -1, -1, 17, fd, fd="arg")])
    case(F + "unix-stream/explicit-inet",
         steps=[call("socket", AF_INET, STREAM, 0, FD("unix-stream"), save="s", fd="arg"),
                attr("family", on="s")])


def closed_cases():
    A = "lifecycle/"
    for fam in ("inet", "inet6", "unix"):
        for typ in ("stream", "dgram"):
            k = f"{fam}-{typ}"
            case(A + f"{k}/attrs", fam, typ, "fresh",
                 [attr("family"), attr("type"), attr("proto")])
            case(A + f"{k}/close", fam, typ, "fresh",
                 [call("fileno", anyint=True), call("close"), call("fileno"), call("close"),
                  attr("family"), attr("type"), attr("proto"), call("detach")])
            case(A + f"{k}/detach", fam, typ, "fresh",
                 [call("detach", fd_result=True), call("fileno"), call("detach"),
                  call("close"), attr("family"), attr("type"), attr("proto")])
    case(A + "inet-stream/close-args", "inet", "stream", "fresh", [call("close", 1)])
    case(A + "inet-stream/detach-args", "inet", "stream", "fresh", [call("detach", 1)])
    case(A + "inet-stream/fileno-args", "inet", "stream", "fresh", [call("fileno", 1)])
    case(A + "inet-stream/close-listening", "inet", "stream", "listening",
         [call("close"), call("getsockname")])
    case(A + "inet-stream/close-connected", "inet", "stream", "connected",
         [call("close"), call("getpeername"), call("recv", 1, on="peer")],
         note="the peer sees EOF")

    def ops(fam, typ):
        tgt = ("127.0.0.1", 9) if fam == "inet" else (
            ("::1", 9) if fam == "inet6" else PATH("nowhere.sock"))
        return [
            ("bind", (tgt,)), ("connect", (tgt,)), ("connect_ex", (tgt,)), ("listen", ()),
            ("listen", (5,)), ("accept", ()), ("send", (b"x",)), ("sendall", (b"x",)),
            ("sendto", (b"x", tgt)), ("recv", (1,)), ("recv", (0,)), ("recvfrom", (1,)),
            ("recv_into", (Buf(b"\0\0"),)), ("recvfrom_into", (Buf(b"\0\0"),)),
            ("getsockname", ()), ("getpeername", ()), ("shutdown", (socket.SHUT_RDWR,)),
            ("dup", ()),
            # argument validation comes before the fd is used
            ("bind", (5,)), ("connect", ("x",)), ("recv", (-1,)), ("send", ("x",)),
            ("shutdown", ("x",)), ("listen", (1.5,)), ("sendto", (b"x",)),
            ("recv_into", (Buf(b"\0\0"), 5)),
        ]

    for how in ("closed", "detached"):
        for fam, typ in (("inet", "stream"), ("inet", "dgram"), ("inet6", "stream"),
                         ("unix", "stream"), ("unix", "dgram")):
            seen = {}
            for name, args in ops(fam, typ):
                n = seen[name] = seen.get(name, 0) + 1
                label = name if n == 1 else f"{name}#{n}"
                pre = [call("close")] if how == "closed" else [call("detach", fd_result=True)]
                case(A + f"{how}/{fam}-{typ}/{label}", fam, typ, "fresh",
                     pre + [call(name, *args)])


def bind_cases():
    A = "bind/"
    I = [
        ("127.0.0.1", ("127.0.0.1", 0)),
        ("empty-host", ("", 0)),
        ("localhost", ("localhost", 0)),
        ("0.0.0.0", ("0.0.0.0", 0)),
        ("127.1", ("127.1", 0)),
        ("0x7f.1", ("0x7f.1", 0)),
        ("host-bytes", (b"127.0.0.1", 0)),
        ("host-bytearray", (Buf(b"127.0.0.1"), 0)),
        ("port=-1", ("127.0.0.1", -1)),
        ("port=65536", ("127.0.0.1", 65536)),
        ("port=70000", ("127.0.0.1", 70000)),
        ("port=2**31", ("127.0.0.1", 2**31)),
        ("port=2**63", ("127.0.0.1", 2**63)),
        ("port=-2**40", ("127.0.0.1", -2**40)),
        ("port-str", ("127.0.0.1", "80")),
        ("port-float", ("127.0.0.1", 1.5)),
        ("port-None", ("127.0.0.1", None)),
        ("port-True", ("127.0.0.1", True)),
        ("host-None", (None, 0)),
        ("host-int", (2130706433, 0)),
        ("host-nul", ("127.0.0.1\0", 0)),
        ("host-::1", ("::1", 0)),
        ("host-1.2.3", ("1.2.3", 0)),
        ("host-999.1.1.1", ("999.1.1.1", 0)),
        ("host-10.255.255.1", ("10.255.255.1", 0)),
        ("host-leading-space", (" 127.0.0.1", 0)),
        ("host-non-ascii", ("\u00e9", 0)),
        ("addr-str", "127.0.0.1"),
        ("addr-int", 80),
        ("addr-None", None),
        ("addr-bytes", b"127.0.0.1"),
        ("addr-1-tuple", ("127.0.0.1",)),
        ("addr-3-tuple", ("127.0.0.1", 0, 0)),
        ("addr-empty-tuple", ()),
    ]
    dns = {"localhost": "resolved through /etc/hosts (nss files)",
           "host-999.1.1.1": "not numeric: goes to getaddrinfo, which fails without DNS",
           "host-non-ascii": "IDNA-encoded, then getaddrinfo, which fails without DNS",
           "host-leading-space": "not numeric for inet_pton: getaddrinfo, fails without DNS",
           "host-1.2.3": "inet_aton reads 1.2.3 as 1.2.0.3, which is not a local address"}
    for label, a in I:
        steps = [call("bind", a)]
        steps.append(call("getsockname", port=[1]))
        case(A + f"inet-stream/{label}", "inet", "stream", "fresh", steps, note=dns.get(label))
    case(A + "inet-stream/addr-list", "inet", "stream", "fresh",
         [call("bind", ["127.0.0.1", 0])],
         python_only="a Python list and a tuple are both JS arrays; wasock accepts the array")
    case(A + "inet-stream/no-args", "inet", "stream", "fresh", [call("bind")])
    case(A + "inet-stream/two-args", "inet", "stream", "fresh",
         [call("bind", ("127.0.0.1", 0), 1)])
    case(A + "inet-dgram/<broadcast>", "inet", "dgram", "fresh",
         [call("bind", ("<broadcast>", 0)), call("getsockname", port=[1])])
    case(A + "inet-stream/<broadcast>", "inet", "stream", "fresh",
         [call("bind", ("<broadcast>", 0))])
    case(A + "inet-dgram/127.0.0.1", "inet", "dgram", "fresh",
         [call("bind", ("127.0.0.1", 0)), call("getsockname", port=[1])])
    case(A + "inet-stream/twice", "inet", "stream", "fresh",
         [call("bind", ("127.0.0.1", 0)), call("bind", ("127.0.0.1", 0))])
    case(A + "inet-stream/in-use", "inet", "stream", "fresh",
         [call("bind", ADDR("listener"))], listener="inet")
    case(A + "inet-stream/in-use-any", "inet", "stream", "fresh",
         [call("bind", ADDR("refused"))],
         note="the refused placeholder is a bound, non-listening TCP socket: still in use")
    case(A + "inet-dgram/same-port-as-tcp", "inet", "dgram", "fresh",
         [call("bind", ADDR("listener")), call("getsockname")], listener="inet",
         note="UDP and TCP port spaces are separate; the result is the listener's address")
    case(A + "inet-stream/after-listen", "inet", "stream", "listening",
         [call("bind", ("127.0.0.1", 0))])
    case(A + "inet-stream/after-connect", "inet", "stream", "connected",
         [call("bind", ("127.0.0.1", 0))])

    I6 = [
        ("2-tuple", ("::1", 0)),
        ("3-tuple", ("::1", 0, 0)),
        ("4-tuple", ("::1", 0, 0, 0)),
        ("5-tuple", ("::1", 0, 0, 0, 0)),
        ("1-tuple", ("::1",)),
        ("empty-host", ("", 0)),
        ("::", ("::", 0)),
        ("flowinfo=1048575", ("::1", 0, 1048575)),
        ("flowinfo=1048576", ("::1", 0, 1048576)),
        ("flowinfo=-1", ("::1", 0, -1)),
        ("flowinfo=2**32", ("::1", 0, 2**32)),
        ("flowinfo-float", ("::1", 0, 1.5)),
        ("scope_id=1", ("::1", 0, 0, 1)),
        ("scope_id=-1", ("::1", 0, 0, -1)),
        ("scope_id=2**32", ("::1", 0, 0, 2**32)),
        ("scope_id-str", ("::1", 0, 0, "1")),
        ("port=-1", ("::1", -1)),
        ("port=65536", ("::1", 65536)),
        ("port-str", ("::1", "0")),
        ("host-127.0.0.1", ("127.0.0.1", 0)),
        ("host-::ffff:127.0.0.1", ("::ffff:127.0.0.1", 0)),
        ("host-bytes", (b"::1", 0)),
        ("host-None", (None, 0)),
        ("addr-str", "::1"),
        ("addr-int", 80),
    ]
    for label, a in I6:
        case(A + f"inet6-stream/{label}", "inet6", "stream", "fresh",
             [call("bind", a), call("getsockname", port=[1])])
    case(A + "inet6-dgram/2-tuple", "inet6", "dgram", "fresh",
         [call("bind", ("::1", 0)), call("getsockname", port=[1])])
    case(A + "inet6-stream/in-use", "inet6", "stream", "fresh",
         [call("bind", ADDR("listener"))], listener="inet6")

    U = [
        ("path-str", PATH("a.sock")),
        ("path-bytes", PATH("b.sock", "bytes")),
        ("path-bytearray", Buf(b"")),  # replaced below
        ("path-non-ascii", PATH("\u00e9.sock")),
        ("path-embedded-nul", PATH("nul\0x.sock")),
        ("path-missing-dir", PATH("no/such/dir.sock")),
        ("abstract-bytes", ABSTRACT("n1")),
        ("abstract-str", ABSTRACT("n2", "str")),
        ("autobind-str", ""),
        ("autobind-bytes", b""),
        ("abstract-nul-only-bytes", b"\0"),
        ("abstract-108", ABSTRACT("y" * 91)),   # 1 + 16 + 91 = 108 bytes: fits sun_path
        ("abstract-109", ABSTRACT("y" * 92)),
        ("path-108", "/" + "x" * 107),
        ("path-109", "/" + "x" * 108),
        ("path-200", "/tmp/" + "x" * 200),
        ("addr-int", 5),
        ("addr-None", None),
        ("addr-tuple", ("a",)),
        ("addr-float", 1.5),
    ]
    for label, a in U:
        if label == "path-bytearray":
            continue
        steps = [call("bind", a)]
        g = call("getsockname")
        if label.startswith("autobind"):
            g = call("getsockname", mask_bytes=([[1, 6]], "autobind name: 5 random hex digits"))
        steps.append(g)
        note = None
        if label == "path-108":
            note = "a path needs room for its NUL: 108 bytes are too long (abstract-108 fits)"
        case(A + f"unix-stream/{label}", "unix", "stream", "fresh", steps, note=note)
    case(A + "unix-stream/path-twice", "unix", "stream", "fresh",
         [call("bind", PATH("a.sock")), call("bind", PATH("b.sock"))])
    case(A + "unix-stream/path-exists", "unix", "stream", "fresh",
         [call("bind", PATH("a.sock")),
          call("socket", AF_UNIX, STREAM, save="s2"),
          call("bind", PATH("a.sock"), on="s2")])
    case(A + "unix-dgram/path-str", "unix", "dgram", "fresh",
         [call("bind", PATH("d.sock")), call("getsockname")])
    case(A + "unix-stream/abstract-in-use", "unix", "stream", "fresh",
         [call("bind", ABSTRACT("n3")),
          call("socket", AF_UNIX, STREAM, save="s2"),
          call("bind", ABSTRACT("n3"), on="s2")])


def name_cases():
    A = "names/"
    for fam in ("inet", "inet6", "unix"):
        for typ in ("stream", "dgram"):
            k = f"{fam}-{typ}"
            case(A + f"{k}/fresh", fam, typ, "fresh",
                 [call("getsockname"), call("getpeername")])
            if fam != "unix":
                case(A + f"{k}/bound", fam, typ, "bound",
                     [call("getsockname", port=[1]), call("getpeername")])
            else:
                case(A + f"{k}/bound", fam, typ, "bound",
                     [call("getsockname"), call("getpeername")])
            case(A + f"{k}/connected", fam, typ, "connected",
                 [call("getsockname", port=[1]) if fam != "unix" else call("getsockname"),
                  call("getpeername")])
    for fam in ("inet", "inet6"):
        case(A + f"{fam}-stream/listening", fam, "stream", "listening",
             [call("getsockname", port=[1]), call("getpeername")])
        case(A + f"{fam}-stream/accepted", fam, "stream", "accepted",
             [call("getsockname"), call("getpeername")])
    case(A + "inet-stream/args", "inet", "stream", "fresh",
         [call("getsockname", 1), call("getpeername", 1)])
    case(A + "unix-stream/abstract", "unix", "stream", "fresh",
         [call("bind", ABSTRACT("n1", "str")), call("getsockname")])
    case(A + "unix-stream/abstract-connected", "unix", "stream", "fresh",
         [call("bind", ABSTRACT("srv")), call("listen"),
          call("socket", AF_UNIX, STREAM, save="c"),
          call("connect", ABSTRACT("srv"), on="c"),
          call("getpeername", on="c"), call("getsockname", on="c"),
          call("accept", save=["a", None]),
          call("getsockname", on="a"), call("getpeername", on="a")])
    case(A + "unix-stream/path-connected", "unix", "stream", "fresh",
         [call("bind", PATH("srv.sock")), call("listen"),
          call("socket", AF_UNIX, STREAM, save="c"),
          call("connect", PATH("srv.sock", "bytes"), on="c"),
          call("getpeername", on="c"), call("getsockname", on="c"),
          call("accept", save=["a", None]),
          call("getsockname", on="a"), call("getpeername", on="a")])
    case(A + "unix-stream/socketpair", "unix", "stream", "connected",
         [call("getsockname"), call("getpeername"), call("getsockname", on="peer")])


def connect_cases():
    A = "connect/"
    for fam, refused in (("inet", "refused"), ("inet6", "refused6")):
        case(A + f"{fam}-stream/refused", fam, "stream", "fresh",
             [call("connect", ADDR(refused)), call("getpeername"),
              call("connect", ADDR(refused))])
        case(A + f"{fam}-stream/connect_ex-refused", fam, "stream", "fresh",
             [call("connect_ex", ADDR(refused)), call("connect_ex", ADDR(refused))])
        case(A + f"{fam}-stream/ok", fam, "stream", "fresh",
             [call("connect", ADDR("listener")), call("getpeername"),
              call("connect", ADDR("listener")), call("connect_ex", ADDR("listener"))],
             listener=fam)
        case(A + f"{fam}-stream/connect_ex-ok", fam, "stream", "fresh",
             [call("connect_ex", ADDR("listener")), call("getpeername")], listener=fam)
    case(A + "inet-stream/on-listening", "inet", "stream", "listening",
         [call("connect", ADDR("self")), call("connect_ex", ADDR("self"))])
    case(A + "inet-stream/on-listening-other", "inet", "stream", "listening",
         [call("connect", ADDR("listener"))], listener="inet")
    case(A + "inet-stream/self", "inet", "stream", "bound",
         [call("connect", ADDR("self")), call("getpeername", port=[1])],
         note="TCP simultaneous open with itself succeeds on Linux")
    bad = [
        ("addr-str", "127.0.0.1"), ("addr-int", 80), ("addr-None", None),
        ("addr-3-tuple", ("127.0.0.1", 1, 0)), ("addr-1-tuple", ("127.0.0.1",)),
        ("port=-1", ("127.0.0.1", -1)), ("port=65536", ("127.0.0.1", 65536)),
        ("port-str", ("127.0.0.1", "80")), ("host-None", (None, 80)),
        ("host-::1", ("::1", 80)), ("host-nul", ("127.0.0.1\0", 80)),
        ("no-args", None),
    ]
    for label, a in bad:
        args = () if label == "no-args" else (a,)
        case(A + f"inet-stream/{label}", "inet", "stream", "fresh", [call("connect", *args)])
        case(A + f"inet-stream/connect_ex-{label}", "inet", "stream", "fresh",
             [call("connect_ex", *args)])
    case(A + "inet-stream/port=0", "inet", "stream", "fresh",
         [call("connect", ("127.0.0.1", 0))])
    case(A + "inet-stream/connect_ex-port=0", "inet", "stream", "fresh",
         [call("connect_ex", ("127.0.0.1", 0))])
    case(A + "inet6-stream/flowinfo=1048576", "inet6", "stream", "fresh",
         [call("connect", ("::1", 80, 1048576))])
    case(A + "inet6-stream/connect_ex-flowinfo=1048576", "inet6", "stream", "fresh",
         [call("connect_ex", ("::1", 80, 1048576))])
    case(A + "inet6-stream/host-127.0.0.1", "inet6", "stream", "fresh",
         [call("connect", ("127.0.0.1", 80))])
    case(A + "unix-stream/missing-path", "unix", "stream", "fresh",
         [call("connect", PATH("nope.sock")), call("connect_ex", PATH("nope.sock"))])
    case(A + "unix-stream/abstract-nobody", "unix", "stream", "fresh",
         [call("connect", ABSTRACT("nobody")), call("connect_ex", ABSTRACT("nobody"))])
    case(A + "unix-stream/too-long", "unix", "stream", "fresh",
         [call("connect", "/" + "x" * 200), call("connect_ex", "/" + "x" * 200)])
    case(A + "unix-stream/addr-int", "unix", "stream", "fresh",
         [call("connect", 5), call("connect_ex", 5)])
    case(A + "unix-stream/bound-not-listening", "unix", "stream", "fresh",
         [call("bind", PATH("a.sock")),
          call("socket", AF_UNIX, DGRAM, save="d"),
          call("connect", PATH("a.sock"), on="d"), call("connect", PATH("a.sock"))],
         note="a dgram socket to a stream path, then a stream socket to a non-listening one")
    case(A + "inet-dgram/connect", "inet", "dgram", "fresh",
         [call("connect", ADDR("refused")), call("getpeername"), call("getsockname", port=[1]),
          call("connect_ex", ("127.0.0.1", 0)),
          call("connect", ("", 0))],
         note="a UDP connect_ex to port 0 and a connect to ('', 0) are accepted")
    case(A + "inet-dgram/connect-send-refused", "inet", "dgram", "fresh",
         [call("connect", ADDR("refused")),
          call("send", b"ping"), call("recv", 10, socket.MSG_DONTWAIT)],
         note="the ICMP port unreachable of the first datagram is reported by the next call")


def accept_cases():
    A = "accept/"
    case(A + "inet-stream/pending", "inet", "stream", "listening",
         [call("socket", AF_INET, STREAM, save="c"),
          call("connect", ADDR("sock"), on="c"),
          call("accept", save=["a", None]),
          attr("family", on="a"), attr("type", on="a"), attr("proto", on="a"),
          call("getsockname", on="a"), call("getpeername", on="a")])
    case(A + "inet6-stream/pending", "inet6", "stream", "listening",
         [call("socket", AF_INET6, STREAM, save="c"),
          call("connect", ADDR("sock"), on="c"),
          call("accept", save=["a", None])])
    case(A + "inet-stream/fresh", "inet", "stream", "fresh", [call("accept")])
    case(A + "inet-stream/bound", "inet", "stream", "bound", [call("accept")])
    case(A + "inet-stream/connected", "inet", "stream", "connected", [call("accept")])
    case(A + "inet-stream/args", "inet", "stream", "listening", [call("accept", 1)])
    case(A + "inet-dgram/bound", "inet", "dgram", "bound", [call("accept")])
    case(A + "unix-stream/fresh", "unix", "stream", "fresh", [call("accept")])
    case(A + "unix-dgram/bound", "unix", "dgram", "bound", [call("accept")])


def listen_cases():
    A = "listen/"
    vals = [("none", ()), ("-1", (-1,)), ("0", (0,)), ("5", (5,)), ("4096", (4096,)),
            ("2**31-1", (2**31 - 1,)), ("2**31", (2**31,)), ("-2**31", (-2**31,)),
            ("-2**31-1", (-2**31 - 1,)), ("2**63", (2**63,)), ("1.5", (1.5,)),
            ("None", (None,)), ("str", ("5",)), ("True", (True,)), ("False", (False,)),
            ("bytes", (b"5",)), ("two-args", (5, 5))]
    for label, args in vals:
        case(A + f"inet-stream/{label}", "inet", "stream", "bound",
             [call("listen", *args)])
    case(A + "inet-stream/unbound", "inet", "stream", "fresh",
         [call("listen"), call("getsockname", port=[1])],
         note="listen() on an unbound TCP socket autobinds to 0.0.0.0")
    case(A + "inet-stream/twice", "inet", "stream", "bound",
         [call("listen", 1), call("listen", 10)])
    case(A + "inet-stream/connected", "inet", "stream", "connected", [call("listen")])
    case(A + "inet6-stream/none", "inet6", "stream", "bound", [call("listen")])
    for fam in ("inet", "inet6", "unix"):
        case(A + f"{fam}-dgram/none", fam, "dgram", "bound", [call("listen")])
    case(A + "unix-stream/unbound", "unix", "stream", "fresh",
         [call("listen"), call("getsockname",
                              mask_bytes=([[1, 6]], "autobind name: 5 random hex digits"))],
         note="unlike TCP, an unbound unix stream socket cannot listen")
    case(A + "unix-stream/bound", "unix", "stream", "bound", [call("listen", 0)])
    case(A + "unix-stream/connected", "unix", "stream", "connected", [call("listen")])


def io_cases():
    A = "io/"
    # TCP, unconnected
    case(A + "inet-stream/send-unconnected", "inet", "stream", "fresh",
         [call("send", b"x"), call("sendall", b"x"), call("send", b"")],
         note="CPython ignores SIGPIPE, so EPIPE surfaces as BrokenPipeError")
    case(A + "inet-stream/recv-unconnected", "inet", "stream", "fresh",
         [call("recv", 1), call("recv", 0), call("recvfrom", 1),
          call("recv_into", Buf(b"\0\0"))])
    case(A + "inet-stream/sendto-unconnected", "inet", "stream", "fresh",
         [call("sendto", b"x", ADDR("listener"))], listener="inet",
         note="sendto with an address on an unconnected TCP socket")
    case(A + "inet-stream/send-listening", "inet", "stream", "listening",
         [call("send", b"x"), call("recv", 1)])
    # argument validation (on a connected TCP socket unless said otherwise)
    V = [
        ("recv(-1)", "recv", (-1,)), ("recv(1.5)", "recv", (1.5,)), ("recv(str)", "recv", ("1",)),
        ("recv(None)", "recv", (None,)), ("recv()", "recv", ()),
        ("recv(1,0,0)", "recv", (1, 0, 0)), ("recv(1,str)", "recv", (1, "x")),
        ("recv(1,1.5)", "recv", (1, 1.5)), ("recv(2**63)", "recv", (2**63,)),
        ("recv(-2**63-1)", "recv", (-2**63 - 1,)),
        ("recv(1,2**31)", "recv", (1, 2**31)),
        ("recv(0)", "recv", (0,)), ("recv(True,DONTWAIT)", "recv", (True, socket.MSG_DONTWAIT)),
        ("recv(1,DONTWAIT)", "recv", (1, socket.MSG_DONTWAIT)),
        ("recvfrom(-1)", "recvfrom", (-1,)), ("recvfrom(str)", "recvfrom", ("1",)),
        ("recvfrom()", "recvfrom", ()), ("recvfrom(1,DONTWAIT)", "recvfrom",
                                         (1, socket.MSG_DONTWAIT)),
        ("recv_into(small,5)", "recv_into", (Buf(b"\0\0"), 5)),
        ("recv_into(buf,-1)", "recv_into", (Buf(b"\0\0"), -1)),
        ("recv_into(bytes)", "recv_into", (b"ab",)),
        ("recv_into(str)", "recv_into", ("ab",)),
        ("recv_into(None)", "recv_into", (None,)),
        ("recv_into()", "recv_into", ()),
        ("recv_into(buf,1.5)", "recv_into", (Buf(b"\0\0"), 1.5)),
        ("recv_into(empty)", "recv_into", (Buf(b""),)),
        ("recv_into(buf,0,DONTWAIT)", "recv_into", (Buf(b"\0\0"), 0, socket.MSG_DONTWAIT)),
        ("recvfrom_into(small,5)", "recvfrom_into", (Buf(b"\0\0"), 5)),
        ("recvfrom_into(buf,-1)", "recvfrom_into", (Buf(b"\0\0"), -1)),
        ("recvfrom_into(bytes)", "recvfrom_into", (b"ab",)),
        ("send(str)", "send", ("x",)), ("send(None)", "send", (None,)),
        ("send(int)", "send", (5,)), ("send()", "send", ()),
        ("send(b,str)", "send", (b"x", "0")), ("send(b,0,0)", "send", (b"x", 0, 0)),
        ("send(empty)", "send", (b"",)),
        ("sendall(str)", "sendall", ("x",)), ("sendall()", "sendall", ()),
        ("sendall(b,str)", "sendall", (b"x", "0")),
        ("sendall(bytearray)", "sendall", (Buf(b"ab"),)),
        ("sendto()", "sendto", ()), ("sendto(b)", "sendto", (b"x",)),
        ("sendto(b,0,addr,5)", "sendto", (b"x", 0, ("127.0.0.1", 1), 5)),
        ("sendto(str,addr)", "sendto", ("x", ("127.0.0.1", 1))),
        ("sendto(b,str)", "sendto", (b"x", "a")),
        ("sendto(b,str,addr)", "sendto", (b"x", "0", ("127.0.0.1", 1))),
        ("sendto(b,port=-1)", "sendto", (b"x", ("127.0.0.1", -1))),
        ("sendto(b,listener)", "sendto", (b"x", ADDR("listener"))),
        ("sendto(b,0,listener)", "sendto", (b"x", 0, ADDR("listener"))),
        ("sendto(b,refused)", "sendto", (b"x", ADDR("refused"))),
        ("shutdown(3)", "shutdown", (3,)), ("shutdown(-1)", "shutdown", (-1,)),
        ("shutdown(str)", "shutdown", ("x",)), ("shutdown(None)", "shutdown", (None,)),
        ("shutdown(1.5)", "shutdown", (1.5,)), ("shutdown()", "shutdown", ()),
        ("shutdown(0,0)", "shutdown", (0, 0)), ("shutdown(2**31)", "shutdown", (2**31,)),
    ]
    for label, name, args in V:
        case(A + f"inet-stream-connected/{label}", "inet", "stream", "connected",
             [call(name, *args, buffer_after=(name in ("recv_into",) and args
                                              and isinstance(args[0], Buf)))])
    for label, name, args in V:
        if name.startswith("shutdown") or label in ("recv(0)", "recv_into(empty)"):
            continue  # (a UDP recv of 0 bytes waits for a datagram)
        case(A + f"inet-dgram-fresh/{label}", "inet", "dgram", "fresh",
             [call(name, *args)], listener="inet" if "listener" in label else None)
    # data paths, deterministic payloads over loopback
    case(A + "inet-stream-connected/roundtrip", "inet", "stream", "connected",
         [call("send", b"hello"), call("recv", 100, on="peer"),
          call("sendall", b"world!", on="peer"),
          call("recv", 3, socket.MSG_PEEK), call("recv", 2),
          call("recv_into", Buf(b"\0" * 8), 2, buffer_after=True),
          call("recvfrom", 10),
          call("recv", 10, socket.MSG_DONTWAIT)])
    case(A + "inet-stream-connected/recv_into-default-nbytes", "inet", "stream", "connected",
         [call("sendall", b"abcdefghij", on="peer"),
          call("recv_into", Buf(b"\xff" * 4), buffer_after=True),
          call("recv_into", Buf(b"\xff" * 4), 0, buffer_after=True),
          call("recvfrom_into", Buf(b"\xff" * 4))])
    case(A + "inet-stream-connected/sendto", "inet", "stream", "connected",
         [call("sendto", b"abc", ADDR("listener")), call("sendto", b"de", 0, ("10.1.1.1", 9)),
          call("recv", 10, on="peer")],
         note="on a connected TCP socket sendto ignores the address")
    case(A + "inet-stream-connected/shutdown", "inet", "stream", "connected",
         [call("shutdown", socket.SHUT_WR), call("recv", 10, on="peer"),
          call("send", b"x"), call("shutdown", socket.SHUT_RD), call("recv", 10),
          call("shutdown", socket.SHUT_RDWR), call("shutdown", True)])
    case(A + "inet-stream-connected/peer-closed", "inet", "stream", "connected",
         [call("close", on="peer"), call("recv", 10), call("send", b"x")],
         note="the first send after the peer closed succeeds; the RST comes back later")
    for k, (fam, typ) in {"inet-stream-fresh": ("inet", "stream"),
                          "inet-dgram-fresh": ("inet", "dgram"),
                          "unix-stream-fresh": ("unix", "stream")}.items():
        for h in (0, 1, 2, 3, -1):
            case(A + f"{k}/shutdown({h})", fam, typ, "fresh", [call("shutdown", h)])
    case(A + "inet-stream-listening/shutdown(2)", "inet", "stream", "listening",
         [call("shutdown", 2), call("shutdown", 2)])
    # UDP
    case(A + "inet-dgram/send-unconnected", "inet", "dgram", "fresh",
         [call("send", b"x"), call("getsockname", port=[1])],
         note="udp_sendmsg autobinds before it reports the missing destination")
    case(A + "inet-dgram/recv-nothing", "inet", "dgram", "fresh",
         [call("recv", 1, socket.MSG_DONTWAIT), call("getsockname"),
          call("recvfrom", 1, socket.MSG_DONTWAIT)])
    case(A + "inet-dgram/self", "inet", "dgram", "bound",
         [call("sendto", b"hello", ADDR("self")),
          call("recvfrom", 100, port=[1, 1]),
          call("sendto", b"datagram", 0, ADDR("self")),
          call("recv", 4),
          call("sendto", b"xyz", ADDR("self")),
          call("recvfrom_into", Buf(b"\0" * 8), port=[1, 1]),
          call("sendto", b"", ADDR("self")),
          call("recvfrom", 10, port=[1, 1]),
          call("recv", 1, socket.MSG_DONTWAIT)],
         note="a datagram larger than the recv size is truncated silently")
    case(A + "inet6-dgram/self", "inet6", "dgram", "bound",
         [call("sendto", b"hello6", ADDR("self")),
          call("recvfrom", 100, port=[1, 1])])
    case(A + "inet-dgram/connected", "inet", "dgram", "connected",
         [call("send", b"to-peer"), call("recvfrom", 100, on="peer", port=[1, 1]),
          call("sendto", b"back", ADDR("sock"), on="peer"),
          call("recvfrom", 100),
          call("sendto", b"x", ADDR("peer")),
          call("recv", 10, on="peer")])
    case(A + "inet-dgram/sendto-bad", "inet", "dgram", "fresh",
         [call("sendto", b"x", ("127.0.0.1", 0)), call("sendto", b"x", ("::1", 1)),
          call("sendto", b"x", "127.0.0.1"), call("sendto", b"x", ("127.0.0.1", 70000)),
          call("sendto", b"x", ("<broadcast>", 9)), call("sendto", b"x" * 65508, ADDR("refused"))],
         note="65508 = 65535 - 20 (IPv4 header) - 8 (UDP header) + 1")
    case(A + "unix-stream/socketpair-roundtrip", "unix", "stream", "connected",
         [call("sendall", b"over unix"), call("recvfrom", 100, on="peer"),
          call("shutdown", socket.SHUT_WR), call("recv", 10, on="peer"),
          call("sendto", b"x", PATH("x.sock"))])
    case(A + "unix-dgram/socketpair-roundtrip", "unix", "dgram", "connected",
         [call("send", b"dgram"), call("recvfrom", 100, on="peer"),
          call("sendto", b"x", PATH("x.sock"))])
    case(A + "unix-dgram/bound-self", "unix", "dgram", "bound",
         [call("sendto", b"to self", ADDR("self")), call("recvfrom", 100)])
    case(A + "unix-dgram/abstract-self", "unix", "dgram", "fresh",
         [call("bind", ABSTRACT("d1")), call("sendto", b"abs", ABSTRACT("d1")),
          call("recvfrom", 100)])
    case(A + "unix-dgram/unbound-sender", "unix", "dgram", "bound",
         [call("socket", AF_UNIX, DGRAM, save="s2"),
          call("sendto", b"anon", PATH("bound.sock"), on="s2"), call("recvfrom", 100)],
         note="an unbound unix datagram sender: recvfrom reports its address as None")


def module_cases():
    A = "module/"
    case(A + "socketpair/default", steps=[
        call("socketpair", save=["a", "b"]),
        attr("family", on="a"), attr("type", on="b"), attr("proto", on="a"),
        call("getsockname", on="a"), call("getpeername", on="b")])
    case(A + "socketpair/unix-dgram", steps=[call("socketpair", AF_UNIX, DGRAM)])
    case(A + "socketpair/unix-seqpacket", steps=[call("socketpair", AF_UNIX,
                                                      socket.SOCK_SEQPACKET)])
    case(A + "socketpair/unix-stream|NONBLOCK", steps=[
        call("socketpair", AF_UNIX, STREAM | NONBLOCK, save=["a", "b"]),
        call("recv", 1, on="a")])
    case(A + "socketpair/kw", steps=[call("socketpair", kw=dict(type=DGRAM))])
    for label, args in (("inet", (AF_INET,)), ("inet-dgram", (AF_INET, DGRAM)),
                        ("12345", (12345,)), ("proto=6", (AF_UNIX, STREAM, 6)),
                        ("1.5", (1.5,)), ("str", ("1",)), ("None", (None,)),
                        ("type-None", (AF_UNIX, None)), ("proto-None", (AF_UNIX, STREAM, None)),
                        ("four-args", (AF_UNIX, STREAM, 0, 0))):
        case(A + f"socketpair/{label}", steps=[call("socketpair", *args)])

    for fd in ("inet-stream", "inet-dgram", "unix-stream", "inet6-stream"):
        fam, typ = fd.split("-")
        case(A + f"fromfd/{fd}", steps=[
            call("fromfd", FD(fd), FAM[fam], TYP[typ], save="s", fd="new"),
            call("getsockname", on="s")])
    case(A + "fromfd/inet-stream/proto=6", steps=[
        call("fromfd", FD("inet-stream"), AF_INET, STREAM, 6, fd="new")])
    case(A + "fromfd/inet-stream/wrong-family", steps=[
        call("fromfd", FD("inet-stream"), AF_UNIX, DGRAM, save="s", fd="new"),
        attr("family", on="s"), attr("type", on="s")])
    case(A + "fromfd/inet-stream/minus-one", steps=[
        call("fromfd", FD("inet-stream"), -1, -1, -1, fd="new")],
        note="fromfd passes -1 on, so the fd is probed like socket(fileno=)")
    for label, fd in (("closed-fd", FD("closed-fd")), ("devnull", FD("devnull")),
                      ("-1", -1), ("str", "3"), ("float", 1.5), ("None", None)):
        case(A + f"fromfd/{label}", steps=[call("fromfd", fd, AF_INET, STREAM)])
    case(A + "fromfd/two-args", steps=[call("fromfd", FD("inet-stream"), AF_INET)])

    for fam, typ in (("inet", "stream"), ("inet", "dgram"), ("inet6", "stream"),
                     ("unix", "stream"), ("unix", "dgram")):
        case(A + f"dup/{fam}-{typ}", fam, typ, "fresh",
             [call("dup", save="d", fd="new"),
              attr("family", on="d"), attr("type", on="d"), attr("proto", on="d"),
              call("close"), call("getsockname", on="d")])
    case(A + "dup/inet-stream-proto6", steps=[
        call("socket", AF_INET, STREAM, 6, save="s"),
        call("dup", on="s", save="d", fd="new"), attr("proto", on="d")])
    case(A + "dup/inet-stream|NONBLOCK", steps=[
        call("socket", AF_INET, STREAM | NONBLOCK, save="s"),
        call("dup", on="s", save="d", fd="new"), attr("type", on="d")])
    case(A + "dup/bound", "inet", "stream", "bound",
         [call("dup", save="d", fd="new"), call("getsockname", on="d", port=[1])])
    case(A + "dup/args", "inet", "stream", "fresh", [call("dup", 1)])

    SO = socket.SOL_SOCKET
    case(A + "create_server/inet", steps=[
        call("create_server", ("127.0.0.1", 0), save="srv"),
        call("getsockname", on="srv", port=[1]),
        call("getsockopt", SO, socket.SO_REUSEADDR, on="srv"),
        call("getsockopt", SO, socket.SO_REUSEPORT, on="srv"),
        call("getsockopt", SO, socket.SO_ACCEPTCONN, on="srv")])
    case(A + "create_server/reuse_port", steps=[
        call("create_server", ("127.0.0.1", 0), kw=dict(reuse_port=True), save="srv"),
        call("getsockopt", SO, socket.SO_REUSEPORT, on="srv"),
        call("getsockopt", SO, socket.SO_REUSEADDR, on="srv")])
    case(A + "create_server/inet6", steps=[
        call("create_server", ("::1", 0), kw=dict(family=AF_INET6), save="srv"),
        call("getsockname", on="srv", port=[1]),
        call("getsockopt", socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, on="srv")])
    case(A + "create_server/inet6-dualstack", steps=[
        call("create_server", ("", 0), kw=dict(family=AF_INET6, dualstack_ipv6=True),
             save="srv"),
        call("getsockname", on="srv", port=[1]),
        call("getsockopt", socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, on="srv")])
    case(A + "create_server/dualstack-inet", steps=[
        call("create_server", ("127.0.0.1", 0), kw=dict(dualstack_ipv6=True))])
    case(A + "create_server/backlog", steps=[
        call("create_server", ("127.0.0.1", 0), kw=dict(backlog=0))])
    case(A + "create_server/backlog-str", steps=[
        call("create_server", ("127.0.0.1", 0), kw=dict(backlog="1"))])
    case(A + "create_server/in-use", steps=[
        call("create_server", ADDR("listener"))], listener="inet",
        note="SO_REUSEADDR does not allow a second listener on the same port")
    case(A + "create_server/refused-port", steps=[
        call("create_server", ADDR("refused"))],
        note="the port of a bound, non-listening socket without SO_REUSEADDR")
    case(A + "create_server/bad-address", steps=[call("create_server", "127.0.0.1")])
    case(A + "create_server/positional-family", steps=[
        call("create_server", ("127.0.0.1", 0), AF_INET)])
    case(A + "create_server/unix", steps=[
        call("create_server", PATH("srv.sock"), kw=dict(family=AF_UNIX), save="srv"),
        call("getsockname", on="srv")])

    case(A + "create_connection/listener", steps=[
        call("create_connection", ADDR("listener"), save="c"),
        call("getpeername", on="c"), call("getsockname", on="c", port=[1])],
        listener="inet")
    case(A + "create_connection/inet6-4-tuple", steps=[
        call("create_connection", ADDR("listener"))], listener="inet6",
        note="create_connection unpacks (host, port): an AF_INET6 4-tuple does not fit")
    case(A + "create_connection/refused", steps=[
        call("create_connection", ADDR("refused"))])
    case(A + "create_connection/refused-all_errors", steps=[
        call("create_connection", ADDR("refused"), kw=dict(all_errors=True))],
        note="3.11: an ExceptionGroup wrapping the ConnectionRefusedError")
    case(A + "create_connection/source_address", steps=[
        call("create_connection", ADDR("listener"), None, ("127.0.0.1", 0), save="c"),
        call("getpeername", on="c")], listener="inet")
    case(A + "create_connection/bad-address", steps=[
        call("create_connection", "127.0.0.1")])
    case(A + "create_connection/1-tuple", steps=[
        call("create_connection", ("127.0.0.1",))])
    case(A + "create_connection/timeout", steps=[
        call("create_connection", ADDR("listener"), kw=dict(timeout=1.5), save="c"),
        call("getpeername", on="c")], listener="inet")


def args_cases():
    """Issue 9: Python's argument rules where JS values differ. -0 is Python's -0.0 (a float,
    refused wherever an int is required); a bigint is an int; create_connection and
    create_server judge their options by Python truthiness; hosts with lone surrogates."""
    A = "args/"
    N = T.NEG_ZERO
    # -0.0 in every int argument of the socket API
    case(A + "-0.0/socket-family", steps=[call("socket", N)])
    case(A + "-0.0/socket-type", steps=[call("socket", AF_INET, N)])
    case(A + "-0.0/socket-proto", steps=[call("socket", AF_INET, STREAM, N)])
    case(A + "-0.0/socket-fileno", steps=[call("socket", AF_INET, STREAM, 0, N)])
    case(A + "-0.0/socketpair-family", steps=[call("socketpair", N)])
    case(A + "-0.0/socketpair-type", steps=[call("socketpair", AF_UNIX, N)])
    case(A + "-0.0/fromfd-fd", steps=[call("fromfd", N, AF_INET, STREAM)])
    case(A + "-0.0/fromfd-family", steps=[call("fromfd", FD("inet-stream"), N, STREAM)])
    case(A + "-0.0/fromfd-proto", steps=[call("fromfd", FD("inet-stream"), AF_INET, STREAM, N)])
    case(A + "-0.0/shutdown", "inet", "stream", "connected", [call("shutdown", N)])
    case(A + "-0.0/recv-bufsize", "inet", "stream", "connected", [call("recv", N)])
    case(A + "-0.0/recv-flags", "inet", "stream", "connected", [call("recv", 1, N)])
    case(A + "-0.0/recvfrom-bufsize", "inet", "dgram", "connected", [call("recvfrom", N)])
    case(A + "-0.0/recvfrom-flags", "inet", "dgram", "connected", [call("recvfrom", 1, N)])
    case(A + "-0.0/recv_into-nbytes", "inet", "stream", "connected",
         [call("recv_into", Buf(b"\0"), N)])
    case(A + "-0.0/recv_into-flags", "inet", "stream", "connected",
         [call("recv_into", Buf(b"\0"), 1, N)])
    case(A + "-0.0/recvfrom_into-nbytes", "inet", "dgram", "connected",
         [call("recvfrom_into", Buf(b"\0"), N)])
    case(A + "-0.0/send-flags", "inet", "stream", "connected", [call("send", b"x", N)])
    case(A + "-0.0/sendall-flags", "inet", "stream", "connected", [call("sendall", b"x", N)])
    case(A + "-0.0/sendto-flags", "inet", "dgram", "connected",
         [call("sendto", b"x", N, ADDR("peer"))])
    case(A + "-0.0/bind-port", "inet", "stream", "fresh", [call("bind", ("127.0.0.1", N))])
    case(A + "-0.0/bind6-flowinfo", "inet6", "stream", "fresh", [call("bind", ("::1", 0, N, 0))])
    case(A + "-0.0/bind6-scope_id", "inet6", "stream", "fresh", [call("bind", ("::1", 0, 0, N))])
    case(A + "-0.0/connect-port", "inet", "stream", "fresh", [call("connect", ("127.0.0.1", N))])
    case(A + "-0.0/connect_ex-port", "inet", "stream", "fresh",
         [call("connect_ex", ("127.0.0.1", N))])
    case(A + "-0.0/sendto-port", "inet", "dgram", "fresh", [call("sendto", b"x", ("127.0.0.1", N))])
    case(A + "-0.0/create_server-backlog", steps=[
        call("create_server", ("127.0.0.1", 0), kw=dict(backlog=N))])
    case(A + "-0.0/create_server-family", steps=[
        call("create_server", ("127.0.0.1", 0), kw=dict(family=N))])
    case(A + "-0.0/create_connection-port", steps=[call("create_connection", ("127.0.0.1", N))])
    # bigints are ints
    B = T.BigInt
    case(A + "bigint/socket", steps=[call("socket", B(AF_INET), B(DGRAM), B(0), save="s"),
                                     attr("family", on="s"), attr("type", on="s")])
    case(A + "bigint/bind-port", "inet", "stream", "fresh",
         [call("bind", ("127.0.0.1", B(0))), call("getsockname", port=[1])])
    case(A + "bigint/recv", "unix", "stream", "connected",
         [call("send", b"ab", B(0), on="peer"), call("recv", B(1), B(0))])

    # fromfd's fd is _socket.dup's: a C long, then cast to the C int SOCKET_T
    for label, fd in (("2**31", 2**31), ("2**31+5", 2**31 + 5), ("2**63-1", 2**63 - 1),
                      ("2**63", 2**63), ("-2", -2), ("-2**31", -2**31),
                      ("-2**31-1", -2**31 - 1), ("-2**63-1", -2**63 - 1), ("2**64", 2**64)):
        case(A + f"fromfd/fd={label}", steps=[call("fromfd", fd, AF_INET, STREAM)])

    # create_connection: source_address and the address by Python's rules (getaddrinfo)
    def conn(label, address, *more, note=None, **kw):
        case(A + f"create_connection/{label}", steps=[
            call("create_connection", address, *more, kw=kw, save="c"),
            call("getpeername", on="c")], listener="inet", note=note)
    L = PORT("listener")
    for label, src in (("b''", b""), ("''", ""), ("()", ()), ("0", 0), ("False", False),
                       ("-0.0", N), ("{}", Dict())):
        conn(f"source_address={label}", ADDR("listener"), None, src,
             note="a falsy source_address means none (socket.py: `if source_address:`)")
    conn("source_address=nan", ADDR("listener"), None, float("nan"),
         note="NaN is true: bind() is called with it")
    conn("host=None", (None, L), note="getaddrinfo(None, port): the loopback address")
    conn("host=''", ("", L))
    conn("host=b''", (b"", L))
    conn("port=str", ("127.0.0.1", PORT("listener", "str")))
    conn("port=bytes", ("127.0.0.1", PORT("listener", "bytes")))
    for label, port in (("65536", 65536), ("-1", -1), ("None", None), ("1.5", 1.5),
                        ("True", True), ("'x'", "x"), ("'-5'", "-5"), ("''", ""),
                        ("2**31", 2**31), ("'4294967295'", "4294967295"), ("2**63", 2**63),
                        ("'65536'", "65536")):
        conn(f"port={label}", ("127.0.0.1", port),
             note="getaddrinfo's service: an int is printed, glibc reads it with strtoul")
    conn("host=é", ("\u00e9", L), note="IDNA-encoded, then no such name")
    conn("host=lone-surrogate", ("\ud800", L))

    # create_server: its keyword options by truthiness; family None is socket(None)
    def srv(label, address, **kw):
        case(A + f"create_server/{label}", steps=[
            call("create_server", address, kw=kw, save="srv"),
            call("getsockname", on="srv", port=[1])])
    for label, v in (("nan", float("nan")), ("-0.0", N), ("''", ""), ("'x'", "x"),
                     ("{}", Dict()), ("None", None), ("0", 0), ("b''", b"")):
        srv(f"dualstack_ipv6={label}", ("127.0.0.1", 0), dualstack_ipv6=v)
        srv(f"reuse_port={label}", ("127.0.0.1", 0), reuse_port=v)
    srv("inet6/dualstack_ipv6=nan", ("::1", 0), family=AF_INET6, dualstack_ipv6=float("nan"))
    srv("family=None", ("127.0.0.1", 0), family=None)
    srv("backlog=None", ("127.0.0.1", 0), backlog=None)
    srv("host=None", (None, 0))
    srv("host=''", ("", 0))
    srv("port=65536", ("127.0.0.1", 65536))
    srv("host=lone-surrogate", ("\ud800", 0))

    # lone surrogates in a host: idna_converter's "encoding of hostname failed"
    U = "\ud800"
    case(A + "surrogate/bind", "inet", "stream", "fresh", [call("bind", (U, 0))])
    case(A + "surrogate/bind6", "inet6", "stream", "fresh", [call("bind", ("a" + U, 0))])
    case(A + "surrogate/connect", "inet", "stream", "fresh", [call("connect", (U, 1))])
    case(A + "surrogate/connect_ex", "inet", "stream", "fresh", [call("connect_ex", (U, 1))])
    case(A + "surrogate/sendto", "inet", "dgram", "fresh", [call("sendto", b"x", (U, 1))])
    case(A + "surrogate/sendto-flags", "inet", "dgram", "fresh",
         [call("sendto", b"x", 0, ("\udc80", 1))])


def main():
    signal.signal(signal.SIGALRM, _on_alarm)
    ctor_cases()
    closed_cases()
    bind_cases()
    name_cases()
    connect_cases()
    accept_cases()
    listen_cases()
    io_cases()
    module_cases()
    args_cases()
    cases = [run_case(i, c) for i, c in enumerate(CASES)]
    T.write_fixture(OUT, T.header(GENERATOR), cases)
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
