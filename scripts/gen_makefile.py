#!/usr/bin/env python3
"""Record CPython's exact results for socket.makefile(), socket.SocketIO and the io objects
makefile() returns (BufferedReader, BufferedWriter, BufferedRWPair, TextIOWrapper), including
the socket's makefile reference count `_io_refs`.

Run from anywhere: `python3 scripts/gen_makefile.py`. Writes test/fixtures/makefile.json,
replayed by test/makefile.test.ts.

CPython is the oracle: every result is what the running interpreter returned or raised on
a live AF_UNIX socketpair. Nothing is typed in by hand except the calls and the bytes the
peer sends (those are steps of the case, so the replay sends the same bytes at the same
point).

Schema (an extension of test/fixtures/README.md, "Socket-API fixtures"):

  case: {"id", "steps": [STEP...], "note"?, "python_only"?}
    `python_only`: why the input has no JS twin; the replay skips the case.
    Every case starts from `sock, peer = socketpair()` (AF_UNIX, SOCK_STREAM). The fds they
    had at that moment are the placeholders {"t":"fd","v":"sock"} / {"t":"fd","v":"peer"}.
    At the end the replay closes every file object and socket of the case (files first) and
    any fd that detach() returned.

  STEP, one of:
    {"call": NAME, "on": OBJ, "args": [ARG...], "kwargs"?: {...}, "save"?: OBJ,
     "result": RESULT, "buffer_after"?: {"t":"bytearray","hex"}}
        a method call on the object named OBJ (`sock`, `peer`, or a name an earlier step
        saved). `kwargs` only appear on makefile() (encoding/errors/newline): the replay
        passes them as wasock's third argument, an options object. `buffer_after` is the
        first argument (a bytearray) after the call (readinto).
    {"new": "SocketIO", "args": [ARG...], "save"?: OBJ, "result": RESULT}
        the constructor socket.SocketIO(sock, mode) (w.SocketIO in JS).
    {"attr": NAME, "on": OBJ, "result": RESULT}
        a property read: mode, name, closed, raw, _io_refs.
    {"iter": OBJ, "result": RESULT}
        list(OBJ): iteration over lines ([...f] in JS).

  ARG: README's ARGs ({"t":"int"|"str"|"bytes"|"bytearray"|"float"|"none"|"bool"}), plus
    {"t":"ref","v":OBJ}: the object saved under that name (SocketIO's socket argument).

  RESULT: {"ok": VALUE} or {"raises": {"type","errno","message","characters_written"?}}.
    VALUE: {"t":"none"|"int"|"bool"|"str"|"bytes"}, {"t":"list","v":[VALUE...]},
    {"t":"object","class":NAME} (an io object; JS `constructor.name` must equal NAME),
    {"t":"fd","v":"sock"} (the int equals the socket's fd placeholder).
    `raises.type` "AttributeError" means the Python object lacks that attribute or method:
    in JS the property is undefined / the method does not exist (JS has no AttributeError).
    `characters_written` is BlockingIOError's (BufferedWriter's partial writes).

Timing: every step runs in one thread. Data the reader needs is sent by `peer` before the
read, so no read blocks. Cases that read without a peer shutdown set a socket timeout first,
so a wrong implementation fails with TimeoutError instead of hanging.
"""

import io
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optiontable as T  # noqa: E402

GENERATOR = "scripts/gen_makefile.py"
OUT = "test/fixtures/makefile.json"

DONTWAIT = socket.MSG_DONTWAIT
SHUT_WR = socket.SHUT_WR
# How long a read that must not block may take before the generator calls itself wrong.
SLOW = 1.0

assert io.DEFAULT_BUFFER_SIZE == 8192, "3.11's DEFAULT_BUFFER_SIZE is what the fixture pins"


class Ref:
    """An argument that names an object of the case (SocketIO's sock argument)."""

    def __init__(self, name):
        self.name = name


def enc(v):
    """A Python value as a fixture VALUE/ARG."""
    if isinstance(v, bytearray):
        return {"t": "bytearray", "hex": bytes(v).hex()}
    if isinstance(v, list):
        return {"t": "list", "v": [enc(x) for x in v]}
    if isinstance(v, Ref):
        return {"t": "ref", "v": v.name}
    if isinstance(v, (io.IOBase, socket.SocketIO)):
        return {"t": "object", "class": type(v).__name__}
    return T.enc_plain(v)


def enc_exc(e):
    out = T.exc_record(e)
    if isinstance(e, BlockingIOError):
        try:
            out["characters_written"] = e.characters_written
        except AttributeError:
            pass
    return out


CASES = []


