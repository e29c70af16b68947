#!/usr/bin/env python3
"""Record CPython's answers for sendmsg, recvmsg, recvmsg_into, CMSG_LEN and CMSG_SPACE.

Run from anywhere: `python3 scripts/gen_msg.py`. Writes test/fixtures/msg.json;
test/msg.test.ts replays every case through wasock on the replay host (linux, emulated).

A case is a setup (the sockets it starts from) and steps run one after another on them; each
step records what CPython returned or raised on the live kernel. The step language is small
and shared with the replay (test/msg.test.ts decodes the same argument encodings):

  arguments   {"b": hex} bytes ({"ro": hex} too: the replay makes it a read-only buffer, the
              JavaScript twin of bytes where writability matters), {"ba": n} a bytearray(n), {"big": "digits"} an int beyond
              2**53, {"f": x} a float, {"c": NAME} a socket-module constant, {"addr": s}
              socket s's getsockname(), {"fds": [s, ...]} struct.pack of those sockets' fds
              ('i' each), {"ucred": true} struct.pack('iII', getpid(), getuid(), getgid()),
              {"gen": [...]} a generator over the items (an iterable that is not a list),
              {"tuple": [...]} a tuple; lists are lists, str is str, null is None
  results     {"b": hex} bytes, lists for tuples and lists, {"raises": class, "message": m,
              "errno": n}; recvmsg_into also gives the buffers' contents after the call

What varies between runs is masked, each with its reason in "masks": received SCM_RIGHTS
fds are fd numbers ({"fds": n}: how many; the "use_fds" step then proves they work), a port
is the kernel's ephemeral choice ("PORT"), SCM_CREDENTIALS carries this process's pid
({"ucred": true} when it names this process).

A case that needs the kernel's own control messages (IP_PKTINFO, IPV6_PKTINFO, IP_TOS,
SCM_CREDENTIALS) says so in "needs": ["ancillary"], and the replay skips it, naming the
capability, on a host without it (the emulated network).
"""
from __future__ import annotations

import json
import os
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GENERATOR = "scripts/gen_msg.py"
OUT = "test/fixtures/msg.json"

S = socket
MASKS = {
    "fds": "received SCM_RIGHTS data holds fd numbers the kernel chose: recorded as how many; the use_fds step checks each is a working socket",
    "PORT": "ephemeral port chosen by the kernel",
    "ucred": "SCM_CREDENTIALS holds this process's pid, uid and gid: recorded as true when they are this process's",
}


# ----------------------------------------------------------------------------- setups

def setup(kind):
    """Named sockets: a and b talk; x and y are a unix stream pair whose x end is passed."""
    socks = {}
    if kind in ("unix-stream", "unix-dgram"):
        typ = S.SOCK_STREAM if kind == "unix-stream" else S.SOCK_DGRAM
        socks["a"], socks["b"] = S.socketpair(S.AF_UNIX, typ)
    elif kind in ("udp", "udp6"):
        fam, host = (S.AF_INET, "127.0.0.1") if kind == "udp" else (S.AF_INET6, "::1")
        socks["a"], socks["b"] = S.socket(fam, S.SOCK_DGRAM), S.socket(fam, S.SOCK_DGRAM)
        socks["a"].bind((host, 0))
        socks["b"].bind((host, 0))
    elif kind == "none":
        pass
    else:
        raise ValueError(kind)
    socks["x"], socks["y"] = S.socketpair(S.AF_UNIX, S.SOCK_STREAM)
    for s in socks.values():
        s.settimeout(5)
    return socks


# ----------------------------------------------------------------------------- encodings

def decode(v, socks):
    if isinstance(v, list):
        return [decode(x, socks) for x in v]
    if isinstance(v, dict):
        (k, x), = v.items()
        if k in ("b", "ro"):
            return bytes.fromhex(x)
        if k == "ba":
            return bytearray(x)
        if k == "big":
            return int(x)
        if k == "f":
            return float(x)
        if k == "c":
            return getattr(S, x)
        if k == "addr":
            return socks[x].getsockname()
        if k == "fds":
            return b"".join(struct.pack("i", socks[n].fileno() if n != "-1" else -1) for n in x)
        if k == "ucred":
            return struct.pack("iII", os.getpid(), os.getuid(), os.getgid())
        if k == "gen":
            items = decode(x, socks)
            return (i for i in items)
        if k == "tuple":
            return tuple(decode(x, socks))
        raise ValueError(k)
    return v


