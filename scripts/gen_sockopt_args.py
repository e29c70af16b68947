#!/usr/bin/env python3
"""Record CPython 3.11's getsockopt/setsockopt answers to argument errors and edge cases.

Run: `python3 scripts/gen_sockopt_args.py` -> test/fixtures/sockopt-args.json, in the case
schema of test/fixtures/README.md. Each case names a socket (family, type, state) and a list
of calls; this script makes that socket, runs the calls with real CPython on the live kernel
and stores exactly what came back (value, or exception class, errno and str()).

What the cases pin (see shared/reference/cpython-socket-semantics.md §0-2):
  * PyArg `ii|i` conversion of level/optname/buflen: bool accepted, float/str/None/bytes/list
    rejected with TypeError, the three OverflowError texts, and their order (level first).
  * buflen 0 is int mode; buflen outside 1..1024 is OSError('getsockopt buflen out of range')
    with no errno, checked before the syscall (so it beats EBADF on a closed socket).
  * setsockopt's three formats tried in order (iii, iiO!I, iiy*), only the last failure
    reported: out-of-range ints give "a bytes-like object is required, not 'int'", a bad
    None-form optlen gives "takes exactly 3 arguments (4 given)", and `I` masks optlen
    modulo 2**32.
  * the kernel's own answers: ENOPROTOOPT/EOPNOTSUPP/EINVAL/EFAULT/EDOM/EBADF, and, after each
    successful set, a getsockopt read-back so a replay checks the kernel state too.

Determinism. A few values come from sysctls rather than from the kernel code, so they are
either pinned or masked (never hard-coded):
  * SO_RCVBUF's default comes from net.ipv4.tcp_rmem[1]: the getsockopt-buflen cases on
    SO_RCVBUF first set it to 4096 (reads back 8192: the kernel doubles it).
  * SO_RCVBUF set to a large value is capped at net.core.rmem_max (doubled): such read-backs
    are masked (`int: any`).
  * IP_TTL's default, and what IP_TTL=-1 restores, is net.ipv4.ip_default_ttl: the buflen
    cases on IP_TTL first set it to 64; the read-back after -1 is masked.
  * Every setsockopt case is followed by a read-back, after a failure too (it shows the
    kernel state did not change). So the set cases on options whose default is a sysctl
    (SO_RCVBUF: tcp_rmem[1]; IP_TTL: ip_default_ttl; TCP_KEEPIDLE: tcp_keepalive_time) first
    pin a known value: SO_RCVBUF 4096 (reads 8192), IP_TTL 100, TCP_KEEPIDLE 600.
  * SO_RCVTIMEO is rounded up to a jiffy, so a sub-jiffy tv_usec reads back as a CONFIG_HZ
    dependent value: that tv_usec is masked. The other timeouts use multiples of 0.5 s, exact
    for HZ 100/250/300/1000.
The script runs every case twice and fails if an unmasked result differs between the runs.
"""

import json
import os
import socket
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optiontable as T  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = "test/fixtures/sockopt-args.json"
GENERATOR = "scripts/gen_sockopt_args.py"

S = socket
SOL_SOCKET, IPPROTO_IP, IPPROTO_TCP = S.SOL_SOCKET, S.IPPROTO_IP, S.IPPROTO_TCP

with open("/proc/sys/net/core/rmem_max") as f:
    RMEM_MAX = int(f.read())

# --------------------------------------------------------------------------------------------
# Encoding of arguments and results (README "ARG" and "RESULT")


def enc_arg(v):
    if isinstance(v, list):
        assert v == []
        return {"t": "list"}
    return T.enc_plain(v)


# --------------------------------------------------------------------------------------------
# Case construction

CASES = []
IDS = set()

INET_STREAM = {"family": "inet", "type": "stream", "state": "fresh"}
INET_DGRAM = {"family": "inet", "type": "dgram", "state": "fresh"}
UNIX_STREAM = {"family": "unix", "type": "stream", "state": "fresh"}
SOCKS = {"inet-stream": INET_STREAM, "inet-dgram": INET_DGRAM, "unix-stream": UNIX_STREAM}