class Case:
    """One socketpair and the steps run on it; the results come from running them."""

    def __init__(self, id, note=None):
        assert not any(c["id"] == id for c in CASES), id
        self.id, self.note = id, note
        self.sock, self.peer = socket.socketpair()
        self.objs = {"sock": self.sock, "peer": self.peer}
        self.fds = {"sock": self.sock.fileno(), "peer": self.peer.fileno()}
        self.steps = []
        self.detached = []
        self.python_only = None

    def _fdval(self, v, fd):
        if fd and isinstance(v, int) and not isinstance(v, bool) and v == self.fds[fd] and v >= 0:
            return {"t": "fd", "v": fd}
        return enc(v)

    def _record(self, step, fn, fd=None, save=None, buf=None):
        t0 = time.monotonic()
        try:
            v = fn()
        except Exception as e:  # noqa: BLE001 -- every exception is a result
            step["result"] = {"raises": enc_exc(e)}
            v = None
            ok = False
        else:
            step["result"] = {"ok": self._fdval(v, fd)}
            ok = True
        took = time.monotonic() - t0
        expect_slow = step.pop("_slow", False)
        if took > SLOW and not expect_slow:
            raise SystemExit(f"{self.id}: step {step} blocked for {took:.1f}s")
        if ok and save:
            self.objs[save] = v
            step["save"] = save
        if buf is not None:
            step["buffer_after"] = enc(buf)
        self.steps.append(step)
        return v

    def call(self, on, name, *args, fd=None, save=None, slow=False, **kwargs):
        step = {"call": name, "on": on, "args": [enc(a) for a in args]}
        if kwargs:
            step["kwargs"] = {k: enc(v) for k, v in kwargs.items()}
        if slow:
            step["_slow"] = True
        obj = self.objs[on]
        buf = args[0] if args and isinstance(args[0], bytearray) else None
        # copy: the recorded ARG is the buffer before the call
        real = [bytearray(a) if isinstance(a, bytearray) else a for a in args]
        if buf is not None:
            buf = real[0]
        v = self._record(step, lambda: getattr(obj, name)(*real, **kwargs), fd=fd, save=save, buf=buf)
        if name == "detach" and isinstance(v, int) and v >= 0:
            self.detached.append(v)
        return v

    def new(self, cls, *args, save=None):
        step = {"new": cls, "args": [enc(a) for a in args]}
        real = [self.objs[a.name] if isinstance(a, Ref) else a for a in args]
        return self._record(step, lambda: getattr(socket, cls)(*real), save=save)

    def attr(self, on, name, fd=None):
        step = {"attr": name, "on": on}
        obj = self.objs[on]
        return self._record(step, lambda: getattr(obj, name), fd=fd)

    def iter(self, on):
        step = {"iter": on}
        obj = self.objs[on]
        return self._record(step, lambda: list(obj))

    # shorthands
    def refs(self):
        return self.attr("sock", "_io_refs")

    def send(self, data):
        return self.call("peer", "sendall", data)

    def eof(self):
        return self.call("peer", "shutdown", SHUT_WR)

    def peek_peer(self):
        """What the peer has received so far, without blocking."""
        return self.call("peer", "recv", 65536, DONTWAIT)

    def done(self):
        for name, o in self.objs.items():
            if name not in ("sock", "peer"):
                try:
                    o.close()
                except Exception:  # noqa: BLE001
                    pass
        self.sock.close()
        self.peer.close()
        for fd in self.detached:
            os.close(fd)
        c = {"id": self.id, "steps": self.steps}
        if self.note:
            c["note"] = self.note
        if self.python_only:
            c["python_only"] = self.python_only
        CASES.append(c)


# --------------------------------------------------------------------------------------------
# makefile(mode, buffering): which object, its attributes, and _io_refs before and after close

VALID_MODES = ["", "r", "rb", "b", "br", "w", "wb", "rw", "wr", "rwb", "rbw", "rwrw", "bb"]
BAD_MODES = ["rt", "x", "+", "r+", "a", "U", "rx", 5, None, b"r"]
BUFFERINGS = [None, -1, -5, 0, 1, 2, 8192, 1.5, "1"]


def describe_file(c, f, binary):
    """The attributes and predicates of a fresh file, then the same after close()."""
    c.attr("f", "mode")
    c.attr("f", "name", fd="sock")
    c.attr("f", "raw")
    c.attr("f", "closed")
    c.call("f", "readable")
    c.call("f", "writable")
    c.call("f", "seekable")
    c.call("f", "isatty")
    c.call("f", "fileno", fd="sock")
    c.call("f", "close")
    c.attr("f", "closed")
    c.refs()
    c.attr("f", "name", fd="sock")
    c.attr("f", "mode")
    c.call("f", "readable")
    c.call("f", "writable")
    c.call("f", "fileno", fd="sock")
    c.call("f", "read", 1)
    c.call("f", "readline")
    c.call("f", "write", b"" if binary else "")
    c.call("f", "flush")
    c.call("f", "close")
    c.refs()
    c.call("sock", "fileno", fd="sock")


def matrix_cases():
    for mode in VALID_MODES + BAD_MODES:
        for buffering in BUFFERINGS:
            c = Case(f"makefile/mode={mode!r}/buffering={buffering!r}")
            c.refs()
            f = c.call("sock", "makefile", mode, buffering, save="f")
            c.refs()
            if f is not None:
                describe_file(c, f, "b" in mode)
            c.done()
    # mode and buffering omitted / only buffering given positionally
    c = Case("makefile/defaults", note="makefile() is makefile('r', None): a TextIOWrapper")
    f = c.call("sock", "makefile", save="f")
    c.refs()
    describe_file(c, f, False)
    c.done()
    c = Case("makefile/mode='rb'/buffering-omitted")
    f = c.call("sock", "makefile", "rb", save="f")
    describe_file(c, f, True)
    c.done()
    c = Case("makefile/mode='rb'/too-many-positional")
    c.call("sock", "makefile", "rb", None, None)
    c.refs()
    c.python_only = ("encoding is keyword-only in Python; in wasock the third positional argument "
                     "is the options object, so makefile('rb', null, null) is a valid call")
    c.done()


