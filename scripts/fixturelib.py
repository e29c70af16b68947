"""Fixture helpers the python3 generators share: the socket states of
test/fixtures/README.md made on the live kernel, the fixture header and writers, and the JSON
records of values, results and exceptions. (optiontable.py re-exports these names, so the
generators reach them as `T.<name>` next to the option table.)"""
from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import re
import socket
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# --------------------------------------------------------------------------------------------
# Socket states of test/fixtures/README.md, shared by the generators.
FAMILIES = {"inet": socket.AF_INET, "inet6": socket.AF_INET6, "unix": socket.AF_UNIX}
TYPES = {"stream": socket.SOCK_STREAM, "dgram": socket.SOCK_DGRAM}
LOOPBACK = {"inet": "127.0.0.1", "inet6": "::1"}


def lone_socket(family: str, type_: str, state: str, bind_addr=None):
    """A new socket in the README state fresh, bound, listening or closed. Bound and listening
    sockets bind to bind_addr() (default: an ephemeral port on loopback)."""
    s = socket.socket(FAMILIES[family], TYPES[type_])
    if state in ("bound", "listening"):
        s.bind(bind_addr() if bind_addr else (LOOPBACK[family], 0))
    if state == "listening":
        s.listen()
    elif state == "closed":
        s.close()
    elif state not in ("fresh", "bound"):
        raise ValueError(state)
    return s


def loopback_pair(family: str, type_: str, state: str, bind_addr=None):
    """(sock, peer, listener) in the README state connected or accepted. unix connected is a
    socketpair. TCP listens on bind_addr() (default: an ephemeral port on loopback), connects
    and accepts: sock is the connecting end when connected, the accepted end when accepted;
    the listener stays open (closing it would be another state). UDP connects to a peer bound
    to bind_addr(). listener is None when there is none."""
    fam, typ = FAMILIES[family], TYPES[type_]
    if family == "unix" and state == "connected":
        sock, peer = socket.socketpair(socket.AF_UNIX, typ)
        return sock, peer, None
    addr = bind_addr() if bind_addr else (LOOPBACK[family], 0)
    if type_ == "stream":
        lst = socket.socket(fam, typ)
        lst.bind(addr)
        lst.listen()
        cli = socket.socket(fam, typ)
        cli.connect(lst.getsockname())
        acc, _ = lst.accept()
        if state == "connected":
            return cli, acc, lst
        assert state == "accepted", state
        return acc, cli, lst
    assert state == "connected", state
    peer = socket.socket(fam, typ)
    peer.bind(addr)
    sock = socket.socket(fam, typ)
    sock.connect(peer.getsockname())
    return sock, peer, None


def state_sockets(family: str, type_: str, state: str, bind_addr=None) -> dict:
    """The sockets of a README state by role: "sock", and "peer" / "listener" where the state
    has them (connected, accepted). bind_addr as for lone_socket and loopback_pair."""
    if state not in ("connected", "accepted"):
        return {"sock": lone_socket(family, type_, state, bind_addr)}
    sock, peer, lst = loopback_pair(family, type_, state, bind_addr)
    out = {"listener": lst} if lst is not None else {}
    out.update(sock=sock, peer=peer)
    return out


def case_sockets(case: dict, bind_addr=None) -> dict:
    """The sockets a case of README's "Case schema" starts with: its `listener` (a listening
    TCP socket of that family) when it names one, then its state's sockets (state "none":
    none). A connected/accepted TCP state's own listener takes the name "listener"."""
    out = {}
    if case["listener"]:
        out["listener"] = lone_socket(case["listener"], "stream", "listening")
    if case["state"] != "none":
        out.update(state_sockets(case["family"], case["type"], case["state"], bind_addr))
    return out


@contextlib.contextmanager
def open_socket(family: str, type_: str, state: str):
    """Yield a socket in the README state; everything it opened is closed afterwards."""
    keep = []
    tmp = None
    s = None

    def addr():
        nonlocal tmp
        if family == "unix":
            if tmp is None:
                tmp = tempfile.mkdtemp(prefix="wasock-")
            return os.path.join(tmp, f"s{len(keep)}")
        return (LOOPBACK[family], 0)

    try:
        if state == "detached":
            s = socket.socket(FAMILIES[family], TYPES[type_])
            keep.append(s.detach())
        else:
            assert state not in ("listening", "accepted") or type_ == "stream"
            socks = state_sockets(family, type_, state, addr)
            s = socks.pop("sock")
            keep += socks.values()
        yield s
    finally:
        # TCP sockets are closed with an RST (SO_LINGER (1, 0)) so they leave no TIME_WAIT
        # entry behind: thousands of cases would otherwise exhaust the ephemeral ports.
        for k in ([s] if s is not None else []) + keep:
            if isinstance(k, int):
                os.close(k)
                continue
            if family != "unix" and type_ == "stream" and k.fileno() >= 0:
                try:
                    k.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                except OSError:
                    pass
            k.close()
        if tmp:
            for f in os.listdir(tmp):
                os.unlink(os.path.join(tmp, f))
            os.rmdir(tmp)


# --------------------------------------------------------------------------------------------
# Fixture records shared by the generators (test/fixtures/README.md, "Case schema").