class Step:
    def __init__(self, call, args, mask=None):
        self.call, self.args, self.mask = call, list(args), mask


def get(*args, mask=None):
    return Step("getsockopt", args, mask)


def set_(*args, mask=None):
    return Step("setsockopt", args, mask)


def case(cid, row, sock, steps):
    assert cid not in IDS, f"duplicate id {cid}"
    IDS.add(cid)
    CASES.append({"id": cid, "row": row, "sock": dict(sock), "steps": steps})


# Option table used by the cases: name -> (level, optname, read-back buflen or 0 for int mode)
OPT = {
    "SO_REUSEADDR": (SOL_SOCKET, S.SO_REUSEADDR, 0),
    "SO_RCVBUF": (SOL_SOCKET, S.SO_RCVBUF, 0),
    "SO_TYPE": (SOL_SOCKET, S.SO_TYPE, 0),
    "SO_LINGER": (SOL_SOCKET, S.SO_LINGER, 8),
    "SO_RCVTIMEO": (SOL_SOCKET, S.SO_RCVTIMEO, 16),
    "SO_BINDTODEVICE": (SOL_SOCKET, S.SO_BINDTODEVICE, 16),
    "IP_TTL": (IPPROTO_IP, S.IP_TTL, 0),
    "IP_MULTICAST_TTL": (IPPROTO_IP, S.IP_MULTICAST_TTL, 0),
    "TCP_KEEPIDLE": (IPPROTO_TCP, S.TCP_KEEPIDLE, 0),
    "TCP_INFO": (IPPROTO_TCP, S.TCP_INFO, 1024),
}

RCVBUF_CAP_MASK = {
    "why": "SO_RCVBUF is capped at 2 * net.core.rmem_max (a sysctl)",
    "int": "any",
}


def readback(name, mask=None):
    level, opt, buflen = OPT[name]
    if buflen:
        return get(level, opt, buflen, mask=mask)
    # SO_RCVBUF read-backs hitting the rmem_max cap are decided after the run (see finish()).
    return get(level, opt, mask=mask if mask else ("rcvbuf-cap" if name == "SO_RCVBUF" else None))


# Pins for sysctl-dependent defaults (see module docstring).
PIN = {
    "SO_RCVBUF": set_(SOL_SOCKET, S.SO_RCVBUF, 4096),   # reads back 8192
    "IP_TTL": set_(IPPROTO_IP, S.IP_TTL, 64),
}

# Pins before the setsockopt cases, so a read-back after a failed set is deterministic.
SET_PIN = {
    "SO_RCVBUF": set_(SOL_SOCKET, S.SO_RCVBUF, 4096),   # reads back 8192
    "IP_TTL": set_(IPPROTO_IP, S.IP_TTL, 100),
    "TCP_KEEPIDLE": set_(IPPROTO_TCP, S.TCP_KEEPIDLE, 600),
}


def set_case(cid, row, sock, set_step, mask=None):
    pin = [SET_PIN[row]] if row in SET_PIN else []
    case(cid, row, sock, pin + [set_step, readback(row, mask)])


# Python values with readable labels, for ids.
BAD_INTS = [
    ("2**31", 2**31), ("-2**31-1", -2**31 - 1), ("2**63", 2**63),
    ("-2**63-1", -2**63 - 1), ("2**64", 2**64),
]
NON_INTS = [
    ("True", True), ("False", False), ("1.5", 1.5), ('"4"', "4"), ("None", None),
    ('b"4"', b"4"), ("[]", []),
]


# --- 1. getsockopt buflen -------------------------------------------------------------------

BUFLENS = [
    ("omitted", None), ("0", 0), ("-1", -1), ("1", 1), ("2", 2), ("3", 3), ("4", 4),
    ("1024", 1024), ("1025", 1025), ("2**31", 2**31), ("-2**31", -2**31),
    ("2**31-1", 2**31 - 1), ("2**63", 2**63), ("-2**63-1", -2**63 - 1), ("2**64", 2**64),
    ("True", True), ("False", False), ("1.5", 1.5), ('"4"', "4"), ("None", None),
    ('b"4"', b"4"), ("[]", []),
    # -0 is Python's -0.0, a float (DESIGN.md's mapping); 4n a bigint, an int
    ("-0.0", T.NEG_ZERO), ("4n", T.BigInt(4)),
]