def argument_cases():
    """Issue 9: buffering converts as socket.makefile and io's constructors do (a bigint or
    bool is an int, -0.0 == 0, a float is refused by the Py_ssize_t conversion, sizes beyond
    ssize_t are OverflowError, sizes no allocation can meet MemoryError), and an invalid mode
    is shown as Python's repr()."""
    B = T.BigInt
    values = [("0n", B(0)), ("1n", B(1)), ("8192n", B(8192)), ("-1n", B(-1)), ("True", True),
              ("False", False), ("-0.0", T.NEG_ZERO), ("-2", -2), ("-2**63-1", -2**63 - 1),
              ("2**62", 2**62), ("2**63-1", 2**63 - 1), ("2**63", 2**63), ("2**64", 2**64),
              ("2**62n", B(2**62)), ("2**100", 2**100), ("-1.5", -1.5), ("nan", float("nan")),
              ("inf", float("inf")), ("-inf", float("-inf")), ("'8'", "8"), ("b'1'", b"1"),
              ("[]", [])]
    for mode in ("rb", "wb", "rwb", "r", "w"):
        for label, v in values:
            huge = isinstance(v, int) and 2**62 <= v < 2**63
            c = Case(f"buffering/mode={mode!r}/buffering={label}",
                     note="beyond any address space: malloc fails on every machine" if huge else None)
            f = c.call("sock", "makefile", mode, v, save="f")
            c.refs()
            if f is not None:
                c.call("f", "close")
                c.refs()
            c.done()
    # 2 GiB: CPython mallocs it (address space, not memory); the reader must not fail either
    c = Case("buffering/mode='rb'/buffering=2**31")
    c.call("sock", "makefile", "rb", 2**31, save="f")
    c.send(b"ab\n")
    c.call("f", "readline")
    c.call("f", "close")
    c.done()
    # -0.0 (JS -0) as a size: each method's own float refusal
    for mode, buffering, ops in (("rb", None, ("read", "readline", "read1", "peek", "readlines")),
                                 ("r", None, ("read", "readline", "readlines")),
                                 ("rb", 0, ("read", "readline", "readlines"))):
        c = Case(f"sizes/mode={mode!r}/buffering={buffering!r}/-0.0")
        c.call("sock", "makefile", mode, buffering, save="f")
        c.send(b"ab\n" * 4)
        for op in ops:
            c.call("f", op, T.NEG_ZERO)
        c.call("f", "readline")
        c.done()
    for mode in ("r\0", "r'", "'\"", "x\t\n\r", "\x7f", "\u00e9", "\u00a0", "\ud800",
                 "r\udc80b", "\U0001f600", "\u200b", "\x85", "\U000e0001", "rbx", "\\",
                 "\"", "\u0378", "\ue000", "\u2028", "\u3000", "\u00ad"):
        c = Case(f"mode-repr/{mode!r}")
        c.call("sock", "makefile", mode)
        c.refs()
        c.done()


def text_option_cases():
    combos = [
        ("r", None, {"encoding": "utf-8"}), ("r", None, {"encoding": "latin-1"}),
        ("r", None, {"encoding": "ascii"}), ("r", None, {"encoding": "UTF8"}),
        ("r", None, {"encoding": "no-such"}), ("w", None, {"encoding": "no-such"}),
        ("rw", None, {"encoding": "no-such"}), ("r", 1, {"encoding": "no-such"}),
        ("r", 0, {"encoding": "no-such"}),
        ("r", None, {"encoding": None}), ("r", None, {"encoding": 5}),
        ("r", None, {"errors": "strict"}), ("r", None, {"errors": "replace"}),
        ("r", None, {"errors": "no-such"}), ("r", None, {"errors": 5}),
        ("r", None, {"newline": None}), ("r", None, {"newline": ""}),
        ("r", None, {"newline": "\n"}), ("r", None, {"newline": "\r"}),
        ("r", None, {"newline": "\r\n"}), ("r", None, {"newline": "x"}),
        ("w", None, {"newline": "x"}), ("r", None, {"newline": "\n\r"}),
        ("r", None, {"newline": 5}),
        ("r", None, {"encoding": "no-such", "newline": "x"}),
        ("rb", None, {"encoding": "no-such"}), ("rb", None, {"errors": "no-such"}),
        ("rb", None, {"newline": "x"}), ("wb", None, {"encoding": 5, "newline": 5}),
        ("rb", 0, {"encoding": "no-such", "errors": "x", "newline": "x"}),
        ("rwb", 2, {"encoding": "utf-8", "newline": ""}),
    ]
    for mode, buffering, kw in combos:
        kws = ",".join(f"{k}={v!r}" for k, v in kw.items())
        c = Case(f"options/mode={mode!r}/buffering={buffering!r}/{kws}")
        f = c.call("sock", "makefile", mode, buffering, save="f", **kw)
        c.refs()
        if f is not None:
            c.attr("f", "mode")
            c.call("f", "close")
            c.refs()
        c.done()


