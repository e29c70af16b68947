#!/usr/bin/env python3
"""Oracle fixture for Node interop: what CPython 3.11 answers for the option sequences that
test/node-interop.test.ts replays on sockets Node created (through wasock's fromNode()).

Cases use the sockopt case schema (test/fixtures/README.md). CPython runs each sequence on a
socket of its own in the same state (`connected` and `accepted` TCP, `listening` TCP, `bound`
UDP); the replay runs it on a Node socket in that state: a net.connect() client, the socket
an http.Server accepted, a listening net.Server, a bound dgram.Socket. What is recorded is
the kernel's and CPython's answer to set-then-get (keepalive idle/interval/count and their
limits, options Node has no API for, buffer sizes the kernel doubles) and CPython's argument
errors, so the Node sockets must give the same values, classes and messages.

`adoption` records what CPython's socket(fileno=) does with the file status flags of a
non-blocking fd it adopts (libuv keeps every socket O_NONBLOCK), the reason fromNode() does
not behave like socket(fileno=) (docs/decisions.md, "Node's sockets").

Writes test/fixtures/node-interop.json.  Run: python3 scripts/gen_node_interop.py
"""
from __future__ import annotations

import fcntl
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optiontable as T  # noqa: E402

OUT = os.path.join(T.REPO, "test", "fixtures", "node-interop.json")

S = socket
SOL, TCP, IP = S.SOL_SOCKET, S.IPPROTO_TCP, S.IPPROTO_IP
NAMES = {(SOL, v): k for k, v in vars(S).items() if k.startswith("SO_")}
NAMES.update({(TCP, v): k for k, v in vars(S).items() if k.startswith("TCP_")})
NAMES.update({(IP, v): k for k, v in vars(S).items() if k.startswith("IP_")})


# The argument and range errors are results too (ERRORS below).
CAUGHT = (OSError, TypeError, ValueError)


# Steps: ("set", level, opt, value) | ("get", level, opt) | ("get", level, opt, buflen)
KEEPALIVE = [
    ("set", SOL, S.SO_KEEPALIVE, 1), ("get", SOL, S.SO_KEEPALIVE), ("get", SOL, S.SO_KEEPALIVE, 4),
    ("set", TCP, S.TCP_KEEPIDLE, 7), ("get", TCP, S.TCP_KEEPIDLE),
    ("set", TCP, S.TCP_KEEPINTVL, 3), ("get", TCP, S.TCP_KEEPINTVL),
    ("set", TCP, S.TCP_KEEPCNT, 4), ("get", TCP, S.TCP_KEEPCNT), ("get", TCP, S.TCP_KEEPCNT, 4),
    ("set", SOL, S.SO_KEEPALIVE, 0), ("get", SOL, S.SO_KEEPALIVE),
    # the values survive SO_KEEPALIVE off (the kernel keeps them per socket)
    ("get", TCP, S.TCP_KEEPIDLE), ("get", TCP, S.TCP_KEEPINTVL),
]
# include/net/tcp.h: MAX_TCP_KEEPIDLE 32767, MAX_TCP_KEEPINTVL 32767, MAX_TCP_KEEPCNT 127.
KEEPALIVE_LIMITS = [
    ("set", TCP, S.TCP_KEEPIDLE, 0), ("set", TCP, S.TCP_KEEPIDLE, 32767), ("get", TCP, S.TCP_KEEPIDLE),
    ("set", TCP, S.TCP_KEEPIDLE, 32768), ("get", TCP, S.TCP_KEEPIDLE),
    ("set", TCP, S.TCP_KEEPINTVL, 0), ("set", TCP, S.TCP_KEEPINTVL, 32768),
    ("set", TCP, S.TCP_KEEPCNT, 127), ("get", TCP, S.TCP_KEEPCNT),
    ("set", TCP, S.TCP_KEEPCNT, 128), ("set", TCP, S.TCP_KEEPCNT, -1), ("get", TCP, S.TCP_KEEPCNT),
]
# Options net.Socket has no setter for.
NODE_CANNOT = [
    ("set", TCP, S.TCP_USER_TIMEOUT, 5000), ("get", TCP, S.TCP_USER_TIMEOUT),
    ("set", TCP, S.TCP_NOTSENT_LOWAT, 16384), ("get", TCP, S.TCP_NOTSENT_LOWAT),
    ("set", SOL, S.SO_RCVBUF, 65536), ("get", SOL, S.SO_RCVBUF),
    ("set", IP, S.IP_TOS, 0x10), ("get", IP, S.IP_TOS),
    ("set", TCP, S.TCP_CONGESTION, b"reno"), ("get", TCP, S.TCP_CONGESTION, 16),
    ("set", TCP, S.TCP_QUICKACK, 1),
    ("set", SOL, S.SO_LINGER, b"\x01\0\0\0\x05\0\0\0"), ("get", SOL, S.SO_LINGER, 8),
    ("set", SOL, S.SO_LINGER, b"\0" * 8), ("get", SOL, S.SO_LINGER, 8),
]
# CPython's argument and range errors, which the core makes before or after the kernel.
ERRORS = [
    ("get", TCP, S.TCP_KEEPIDLE, 1025), ("get", TCP, S.TCP_KEEPIDLE, -1),
    ("set", TCP, S.TCP_KEEPIDLE, "7"), ("set", TCP, S.TCP_KEEPIDLE, 2 ** 31),
    ("get", SOL, 9999),
]
LISTENING = [
    ("set", SOL, S.SO_REUSEPORT, 1), ("get", SOL, S.SO_REUSEPORT),
    ("set", TCP, S.TCP_DEFER_ACCEPT, 5), ("get", TCP, S.TCP_DEFER_ACCEPT),
    ("set", TCP, S.TCP_FASTOPEN, 5), ("get", TCP, S.TCP_FASTOPEN),
    ("get", SOL, S.SO_ACCEPTCONN),
]
DGRAM = [
    ("get", SOL, S.SO_TYPE), ("get", SOL, S.SO_PROTOCOL), ("get", SOL, S.SO_DOMAIN),
    ("set", SOL, S.SO_RCVBUF, 65536), ("get", SOL, S.SO_RCVBUF),
    ("set", SOL, S.SO_SNDBUF, 32768), ("get", SOL, S.SO_SNDBUF),
    ("set", SOL, S.SO_BROADCAST, 1), ("get", SOL, S.SO_BROADCAST),
    ("set", IP, S.IP_TTL, 17), ("get", IP, S.IP_TTL),
    ("set", IP, S.IP_MULTICAST_TTL, 3), ("get", IP, S.IP_MULTICAST_TTL),
    ("set", IP, S.IP_RECVTOS, 1), ("get", IP, S.IP_RECVTOS),
    ("get", TCP, S.TCP_KEEPIDLE),
]