for name in ["SO_RCVBUF", "SO_TYPE", "SO_LINGER", "IP_TTL"]:
    level, opt, _ = OPT[name]
    for label, buflen in BUFLENS:
        if label == "omitted":
            call = get(level, opt)
        else:
            call = get(level, opt, buflen)
        steps = ([PIN[name]] if name in PIN else []) + [call]
        case(f"getsockopt/buflen={label}/{name}", name, INET_STREAM, steps)

# --- 2. getsockopt level / optname conversion ---------------------------------------------

LEVEL_OPT_BAD = [
    ("2**31", 2**31), ("-2**31-1", -2**31 - 1), ("2**63", 2**63), ("2**64", 2**64),
    ("1.5", 1.5), ('"1"', "1"), ("None", None), ("True", True), ("[]", []),
    ("-0.0", T.NEG_ZERO),
]
for label, v in LEVEL_OPT_BAD:
    # level True is SOL_SOCKET: SO_TYPE then reads SOCK_STREAM.
    case(f"getsockopt/level={label}/int", "SO_TYPE" if v is True else None, INET_STREAM,
         [get(v, S.SO_TYPE)])
    case(f"getsockopt/level={label}/buflen=4", "SO_TYPE" if v is True else None, INET_STREAM,
         [get(v, S.SO_TYPE, 4)])
    # optname True is SO_DEBUG (1).
    case(f"getsockopt/optname={label}/int", None, INET_STREAM, [get(SOL_SOCKET, v)])
    case(f"getsockopt/optname={label}/buflen=4", None, INET_STREAM, [get(SOL_SOCKET, v, 4)])

# Argument order: the first bad argument decides, whatever the later ones are.
case('getsockopt/order/level="1",buflen=2**31', None, INET_STREAM, [get("1", S.SO_TYPE, 2**31)])
case("getsockopt/order/level=2**31,optname=1.5", None, INET_STREAM, [get(2**31, 1.5)])
case("getsockopt/order/optname=2**31,buflen=-1", None, INET_STREAM,
     [get(SOL_SOCKET, 2**31, -1)])
case("getsockopt/order/unknown-level,buflen=1025", None, INET_STREAM, [get(12345, 1, 1025)])

# Unknown levels and options, int and buffer modes, on three socket kinds.
UNKNOWN = [
    ("level=12345", 12345, 1),
    ("level=-1", -1, 1),
    ("SOL_SOCKET/9999", SOL_SOCKET, 9999),
    ("IPPROTO_TCP/9999", IPPROTO_TCP, 9999),
    ("IPPROTO_IP/9999", IPPROTO_IP, 9999),
]
for sname, sock in SOCKS.items():
    for label, level, opt in UNKNOWN:
        case(f"getsockopt/unknown/{label}/{sname}/int", None, sock, [get(level, opt)])
        case(f"getsockopt/unknown/{label}/{sname}/buflen=4", None, sock, [get(level, opt, 4)])
        case(f"setsockopt/unknown/{label}/{sname}/int", None, sock, [set_(level, opt, 1)])
        case(f"setsockopt/unknown/{label}/{sname}/bytes4", None, sock,
             [set_(level, opt, struct.pack("<i", 1))])

case("getsockopt/TCP_INFO/inet-dgram/buflen=1024", "TCP_INFO", INET_DGRAM,
     [get(IPPROTO_TCP, S.TCP_INFO, 1024)])
case("getsockopt/TCP_INFO/inet-dgram/int", "TCP_INFO", INET_DGRAM, [get(IPPROTO_TCP, S.TCP_INFO)])

# --- 3. argument counts ---------------------------------------------------------------------