# --------------------------------------------------------------------------------------------
# SocketIO(sock, mode) directly: does not count in _io_refs

def socketio_cases():
    for mode in ["r", "w", "rw", "rb", "wb", "rwb", "rbw", "x", "", "br", "wr", "bw", "rwbx"]:
        c = Case(f"SocketIO/mode={mode!r}")
        raw = c.new("SocketIO", Ref("sock"), mode, save="raw")
        c.refs()
        if raw is not None:
            c.attr("raw", "mode")
            c.attr("raw", "name", fd="sock")
            c.attr("raw", "closed")
            c.call("raw", "readable")
            c.call("raw", "writable")
            c.call("raw", "seekable")
            c.call("raw", "isatty")
            c.call("raw", "fileno", fd="sock")
            if "r" not in mode:
                c.call("raw", "read", 1)
                c.call("raw", "readinto", bytearray(2))
                c.call("raw", "readline")
            if "w" not in mode:
                c.call("raw", "write", b"x")
            c.call("raw", "close")
            c.refs()
            c.attr("raw", "closed")
            c.attr("raw", "mode")
            c.attr("raw", "name", fd="sock")
            c.call("raw", "readable")
            c.call("raw", "writable")
            c.call("raw", "seekable")
            c.call("raw", "isatty")
            c.call("raw", "fileno", fd="sock")
            c.call("raw", "read", 1)
            c.call("raw", "read")
            c.call("raw", "readinto", bytearray(2))
            c.call("raw", "readline")
            c.call("raw", "readlines")
            c.call("raw", "write", b"x")
            c.call("raw", "flush")
            c.iter("raw")
            c.call("raw", "close")
            c.refs()
            c.call("sock", "fileno", fd="sock")
        c.done()

    c = Case("SocketIO/socket-closed-under-it",
             note="a SocketIO made directly holds no reference: close() closes the fd at once")
    c.new("SocketIO", Ref("sock"), "rb", save="raw")
    c.call("sock", "close")
    c.call("sock", "fileno")
    c.attr("raw", "closed")
    c.attr("raw", "name")
    c.call("raw", "fileno")
    c.call("raw", "readable")
    c.call("raw", "read", 1)
    c.call("raw", "readinto", bytearray(3))
    c.call("raw", "close")
    c.refs()
    c.done()

    c = Case("SocketIO/makefile-counts-but-SocketIO-does-not")
    c.new("SocketIO", Ref("sock"), "rwb", save="raw")
    c.refs()
    c.call("sock", "makefile", "rb", save="f")
    c.refs()
    c.call("raw", "close")
    c.refs()
    c.call("f", "close")
    c.refs()
    c.call("sock", "fileno", fd="sock")
    c.done()


# --------------------------------------------------------------------------------------------
# Reading: binary and text, every read method, over data the peer has already sent

BIN = b"first line\nsecond\r\nthird\rfourth\n\nlast without newline"
READERS = [  # (label, mode, buffering)
    ("SocketIO", "rb", 0),
    ("BufferedReader", "rb", None),
    ("BufferedReader-1", "rb", 1),
    ("BufferedReader-2", "rb", 2),
    ("BufferedRWPair", "rwb", None),
    ("BufferedRWPair-2", "rwb", 2),
]
# each: (label, eof, [ (method, args...) ... ])
BIN_OPS = [
    ("read-sizes", True, [("read", 5), ("read", 0), ("read", 7), ("read", 1), ("read", -1), ("read", 3), ("read",)]),
    ("read-all", True, [("read",), ("read",), ("read", 1)]),
    ("read-None", True, [("read", 4), ("read", None)]),
    ("read1", True, [("read1", 3), ("read1",), ("read1", 100), ("read1", -1), ("read1", 0)]),
    ("read1-more-than-buffer", True, [("read1", 20), ("read1", 20), ("read1", 100), ("read1", 5)]),
    ("readline", True, [("readline",), ("readline",), ("readline",), ("readline",), ("readline",),
                        ("readline",), ("readline",), ("readline",)]),
    ("readline-limit", True, [("readline", 3), ("readline", 0), ("readline", 100), ("readline", -1),
                              ("readline", None), ("readline", 4), ("readline", 1), ("readline", 50)]),
    ("readlines", True, [("readlines",), ("readlines",)]),
    ("readlines-hint", True, [("readlines", 12), ("readlines", 0), ("readline",), ("readlines", -1)]),
    ("readlines-hint-1", True, [("readlines", 1), ("readlines", 11), ("readlines", None)]),
    ("readinto", True, [("readinto", bytearray(4)), ("readinto", bytearray(0)),
                        ("readinto", bytearray(100)), ("readinto", bytearray(5))]),
    ("peek", True, [("peek",), ("peek", 0), ("peek", 3), ("read", 2), ("peek", 1), ("read", 100),
                    ("peek", 10), ("read",), ("peek",)]),
    ("mixed", True, [("readline",), ("read", 3), ("read1", 4), ("peek", 2), ("readinto", bytearray(6)),
                     ("readlines",), ("read",)]),
    ("iter", True, [("iter",)]),
    ("iter-after-readline", True, [("readline",), ("read", 2), ("iter",), ("iter",)]),
    ("no-eof-peek-read1", False, [("peek", 5), ("read1", 100)]),
    ("no-eof-small-reads", False, [("read", 5), ("readline",), ("read", 3), ("readinto", bytearray(4))]),
]