PYTHON = platform.python_version()
_m = re.match(r"\d+\.\d+(?:\.\d+)?", platform.release())
KERNEL = _m.group(0) if _m else platform.release()   # "6.18.44" of "6.18.44-fc-v769"
MACHINE = platform.machine()


def header(generator: str) -> dict:
    """The fields every fixture starts with: who wrote it, and which CPython and kernel answered."""
    return {"generator": generator, "python": PYTHON, "kernel": KERNEL, "machine": MACHINE}


def write_text(rel: str, text: str) -> None:
    """Write REPO/rel (UTF-8, \\n line ends) and say so."""
    path = os.path.join(REPO, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {rel}")


def write_fixture(rel: str, head: dict, cases, **dumps) -> None:
    """Write REPO/rel: `head` indented by 2, then "cases" one per line (small, and a regenerated
    fixture diffs case by case). `dumps` goes to json.dumps for each case."""
    body = ",\n".join("    " + json.dumps(c, **dumps) for c in cases)
    write_text(rel, json.dumps(head, indent=2)[:-2] + ',\n  "cases": [\n' + body + "\n  ]\n}\n")


def write(data: dict, path: str, lists=("cases",)) -> None:
    """Write `data` compactly: one line per header key, then each key of `lists` as an array
    with one item per line (small, diff-friendly)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n")
        for k, v in data.items():
            if k not in lists:
                f.write(f" {json.dumps(k)}: {json.dumps(v)},\n")
        f.write(",\n".join(
            f" {json.dumps(k)}: [\n"
            + ",\n".join("  " + json.dumps(c, separators=(",", ":")) for c in data[k])
            + "\n ]" for k in lists))
        f.write("\n}\n")


def generator_main(argv, *, raw, check, build, out, summary) -> int:
    """The command line the sockopt generators share: `--raw` prints what a child run sees
    (for --check), `--check [N]` reruns in N children and reports unmasked variation, and no
    flag writes the fixture at `out` and prints `summary(data)`."""
    if "--raw" in argv:
        raw()
        return 0
    if "--check" in argv:
        i = argv.index("--check")
        return check(int(argv[i + 1]) if i + 1 < len(argv) else 3)
    data = build()
    write(data, out)
    print(f"wrote {os.path.relpath(out, REPO)}: {summary(data)}")
    return 0


class BigInt(int):
    """An int whose JS twin is a bigint (`5n`): wasock takes a bigint wherever Python takes an
    int, so a case can pin that. CPython sees a plain int (an int subclass); do not use it
    where a message would print its type name."""


NEG_ZERO = -0.0


def is_neg_zero(v) -> bool:
    return isinstance(v, float) and v == 0 and math.copysign(1.0, v) < 0


def enc_plain(v) -> dict:
    """None, bool, int, str, bytes or a non-integral float as a VALUE / ARG. Generators handle
    their own placeholders, containers and other float rules before calling this. -0.0 is
    the one integral float with a JS twin (-0): written by its bits, {"t":"float","hex"}, as
    are NaN and the infinities (JSON has none)."""
    if v is None:
        return {"t": "none"}
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, BigInt):
        return {"t": "int", "v": str(int(v)), "as": "bigint"}
    if isinstance(v, int):
        return {"t": "int", "v": str(int(v))}
    if isinstance(v, float) and (is_neg_zero(v) or math.isnan(v) or math.isinf(v)):
        return {"t": "float", "hex": struct.pack(">d", v).hex()}
    if isinstance(v, float):
        assert v != int(v), "integral floats have no JS twin"
        return {"t": "float", "v": v}
    if isinstance(v, str):
        return {"t": "str", "v": v}
    if isinstance(v, bytes):
        return {"t": "bytes", "hex": v.hex()}
    raise TypeError(f"cannot encode {v!r}")


def arg_int(v) -> dict:
    return {"t": "int", "v": str(int(v))}


def exc_record(e: BaseException) -> dict:
    """The `raises` record of an exception: class name, errno (OSError only) and str()."""
    return {"type": type(e).__name__,
            "errno": e.errno if isinstance(e, OSError) else None,
            "message": str(e)}


def raises(e: BaseException) -> dict:
    return {"raises": exc_record(e)}


def result_of(fn, catch=OSError) -> dict:
    """RESULT of fn(): {"ok": None | int | bytes} or {"raises": ...} for a `catch` exception."""
    try:
        v = fn()
    except catch as e:
        return raises(e)
    if v is None:
        return {"ok": {"t": "none"}}
    if isinstance(v, bytes):
        return {"ok": {"t": "bytes", "hex": v.hex()}}
    assert type(v) is int, v
    return {"ok": {"t": "int", "v": str(v)}}


def zero_port(v: dict, path) -> dict:
    """VALUE v with the port at `path` (indexes into nested tuples) replaced by 0, so the
    fixture does not change between runs (the step's mask says so)."""
    if not path:
        assert v["t"] == "int" and 1 <= int(v["v"]) <= 65535, v
        return {"t": "int", "v": "0"}
    assert v["t"] == "tuple", v
    out = list(v["v"])
    out[path[0]] = zero_port(out[path[0]], path[1:])
    return {"t": "tuple", "v": out}