case("getsockopt/args=0", None, INET_STREAM, [get()])
case("getsockopt/args=1", None, INET_STREAM, [get(SOL_SOCKET)])
case("getsockopt/args=4", None, INET_STREAM, [get(SOL_SOCKET, S.SO_TYPE, 4, 4)])
case("getsockopt/args=4/bad-types", None, INET_STREAM, [get("x", None, [], 1.5)])
case("setsockopt/args=0", None, INET_STREAM, [set_()])
case("setsockopt/args=1", None, INET_STREAM, [set_(SOL_SOCKET)])
case("setsockopt/args=2", None, INET_STREAM, [set_(SOL_SOCKET, S.SO_REUSEADDR)])
case("setsockopt/args=4/int-third", None, INET_STREAM, [set_(SOL_SOCKET, S.SO_REUSEADDR, 1, 4)])
case("setsockopt/args=4/bytes-third", None, INET_STREAM,
     [set_(SOL_SOCKET, S.SO_REUSEADDR, b"\x01\x00\x00\x00", 4)])
case("setsockopt/args=5", None, INET_STREAM, [set_(SOL_SOCKET, S.SO_REUSEADDR, None, 4, 0)])

# --- 4. setsockopt values -------------------------------------------------------------------


def filled(n):
    """n bytes: int32 1 first, zeros after (a linger (1, 0), a timeval (1, 0), an int 1)."""
    return struct.pack("<i", 1) + b"\x00" * (n - 4)


SET_VALUES = [
    ("0", 0), ("1", 1), ("-1", -1), ("5", 5), ("2**31-1", 2**31 - 1), ("-2**31", -2**31),
    ("2**31", 2**31), ("2**32", 2**32), ("-2**31-1", -2**31 - 1), ("2**63", 2**63),
    ("2**64", 2**64), ("True", True), ("False", False), ("1.5", 1.5), ('"1"', "1"),
    ("None", None), ("[]", []), ("-0.0", T.NEG_ZERO), ("1n", T.BigInt(1)),
    ('b""', b""), ('b"01"', b"\x01"), ('b"0100"', b"\x01\x00"),
    ("bytes4", struct.pack("<i", 100)),
    ("bytes8", struct.pack("<ii", 1, 5)),          # linger (on, 5 s); int options read 1
    ("bytes16", struct.pack("<qq", 2, 500000)),    # timeval 2.5 s; linger (2 -> on, 0 s)
    ("bytes1024", filled(1024)), ("bytes1025", filled(1025)), ("bytes4096", filled(4096)),
]

# SO_RCVTIMEO/SO_LINGER given an int, IP_TTL given 0 or >255 etc. all fail in the kernel;
# which ones succeed is whatever the kernel says, recorded, with a read-back after success.
for name in ["SO_REUSEADDR", "SO_RCVBUF", "SO_LINGER", "SO_RCVTIMEO", "IP_TTL"]:
    level, opt, _ = OPT[name]
    for label, v in SET_VALUES:
        mask = None
        if name == "IP_TTL" and v == -1 and not isinstance(v, bool):
            mask = {"why": "IP_TTL -1 restores net.ipv4.ip_default_ttl (a sysctl)", "int": "any"}
        set_case(f"setsockopt/value={label}/{name}", name, INET_STREAM, set_(level, opt, v), mask)