def read_ops(c, name, ops):
    for op in ops:
        if op[0] == "iter":
            c.iter(name)
        else:
            c.call(name, op[0], *op[1:])


def binary_read_cases():
    for label, mode, buffering in READERS:
        for oplabel, eof, ops in BIN_OPS:
            c = Case(f"read/{label}/{oplabel}")
            c.call("sock", "settimeout", 5.5)
            c.call("sock", "makefile", mode, buffering, save="f")
            c.send(BIN)
            if eof:
                c.eof()
            read_ops(c, "f", ops)
            c.call("f", "close")
            c.refs()
            c.done()


TEXT = "héllo wörld\nzwei € drei\r\nthree\rfour\n\nlast ✓ no newline".encode("utf-8")
TEXT_OPS = [
    ("read-sizes", [("read", 3), ("read", 0), ("read", 8), ("read", 1), ("read", -1), ("read",)]),
    ("read-all", [("read",), ("read",)]),
    ("read-None", [("read", 2), ("read", None)]),
    ("readline", [("readline",)] * 8),
    ("readline-limit", [("readline", 3), ("readline", 0), ("readline", 100), ("readline", -1),
                        ("readline", None), ("readline", 4), ("readline", 1), ("readline", 50)]),
    ("readlines", [("readlines",), ("readlines",)]),
    ("readlines-hint", [("readlines", 12), ("readlines", 0), ("readline",), ("readlines", -1)]),
    ("mixed", [("readline",), ("read", 3), ("readline", 2), ("readlines",), ("read",)]),
    ("iter", [("iter",)]),
    ("no-read1-peek-readinto", [("read1", 3), ("peek", 1), ("readinto", bytearray(3)), ("read", 2)]),
]
TEXT_READERS = [("text", "r", None), ("text-1", "r", 1), ("text-2", "r", 2), ("text-rw", "rw", None),
                ("text-empty-mode", "", None)]


def text_read_cases():
    for label, mode, buffering in TEXT_READERS:
        for oplabel, ops in TEXT_OPS:
            c = Case(f"text/{label}/{oplabel}")
            c.call("sock", "settimeout", 5.5)
            c.call("sock", "makefile", mode, buffering, save="f")
            c.send(TEXT)
            c.eof()
            read_ops(c, "f", ops)
            c.call("f", "close")
            c.refs()
            c.done()


NL = b"a\rb\nc\r\nd\r\re\n\nf\r\n\r\ng\r"
NEWLINES = [None, "", "\n", "\r", "\r\n"]


def newline_cases():
    for nl in NEWLINES:
        for oplabel, ops in [("read", [("read",)]), ("readlines", [("readlines",)]), ("iter", [("iter",)]),
                             ("readline", [("readline",)] * 12), ("read-3", [("read", 3)] * 8),
                             ("readline-limit-2", [("readline", 2)] * 12)]:
            c = Case(f"newline/{nl!r}/{oplabel}")
            c.call("sock", "settimeout", 5.5)
            c.call("sock", "makefile", "r", None, save="f", newline=nl)
            c.send(NL)
            c.eof()
            read_ops(c, "f", ops)
            c.done()
        # a '\r' at the end of what has arrived: the decoder holds it back until it knows
        # whether '\n' follows (newline None), or readline waits for the next byte
        c = Case(f"newline/{nl!r}/cr-split-across-sends")
        c.call("sock", "settimeout", 5.5)
        c.call("sock", "makefile", "r", None, save="f", newline=nl)
        c.send(b"ab\r")
        c.call("f", "read", 1)
        c.call("f", "read", 1)
        c.send(b"\ncd\r")
        c.call("f", "readline")
        c.send(b"\r\n")
        c.eof()
        c.call("f", "readline")
        c.call("f", "readline")
        c.call("f", "readline")
        c.call("f", "readline")
        c.done()


BAD = b"ok \xff\xfe caf\xc3\xa9 \xe2\x82\xac\nline two \x80 end\ntail \xe2\x82"