SEQUENCES = [
    ("keepalive", KEEPALIVE, [("inet", "stream", "connected"), ("inet", "stream", "accepted"),
                              ("inet6", "stream", "connected")]),
    ("keepalive-limits", KEEPALIVE_LIMITS, [("inet", "stream", "connected")]),
    ("node-cannot", NODE_CANNOT, [("inet", "stream", "connected"), ("inet", "stream", "accepted")]),
    ("errors", ERRORS, [("inet", "stream", "accepted")]),
    ("listening", LISTENING, [("inet", "stream", "listening")]),
    ("dgram", DGRAM, [("inet", "dgram", "bound")]),
]


def step(s, st):
    kind, level, opt, *rest = st
    if kind == "set":
        return {"call": "setsockopt",
                "args": [T.arg_int(level), T.arg_int(opt), T.enc_plain(rest[0])],
                "result": T.result_of(lambda: s.setsockopt(level, opt, rest[0]), CAUGHT)}
    return {"call": "getsockopt", "args": [T.arg_int(a) for a in (level, opt, *rest)],
            "result": T.result_of(lambda: s.getsockopt(level, opt, *rest), CAUGHT)}


def cases():
    out = []
    for name, steps, socks in SEQUENCES:
        for family, type_, state in socks:
            with T.open_socket(family, type_, state) as s:
                recorded = [step(s, st) for st in steps]
            out.append({"id": f"node/{name}/{family}-{type_}-{state}", "row": None,
                        "sock": {"family": family, "type": type_, "state": state},
                        "steps": recorded})
    return out


def nonblocking(fd):
    return bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)


def adoption():
    """socket(fileno=) of a duplicate of a non-blocking fd, as libuv keeps Node's fds."""
    node = socket.socket()
    node.setblocking(False)   # libuv's state for every socket it owns
    try:
        dup = socket.socket(fileno=os.dup(node.fileno()))
        rec = {"gettimeout": dup.gettimeout(), "getblocking": dup.getblocking(),
               "o_nonblock_after_adopt": nonblocking(node.fileno())}
        dup.settimeout(None)
        rec["o_nonblock_after_settimeout_none"] = nonblocking(node.fileno())
        rec["original_gettimeout_after"] = node.gettimeout()
        dup.close()
        return rec
    finally:
        node.close()


def main():
    data = T.header("scripts/gen_node_interop.py")
    data["adoption"] = adoption()
    data["cases"] = cases()
    T.write(data, OUT)
    print(f"wrote {os.path.relpath(OUT, T.REPO)}: {len(data['cases'])} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