EXTRA_SETS = [
    # (id, row, sock, value, read-back mask)
    ("setsockopt/value=300/IP_TTL", "IP_TTL", INET_STREAM, 300, None),
    ("setsockopt/value=255/IP_TTL", "IP_TTL", INET_STREAM, 255, None),
    ('setsockopt/value=b"ff"/IP_TTL', "IP_TTL", INET_STREAM, b"\xff", None),
    ("setsockopt/value=0/TCP_KEEPIDLE", "TCP_KEEPIDLE", INET_STREAM, 0, None),
    ("setsockopt/value=1/TCP_KEEPIDLE", "TCP_KEEPIDLE", INET_STREAM, 1, None),
    ("setsockopt/value=32767/TCP_KEEPIDLE", "TCP_KEEPIDLE", INET_STREAM, 32767, None),
    ("setsockopt/value=32768/TCP_KEEPIDLE", "TCP_KEEPIDLE", INET_STREAM, 32768, None),
    ("setsockopt/value=256/IP_MULTICAST_TTL", "IP_MULTICAST_TTL", INET_DGRAM, 256, None),
    ("setsockopt/value=255/IP_MULTICAST_TTL", "IP_MULTICAST_TTL", INET_DGRAM, 255, None),
    ("setsockopt/value=-1/IP_MULTICAST_TTL", "IP_MULTICAST_TTL", INET_DGRAM, -1, None),
    ("setsockopt/value=-2/IP_MULTICAST_TTL", "IP_MULTICAST_TTL", INET_DGRAM, -2, None),
    ('setsockopt/value=b"05"/IP_MULTICAST_TTL', "IP_MULTICAST_TTL", INET_DGRAM, b"\x05", None),
    ("setsockopt/value=linger(1,7)/SO_LINGER", "SO_LINGER", INET_STREAM,
     struct.pack("<ii", 1, 7), None),
    ("setsockopt/value=linger(0,7)/SO_LINGER", "SO_LINGER", INET_STREAM,
     struct.pack("<ii", 0, 7), None),
    ("setsockopt/value=timeval(1,500000)/SO_RCVTIMEO", "SO_RCVTIMEO", INET_STREAM,
     struct.pack("<qq", 1, 500000), None),
    ("setsockopt/value=timeval(0,1000000)/SO_RCVTIMEO", "SO_RCVTIMEO", INET_STREAM,
     struct.pack("<qq", 0, 1000000), None),
    ("setsockopt/value=timeval(0,-1)/SO_RCVTIMEO", "SO_RCVTIMEO", INET_STREAM,
     struct.pack("<qq", 0, -1), None),
    ("setsockopt/value=timeval(-1,0)/SO_RCVTIMEO", "SO_RCVTIMEO", INET_STREAM,
     struct.pack("<qq", -1, 0), None),
    ("setsockopt/value=timeval(2**62,0)/SO_RCVTIMEO", "SO_RCVTIMEO", INET_STREAM,
     struct.pack("<qq", 2**62, 0), None),
    ("setsockopt/value=timeval(0,1)/SO_RCVTIMEO", "SO_RCVTIMEO", INET_STREAM,
     struct.pack("<qq", 0, 1),
     {"why": "tv_usec is rounded up to a jiffy: 1 us reads back as 1/CONFIG_HZ s "
             "(4000 us with HZ=250)", "bytes": [[8, 16]]}),
    ("setsockopt/value=bytes15/SO_RCVTIMEO", "SO_RCVTIMEO", INET_STREAM,
     struct.pack("<qq", 2, 500000)[:15], None),
    ("setsockopt/value=bytes7/SO_LINGER", "SO_LINGER", INET_STREAM,
     struct.pack("<ii", 1, 5)[:7], None),
]
for cid, row, sock, v, mask in EXTRA_SETS:
    level, opt, _ = OPT[row]
    set_case(cid, row, sock, set_(level, opt, v), mask)

# --- 5. setsockopt None + optlen --------------------------------------------------------------

OPTLENS = [
    ("4", 4), ("0", 0), ("-1", -1), ("2**32", 2**32), ("2**64", 2**64),
    ("2**64+4", 2**64 + 4), ("-2**32+4", -2**32 + 4), ("True", True), ("1.5", 1.5),
    ("None", None), ('"4"', "4"), ("[]", []), ("-0.0", T.NEG_ZERO),
]
for label, optlen in OPTLENS:
    set_case(f"setsockopt/None,optlen={label}/SO_REUSEADDR", "SO_REUSEADDR", INET_STREAM,
             set_(SOL_SOCKET, S.SO_REUSEADDR, None, optlen))
set_case("setsockopt/None,optlen=8/SO_LINGER", "SO_LINGER", INET_STREAM,
         set_(SOL_SOCKET, S.SO_LINGER, None, 8))