def encoding_read_cases():
    for encoding in ["utf-8", "latin-1", "ascii"]:
        for errors in ["strict", "replace", "ignore", "backslashreplace"]:
            for oplabel, ops in [("read", [("read",), ("read",)]),
                                 ("readline", [("readline",)] * 4),
                                 ("read-2", [("read", 2)] * 3)]:
                c = Case(f"decode/{encoding}/{errors}/{oplabel}")
                c.call("sock", "settimeout", 5.5)
                c.call("sock", "makefile", "r", None, save="f", encoding=encoding, errors=errors)
                c.send(BAD)
                c.eof()
                for op in ops:
                    c.call("f", *op)
                    if "raises" in c.steps[-1]["result"]:
                        break  # the decoder's state after an error is not worth pinning
                c.done()
    # the error is in the second line, but the first readline decodes the whole chunk
    c = Case("decode/utf-8/strict/error-in-a-later-line",
             note="TextIOWrapper decodes a whole read1() chunk, so the first readline raises")
    c.call("sock", "settimeout", 5.5)
    c.call("sock", "makefile", "r", save="f")
    c.send(b"fine\nbad \xff\n")
    c.eof()
    c.call("f", "readline")
    c.done()
    c = Case("decode/utf-8/strict/error-in-a-later-send",
             note="bytes not yet received are not decoded: the first line reads fine")
    c.call("sock", "settimeout", 5.5)
    c.call("sock", "makefile", "r", save="f")
    c.send(b"fine\n")
    c.call("f", "readline")
    c.send(b"bad \xff\n")
    c.call("f", "readline")
    c.done()
    c = Case("decode/utf-8/strict/char-split-across-sends")
    c.call("sock", "settimeout", 5.5)
    c.call("sock", "makefile", "r", save="f")
    c.send("a€".encode()[:2])
    c.call("f", "read", 1)
    c.send("a€".encode()[2:] + b"\n")
    c.eof()
    c.call("f", "read")
    c.done()


# --------------------------------------------------------------------------------------------
# Writing: what the peer has received after write() and after flush()

def binary_write_cases():
    for label, mode, buffering in [("SocketIO", "wb", 0), ("BufferedWriter", "wb", None),
                                   ("BufferedWriter-1", "wb", 1), ("BufferedWriter-2", "wb", 2),
                                   ("BufferedWriter-8", "wb", 8), ("BufferedRWPair", "rwb", None),
                                   ("BufferedRWPair-2", "rwb", 2)]:
        c = Case(f"write/{label}/small-then-flush")
        c.call("sock", "makefile", mode, buffering, save="f")
        c.call("f", "write", b"abc")
        c.peek_peer()
        c.call("f", "write", b"")
        c.call("f", "write", bytearray(b"de"))
        c.peek_peer()
        c.call("f", "flush")
        c.peek_peer()
        c.call("f", "write", b"0123456789")
        c.peek_peer()
        c.call("f", "write", b"x")
        c.peek_peer()
        c.call("f", "close")
        c.peek_peer()
        c.refs()
        c.call("f", "write", b"late")
        c.done()

        c = Case(f"write/{label}/large")
        c.call("sock", "makefile", mode, buffering, save="f")
        c.call("f", "write", b"x" * 100)
        c.call("f", "write", b"y" * 9000)
        c.peek_peer()
        c.call("f", "flush")
        c.peek_peer()
        c.call("f", "write", bytes(range(256)) * 40)
        c.peek_peer()
        c.call("f", "close")
        c.peek_peer()
        c.done()

    c = Case("write/BufferedWriter/socket-closed-first",
             note="the open file keeps the fd: writes and flush still reach the peer")
    c.call("sock", "makefile", "wb", save="f")
    c.call("sock", "close")
    c.call("sock", "fileno", fd="sock")
    c.call("f", "write", b"after close")
    c.call("f", "flush")
    c.peek_peer()
    c.call("f", "close")
    c.call("sock", "fileno")
    c.call("peer", "recv", 10, DONTWAIT)
    c.done()

    c = Case("write/unsupported")
    c.call("sock", "makefile", "rb", save="r")
    c.call("r", "write", b"x")
    c.call("sock", "makefile", "wb", save="w")
    c.call("w", "read", 1)
    c.call("w", "read")
    c.call("w", "read1", 1)
    c.call("w", "readline")
    c.call("w", "readinto", bytearray(1))
    c.call("w", "peek", 1)
    c.call("sock", "makefile", "r", save="t")
    c.call("t", "write", "x")
    c.call("sock", "makefile", "w", save="u")
    c.call("u", "read", 1)
    c.call("u", "readline")
    c.refs()
    c.done()