def encode(v):
    if isinstance(v, (bytes, bytearray)):
        return {"b": bytes(v).hex()}
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if abs(v) < 2**53 else {"big": str(v)}
    raise TypeError(type(v))


def mask_address(a):
    if isinstance(a, tuple) and len(a) >= 2 and isinstance(a[1], int):
        return [a[0], "PORT"] + [encode(x) for x in a[2:]]
    return encode(a)


def mask_anc(items, state):
    out = []
    for level, type_, data in items:
        if level == S.SOL_SOCKET and type_ == S.SCM_RIGHTS:
            fds = list(struct.unpack(f"{len(data) // 4}i", data[: len(data) // 4 * 4]))
            state["fds"] = fds
            out.append([level, type_, {"fds": len(fds)}])
        elif level == S.SOL_SOCKET and type_ == S.SCM_CREDENTIALS:
            pid, uid, gid = struct.unpack("iII", data)
            out.append([level, type_, {"ucred": (pid, uid, gid) == (os.getpid(), os.getuid(), os.getgid())}])
        else:
            out.append([level, type_, encode(data)])
    return out


def run_step(step, socks, state):
    target, method, args = step
    try:
        if method == "use_fds":
            # Each received fd wrapped as socket(fileno=...): it talks to y, x's peer.
            got = []
            for fd in state.pop("fds", []):
                s = S.socket(fileno=fd)
                s.sendall(b"!")
                got.append([s.family, s.type, encode(socks["y"].recv(10))])
                s.close()
            return {"ok": got}
        if method == "close":
            socks[target].close()
            return {"ok": None}
        if method == "setblocking":
            socks[target].setblocking(*decode(args, socks))
            return {"ok": None}
        fn = getattr(S, method) if target == "module" else getattr(socks[target], method)
        dargs = decode(args, socks)
        r = fn(*dargs)
        if method in ("recvmsg", "recvmsg_into"):
            first, anc, flags, addr = r
            rec = [encode(first), mask_anc(anc, state), flags, mask_address(addr)]
            if method == "recvmsg_into":
                return {"ok": rec, "bufs": [encode(b) for b in dargs[0]]}
            return {"ok": rec}
        return {"ok": encode(r)}
    except Exception as e:  # noqa: BLE001 - every exception is a recorded answer
        return {"raises": type(e).__name__, "message": str(e), "errno": getattr(e, "errno", None)}


# ----------------------------------------------------------------------------- cases

def B(s):
    return {"b": s.encode().hex()}


X = [B("x")]
RIGHTS = lambda *names: [{"tuple": [{"c": "SOL_SOCKET"}, {"c": "SCM_RIGHTS"}, {"fds": list(names)}]}]  # noqa: E731


def cases():
    out = []

    def case(id_, kind, steps, needs=()):
        out.append((id_, kind, steps, list(needs)))

    # CMSG_LEN / CMSG_SPACE: x86-64 Linux's cmsghdr (16 bytes, 8-byte alignment), and
    # get_CMSG_LEN / get_CMSG_SPACE's bound SOCKLEN_T_LIMIT (INT_MAX).
    for fn in ("CMSG_LEN", "CMSG_SPACE"):
        for v in (0, 1, 4, 7, 8, 12, 20, 2**31 - 1 - 24, 2**31 - 1 - 23, 2**31 - 1 - 16, 2**31 - 16, -1, 2**31,
                  {"big": str(2**63 - 1)}, {"big": str(2**63)}, {"big": str(-2**63 - 1)}, {"f": 1.5}, "x", None, True):
            case(f"module/{fn}({json.dumps(v)})", "none", [["module", fn, [v]]])
        case(f"module/{fn}()", "none", [["module", fn, []]])
        case(f"module/{fn}(1, 2)", "none", [["module", fn, [1, 2]]])

    # Argument errors, in PyArg_ParseTuple's order (sendmsg "O|OiO", recvmsg "n|ni", recvmsg_into "O|ni").
    bad_send = {
        "no-args": [], "five-args": [X, [], 0, None, 1],
        "buffers=5": [5], "buffers=None": [None], "buffers=[5]": [[5]], "buffers=[None]": [[None]],
        "buffers=['x']": [["x"]], "buffers='ab'": ["ab"], "buffers=bytes": [B("ab")],
        "ancdata=5": [X, 5], "ancdata=None": [X, None], "ancdata=[5]": [X, [5]],
        "ancdata=[(1,2)]": [X, [{"tuple": [1, 2]}]], "ancdata=[(1,2,'s')]": [X, [{"tuple": [1, 2, "s"]}]],
        "ancdata=[(1,2,b'',4)]": [X, [{"tuple": [1, 2, B(""), 4]}]],
        "ancdata=[(1.5,2,b'')]": [X, [{"tuple": [{"f": 1.5}, 2, B("")]}]],
        "ancdata=[(2**31,2,b'')]": [X, [{"tuple": [2**31, 2, B("")]}]],
        "ancdata=[(1,-2**31-1,b'')]": [X, [{"tuple": [1, -2**31 - 1, B("")]}]],
        "ancdata=[(1,2,None)]": [X, [{"tuple": [1, 2, None]}]],
        "ancdata=[b'abc']": [X, [B("abc")]], "ancdata=['abc']": [X, ["abc"]],
        "ancdata=[[1,1,b'']]": [X, [[1, 1, B("")]]],
        "flags='x'": [X, [], "x"], "flags=2**31": [X, [], 2**31], "flags=None": [X, [], None],
        "flags=1.5": [X, [], {"f": 1.5}],
        "address=5": [X, [], 0, 5], "address=('1.2.3.4', 5)": [X, [], 0, {"tuple": ["1.2.3.4", 5]}],
        "flags-before-buffers": [5, [], "x"],
    }
    for name, args in bad_send.items():
        case(f"args/sendmsg/{name}", "unix-stream", [["a", "sendmsg", args]])
    bad_recv = {
        "no-args": [], "four-args": [1, 0, 0, 0], "bufsize=-1": [-1], "bufsize=None": [None],
        "bufsize=1.5": [{"f": 1.5}], "bufsize=2**63": [{"big": str(2**63)}],
        "ancbufsize=-1": [1, -1], "ancbufsize=2**31": [1, 2**31], "ancbufsize=None": [1, None],
        "flags=2**31": [1, 0, 2**31], "flags=None": [1, 0, None],
        "bufsize=-1,ancbufsize=-1": [-1, -1],
    }
    for name, args in bad_recv.items():
        case(f"args/recvmsg/{name}", "unix-stream", [["a", "recvmsg", args]])
    bad_into = {
        "no-args": [], "four-args": [[{"ba": 1}], 0, 0, 0], "buffers=5": [5], "buffers=None": [None],
        "buffers=[5]": [[5]], "buffers=[None]": [[None]], "buffers=b'x'": [{"ro": "78"}],
        "buffers=[b'x']": [[{"ro": "78"}]], "buffers=[bytearray(1), b'x']": [[{"ba": 1}, {"ro": "78"}]], "ancbufsize=-1": [[{"ba": 1}], -1], "ancbufsize=2**31": [[{"ba": 1}], 2**31],
        "flags=2**31": [[{"ba": 1}], 0, 2**31],
    }
    for name, args in bad_into.items():
        case(f"args/recvmsg_into/{name}", "unix-stream", [["a", "recvmsg_into", args]])

    # Data: gather, scatter, flags, addresses.
    case("data/unix-stream/gather-then-recvmsg", "unix-stream", [
        ["a", "sendmsg", [[B("ab"), {"ba": 0}, B("cde")]]], ["b", "recvmsg", [100]]])
    case("data/unix-stream/gather-from-a-generator", "unix-stream", [
        ["a", "sendmsg", [{"gen": [B("ab"), B("c")]}, {"gen": []}]], ["b", "recvmsg", [100]]])
    case("data/unix-stream/sendmsg-nothing", "unix-stream", [["a", "sendmsg", [[]]], ["a", "sendmsg", [[B("")]]]])
    case("data/unix-stream/recvmsg-short-then-rest", "unix-stream", [
        ["a", "sendmsg", [[B("hello")]]], ["b", "recvmsg", [2]], ["b", "recvmsg", [100]]])
    case("data/unix-stream/recvmsg-zero", "unix-stream", [["a", "sendmsg", [[B("hi")]]], ["b", "recvmsg", [0]], ["b", "recvmsg", [10]]])
    case("data/unix-stream/peek", "unix-stream", [
        ["a", "sendmsg", [[B("hello")]]], ["b", "recvmsg", [2, 0, {"c": "MSG_PEEK"}]], ["b", "recvmsg", [10]]])
    case("data/unix-stream/scatter", "unix-stream", [
        ["a", "sendmsg", [[B("abcdefg")]]], ["b", "recvmsg_into", [[{"ba": 2}, {"ba": 0}, {"ba": 3}, {"ba": 10}]]]])
    case("data/unix-stream/scatter-into-a-generator", "unix-stream", [
        ["a", "sendmsg", [[B("abc")]]], ["b", "recvmsg_into", [{"gen": [{"ba": 1}, {"ba": 5}]}]]])
    case("data/unix-stream/nonblocking-empty", "unix-stream", [
        ["b", "setblocking", [False]], ["b", "recvmsg", [10]], ["b", "recvmsg_into", [[{"ba": 4}]]]])
    case("data/unix-stream/closed", "unix-stream", [
        ["a", "close", []], ["a", "sendmsg", [X]], ["a", "recvmsg", [1]], ["a", "recvmsg_into", [[{"ba": 1}]]]])
    case("data/unix-stream/address-on-a-connected-stream", "unix-stream", [["a", "sendmsg", [X, [], 0, "/nonexistent/x"]]])
    case("data/unix-stream/address-none", "unix-stream", [["a", "sendmsg", [X, [], 0, None]], ["b", "recvmsg", [5]]])
    case("data/unix-dgram/truncated", "unix-dgram", [
        ["a", "sendmsg", [[B("abc"), B("de")]]], ["b", "recvmsg", [3]]])
    case("data/unix-dgram/truncated-with-MSG_TRUNC", "unix-dgram", [
        ["a", "sendmsg", [[B("abcde")]]], ["b", "recvmsg", [3, 0, {"c": "MSG_TRUNC"}]],
        ["a", "sendmsg", [[B("abcde")]]], ["b", "recvmsg_into", [[{"ba": 2}, {"ba": 1}], 0, {"c": "MSG_TRUNC"}]]])
    case("data/unix-dgram/scatter-truncated", "unix-dgram", [
        ["a", "sendmsg", [[B("abcdef")]]], ["b", "recvmsg_into", [[{"ba": 2}, {"ba": 2}]]]])
    case("data/unix-dgram/empty-datagram", "unix-dgram", [["a", "sendmsg", [[]]], ["b", "recvmsg", [10]]])
    for kind in ("udp", "udp6"):
        case(f"data/{kind}/to-an-address", kind, [
            ["a", "sendmsg", [[B("ab"), B("cd")], [], 0, {"addr": "b"}]], ["b", "recvmsg", [10]],
            ["a", "sendmsg", [[B("xyz")], [], 0, {"addr": "b"}]], ["b", "recvmsg_into", [[{"ba": 1}, {"ba": 8}]]]])
        case(f"data/{kind}/truncated", kind, [
            ["a", "sendmsg", [[B("abcdef")], [], 0, {"addr": "b"}]], ["b", "recvmsg", [4]]])
        case(f"data/{kind}/no-destination", kind, [["a", "sendmsg", [X]]])

    # SCM_RIGHTS: real fds across a unix socket; received ones are ints in the data.
    for kind in ("unix-stream", "unix-dgram"):
        case(f"rights/{kind}/one-fd", kind, [
            ["a", "sendmsg", [X, RIGHTS("x")]], ["b", "recvmsg", [10, {"c": "CMSG_SPACE_4"}]], ["b", "use_fds", []]])
        case(f"rights/{kind}/two-fds", kind, [
            ["a", "sendmsg", [X, RIGHTS("x", "x")]], ["b", "recvmsg", [10, 64]], ["b", "use_fds", []]])
        case(f"rights/{kind}/recvmsg_into", kind, [
            ["a", "sendmsg", [[B("ab")], RIGHTS("x")]], ["b", "recvmsg_into", [[{"ba": 1}, {"ba": 4}], 100]], ["b", "use_fds", []]])
    case("rights/unix-stream/no-room-ctrunc", "unix-stream", [
        ["a", "sendmsg", [X, RIGHTS("x")]], ["b", "recvmsg", [10, 10]]])
    case("rights/unix-stream/no-ancbuf-ctrunc", "unix-stream", [
        ["a", "sendmsg", [X, RIGHTS("x")]], ["b", "recvmsg", [10]]])
    case("rights/unix-stream/room-for-one-of-two", "unix-stream", [
        ["a", "sendmsg", [X, RIGHTS("x", "x")]], ["b", "recvmsg", [10, {"c": "CMSG_LEN_4"}]], ["b", "use_fds", []]])
    case("rights/unix-stream/two-items", "unix-stream", [
        ["a", "sendmsg", [X, RIGHTS("x") + RIGHTS("x")]], ["b", "recvmsg", [10, 100]], ["b", "use_fds", []]])
    case("rights/unix-stream/empty-item", "unix-stream", [
        ["a", "sendmsg", [X, [{"tuple": [{"c": "SOL_SOCKET"}, {"c": "SCM_RIGHTS"}, B("")]}]]], ["b", "recvmsg", [10, 100]]])
    case("rights/unix-stream/bad-fd", "unix-stream", [["a", "sendmsg", [X, RIGHTS("-1")]]])
    case("rights/unix-stream/peek-keeps-them", "unix-stream", [
        ["a", "sendmsg", [X, RIGHTS("x")]], ["b", "recvmsg", [10, 100, {"c": "MSG_PEEK"}]],
        ["b", "recvmsg", [10, 100]], ["b", "use_fds", []]])
    case("rights/udp/not-a-unix-socket", "udp", [["a", "sendmsg", [X, RIGHTS("x"), 0, {"addr": "b"}]]])
    case("rights/unix-stream/unknown-sol_socket-type", "unix-stream", [
        ["a", "sendmsg", [X, [{"tuple": [{"c": "SOL_SOCKET"}, 99, B("00000000")]}]]]], needs=["ancillary"])

    # The kernel's own control messages (the ancillary capability).
    case("ancillary/udp/IP_PKTINFO", "udp", [
        ["b", "setsockopt", [{"c": "IPPROTO_IP"}, 8, 1]],
        ["a", "sendmsg", [[B("hi")], [], 0, {"addr": "b"}]], ["b", "recvmsg", [10, 100]]], needs=["ancillary"])
    case("ancillary/udp/IP_PKTINFO-truncated", "udp", [
        ["b", "setsockopt", [{"c": "IPPROTO_IP"}, 8, 1]],
        ["a", "sendmsg", [[B("hi")], [], 0, {"addr": "b"}]], ["b", "recvmsg", [10, {"c": "CMSG_LEN_4"}]]], needs=["ancillary"])
    case("ancillary/udp/IP_RECVTOS", "udp", [
        ["b", "setsockopt", [{"c": "IPPROTO_IP"}, {"c": "IP_RECVTOS"}, 1]],
        ["a", "sendmsg", [[B("hi")], [], 0, {"addr": "b"}]], ["b", "recvmsg", [10, 100]]], needs=["ancillary"])
    case("ancillary/udp/send-IP_TTL", "udp", [
        ["a", "sendmsg", [[B("hi")], [{"tuple": [{"c": "IPPROTO_IP"}, {"c": "IP_TTL"}, {"b": "40000000"}]}], 0, {"addr": "b"}]],
        ["b", "recvmsg", [10]]], needs=["ancillary"])
    case("ancillary/udp6/IPV6_PKTINFO", "udp6", [
        ["b", "setsockopt", [{"c": "IPPROTO_IPV6"}, {"c": "IPV6_RECVPKTINFO"}, 1]],
        ["a", "sendmsg", [[B("hi")], [], 0, {"addr": "b"}]], ["b", "recvmsg", [10, 100]]], needs=["ancillary"])
    case("ancillary/unix-dgram/SCM_CREDENTIALS", "unix-dgram", [
        ["b", "setsockopt", [{"c": "SOL_SOCKET"}, {"c": "SO_PASSCRED"}, 1]],
        ["a", "sendmsg", [X]], ["b", "recvmsg", [10, 100]],
        ["a", "sendmsg", [X, [{"tuple": [{"c": "SOL_SOCKET"}, {"c": "SCM_CREDENTIALS"}, {"ucred": True}]}]]],
        ["b", "recvmsg", [10, 100]]], needs=["ancillary"])
    return out


def main():
    # Constants the cases name that the socket module computes.
    S.CMSG_SPACE_4 = S.CMSG_SPACE(4)
    S.CMSG_LEN_4 = S.CMSG_LEN(4)
    recorded = []
    for id_, kind, steps, needs in cases():
        socks = setup(kind)
        state = {}
        results = [run_step(st, socks, state) for st in steps]
        for fd in state.get("fds", []):
            os.close(fd)
        for s in socks.values():
            s.close()
        recorded.append({"id": id_, "setup": kind, "needs": needs, "steps": steps, "results": results})
    doc = {
        "generator": GENERATOR,
        "python": sys.version.split()[0],
        "masks": MASKS,
        "cases": recorded,
    }
    with open(os.path.join(REPO, OUT), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(recorded)} cases")


if __name__ == "__main__":
    main()