set_case("setsockopt/None,optlen=4/IP_TTL", "IP_TTL", INET_STREAM,
         set_(IPPROTO_IP, S.IP_TTL, None, 4))
# The one NULL-value set that succeeds: optlen 0 unbinds SO_BINDTODEVICE (unbound: no privilege).
case("setsockopt/None,optlen=0/SO_BINDTODEVICE", "SO_BINDTODEVICE", INET_STREAM,
     [set_(SOL_SOCKET, S.SO_BINDTODEVICE, None, 0), readback("SO_BINDTODEVICE")])

# --- 6. setsockopt level / optname errors ----------------------------------------------------

for label, v in LEVEL_OPT_BAD:
    if v is True:
        continue  # True is a valid level (SOL_SOCKET): covered below as a success
    case(f"setsockopt/level={label}/int", None, INET_STREAM, [set_(v, S.SO_REUSEADDR, 1)])
    case(f"setsockopt/level={label}/bytes4", None, INET_STREAM,
         [set_(v, S.SO_REUSEADDR, struct.pack("<i", 1))])
    case(f"setsockopt/level={label}/None,optlen=4", None, INET_STREAM,
         [set_(v, S.SO_REUSEADDR, None, 4)])
    case(f"setsockopt/optname={label}/int", None, INET_STREAM, [set_(SOL_SOCKET, v, 1)])
case("setsockopt/level=True/SO_REUSEADDR", "SO_REUSEADDR", INET_STREAM,
     [set_(True, S.SO_REUSEADDR, 1), readback("SO_REUSEADDR")])
case("setsockopt/optname=True/int", None, INET_STREAM,   # True is SO_DEBUG (1)
     [set_(SOL_SOCKET, True, 0), get(SOL_SOCKET, True)])
case("setsockopt/order/level=2**31,value=1.5", None, INET_STREAM, [set_(2**31, 1, 1.5)])
case('setsockopt/order/level=1.5,value="1"', None, INET_STREAM, [set_(1.5, 1, "1")])
case("setsockopt/order/unknown-level,value=2**31", None, INET_STREAM, [set_(12345, 1, 2**31)])

# Unknown level on TCP: setsockopt says ENOPROTOOPT where getsockopt says EOPNOTSUPP.
case("setsockopt+getsockopt/unknown-level=12345/inet-stream", None, INET_STREAM,
     [set_(12345, 1, 1), get(12345, 1)])

# --- 7. closed and detached sockets ----------------------------------------------------------

for state in ["closed", "detached"]:
    sock = {"family": "inet", "type": "stream", "state": state}
    case(f"{state}/getsockopt/int/SO_TYPE", "SO_TYPE", sock, [get(SOL_SOCKET, S.SO_TYPE)])
    case(f"{state}/getsockopt/buflen=4/SO_TYPE", "SO_TYPE", sock, [get(SOL_SOCKET, S.SO_TYPE, 4)])
    case(f"{state}/getsockopt/buflen=-1/SO_TYPE", "SO_TYPE", sock,
         [get(SOL_SOCKET, S.SO_TYPE, -1)])
    case(f"{state}/getsockopt/buflen=1025/SO_TYPE", "SO_TYPE", sock,
         [get(SOL_SOCKET, S.SO_TYPE, 1025)])
    case(f"{state}/getsockopt/unknown-level", None, sock, [get(12345, 1)])
    case(f"{state}/getsockopt/level=2**31", None, sock, [get(2**31, S.SO_TYPE)])
    case(f'{state}/getsockopt/level="1"', None, sock, [get("1", S.SO_TYPE)])
    case(f"{state}/setsockopt/int/SO_REUSEADDR", "SO_REUSEADDR", sock,
         [set_(SOL_SOCKET, S.SO_REUSEADDR, 1)])
    case(f"{state}/setsockopt/bytes4/SO_REUSEADDR", "SO_REUSEADDR", sock,
         [set_(SOL_SOCKET, S.SO_REUSEADDR, struct.pack("<i", 1))])
    case(f"{state}/setsockopt/None,optlen=4/SO_REUSEADDR", "SO_REUSEADDR", sock,
         [set_(SOL_SOCKET, S.SO_REUSEADDR, None, 4)])
    case(f'{state}/setsockopt/value="1"/SO_REUSEADDR', "SO_REUSEADDR", sock,
         [set_(SOL_SOCKET, S.SO_REUSEADDR, "1")])
    case(f"{state}/setsockopt/value=2**31/SO_REUSEADDR", "SO_REUSEADDR", sock,
         [set_(SOL_SOCKET, S.SO_REUSEADDR, 2**31)])
    case(f"{state}/setsockopt/None,optlen=1.5/SO_REUSEADDR", "SO_REUSEADDR", sock,
         [set_(SOL_SOCKET, S.SO_REUSEADDR, None, 1.5)])
    case(f"{state}/setsockopt/args=2", None, sock, [set_(SOL_SOCKET, S.SO_REUSEADDR)])