def text_write_cases():
    for label, mode, buffering, kw in [
        ("text", "w", None, {}), ("text-1", "w", 1, {}), ("text-2", "w", 2, {}),
        ("text-rw", "rw", None, {}), ("text-newline-crlf", "w", None, {"newline": "\r\n"}),
        ("text-newline-cr", "w", None, {"newline": "\r"}), ("text-newline-empty", "w", None, {"newline": ""}),
        ("text-newline-lf", "w", None, {"newline": "\n"}),
        ("text-latin-1", "w", None, {"encoding": "latin-1"}),
    ]:
        c = Case(f"write/{label}/not-sent-until-flush",
                 note="makefile never enables line buffering: text stays in the wrapper until flush()")
        c.call("sock", "makefile", mode, buffering, save="f", **kw)
        c.call("f", "write", "héllo\nwörld\r\n")
        c.peek_peer()
        c.call("f", "write", "")
        c.call("f", "write", "x\ry\n")
        c.peek_peer()
        c.call("f", "flush")
        c.peek_peer()
        c.call("f", "write", "tail")
        c.peek_peer()
        c.call("f", "close")
        c.peek_peer()
        c.refs()
        c.call("f", "write", "late")
        c.done()

        c = Case(f"write/{label}/large")
        c.call("sock", "makefile", mode, buffering, save="f", **kw)
        c.call("f", "write", "a" * 5000)
        c.peek_peer()
        c.call("f", "write", "b" * 5000)
        c.peek_peer()
        c.call("f", "write", "c" * 9000)
        c.peek_peer()
        c.call("f", "flush")
        c.peek_peer()
        c.done()

    for encoding in ["ascii", "latin-1", "utf-8"]:
        for errors in ["strict", "replace", "ignore", "backslashreplace"]:
            c = Case(f"encode/{encoding}/{errors}")
            c.call("sock", "makefile", "w", save="f", encoding=encoding, errors=errors)
            c.call("f", "write", "café")
            c.call("f", "write", " € ok\n")
            c.call("f", "flush")
            c.peek_peer()
            c.done()
    # a lone surrogate: a Python str and a JS string can both hold one; UTF-8 cannot
    for errors in ["strict", "replace", "ignore", "backslashreplace"]:
        c = Case(f"encode/utf-8/{errors}/lone-surrogate")
        c.call("sock", "makefile", "w", save="f", encoding="utf-8", errors=errors)
        c.call("f", "write", "x\ud800y\n")
        c.call("f", "flush")
        c.peek_peer()
        c.done()

    c = Case("write/text/socket-closed-first")
    c.call("sock", "makefile", "w", save="f")
    c.call("sock", "close")
    c.call("f", "write", "still open\n")
    c.peek_peer()
    c.call("f", "close")
    c.peek_peer()
    c.call("sock", "fileno")
    c.call("peer", "recv", 10)
    c.done()


# --------------------------------------------------------------------------------------------
# _io_refs and close(): the socket stays open while files are

def lifecycle_cases():
    c = Case("refs/two-files-closed-in-turn")
    c.call("sock", "makefile", "rb", save="f")
    c.call("sock", "makefile", "w", save="g")
    c.refs()
    c.call("f", "close")
    c.refs()
    c.call("f", "close")
    c.refs()
    c.call("g", "close")
    c.refs()
    c.call("sock", "fileno", fd="sock")
    c.done()

    c = Case("refs/socket-closed-first-then-files")
    c.call("sock", "makefile", "rb", 0, save="f")
    c.call("sock", "makefile", "r", save="g")
    c.call("sock", "close")
    c.refs()
    c.call("sock", "fileno", fd="sock")
    c.call("sock", "close")
    c.call("f", "close")
    c.refs()
    c.call("sock", "fileno", fd="sock")
    c.call("g", "close")
    c.refs()
    c.call("sock", "fileno")
    c.call("sock", "close")
    c.call("g", "close")
    c.refs()
    c.done()

    for mode in ["rwb", "rw"]:
        c = Case(f"refs/{mode}-pair-counts-once",
                 note="BufferedRWPair wraps one SocketIO twice; close() drops one reference")
        c.call("sock", "makefile", mode, save="f")
        c.refs()
        c.call("sock", "close")
        c.call("sock", "fileno", fd="sock")
        c.call("f", "close")
        c.refs()
        c.call("sock", "fileno")
        c.done()

    for mode, buffering, kw in [("r", 0, {}), ("", 0, {}), ("w", 0, {}), ("rw", 0, {}),
                                ("rb", 1.5, {}), ("rb", "1", {}), ("w", None, {"encoding": "no-such"}),
                                ("r", None, {"newline": "x"}), ("r", None, {"encoding": 5})]:
        kws = "".join(f",{k}={v!r}" for k, v in kw.items())
        c = Case(f"refs/failed-makefile-leaves-no-ref/mode={mode!r}/buffering={buffering!r}{kws}",
                 note="CPython frees the orphan SocketIO at once and its close() decrements _io_refs")
        c.call("sock", "makefile", mode, buffering, **kw)
        c.refs()
        c.call("sock", "close")
        c.call("sock", "fileno")
        c.done()

    c = Case("refs/unbuffered-text-then-binary")
    c.call("sock", "makefile", "r", 0)
    c.refs()
    c.call("sock", "makefile", "rb", 0, save="f")
    c.refs()
    c.call("f", "close")
    c.refs()
    c.done()

    c = Case("refs/recv-after-socket-close", note="test_socket testMakefileClose")
    c.call("sock", "makefile", "rb", 0, save="f")
    c.send(b"data")
    c.call("sock", "close")
    c.call("sock", "recv", 1024)
    c.call("f", "close")
    c.call("sock", "recv", 1024)
    c.done()

    c = Case("refs/read-after-socket-close")
    c.call("sock", "settimeout", 5.5)
    c.call("sock", "makefile", "rb", save="f")
    c.send(b"line 1\nline 2\n")
    c.eof()
    c.call("sock", "close")
    c.call("f", "readline")
    c.call("f", "read")
    c.call("f", "close")
    c.call("sock", "fileno")
    c.done()

    c = Case("refs/makefile-on-closed-socket",
             note="makefile() does not check the socket: the file exists and its reads fail EBADF")
    c.call("sock", "close")
    c.call("sock", "makefile", "rb", save="f")
    c.refs()
    c.attr("f", "name")
    c.call("f", "fileno")
    c.call("f", "read", 1)
    c.call("f", "close")
    c.refs()
    c.done()

    c = Case("refs/detach-ignores-open-files",
             note="detach() ignores _io_refs: the file keeps a socket whose fd is -1")
    c.call("sock", "makefile", "rb", save="f")
    c.call("sock", "makefile", "w", save="g")
    c.send(b"abc")
    c.call("sock", "detach", fd="sock")
    c.refs()
    c.call("sock", "fileno")
    c.attr("f", "name")
    c.call("f", "fileno")
    c.attr("f", "closed")
    c.call("f", "read", 1)
    c.call("g", "write", "x")
    c.call("g", "flush")
    c.call("f", "close")
    c.call("g", "close")
    c.refs()
    c.call("sock", "detach")
    c.done()

    c = Case("refs/file-close-does-not-close-open-socket")
    c.call("sock", "makefile", "rb", save="f")
    c.call("f", "close")
    c.refs()
    c.send(b"xyz")
    c.call("sock", "recv", 10)
    c.call("sock", "makefile", "rb", save="g")
    c.send(b"after")
    c.call("g", "read1", 100)
    c.done()