# --------------------------------------------------------------------------------------------
# Running


def run_case(c):
    sock = c["sock"]
    with T.open_socket(sock["family"], sock["type"], sock["state"]) as s:
        # any exception is the datum (TypeError, OverflowError, OSError...)
        return [T.result_of(lambda: getattr(s, st.call)(*st.args), Exception)
                for st in c["steps"]]


def finish_mask(step, result):
    if step.mask == "rcvbuf-cap":
        ok = result.get("ok")
        if ok and ok["t"] == "int" and int(ok["v"]) == 2 * RMEM_MAX:
            return RCVBUF_CAP_MASK
        return None
    return step.mask


def masked_equal(a, b, mask):
    if a == b:
        return True
    if not mask or "ok" not in a or "ok" not in b or a["ok"]["t"] != b["ok"]["t"]:
        return False
    if mask.get("int") == "any":
        return a["ok"]["t"] == "int"
    if "bytes" in mask:
        x, y = bytes.fromhex(a["ok"]["hex"]), bytes.fromhex(b["ok"]["hex"])
        if len(x) != len(y) and mask.get("len") != "any":
            return False
        for lo, hi in mask["bytes"]:
            x = x[:lo] + b"\x00" * max(0, min(hi, len(x)) - lo) + x[hi:]
            y = y[:lo] + b"\x00" * max(0, min(hi, len(y)) - lo) + y[hi:]
        return x == y if mask.get("len") != "any" else True
    return False


def main():
    if sys.version_info[:2] != (3, 11):
        print(f"warning: the oracle is CPython 3.11, this is {T.PYTHON}",
              file=sys.stderr)
    out_cases = []
    unstable = []
    for c in CASES:
        first, second = run_case(c), run_case(c)
        steps = []
        for st, r1, r2 in zip(c["steps"], first, second):
            mask = finish_mask(st, r1)
            if not masked_equal(r1, r2, mask):
                unstable.append((c["id"], st.call, r1, r2))
            step = {"call": st.call, "args": [enc_arg(a) for a in st.args], "result": r1}
            if mask:
                step["mask"] = mask
            steps.append(step)
        out_cases.append({"id": c["id"], "row": c["row"], "sock": c["sock"], "steps": steps})
    if unstable:
        for u in unstable:
            print("unstable:", u, file=sys.stderr)
        raise SystemExit("some unmasked results differ between two runs")

    doc = {**T.header(GENERATOR), "cases": out_cases}
    path = os.path.join(ROOT, OUT)
    tmp = tempfile.NamedTemporaryFile("w", dir=os.path.dirname(path), delete=False,
                                      encoding="utf-8", suffix=".tmp")
    with tmp:
        json.dump(doc, tmp, indent=1)
        tmp.write("\n")
    os.chmod(tmp.name, 0o644)  # NamedTemporaryFile creates 0600
    os.replace(tmp.name, path)
    nsteps = sum(len(c["steps"]) for c in out_cases)
    print(f"wrote {OUT}: {len(out_cases)} cases, {nsteps} steps")


if __name__ == "__main__":
    main()