# --------------------------------------------------------------------------------------------
# Timeouts and non-blocking sockets

def timeout_cases():
    for label, mode, buffering, op in [("SocketIO", "rb", 0, ("read", 3)), ("SocketIO-readinto", "rb", 0, ("readinto", bytearray(3))),
                                       ("BufferedReader", "rb", None, ("read", 3)),
                                       ("BufferedReader-read1", "rb", None, ("read1", 3)),
                                       ("BufferedReader-readline", "rb", None, ("readline",)),
                                       ("text-readline", "r", None, ("readline",)),
                                       ("text-read", "r", None, ("read", 3))]:
        c = Case(f"timeout/{label}",
                 note="the first timeout is TimeoutError; then the SocketIO refuses every read")
        c.call("sock", "settimeout", 0.05)
        c.call("sock", "makefile", mode, buffering, save="f")
        c.call("f", *op, slow=True)
        c.call("f", *op)
        c.send(b"abc\n")
        c.call("f", *op)
        c.call("sock", "recv", 10)
        c.call("sock", "makefile", mode, buffering, save="g")
        c.send(b"def\n")
        c.call("g", *op)
        c.call("f", "close")
        c.call("g", "close")
        c.refs()
        c.done()

    c = Case("timeout/BufferedReader/partial-data",
             note="read(n) gathers what came, then times out: the bytes gathered are lost to this file")
    c.call("sock", "settimeout", 0.05)
    c.call("sock", "makefile", "rb", save="f")
    c.send(b"12345")
    c.call("f", "read", 10, slow=True)
    c.call("f", "read", 1)
    c.call("f", "peek", 1)
    c.done()


def nonblocking_cases():
    for label, mode, buffering in [("SocketIO", "rb", 0), ("BufferedReader", "rb", None),
                                   ("BufferedReader-2", "rb", 2), ("BufferedRWPair", "rwb", None),
                                   ("text", "r", None)]:
        binary = "b" in mode
        c = Case(f"nonblocking/{label}")
        c.call("sock", "setblocking", False)
        c.call("sock", "makefile", mode, buffering, save="f")
        c.call("f", "read", 5)
        c.call("f", "read")
        c.call("f", "readline")
        c.call("f", "read1", 5)
        c.call("f", "peek", 5)
        c.call("f", "readinto", bytearray(4))
        c.send("héllo\nworld".encode())
        c.call("f", "read", 3)
        c.call("f", "readline")
        c.call("f", "read", 10)
        c.call("f", "read")
        c.send(b"more")
        c.call("f", "readinto", bytearray(2)) if binary else c.call("f", "read", 2)
        c.eof()
        c.call("f", "read")
        c.call("f", "read")
        c.done()


def main():
    if sys.version_info[:2] != (3, 11):
        raise SystemExit("the oracle is CPython 3.11")
    # text mode without encoding= uses the locale's encoding; wasock's default is UTF-8
    import locale
    if locale.getpreferredencoding(False).lower().replace("-", "") != "utf8":
        raise SystemExit("run under a UTF-8 locale (e.g. LANG=C.UTF-8): text cases assume it")
    matrix_cases()
    argument_cases()
    text_option_cases()
    socketio_cases()
    binary_read_cases()
    text_read_cases()
    newline_cases()
    encoding_read_cases()
    binary_write_cases()
    text_write_cases()
    lifecycle_cases()
    timeout_cases()
    nonblocking_cases()
    head = {**T.header(GENERATOR), "schema": "see the docstring of scripts/gen_makefile.py",
            "default_buffer_size": io.DEFAULT_BUFFER_SIZE}
    T.write_fixture(OUT, head, CASES)
    print(f"{len(CASES)} cases, {sum(len(c['steps']) for c in CASES)} steps")


if __name__ == "__main__":
    main()
