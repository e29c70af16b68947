#!/usr/bin/env python3
"""Canonical socket-option table of wasock (Linux numbering, CPython 3.11 as the oracle).

One row per distinct (level, option number) at SOL_SOCKET, IPPROTO_IP, IPPROTO_TCP,
IPPROTO_UDP and IPPROTO_IPV6: every option constant CPython 3.11 exports on Linux (minus the
names in EXCLUDED, which are not options at those levels) plus the Linux options CPython lacks,
numbered from the kernel uapi headers (asm-generic/socket.h, linux/tcp.h, linux/in.h,
linux/in6.h, linux/udp.h; 6.1 headers from linux-libc-dev, later numbers from the 6.18 uapi).
Option numbers the kernel defines but that are not socket options, or that this table leaves
out on purpose, are listed in NOT_MODELLED with the reason.

Rows are unique by (level, value) and by (level, name). The MCAST_* names exist at both
IPPROTO_IP and IPPROTO_IPV6 (same numbers, the kernel implements both), so a name alone is not
a key: fixtures carry the level in their args and their ids.

Every row was checked against the live kernel (Linux 6.18, x86_64, root) from CPython 3.11.7;
`note` cites the kernel behaviour where it surprises. `roundtrip` holds the set-then-get specs
that scripts/gen_sockopt_roundtrip.py turns into fixtures; rows that cannot be set on a fixture
socket here have `roundtrip=()` and `why_no_roundtrip` quoting the errno CPython got.

Running this file writes assembly/generated/options.ts (see write_ts()).

Also the helpers the fixture generators share (one copy, so every fixture agrees): the
socket states of test/fixtures/README.md (open_socket, case_sockets, state_sockets,
lone_socket, loopback_pair), the header fields (header, PYTHON, KERNEL, MACHINE), the
one-case-per-line JSON layouts (write_fixture, write; write_text for any file) and the VALUE / RESULT records (enc_plain, arg_int, exc_record,
raises, result_of, zero_port).
"""
from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import socket
import struct
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Optional, Tuple, Union

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import layouts  # noqa: E402
from contract import LEVELS, KINDS, FAMILY_BITS, OPTION_FLAGS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TS_OUT = os.path.join(REPO, "assembly", "generated", "options.ts")

# LEVELS, KINDS, FAMILY_BITS and the flag bits are the contract's (scripts/contract.py): the core
# and src/options.ts read the columns with the same names.
FLAG_GET, FLAG_SET, FLAG_PYTHON, FLAG_PRIVILEGED, FLAG_ROUNDTRIP = (v for _, v, _ in OPTION_FLAGS)

# --------------------------------------------------------------------------------------------
# Names CPython 3.11 exports with an option-like prefix that are not options at our levels.
EXCLUDED = {
    "SO_J1939_FILTER": "SOL_CAN_J1939 (107) option of AF_CAN J1939 sockets, not SOL_SOCKET",
    "SO_J1939_PROMISC": "SOL_CAN_J1939 (107) option of AF_CAN J1939 sockets, not SOL_SOCKET",
    "SO_J1939_SEND_PRIO": "SOL_CAN_J1939 (107) option of AF_CAN J1939 sockets, not SOL_SOCKET",
    "SO_J1939_ERRQUEUE": "SOL_CAN_J1939 (107) option of AF_CAN J1939 sockets, not SOL_SOCKET",
    "SO_VM_SOCKETS_BUFFER_SIZE": "AF_VSOCK option, used at level AF_VSOCK (40), not SOL_SOCKET",
    "SO_VM_SOCKETS_BUFFER_MIN_SIZE": "AF_VSOCK option, used at level AF_VSOCK (40), not SOL_SOCKET",
    "SO_VM_SOCKETS_BUFFER_MAX_SIZE": "AF_VSOCK option, used at level AF_VSOCK (40), not SOL_SOCKET",
    "IP_DEFAULT_MULTICAST_TTL": "a default value (1), not an option number",
    "IP_DEFAULT_MULTICAST_LOOP": "a default value (1), not an option number",
    "IP_MAX_MEMBERSHIPS": "a limit (20), not an option number (20 is IP_RECVORIGDSTADDR)",
    "IPV6_RTHDR_TYPE_0": "a routing-header type value (0), not an option number",
    "IPV6_HOPLIMIT": "ancillary-data (cmsg) type only; Linux has no IPV6_HOPLIMIT (52) socket "
                     "option: getsockopt and setsockopt answer ENOPROTOOPT on tcp6/udp6 (verified)",
    "IPV6_NEXTHOP": "ancillary-data (cmsg) type only; Linux has no IPV6_NEXTHOP (9) socket "
                    "option: getsockopt and setsockopt answer ENOPROTOOPT on tcp6/udp6 (verified)",
}

# Linux numbers at our levels that get no row, with the reason (checked on 6.18).
NOT_MODELLED = {
    ("SOL_SOCKET", 22): "SO_SECURITY_AUTHENTICATION: defined, never implemented (ENOPROTOOPT)",
    ("SOL_SOCKET", 23): "SO_SECURITY_ENCRYPTION_TRANSPORT: never implemented (ENOPROTOOPT)",
    ("SOL_SOCKET", 24): "SO_SECURITY_ENCRYPTION_NETWORK: never implemented (ENOPROTOOPT)",
    ("SOL_SOCKET", 54): "SCM_TIMESTAMPING_OPT_STATS: cmsg type only (ENOPROTOOPT)",
    ("SOL_SOCKET", 58): "SCM_TIMESTAMPING_PKTINFO: cmsg type only (ENOPROTOOPT)",
    ("SOL_SOCKET", 78): "SO_DEVMEM_LINEAR / SCM_DEVMEM_LINEAR: cmsg type only (ENOPROTOOPT)",
    ("SOL_SOCKET", 79): "SO_DEVMEM_DMABUF / SCM_DEVMEM_DMABUF: cmsg type only (ENOPROTOOPT)",
    ("SOL_SOCKET", 81): "SCM_TS_OPT_ID: cmsg type only (ENOPROTOOPT)",
    ("IPPROTO_IP", 64): "IPT_SO_SET_REPLACE / IPT_SO_GET_INFO: iptables control (nf_sockopt)",
    ("IPPROTO_IP", 65): "IPT_SO_SET_ADD_COUNTERS / IPT_SO_GET_ENTRIES: iptables control",
    ("IPPROTO_IP", 66): "IPT_SO_GET_REVISION_MATCH: iptables control",
    ("IPPROTO_IP", 67): "IPT_SO_GET_REVISION_TARGET: iptables control",
    ("IPPROTO_IPV6", 10): "IPV6_AUTHHDR: obsolete, no longer implemented (ENOPROTOOPT)",
    ("IPPROTO_IPV6", 63): "IPV6_USE_MIN_MTU: RFC 3542 name Linux never implemented (ENOPROTOOPT)",
    ("IPPROTO_IPV6", 64): "IP6T_SO_SET_REPLACE / IP6T_SO_GET_INFO: ip6tables control",
    ("IPPROTO_IPV6", 65): "IP6T_SO_SET_ADD_COUNTERS / IP6T_SO_GET_ENTRIES: ip6tables control",
    ("IPPROTO_IPV6", 68): "IP6T_SO_GET_REVISION_MATCH: ip6tables control",
    ("IPPROTO_IPV6", 69): "IP6T_SO_GET_REVISION_TARGET: ip6tables control",
    ("IPPROTO_TCP", 15): "unused number (ENOPROTOOPT)",
    ("IPPROTO_TCP", 47): "TCP_IW: proposed after 6.18; ENOPROTOOPT here",
}


# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundTrip:
    """One set-then-get fixture: on a socket (family, type, state) run the `pre` setsockopt
    steps, then setsockopt(level, opt, value) (or the None form when `optlen` is given), then
    read back with getsockopt in int mode (read='int') or with buflen `read` (an int); read=None
    means the option has no getter and only the set result is recorded. `via` names another
    (level, option) row to read back through (e.g. SO_SNDBUF for SO_SNDBUFFORCE)."""
    family: str
    type: str
    state: str
    value: Union[int, bytes, None]
    read: Union[str, int, None] = "int"
    optlen: Optional[int] = None
    via: Optional[Tuple[str, str]] = None
    pre: Tuple[Tuple[str, str, Union[int, bytes]], ...] = ()
    label: str = ""
    why: str = ""


@dataclass(frozen=True)
class Row:
    name: str
    level: str
    value: int
    kind: str
    size: int
    fmt: str = ""
    decoder: str = ""
    aliases: Tuple[str, ...] = ()
    get: bool = True
    set: bool = True
    privileged: bool = False
    families: Tuple[str, ...] = ()
    note: str = ""
    roundtrip: Tuple[RoundTrip, ...] = ()
    why_no_roundtrip: str = ""
    inout: bool = False   # getsockopt reads the buffer as input (a request), not only writes it
    python: bool = False

    @property
    def level_value(self) -> int:
        return LEVELS[self.level]

    @property
    def names(self) -> Tuple[str, ...]:
        return (self.name,) + self.aliases

    @property
    def flags(self) -> int:
        f = 0
        if self.get:
            f |= FLAG_GET
        if self.set:
            f |= FLAG_SET
        if self.python:
            f |= FLAG_PYTHON
        if self.privileged:
            f |= FLAG_PRIVILEGED
        if self.roundtrip:
            f |= FLAG_ROUNDTRIP
        return f

    @property
    def family_bits(self) -> int:
        b = 0
        for fam in self.families:
            b |= FAMILY_BITS[fam]
        return b


# --------------------------------------------------------------------------------------------
# Value builders (native layout, x86_64).
def in4(addr: str) -> bytes:
    return socket.inet_aton(addr)


def in6(addr: str) -> bytes:
    return socket.inet_pton(socket.AF_INET6, addr)


def ss4(addr: str, port: int = 0) -> bytes:
    """struct sockaddr_in inside a 128-byte struct sockaddr_storage."""
    return struct.pack("@H2s4s8x", socket.AF_INET, struct.pack("!H", port), in4(addr)).ljust(128, b"\0")


def ss6(addr: str, port: int = 0) -> bytes:
    """struct sockaddr_in6 inside a 128-byte struct sockaddr_storage."""
    return struct.pack("@H2sI16sI", socket.AF_INET6, struct.pack("!H", port), 0, in6(addr), 0).ljust(128, b"\0")


def group_req(ifindex: int, group: bytes) -> bytes:
    return struct.pack("@I4x", ifindex) + group


def group_source_req(ifindex: int, group: bytes, source: bytes) -> bytes:
    return struct.pack("@I4x", ifindex) + group + source


def tcp_md5sig(addr: bytes, key: bytes, flags: int = 0, prefixlen: int = 0) -> bytes:
    return addr + struct.pack("@BBHI", flags, prefixlen, len(key), 0) + key.ljust(80, b"\0")


TIMEVAL = "@ll"
MREQ_LO = in4("224.0.0.251") + in4("127.0.0.1")           # ip_mreq: mDNS group on 127.0.0.1
MREQ_SRC = in4("224.1.2.3") + in4("127.0.0.1")             # ip_mreq for the source-filter rows
MREQ_SOURCE = MREQ_SRC + in4("127.0.0.2")                 # ip_mreq_source
MREQ6_LO = in6("ff02::fb") + struct.pack("@I", 1)          # ipv6_mreq: ff02::fb on lo (ifindex 1)
GR4 = group_req(1, ss4("224.1.2.3"))
GSR4 = group_source_req(1, ss4("224.1.2.3"), ss4("127.0.0.2"))
GR6 = group_req(1, ss6("ff02::1:3"))
GSR6 = group_source_req(1, ss6("ff02::1:3"), ss6("::1"))
PADN_EXTHDR = b"\x00\x00\x01\x04\x00\x00\x00\x00"        # 8-byte ext header holding one PadN
SRH_ONE_SEGMENT = bytes([0, 2, 4, 0, 0, 0, 0, 0]) + in6("2001:db8::1")  # RFC 8754 SRH (type 4)

ALL = ("inet", "inet6", "unix", "stream", "dgram")
INET_ALL = ("inet", "inet6", "stream", "dgram")
INET_DGRAM = ("inet", "inet6", "dgram")
INET_STREAM = ("inet", "inet6", "stream")
INET6_ALL = ("inet6", "stream", "dgram")
INET6_DGRAM = ("inet6", "dgram")
UNIX_ALL = ("unix", "stream", "dgram")
TCP = INET_STREAM
UDP = INET_DGRAM

_KIND_SIZE = {"int": 4, "bool": 4, "string": 16}


def S(spec: str, value, read="int", **kw) -> RoundTrip:
    """Round trip on the socket 'family/type/state'."""
    family, type_, state = spec.split("/")
    return RoundTrip(family, type_, state, value, read, **kw)


def B(spec: str, default: int = 0, extra: Tuple[RoundTrip, ...] = ()) -> Tuple[RoundTrip, ...]:
    """The two round trips of a boolean row: flip it away from its default, then show the
    kernel's normalisation (5 reads back 1). `pre` entries with name '.' mean 'this row'."""
    why5 = "a value outside 0/1: the kernel either normalises it (reads 1) or rejects it (EINVAL)"
    if default == 0:
        return (S(spec, 1), S(spec, 5, label="set5", why=why5)) + extra
    return (S(spec, 0), S(spec, 5, pre=((".", ".", 0),), label="set5", why=why5)) + extra


ROWS_SRC = []


def R(name, level, value, kind, *, aliases=(), size=None, decoder="", get=True, set=True,
      priv=False, fam=ALL, note="", rt=(), why="", inout=False):
    # A struct row's format is its decoder's C layout (scripts/layouts.py): one description of
    # each struct, shared with src/decoders.ts and the decoder oracle.
    fmt = layouts.row_format(decoder) if kind == "struct" else ""
    if size is None:
        size = struct.calcsize(fmt) if fmt else _KIND_SIZE[kind]
    if isinstance(rt, RoundTrip):
        rt = (rt,)
    fixed = []
    for r in rt:
        pre = tuple((level if lv == "." else lv, name if nm == "." else nm, v) for lv, nm, v in r.pre)
        if pre != r.pre:
            r = RoundTrip(**{**r.__dict__, "pre": pre})
        fixed.append(r)
    ROWS_SRC.append(Row(name=name, level=level, value=value, kind=kind, size=size, fmt=fmt,
                        decoder=decoder, aliases=tuple(aliases), get=get, set=set, privileged=priv,
                        families=tuple(fam), note=note, roundtrip=tuple(fixed), why_no_roundtrip=why,
                        inout=inout))


SOL, IP, TCPL, UDPL, IP6 = "SOL_SOCKET", "IPPROTO_IP", "IPPROTO_TCP", "IPPROTO_UDP", "IPPROTO_IPV6"

# ----------------------------------------------------------------------------- SOL_SOCKET (1)
R("SO_DEBUG", SOL, 1, "bool", priv=True, rt=B("inet/stream/fresh"),
  note="enabling needs CAP_NET_ADMIN (EACCES without)")
R("SO_REUSEADDR", SOL, 2, "bool", rt=B("inet/stream/fresh"))
R("SO_TYPE", SOL, 3, "int", set=False, note="read-only; setsockopt answers ENOPROTOOPT")
R("SO_ERROR", SOL, 4, "int", set=False, note="read-only; reading clears the pending error")
R("SO_DONTROUTE", SOL, 5, "bool", rt=B("inet/dgram/fresh"))
R("SO_BROADCAST", SOL, 6, "bool", rt=B("inet/dgram/fresh"))
R("SO_SNDBUF", SOL, 7, "int",
  rt=(S("inet/stream/fresh", 65536, why="the kernel doubles the request: 65536 reads 131072"),
      S("inet/stream/fresh", 1, label="min", why="clamped to SOCK_MIN_SNDBUF: reads 4608")),
  note="reads back twice the value set; minimum 4608")
R("SO_RCVBUF", SOL, 8, "int",
  rt=(S("inet/stream/fresh", 100000, why="the kernel doubles the request: 100000 reads 200000 "
                                        "(65536 would read the TCP default, 131072)"),
      S("inet/stream/fresh", 4096, label="small", why="doubled: 4096 reads 8192"),
      S("inet/stream/fresh", 1, label="min", why="clamped to SOCK_MIN_RCVBUF: reads 2304")),
  note="reads back twice the value set; minimum 2304")
R("SO_KEEPALIVE", SOL, 9, "bool", rt=B("inet/stream/fresh"))
R("SO_OOBINLINE", SOL, 10, "bool", rt=B("inet/stream/fresh"))
R("SO_NO_CHECK", SOL, 11, "bool", rt=B("inet/dgram/fresh"),
  note="disables UDP transmit checksums (sk_no_check_tx)")
R("SO_PRIORITY", SOL, 12, "int", priv=True,
  rt=(S("inet/stream/fresh", 6), S("inet/stream/fresh", 7, label="above6",
                                    why="values above 6 need CAP_NET_ADMIN or CAP_NET_RAW")),
  note="0..6 for anyone; higher values need CAP_NET_ADMIN or CAP_NET_RAW (EPERM)")
R("SO_LINGER", SOL, 13, "struct", decoder="linger",
  rt=(S("inet/stream/fresh", struct.pack("ii", 1, 5), 8),
      S("inet/stream/fresh", struct.pack("ii", 7, 5), 8, label="onoff7",
        why="l_onoff is normalised to 0/1: (7, 5) reads (1, 5)")),
  note="int mode returns l_onoff only; an int value is too short (EINVAL)")
R("SO_BSDCOMPAT", SOL, 14, "bool", rt=S("inet/stream/fresh", 1, why="accepted and ignored: reads 0"),
  note="obsolete: setsockopt accepts and ignores it, getsockopt always reads 0")
R("SO_REUSEPORT", SOL, 15, "bool", fam=INET_ALL, rt=B("inet/stream/fresh"),
  note="AF_UNIX answers EOPNOTSUPP")
R("SO_PASSCRED", SOL, 16, "bool", fam=UNIX_ALL, rt=B("unix/stream/fresh"),
  note="AF_UNIX only on 6.18: inet sockets answer EOPNOTSUPP for get and set")
R("SO_PEERCRED", SOL, 17, "struct", decoder="ucred", set=False,
  note="unconnected or inet sockets read (0, 0xffffffff, 0xffffffff); a unix socketpair reads "
       "its creator's (pid, uid, gid); int mode returns pid")
R("SO_RCVLOWAT", SOL, 18, "int", rt=S("inet/stream/fresh", 100))
R("SO_SNDLOWAT", SOL, 19, "int", set=False,
  note="fixed at 1 on Linux: setsockopt answers ENOPROTOOPT")
R("SO_RCVTIMEO", SOL, 20, "struct", decoder="timeval", aliases=("SO_RCVTIMEO_OLD",),
  rt=(S("inet/stream/fresh", struct.pack(TIMEVAL, 1, 500000), 16),
      S("inet/stream/fresh", struct.pack(TIMEVAL, 0, 1), 16, label="jiffy",
        why="rounded up to a jiffy (HZ=250): (0, 1) reads (0, 4000)")),
  note="rounded up to jiffies; tv_usec outside [0, 1e6) gives EDOM; int mode gives tv_sec's low 32 bits")
R("SO_SNDTIMEO", SOL, 21, "struct", decoder="timeval", aliases=("SO_SNDTIMEO_OLD",),
  rt=(S("inet/stream/fresh", struct.pack(TIMEVAL, 2, 250000), 16),
      S("inet/stream/fresh", struct.pack(TIMEVAL, 1, 999999), 16, label="roundup",
        why="rounded up to a jiffy: (1, 999999) reads (2, 0)")),
  note="same rules as SO_RCVTIMEO")
R("SO_BINDTODEVICE", SOL, 25, "string", size=16, priv=True,
  rt=(S("inet/stream/fresh", b"lo", 16, why="reads the name NUL-terminated: b'lo\\0'"),
      S("inet/stream/fresh", b"", 16, pre=((".", ".", b"lo"),), label="unbind",
        why="an empty name unbinds: reads b''")),
  note="bound: getsockopt needs buflen >= 16 (else EINVAL) and returns name+NUL; unbound returns "
       "b''; int mode on a bound socket gives EINVAL; an unknown name gives ENODEV; "
       "the first binding is unprivileged, changing or removing one needs CAP_NET_RAW (EPERM)")
R("SO_ATTACH_FILTER", SOL, 26, "bytes", size=1024, aliases=("SO_GET_FILTER",), decoder="sock_filter",
  note="set takes struct sock_fprog (a length and a user-space pointer); get (as SO_GET_FILTER) "
       "copies the classic-BPF instructions and reports their count as the length",
  why="the value is a struct sock_fprog holding a user-space pointer to the program, which a "
      "byte value cannot express; with no filter SO_GET_FILTER reads b''")
R("SO_DETACH_FILTER", SOL, 27, "int", aliases=("SO_DETACH_BPF",), get=False,
  why="only detaches a filter attached by SO_ATTACH_FILTER/SO_ATTACH_BPF (pointer or BPF fd, not "
      "expressible here); with none attached setsockopt answers ENOENT (errno 2)")
R("SO_PEERNAME", SOL, 28, "bytes", size=16, decoder="sockaddr", set=False,
  note="buflen larger than the peer address gives EINVAL (so 64 fails for inet); unconnected "
       "gives ENOTCONN; an unnamed unix peer is 2 bytes long")
R("SO_TIMESTAMP", SOL, 29, "bool", aliases=("SO_TIMESTAMP_OLD",), rt=B("inet/dgram/fresh"))
R("SO_ACCEPTCONN", SOL, 30, "bool", set=False, note="read-only: 1 on a listening socket")
R("SO_PEERSEC", SOL, 31, "bytes", size=256, decoder="", set=False,
  note="peer security label; ENOPROTOOPT without an LSM that labels sockets (the case here)")
R("SO_SNDBUFFORCE", SOL, 32, "int", get=False, priv=True,
  rt=S("inet/stream/fresh", 300000, via=(SOL, "SO_SNDBUF"),
       why="above net.core.wmem_max (212992): read back through SO_SNDBUF as 600000"),
  note="CAP_NET_ADMIN; like SO_SNDBUF but ignores net.core.wmem_max; getsockopt answers ENOPROTOOPT")
R("SO_RCVBUFFORCE", SOL, 33, "int", get=False, priv=True,
  rt=S("inet/stream/fresh", 300000, via=(SOL, "SO_RCVBUF"),
       why="above net.core.rmem_max (212992): read back through SO_RCVBUF as 600000"),
  note="CAP_NET_ADMIN; like SO_RCVBUF but ignores net.core.rmem_max; getsockopt answers ENOPROTOOPT")
R("SO_PASSSEC", SOL, 34, "bool", fam=UNIX_ALL, rt=B("unix/stream/fresh"),
  note="AF_UNIX only on 6.18 (EOPNOTSUPP on inet)")
R("SO_TIMESTAMPNS", SOL, 35, "bool", aliases=("SO_TIMESTAMPNS_OLD",), rt=B("inet/dgram/fresh"))
R("SO_MARK", SOL, 36, "int", priv=True, rt=S("inet/stream/fresh", 0x1234),
  note="setting needs CAP_NET_RAW or CAP_NET_ADMIN (EPERM)")
R("SO_TIMESTAMPING", SOL, 37, "struct", decoder="so_timestamping",
  aliases=("SO_TIMESTAMPING_OLD",),
  rt=(S("inet/dgram/fresh", 0x18, 8, why="struct so_timestamping (flags, bind_phc)"),
      S("inet/dgram/fresh", struct.pack("ii", 0x18, 0), 8, label="struct",
        why="the struct so_timestamping form of the same value")),
  note="set takes an int of SOF_TIMESTAMPING_* flags or struct so_timestamping; get returns "
       "8 bytes (flags, bind_phc) when buflen allows, 4 otherwise")
R("SO_PROTOCOL", SOL, 38, "int", set=False)
R("SO_DOMAIN", SOL, 39, "int", set=False)
R("SO_RXQ_OVFL", SOL, 40, "bool", rt=B("inet/dgram/fresh"))
R("SO_WIFI_STATUS", SOL, 41, "bool", rt=B("inet/dgram/fresh"))
R("SO_PEEK_OFF", SOL, 42, "int",
  rt=(S("unix/stream/fresh", 5), S("inet/dgram/fresh", 5, label="udp"),
      S("inet/stream/fresh", 5, label="tcp")),
  note="-1 (disabled) by default; settable on unix, UDP and (since 6.10) TCP sockets")
R("SO_NOFCS", SOL, 43, "bool", rt=B("inet/dgram/fresh"))
R("SO_LOCK_FILTER", SOL, 44, "bool", rt=B("inet/stream/fresh"))
R("SO_SELECT_ERR_QUEUE", SOL, 45, "bool", rt=B("inet/dgram/fresh"))
R("SO_BUSY_POLL", SOL, 46, "int", rt=S("inet/stream/fresh", 50),
  note="microseconds of busy polling; 6.18 lets unprivileged sockets raise it (verified)")
R("SO_MAX_PACING_RATE", SOL, 47, "struct", decoder="u64",
  rt=(S("inet/stream/fresh", struct.pack("Q", 1 << 33), 8),
      S("inet/stream/fresh", 1000000, 8, label="u32", why="a 4-byte value is accepted as u32")),
  note="u64 bytes/s, ~0 = unlimited; int mode truncates to 4 bytes (reads -1 by default)")
R("SO_BPF_EXTENSIONS", SOL, 48, "int", set=False, note="read-only: classic-BPF ancillary ops (64)")
R("SO_INCOMING_CPU", SOL, 49, "int", rt=S("inet/stream/fresh", 1),
  note="-1 until a packet arrives; then the CPU that received it (varies)")
R("SO_ATTACH_BPF", SOL, 50, "int", get=False,
  why="needs the fd of a loaded BPF socket-filter program; setsockopt with -1 answers EBADF (errno 9)")
R("SO_ATTACH_REUSEPORT_CBPF", SOL, 51, "bytes", size=16, decoder="sock_fprog", get=False,
  why="the value is a struct sock_fprog holding a user-space pointer (not expressible as bytes); "
      "a short value answers EINVAL (errno 22)")
R("SO_ATTACH_REUSEPORT_EBPF", SOL, 52, "int", get=False,
  why="needs the fd of a loaded BPF reuseport program; setsockopt with -1 answers EBADF (errno 9)")
R("SO_CNX_ADVICE", SOL, 53, "int", get=False, rt=S("inet/stream/fresh", 1, None),
  note="set-only hint (1 = negative advice: re-route); getsockopt answers ENOPROTOOPT")
R("SO_MEMINFO", SOL, 55, "struct", decoder="meminfo", set=False,
  note="u32[SK_MEMINFO_VARS]: rmem_alloc, rcvbuf, wmem_alloc, sndbuf, fwd_alloc, wmem_queued, "
       "optmem, backlog, drops")
R("SO_INCOMING_NAPI_ID", SOL, 56, "int", set=False, note="0 on loopback (no NAPI)")
R("SO_COOKIE", SOL, 57, "struct", decoder="u64", set=False,
  note="u64 assigned on first read from a global counter; buffer mode only (int mode EINVAL)")
R("SO_PEERGROUPS", SOL, 59, "bytes", size=256, decoder="gid_array", set=False,
  note="unix peers only (ENODATA otherwise); ERANGE and the needed length when buflen is short")
R("SO_ZEROCOPY", SOL, 60, "bool", fam=INET_ALL, rt=B("inet/stream/fresh"),
  note="only 0 and 1 are accepted; AF_UNIX answers EOPNOTSUPP")
R("SO_TXTIME", SOL, 61, "struct", decoder="sock_txtime", priv=True,
  rt=(S("inet/dgram/fresh", struct.pack("iI", 1, 0), 8),
      S("inet/dgram/fresh", struct.pack("iI", 11, 2), 8, label="tai",
        why="CLOCK_TAI with SOF_TXTIME_REPORT_ERRORS; non-monotonic clocks need CAP_NET_ADMIN")),
  note="struct sock_txtime (clockid, flags); clocks other than CLOCK_MONOTONIC need CAP_NET_ADMIN")
R("SO_BINDTOIFINDEX", SOL, 62, "int", priv=True,
  rt=(S("inet/stream/fresh", 1),
      S("inet/stream/fresh", 0, pre=((".", ".", 1),), label="unbind",
        why="0 removes the binding (CAP_NET_RAW, like any change of an existing binding)")),
  note="ifindex form of SO_BINDTODEVICE; changing an existing binding needs CAP_NET_RAW")
R("SO_TIMESTAMP_NEW", SOL, 63, "bool", rt=B("inet/dgram/fresh"),
  note="y2038-safe twin of SO_TIMESTAMP; each reads 0 when the other form was enabled")
R("SO_TIMESTAMPNS_NEW", SOL, 64, "bool", rt=B("inet/dgram/fresh"))
R("SO_TIMESTAMPING_NEW", SOL, 65, "struct", decoder="so_timestamping",
  rt=S("inet/dgram/fresh", 0x18, 8))
R("SO_RCVTIMEO_NEW", SOL, 66, "struct", decoder="timeval",
  rt=S("inet/stream/fresh", struct.pack(TIMEVAL, 1, 500000), 16),
  note="__kernel_sock_timeval (s64, s64): same bytes as timeval on x86_64")
R("SO_SNDTIMEO_NEW", SOL, 67, "struct", decoder="timeval",
  rt=S("inet/stream/fresh", struct.pack(TIMEVAL, 2, 1), 16))
R("SO_DETACH_REUSEPORT_BPF", SOL, 68, "int", get=False,
  why="only detaches a program attached by SO_ATTACH_REUSEPORT_*; without a reuseport group "
      "setsockopt answers EINVAL (errno 22), with one but no program ENOENT")
R("SO_PREFER_BUSY_POLL", SOL, 69, "bool", priv=True, rt=B("inet/stream/fresh"),
  note="enabling needs CAP_NET_ADMIN (EPERM)")
R("SO_BUSY_POLL_BUDGET", SOL, 70, "int", get=False, priv=True, rt=S("inet/stream/fresh", 8, None),
  note="set-only (getsockopt ENOPROTOOPT); raising it needs CAP_NET_ADMIN")
R("SO_NETNS_COOKIE", SOL, 71, "struct", decoder="u64", set=False,
  note="u64 cookie of the socket's network namespace; buflen must be exactly 8 (else EINVAL)")
R("SO_BUF_LOCK", SOL, 72, "int",
  rt=(S("inet/stream/fresh", 3), S("inet/stream/fresh", 7, label="badbits",
                                   why="only SOCK_SNDBUF_LOCK|SOCK_RCVBUF_LOCK (3) are valid")),
  note="bitmask 1 = SNDBUF locked, 2 = RCVBUF locked (also set by SO_SNDBUF/SO_RCVBUF)")
R("SO_RESERVE_MEM", SOL, 73, "int",
  note="needs a memory cgroup with socket accounting",
  why="needs socket memory accounting in a memory cgroup; here setsockopt(SO_RESERVE_MEM, 4096) "
      "answers EOPNOTSUPP (errno 95)")
R("SO_TXREHASH", SOL, 74, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 0), S("inet/stream/fresh", 255, label="default",
                                   why="255 (SOCK_TXREHASH_DEFAULT) is rejected by setsockopt")),
  note="TCP only (EOPNOTSUPP otherwise); 0 or 1; reads the net.core.txrehash default (1) at first")
R("SO_RCVMARK", SOL, 75, "bool", rt=B("inet/dgram/fresh"))
R("SO_PASSPIDFD", SOL, 76, "bool", fam=UNIX_ALL, rt=B("unix/stream/fresh"),
  note="AF_UNIX only (EOPNOTSUPP on inet)")
R("SO_PEERPIDFD", SOL, 77, "int", set=False, fam=("unix", "stream"),
  note="CREATES A NEW FD (a pidfd of the peer) on every successful read; the caller must close "
       "it; ENODATA when there is no peer pid")
R("SO_DEVMEM_DONTNEED", SOL, 80, "bytes", size=8, decoder="dmabuf_token", get=False, fam=TCP,
  why="frees devmem-TCP tokens and needs a NIC queue bound to a dma-buf (none here): a zeroed "
      "dmabuf_token answers EINVAL (errno 22) on TCP, EBADF on other sockets")
R("SO_RCVPRIORITY", SOL, 82, "bool", rt=B("inet/dgram/fresh"))
R("SO_PASSRIGHTS", SOL, 83, "bool", fam=UNIX_ALL, rt=B("unix/stream/fresh", default=1),
  note="AF_UNIX only (EOPNOTSUPP on inet); 1 by default: 0 refuses SCM_RIGHTS (6.16+)")
R("SO_INQ", SOL, 84, "bool", get=False, fam=("unix", "stream"),
  rt=S("unix/stream/fresh", 1, None),
  note="AF_UNIX stream only (6.17+): adds an SCM_INQ cmsg; getsockopt answers ENOPROTOOPT")

# ----------------------------------------------------------------------------- IPPROTO_IP (0)
R("IP_TOS", IP, 1, "int", fam=INET_ALL,
  rt=(S("inet/dgram/fresh", 0x13), S("inet/stream/fresh", 0x13, label="tcp",
                                     why="TCP keeps the ECN bits to itself: 0x13 reads 0x10")),
  note="on TCP sockets the two ECN bits are masked: 0x13 reads 0x10")
R("IP_TTL", IP, 2, "int", fam=INET_ALL,
  rt=(S("inet/dgram/fresh", 5), S("inet/dgram/fresh", -1, pre=((".", ".", 5),), label="reset",
                                  why="-1 resets to the default (64)"),
      S("inet/dgram/fresh", b"\x05", label="onebyte", why="a 1-byte value is accepted")),
  note="-1 resets to net.ipv4.ip_default_ttl; 1..255 else EINVAL; buflen < 4 returns one byte")
R("IP_HDRINCL", IP, 3, "bool", fam=INET_ALL,
  note="meaningful on SOCK_RAW only; reads 0 elsewhere",
  why="settable only on SOCK_RAW (not a fixture socket type); tcp/udp answer ENOPROTOOPT (errno 92)")
R("IP_OPTIONS", IP, 4, "bytes", size=40, decoder="ip_options", fam=INET_ALL,
  rt=(S("inet/stream/fresh", b"\x01\x01\x01\x00", 64, why="NOPs and EOL, read back as set"),
      S("inet/dgram/fresh", bytes([7, 7, 4, 0, 0, 0, 0, 0]), 64, label="rr",
        why="an empty record-route option")),
  note="raw IPv4 options, at most 40 bytes, padded to a multiple of 4")
R("IP_ROUTER_ALERT", IP, 5, "bool", fam=INET_ALL,
  why="settable only on SOCK_RAW (not a fixture socket type); tcp/udp answer EINVAL (errno 22)")
R("IP_RECVOPTS", IP, 6, "bool", fam=INET_ALL, rt=B("inet/dgram/fresh"))
R("IP_RETOPTS", IP, 7, "bool", aliases=("IP_RECVRETOPTS",), fam=INET_ALL, rt=B("inet/dgram/fresh"))
R("IP_PKTINFO", IP, 8, "bool", fam=INET_ALL, rt=B("inet/dgram/fresh"),
  note="CPython 3.11 does not export it; the IP_PKTINFO cmsg carries struct in_pktinfo ('i4s4s')")
R("IP_PKTOPTIONS", IP, 9, "bytes", size=256, decoder="cmsg", set=False, fam=("inet", "stream"),
  note="TCP only (UDP: ENOPROTOOPT): cmsgs of the last received packet; setsockopt ENOPROTOOPT")
R("IP_MTU_DISCOVER", IP, 10, "int", fam=INET_ALL,
  rt=(S("inet/dgram/fresh", 2), S("inet/dgram/fresh", 6, label="range",
                                  why="IP_PMTUDISC_OMIT (5) is the highest mode")))
R("IP_RECVERR", IP, 11, "bool", fam=INET_ALL, rt=B("inet/dgram/fresh"))
R("IP_RECVTTL", IP, 12, "bool", fam=INET_ALL, rt=B("inet/dgram/fresh"))
R("IP_RECVTOS", IP, 13, "bool", fam=INET_ALL, rt=B("inet/dgram/fresh"))
R("IP_MTU", IP, 14, "int", set=False, fam=INET_ALL,
  note="read-only path MTU of a connected socket (ENOTCONN otherwise)")
R("IP_FREEBIND", IP, 15, "bool", fam=INET_ALL, rt=B("inet/stream/fresh"))
R("IP_IPSEC_POLICY", IP, 16, "bytes", size=256, decoder="", get=False, priv=True, fam=INET_ALL,
  rt=S("inet/dgram/fresh", None, None, optlen=0, why="the None form with optlen 0 clears the policies"),
  note="PF_KEY policy (CAP_NET_ADMIN); a value needs the PF_KEY manager (EOPNOTSUPP here)")
R("IP_XFRM_POLICY", IP, 17, "bytes", size=256, decoder="xfrm_userpolicy_info", get=False, priv=True,
  fam=INET_ALL,
  rt=S("inet/dgram/fresh", None, None, optlen=0, why="the None form with optlen 0 clears the policies"),
  note="per-socket xfrm policy (CAP_NET_ADMIN); getsockopt ENOPROTOOPT")
R("IP_PASSSEC", IP, 18, "bool", fam=INET_DGRAM, rt=B("inet/dgram/fresh"))
R("IP_TRANSPARENT", IP, 19, "bool", priv=True, fam=INET_ALL, rt=B("inet/stream/fresh"),
  note="setting needs CAP_NET_RAW or CAP_NET_ADMIN (EPERM)")
R("IP_RECVORIGDSTADDR", IP, 20, "bool", aliases=("IP_ORIGDSTADDR",), fam=INET_ALL,
  rt=B("inet/dgram/fresh"))
R("IP_MINTTL", IP, 21, "int", fam=INET_ALL,
  rt=(S("inet/stream/fresh", 10), S("inet/stream/fresh", 300, label="range", why="0..255 only")))
R("IP_NODEFRAG", IP, 22, "bool", fam=INET_ALL,
  why="settable only on SOCK_RAW (not a fixture socket type); tcp/udp answer ENOPROTOOPT (errno 92)")
R("IP_CHECKSUM", IP, 23, "bool", fam=INET_ALL, rt=B("inet/dgram/fresh"))
R("IP_BIND_ADDRESS_NO_PORT", IP, 24, "bool", fam=INET_ALL, rt=B("inet/stream/fresh"))
R("IP_RECVFRAGSIZE", IP, 25, "bool", fam=INET_DGRAM,
  rt=B("inet/dgram/fresh", extra=(S("inet/stream/fresh", 1, label="tcp",
                                     why="not for stream sockets: EINVAL"),)),
  note="datagram and raw sockets only (TCP: EINVAL)")
R("IP_RECVERR_RFC4884", IP, 26, "bool", fam=INET_ALL, rt=B("inet/dgram/fresh"),
  note="only 0 and 1 are accepted (5 gives EINVAL)")
R("IP_MULTICAST_IF", IP, 32, "struct", decoder="in_addr", fam=INET_DGRAM,
  rt=(S("inet/dgram/fresh", in4("127.0.0.1"), 4),
      S("inet/dgram/fresh", in4("0.0.0.0") + in4("0.0.0.0") + struct.pack("i", 1), 4, label="mreqn",
        why="struct ip_mreqn form (ifindex 1); reads back the address part, 0.0.0.0")),
  note="set: in_addr, ip_mreq or ip_mreqn; get: in_addr (int mode returns it as a native int); "
       "TCP answers EINVAL")
R("IP_MULTICAST_TTL", IP, 33, "int", fam=INET_DGRAM,
  rt=(S("inet/dgram/fresh", 7), S("inet/dgram/fresh", 256, label="range", why="0..255 only")),
  note="TCP answers EINVAL; a 1-byte value is accepted")
R("IP_MULTICAST_LOOP", IP, 34, "bool", fam=INET_DGRAM, rt=B("inet/dgram/fresh", default=1))
R("IP_ADD_MEMBERSHIP", IP, 35, "struct", decoder="ip_mreq", get=False, fam=INET_DGRAM,
  rt=(S("inet/dgram/fresh", MREQ_LO, None, why="join 224.0.0.251 on 127.0.0.1"),
      S("inet/dgram/fresh", in4("224.0.0.251") + in4("0.0.0.0") + struct.pack("i", 1), None,
        label="mreqn", why="struct ip_mreqn form, ifindex 1 (lo)"),
      S("inet/stream/fresh", MREQ_LO, None, label="tcp", why="TCP sockets answer EPROTO")),
  note="ip_mreq (8 bytes) or ip_mreqn (12); set-only")
R("IP_DROP_MEMBERSHIP", IP, 36, "struct", decoder="ip_mreq", get=False, fam=INET_DGRAM,
  rt=(S("inet/dgram/fresh", MREQ_LO, None, pre=((IP, "IP_ADD_MEMBERSHIP", MREQ_LO),)),
      S("inet/dgram/fresh", MREQ_LO, None, label="notjoined",
        why="dropping a group never joined answers EADDRNOTAVAIL")))
R("IP_UNBLOCK_SOURCE", IP, 37, "struct", decoder="ip_mreq_source", get=False,
  fam=INET_DGRAM,
  rt=S("inet/dgram/fresh", MREQ_SOURCE, None,
       pre=((IP, "IP_ADD_MEMBERSHIP", MREQ_SRC), (IP, "IP_BLOCK_SOURCE", MREQ_SOURCE))))
R("IP_BLOCK_SOURCE", IP, 38, "struct", decoder="ip_mreq_source", get=False,
  fam=INET_DGRAM,
  rt=S("inet/dgram/fresh", MREQ_SOURCE, None, pre=((IP, "IP_ADD_MEMBERSHIP", MREQ_SRC),)))
R("IP_ADD_SOURCE_MEMBERSHIP", IP, 39, "struct", decoder="ip_mreq_source", get=False,
  fam=INET_DGRAM, rt=S("inet/dgram/fresh", MREQ_SOURCE, None))
R("IP_DROP_SOURCE_MEMBERSHIP", IP, 40, "struct", decoder="ip_mreq_source", get=False,
  fam=INET_DGRAM,
  rt=S("inet/dgram/fresh", MREQ_SOURCE, None, pre=((IP, "IP_ADD_SOURCE_MEMBERSHIP", MREQ_SOURCE),)))
R("IP_MSFILTER", IP, 41, "bytes", size=20, decoder="ip_msfilter", fam=INET_DGRAM, inout=True,
  rt=S("inet/dgram/fresh", MREQ_SRC + struct.pack("II", 1, 1) + in4("127.0.0.2"), None,
       pre=((IP, "IP_ADD_MEMBERSHIP", MREQ_SRC),),
       why="set an INCLUDE filter of one source; getsockopt is in/out and CPython cannot pass "
           "the group to read back"),
  note="struct ip_msfilter (group, interface, fmode, numsrc, sources[]); get is in/out: the "
       "buffer names the group, and CPython passes it uninitialised")
R("MCAST_JOIN_GROUP", IP, 42, "struct", decoder="group_req", get=False, fam=INET_ALL,
  rt=S("inet/dgram/fresh", GR4, None))
R("MCAST_BLOCK_SOURCE", IP, 43, "struct", decoder="group_source_req", get=False,
  fam=INET_ALL, rt=S("inet/dgram/fresh", GSR4, None, pre=((IP, "MCAST_JOIN_GROUP", GR4),)))
R("MCAST_UNBLOCK_SOURCE", IP, 44, "struct", decoder="group_source_req", get=False,
  fam=INET_ALL,
  rt=S("inet/dgram/fresh", GSR4, None,
       pre=((IP, "MCAST_JOIN_GROUP", GR4), (IP, "MCAST_BLOCK_SOURCE", GSR4))))
R("MCAST_LEAVE_GROUP", IP, 45, "struct", decoder="group_req", get=False, fam=INET_ALL,
  rt=S("inet/dgram/fresh", GR4, None, pre=((IP, "MCAST_JOIN_GROUP", GR4),)))
R("MCAST_JOIN_SOURCE_GROUP", IP, 46, "struct", decoder="group_source_req",
  get=False, fam=INET_ALL, rt=S("inet/dgram/fresh", GSR4, None))
R("MCAST_LEAVE_SOURCE_GROUP", IP, 47, "struct", decoder="group_source_req",
  get=False, fam=INET_ALL,
  rt=S("inet/dgram/fresh", GSR4, None, pre=((IP, "MCAST_JOIN_SOURCE_GROUP", GSR4),)))
R("MCAST_MSFILTER", IP, 48, "bytes", size=272, decoder="group_filter", fam=INET_ALL, inout=True,
  rt=S("inet/dgram/fresh", GR4 + struct.pack("II", 1, 1) + ss4("127.0.0.2"), None,
       pre=((IP, "MCAST_JOIN_GROUP", GR4),),
       why="set an INCLUDE filter of one source; get is in/out and cannot name the group"),
  note="struct group_filter; get is in/out: the buffer names the group (CPython passes it "
       "uninitialised)")
R("IP_MULTICAST_ALL", IP, 49, "bool", fam=INET_ALL, rt=B("inet/dgram/fresh", default=1),
  note="1 by default on AF_INET, 0 on AF_INET6 sockets")
R("IP_UNICAST_IF", IP, 50, "int", fam=INET_ALL,
  rt=(S("inet/dgram/fresh", socket.htonl(1), why="ifindex 1 (lo) in network byte order"),
      S("inet/dgram/fresh", 1, label="hostorder",
        why="host order 1 means ifindex 16777216: EADDRNOTAVAIL")),
  note="the ifindex is in NETWORK byte order (lo = htonl(1) = 16777216)")
R("IP_LOCAL_PORT_RANGE", IP, 51, "int", fam=INET_ALL,
  rt=(S("inet/stream/fresh", 10000 | (20000 << 16), why="low 16 bits = 10000, high 16 bits = 20000"),
      S("inet/stream/fresh", 20000 | (10000 << 16), label="inverted", why="low > high: EINVAL")),
  note="u32: low port in bits 0-15, high port in bits 16-31; 0 = the sysctl range")
R("IP_PROTOCOL", IP, 52, "int", set=False, fam=INET_ALL,
  note="returns inet_num: the protocol on raw sockets but the local PORT on bound TCP/UDP "
       "sockets (0 when unbound)")
R("SO_ORIGINAL_DST", IP, 80, "struct", decoder="sockaddr_in", set=False,
  fam=INET_STREAM,
  note="netfilter conntrack: original destination of a redirected TCP connection; ENOENT "
       "without a conntrack entry, EINVAL when buflen < 16, ENOPROTOOPT on UDP")

# ----------------------------------------------------------------------------- IPPROTO_TCP (6)
R("TCP_NODELAY", TCPL, 1, "bool", fam=TCP, rt=B("inet/stream/fresh"))
R("TCP_MAXSEG", TCPL, 2, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 1000), S("inet/stream/fresh", 1, label="range",
                                      why="below TCP_MIN_MSS (88): EINVAL")),
  note="reads 536 (TCP_MSS_DEFAULT) before connect")
R("TCP_CORK", TCPL, 3, "bool", fam=TCP, rt=B("inet/stream/fresh"))
R("TCP_KEEPIDLE", TCPL, 4, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 77), S("inet/stream/fresh", 0, label="zero", why="1..32767 only")))
R("TCP_KEEPINTVL", TCPL, 5, "int", fam=TCP, rt=S("inet/stream/fresh", 15))
R("TCP_KEEPCNT", TCPL, 6, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 5), S("inet/stream/fresh", 200, label="range", why="1..127 only")))
R("TCP_SYNCNT", TCPL, 7, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 3), S("inet/stream/fresh", 300, label="range", why="1..127 only")))
R("TCP_LINGER2", TCPL, 8, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 30),
      S("inet/stream/fresh", 1000, label="clamp", why="clamped to TCP_FIN_TIMEOUT_MAX: reads 120"),
      S("inet/stream/fresh", -1, label="off", why="negative disables FIN_WAIT2 linger: reads -1")))
R("TCP_DEFER_ACCEPT", TCPL, 9, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 5, why="stored as SYN-ACK retransmits: 5 s reads 7"),
      S("inet/stream/listening", 30, label="listening")),
  note="seconds are converted to retransmission counts and back, so reads round up (5 -> 7)")
R("TCP_WINDOW_CLAMP", TCPL, 10, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 5000), S("inet/stream/fresh", 1, label="min",
                                      why="raised to SOCK_MIN_RCVBUF/2: reads 1152")))
R("TCP_INFO", TCPL, 11, "struct", decoder="tcp_info", set=False, fam=TCP,
  note="280 bytes on 6.18; the kernel copies min(buflen, sizeof); int mode gives tcpi_state's word")
R("TCP_QUICKACK", TCPL, 12, "bool", fam=TCP, rt=B("inet/stream/fresh", default=1),
  note="reads 1 on a fresh socket (not in pingpong mode)")
R("TCP_CONGESTION", TCPL, 13, "string", fam=TCP, priv=True,
  rt=(S("inet/stream/fresh", b"reno", 16),
      S("inet/stream/fresh", b"cubic", 16, label="cubic",
        why="cubic is available but not in tcp_allowed_congestion_control: needs CAP_NET_ADMIN"),
      S("inet/stream/fresh", b"nosuchcc", 16, label="unknown", why="unknown name: ENOENT")),
  note="algorithms outside net.ipv4.tcp_allowed_congestion_control need CAP_NET_ADMIN; get is "
       "16 NUL-padded bytes (int mode: the first 4 bytes as an int)")
R("TCP_MD5SIG", TCPL, 14, "struct", decoder="tcp_md5sig", get=False, fam=TCP,
  rt=S("inet/stream/fresh", tcp_md5sig(ss4("127.0.0.1"), b"abcd"), None,
       why="add an RFC 2385 key for 127.0.0.1"),
  note="struct tcp_md5sig (216 bytes); set-only")
R("TCP_THIN_LINEAR_TIMEOUTS", TCPL, 16, "bool", fam=TCP, rt=B("inet/stream/fresh"))
R("TCP_THIN_DUPACK", TCPL, 17, "bool", fam=TCP,
  rt=S("inet/stream/fresh", 1, why="accepted and ignored: reads 0"),
  note="obsolete since 4.13: accepted, ignored, reads 0")
R("TCP_USER_TIMEOUT", TCPL, 18, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 5000), S("inet/stream/fresh", -1, label="negative", why="EINVAL")))
R("TCP_REPAIR", TCPL, 19, "int", priv=True, fam=TCP,
  rt=(S("inet/stream/fresh", 1), S("inet/stream/fresh", -1, pre=((".", ".", 1),), label="offnowp",
                                   why="TCP_REPAIR_OFF_NO_WP (-1) leaves repair mode: reads 0")),
  note="CAP_NET_ADMIN; 1 on, 0 off, -1 off without window probes")
R("TCP_REPAIR_QUEUE", TCPL, 20, "int", priv=True, fam=TCP,
  rt=S("inet/stream/fresh", 1, pre=((TCPL, "TCP_REPAIR", 1),), why="TCP_RECV_QUEUE (1) in repair mode"),
  note="repair mode only (EPERM otherwise; get EINVAL)")
R("TCP_QUEUE_SEQ", TCPL, 21, "int", priv=True, fam=TCP,
  rt=S("inet/stream/fresh", 12345, pre=((TCPL, "TCP_REPAIR", 1), (TCPL, "TCP_REPAIR_QUEUE", 2)),
       why="write_seq of the send queue, in repair mode on a closed socket"),
  note="repair mode with a queue selected (get EINVAL otherwise)")
R("TCP_REPAIR_OPTIONS", TCPL, 22, "struct", decoder="tcp_repair_opt", get=False, priv=True,
  fam=TCP,
  rt=S("inet/stream/connected", struct.pack("II", 2, 1000), None, pre=((TCPL, "TCP_REPAIR", 1),),
       why="TCPOPT_MSS = 1000 on an established socket in repair mode"),
  note="array of struct tcp_repair_opt; established sockets in repair mode only (EPERM otherwise)")
R("TCP_FASTOPEN", TCPL, 23, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 5), S("inet/stream/listening", 16, label="listening")),
  note="TFO queue length for a listener")
R("TCP_TIMESTAMP", TCPL, 24, "int", priv=True, fam=TCP,
  rt=S("inet/stream/fresh", 1000000, pre=((TCPL, "TCP_REPAIR", 1),),
       why="sets tsoffset so the clock reads 1000000 now; it keeps ticking (ms)"),
  note="get: the socket's TCP timestamp clock (ms, varies); set only in repair mode (EPERM)")
R("TCP_NOTSENT_LOWAT", TCPL, 25, "int", fam=TCP, rt=S("inet/stream/fresh", 16384))
R("TCP_CC_INFO", TCPL, 26, "struct", decoder="tcp_bbr_info", set=False, fam=TCP,
  note="union tcp_cc_info of the current algorithm: bbr 20 bytes (this layout), vegas/dctcp 16 "
       "bytes, cubic/reno none (returns b'')")
R("TCP_SAVE_SYN", TCPL, 27, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 1), S("inet/stream/fresh", 2, label="withmac",
                                   why="2 also saves the MAC header"),
      S("inet/stream/fresh", 3, label="range", why="0..2 only")))
R("TCP_SAVED_SYN", TCPL, 28, "bytes", size=256, decoder="", set=False, fam=TCP,
  note="headers of the SYN saved by TCP_SAVE_SYN on the listener; read once; b'' when none; "
       "EINVAL with the needed length when buflen is short")
R("TCP_REPAIR_WINDOW", TCPL, 29, "struct", decoder="tcp_repair_window", priv=True, fam=TCP,
  rt=S("inet/stream/fresh", struct.pack("5I", 0, 1000, 2000, 3000, 0), 20,
       pre=((TCPL, "TCP_REPAIR", 1),)),
  note="repair mode only (EPERM); buflen must be exactly 20 (else EINVAL)")
R("TCP_FASTOPEN_CONNECT", TCPL, 30, "bool", fam=TCP, rt=B("inet/stream/fresh"))
R("TCP_ULP", TCPL, 31, "string", size=16, fam=TCP,
  note="reads b'' when none; only a CAP_NET_ADMIN caller makes the kernel autoload a missing "
       "tcp-ulp-<name> module (others get ENOENT)",
  why="no upper-layer protocol is available: b'tls' and b'espintcp' answer ENOENT (errno 2, "
      "not built), b'mptcp' answers EOPNOTSUPP (errno 95, internal only)")
R("TCP_MD5SIG_EXT", TCPL, 32, "struct", decoder="tcp_md5sig", get=False, fam=TCP,
  rt=S("inet/stream/fresh", tcp_md5sig(ss4("127.0.0.0"), b"abcd", flags=1, prefixlen=8), None,
       why="TCP_MD5SIG_FLAG_PREFIX: a key for 127.0.0.0/8"))
R("TCP_FASTOPEN_KEY", TCPL, 33, "bytes", size=32, decoder="", fam=TCP,
  rt=(S("inet/stream/fresh", bytes(range(16)), 64),
      S("inet/stream/fresh", bytes(range(32)), 64, label="backup", why="primary + backup key")),
  note="16 or 32 bytes; without a socket key get returns the netns key (b'' until one exists)")
R("TCP_FASTOPEN_NO_COOKIE", TCPL, 34, "bool", fam=TCP, rt=B("inet/stream/fresh"))
R("TCP_ZEROCOPY_RECEIVE", TCPL, 35, "struct", decoder="tcp_zerocopy_receive",
  set=False, fam=TCP, inout=True,
  note="in/out getsockopt that maps received pages into an mmap()ed region; buflen < 8 "
       "answers EINVAL; setsockopt ENOPROTOOPT")
R("TCP_INQ", TCPL, 36, "bool", aliases=("TCP_CM_INQ",), fam=TCP, rt=B("inet/stream/fresh"))
R("TCP_TX_DELAY", TCPL, 37, "int", fam=TCP, rt=S("inet/stream/fresh", 1000),
  note="microseconds of added transmit delay (testing aid)")
_AO = "the kernel is built without CONFIG_TCP_AO: getsockopt and setsockopt answer ENOPROTOOPT (errno 92)"
R("TCP_AO_ADD_KEY", TCPL, 38, "bytes", size=288, decoder="tcp_ao_add", get=False, fam=TCP, why=_AO,
  note="struct tcp_ao_add (RFC 5925 key); layout not verified here")
R("TCP_AO_DEL_KEY", TCPL, 39, "bytes", size=144, decoder="tcp_ao_del", get=False, fam=TCP, why=_AO)
R("TCP_AO_INFO", TCPL, 40, "bytes", size=48, decoder="tcp_ao_info_opt", fam=TCP, why=_AO, inout=True)
R("TCP_AO_GET_KEYS", TCPL, 41, "bytes", size=304, decoder="tcp_ao_getsockopt", set=False, fam=TCP,
  inout=True, note="in/out getsockopt")
R("TCP_AO_REPAIR", TCPL, 42, "bytes", size=16, decoder="tcp_ao_repair", fam=TCP, why=_AO)
R("TCP_IS_MPTCP", TCPL, 43, "bool", set=False, fam=TCP,
  note="1 on IPPROTO_MPTCP sockets; setsockopt ENOPROTOOPT")
R("TCP_RTO_MAX_MS", TCPL, 44, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 5000), S("inet/stream/fresh", 1, label="range",
                                      why="1000..120000 ms only")))
R("TCP_RTO_MIN_US", TCPL, 45, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 100000), S("inet/stream/fresh", 1, label="range",
                                        why="below 2 jiffies: EINVAL")))
R("TCP_DELACK_MAX_US", TCPL, 46, "int", fam=TCP,
  rt=(S("inet/stream/fresh", 100000), S("inet/stream/fresh", 1, label="range",
                                        why="below 2 jiffies: EINVAL")))

# ----------------------------------------------------------------------------- IPPROTO_UDP (17)
R("UDP_CORK", UDPL, 1, "bool", fam=UDP, rt=B("inet/dgram/fresh"))
R("UDPLITE_SEND_CSCOV", UDPL, 10, "int", set=False, fam=UDP,
  note="UDP-Lite checksum coverage; plain UDP sockets read 0 and refuse set (ENOPROTOOPT)")
R("UDPLITE_RECV_CSCOV", UDPL, 11, "int", set=False, fam=UDP,
  note="UDP-Lite checksum coverage; plain UDP sockets read 0 and refuse set (ENOPROTOOPT)")
R("UDP_ENCAP", UDPL, 100, "int", fam=UDP,
  rt=(S("inet/dgram/fresh", 2, why="UDP_ENCAP_ESPINUDP"),
      S("inet/dgram/fresh", 1, label="nonike", why="UDP_ENCAP_ESPINUDP_NON_IKE was removed: ENOPROTOOPT")),
  note="encapsulation type (ESP-in-UDP, L2TP, GTP, ...); unknown types answer ENOPROTOOPT")
R("UDP_NO_CHECK6_TX", UDPL, 101, "bool", fam=UDP, rt=B("inet6/dgram/fresh"))
R("UDP_NO_CHECK6_RX", UDPL, 102, "bool", fam=UDP, rt=B("inet6/dgram/fresh"))
R("UDP_SEGMENT", UDPL, 103, "int", fam=UDP,
  rt=(S("inet/dgram/fresh", 1400), S("inet/dgram/fresh", 70000, label="range",
                                     why="above 65535 - headers: EINVAL")))
R("UDP_GRO", UDPL, 104, "bool", fam=UDP, rt=B("inet/dgram/fresh"))

# ----------------------------------------------------------------------------- IPPROTO_IPV6 (41)
R("IPV6_ADDRFORM", IP6, 1, "int", fam=INET6_ALL,
  note="turns a connected v4-mapped IPv6 socket into AF_INET (value AF_INET); get returns the "
       "family of a connected socket (ENOTCONN otherwise)",
  why="needs an IPv6 socket connected to a v4-mapped address; fixture sockets connect over ::1, "
      "where setsockopt answers EADDRNOTAVAIL (errno 99), and fresh ones ENOTCONN (errno 107)")
R("IPV6_2292PKTINFO", IP6, 2, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"),
  note="RFC 2292 name of IPV6_RECVPKTINFO's flag")
R("IPV6_2292HOPOPTS", IP6, 3, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_2292DSTOPTS", IP6, 4, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_2292RTHDR", IP6, 5, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_2292PKTOPTIONS", IP6, 6, "bytes", size=256, decoder="cmsg", fam=INET6_ALL,
  rt=S("inet6/stream/fresh", b"", 64, why="an empty control buffer clears the sticky options"),
  note="set: sticky options as a cmsg buffer; get: TCP only (UDP ENOPROTOOPT), the cmsgs of "
       "the last received packet")
R("IPV6_CHECKSUM", IP6, 7, "int", fam=("inet6",),
  note="SOCK_RAW only (offset of the checksum, -1 off; ICMPv6 raw sockets refuse it with "
       "EINVAL); tcp/udp answer ENOPROTOOPT",
  why="SOCK_RAW only (not a fixture socket type); tcp6/udp6 answer ENOPROTOOPT (errno 92)")
R("IPV6_2292HOPLIMIT", IP6, 8, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_FLOWINFO", IP6, 11, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_UNICAST_HOPS", IP6, 16, "int", fam=INET6_ALL,
  rt=(S("inet6/dgram/fresh", 9), S("inet6/dgram/fresh", -1, pre=((".", ".", 9),), label="reset",
                                   why="-1 resets to the route default (64)")))
R("IPV6_MULTICAST_IF", IP6, 17, "int", fam=INET6_DGRAM,
  rt=S("inet6/dgram/fresh", 1), note="ifindex; TCP answers ENOPROTOOPT")
R("IPV6_MULTICAST_HOPS", IP6, 18, "int", fam=INET6_DGRAM,
  rt=(S("inet6/dgram/fresh", 9), S("inet6/dgram/fresh", 256, label="range", why="-1..255 only")),
  note="TCP answers ENOPROTOOPT")
R("IPV6_MULTICAST_LOOP", IP6, 19, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh", default=1),
  note="only 0 and 1 are accepted")
R("IPV6_JOIN_GROUP", IP6, 20, "struct", decoder="ipv6_mreq", get=False,
  aliases=("IPV6_ADD_MEMBERSHIP",), fam=INET6_DGRAM,
  rt=S("inet6/dgram/fresh", MREQ6_LO, None, why="join ff02::fb on lo"))
R("IPV6_LEAVE_GROUP", IP6, 21, "struct", decoder="ipv6_mreq", get=False,
  aliases=("IPV6_DROP_MEMBERSHIP",), fam=INET6_DGRAM,
  rt=S("inet6/dgram/fresh", MREQ6_LO, None, pre=((IP6, "IPV6_JOIN_GROUP", MREQ6_LO),)))
R("IPV6_ROUTER_ALERT", IP6, 22, "int", fam=("inet6",),
  note="meant for SOCK_RAW router-alert listeners; reads 0",
  why="setsockopt answers ENOPROTOOPT (errno 92) on tcp6/udp6 and, on this kernel, on SOCK_RAW "
      "sockets of protocols 17, 58 and 253 too (verified as root)")
R("IPV6_MTU_DISCOVER", IP6, 23, "int", fam=INET6_ALL,
  rt=(S("inet6/dgram/fresh", 2), S("inet6/dgram/fresh", 6, label="range",
                                   why="IPV6_PMTUDISC_OMIT (5) is the highest mode")))
R("IPV6_MTU", IP6, 24, "int", fam=INET6_ALL,
  rt=(S("inet6/dgram/fresh", 1280, why="set stores the fragment size; get reports the path MTU, "
                                       "so a fresh socket still answers ENOTCONN"),
      S("inet6/dgram/fresh", 1000, label="range", why="below IPV6_MIN_MTU (1280): EINVAL")),
  note="set: fragment size (>= 1280); get: path MTU of a connected socket (ENOTCONN otherwise)")
R("IPV6_RECVERR", IP6, 25, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_V6ONLY", IP6, 26, "bool", fam=INET6_ALL, rt=B("inet6/stream/fresh"),
  note="default from net.ipv6.bindv6only (0); bound sockets answer EINVAL")
R("IPV6_JOIN_ANYCAST", IP6, 27, "struct", decoder="ipv6_mreq", get=False, priv=True,
  fam=INET6_ALL,
  rt=S("inet6/dgram/fresh", in6("fe80::1234") + struct.pack("@I", 0), None,
       why="interface 0: the kernel picks a device whose prefix covers fe80::/64 (eth0 here; "
           "lo's ::1/128 covers nothing else)"),
  note="CAP_NET_ADMIN; the address must be covered by a prefix on the device (EADDRNOTAVAIL), "
       "and must not be a local address (EINVAL)")
R("IPV6_LEAVE_ANYCAST", IP6, 28, "struct", decoder="ipv6_mreq", get=False, priv=True,
  fam=INET6_ALL,
  rt=S("inet6/dgram/fresh", in6("fe80::1234") + struct.pack("@I", 0), None,
       pre=((IP6, "IPV6_JOIN_ANYCAST", in6("fe80::1234") + struct.pack("@I", 0)),)))
R("IPV6_MULTICAST_ALL", IP6, 29, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh", default=1))
R("IPV6_ROUTER_ALERT_ISOLATE", IP6, 30, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"),
  note="accepted on any IPv6 socket though it only affects raw router-alert sockets")
R("IPV6_RECVERR_RFC4884", IP6, 31, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"),
  note="only 0 and 1 are accepted")
R("IPV6_FLOWLABEL_MGR", IP6, 32, "struct", decoder="in6_flowlabel_req", inout=True,
  fam=INET6_ALL,
  rt=S("inet6/dgram/fresh", in6("::1") + struct.pack("!I", 0x5A5A5) + struct.pack("@BBHHHI", 0, 3, 1, 0, 0, 0),
       None, why="IPV6_FL_A_GET with IPV6_FL_F_CREATE and share IPV6_FL_S_USER: (re)use flow label "
                 "0x5a5a5; an exclusive label would linger after close and make reruns EPERM"),
  note="struct in6_flowlabel_req (32 bytes); labels outlive their socket for a linger time; get "
       "is in/out (flr_action must be IPV6_FL_A_GET, else EINVAL; buflen >= 32)")
R("IPV6_FLOWINFO_SEND", IP6, 33, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_IPSEC_POLICY", IP6, 34, "bytes", size=256, decoder="", get=False, priv=True, fam=INET6_ALL,
  rt=S("inet6/dgram/fresh", None, None, optlen=0, why="the None form with optlen 0 clears the policies"))
R("IPV6_XFRM_POLICY", IP6, 35, "bytes", size=256, decoder="xfrm_userpolicy_info", get=False,
  priv=True, fam=INET6_ALL,
  rt=S("inet6/dgram/fresh", None, None, optlen=0, why="the None form with optlen 0 clears the policies"))
R("IPV6_HDRINCL", IP6, 36, "bool", fam=("inet6",),
  why="SOCK_RAW only (not a fixture socket type); tcp6/udp6 answer ENOPROTOOPT (errno 92)")
R("MCAST_JOIN_GROUP", IP6, 42, "struct", decoder="group_req", get=False,
  fam=INET6_ALL, rt=S("inet6/dgram/fresh", GR6, None))
R("MCAST_BLOCK_SOURCE", IP6, 43, "struct", decoder="group_source_req", get=False,
  fam=INET6_ALL, rt=S("inet6/dgram/fresh", GSR6, None, pre=((IP6, "MCAST_JOIN_GROUP", GR6),)))
R("MCAST_UNBLOCK_SOURCE", IP6, 44, "struct", decoder="group_source_req",
  get=False, fam=INET6_ALL,
  rt=S("inet6/dgram/fresh", GSR6, None,
       pre=((IP6, "MCAST_JOIN_GROUP", GR6), (IP6, "MCAST_BLOCK_SOURCE", GSR6))))
R("MCAST_LEAVE_GROUP", IP6, 45, "struct", decoder="group_req", get=False,
  fam=INET6_ALL, rt=S("inet6/dgram/fresh", GR6, None, pre=((IP6, "MCAST_JOIN_GROUP", GR6),)))
R("MCAST_JOIN_SOURCE_GROUP", IP6, 46, "struct", decoder="group_source_req",
  get=False, fam=INET6_ALL, rt=S("inet6/dgram/fresh", GSR6, None))
R("MCAST_LEAVE_SOURCE_GROUP", IP6, 47, "struct", decoder="group_source_req",
  get=False, fam=INET6_ALL,
  rt=S("inet6/dgram/fresh", GSR6, None, pre=((IP6, "MCAST_JOIN_SOURCE_GROUP", GSR6),)))
R("MCAST_MSFILTER", IP6, 48, "bytes", size=272, decoder="group_filter", fam=INET6_ALL, inout=True,
  rt=S("inet6/dgram/fresh", GR6 + struct.pack("II", 1, 1) + ss6("::1"), None,
       pre=((IP6, "MCAST_JOIN_GROUP", GR6),),
       why="set an INCLUDE filter of one source; get is in/out and cannot name the group"))
R("IPV6_RECVPKTINFO", IP6, 49, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_PKTINFO", IP6, 50, "struct", decoder="in6_pktinfo", get=False, fam=INET6_ALL,
  rt=S("inet6/dgram/fresh", in6("::1") + struct.pack("@I", 1), None,
       why="sticky source address ::1 on ifindex 1"),
  note="sticky struct in6_pktinfo; getsockopt answers ENOPROTOOPT even after a set (6.18)")
R("IPV6_RECVHOPLIMIT", IP6, 51, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_RECVHOPOPTS", IP6, 53, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_HOPOPTS", IP6, 54, "bytes", size=256, decoder="ipv6_opt_hdr", priv=True, fam=INET6_ALL,
  rt=S("inet6/dgram/fresh", PADN_EXTHDR, 64, why="an 8-byte hop-by-hop header holding one PadN"),
  note="sticky hop-by-hop header; setting needs CAP_NET_RAW; reads b'' when unset")
R("IPV6_RTHDRDSTOPTS", IP6, 55, "bytes", size=256, decoder="ipv6_opt_hdr", priv=True, fam=INET6_ALL,
  rt=S("inet6/dgram/fresh", PADN_EXTHDR, 64), note="sticky; setting needs CAP_NET_RAW")
R("IPV6_RECVRTHDR", IP6, 56, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_RTHDR", IP6, 57, "bytes", size=256, decoder="ipv6_rt_hdr", fam=INET6_ALL,
  rt=(S("inet6/dgram/fresh", SRH_ONE_SEGMENT, 64, why="a one-segment SRv6 routing header (type 4)"),
      S("inet6/dgram/fresh", bytes([0, 2, 0, 1, 0, 0, 0, 0]) + in6("2001:db8::1"), 64, label="type0",
        why="type 0 routing headers are refused: EINVAL")),
  note="sticky routing header; only type 4 (SRH) and, with MIP6, type 2 are accepted")
R("IPV6_RECVDSTOPTS", IP6, 58, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_DSTOPTS", IP6, 59, "bytes", size=256, decoder="ipv6_opt_hdr", priv=True, fam=INET6_ALL,
  rt=S("inet6/dgram/fresh", PADN_EXTHDR, 64), note="sticky; setting needs CAP_NET_RAW")
R("IPV6_RECVPATHMTU", IP6, 60, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_PATHMTU", IP6, 61, "struct", decoder="ip6_mtuinfo", set=False, fam=INET6_ALL,
  note="struct ip6_mtuinfo (sockaddr_in6, mtu); buflen >= 32 else EINVAL; ENOTCONN unconnected")
R("IPV6_DONTFRAG", IP6, 62, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_RECVTCLASS", IP6, 66, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_TCLASS", IP6, 67, "int", fam=INET6_ALL,
  rt=(S("inet6/dgram/fresh", 0x13),
      S("inet6/stream/fresh", 0x13, label="tcp", why="TCP keeps the ECN bits to itself: 0x13 reads 0x10"),
      S("inet6/dgram/fresh", -1, pre=((".", ".", 5),), label="reset", why="-1 resets to 0")),
  note="-1..255; on TCP sockets the ECN bits are masked")
R("IPV6_AUTOFLOWLABEL", IP6, 70, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh", default=1))
R("IPV6_ADDR_PREFERENCES", IP6, 72, "int", fam=INET6_ALL,
  rt=(S("inet6/dgram/fresh", 2, why="IPV6_PREFER_SRC_PUBLIC; the unset pairs keep their defaults: "
                                    "reads 0x402"),
      S("inet6/dgram/fresh", 3, label="conflict", why="TMP and PUBLIC together: EINVAL")),
  note="IPV6_PREFER_SRC_* bits; reads 0x500 by default (PUBTMP_DEFAULT | HOME)")
R("IPV6_MINHOPCOUNT", IP6, 73, "int", fam=INET6_ALL,
  rt=(S("inet6/dgram/fresh", 10), S("inet6/dgram/fresh", 256, label="range", why="0..255 only")))
R("IPV6_RECVORIGDSTADDR", IP6, 74, "bool", aliases=("IPV6_ORIGDSTADDR",), fam=INET6_ALL,
  rt=B("inet6/dgram/fresh"))
R("IPV6_TRANSPARENT", IP6, 75, "bool", priv=True, fam=INET6_ALL, rt=B("inet6/stream/fresh"),
  note="setting needs CAP_NET_RAW or CAP_NET_ADMIN (EPERM)")
R("IPV6_UNICAST_IF", IP6, 76, "int", fam=INET6_ALL,
  rt=(S("inet6/dgram/fresh", socket.htonl(1), why="ifindex 1 (lo) in network byte order"),
      S("inet6/dgram/fresh", 1, label="hostorder",
        why="host order 1 means ifindex 16777216: EADDRNOTAVAIL")),
  note="like IP_UNICAST_IF, the ifindex is in NETWORK byte order (set and get)")
R("IPV6_RECVFRAGSIZE", IP6, 77, "bool", fam=INET6_ALL, rt=B("inet6/dgram/fresh"))
R("IPV6_FREEBIND", IP6, 78, "bool", fam=INET6_ALL, rt=B("inet6/stream/fresh"))
R("IP6T_SO_ORIGINAL_DST", IP6, 80, "struct", decoder="sockaddr_in6", set=False,
  fam=("inet6", "stream"),
  note="netfilter conntrack: original destination of a redirected TCP connection (ENOENT "
       "without one, EINVAL when buflen < 28)")


# --------------------------------------------------------------------------------------------
def _finish(rows):
    out = []
    for r in rows:
        exported = [n for n in r.names if hasattr(socket, n)]
        for n in exported:
            got = int(getattr(socket, n))
            assert got == r.value, f"{n}: CPython says {got}, table says {r.value}"
        out.append(Row(**{**r.__dict__, "python": bool(exported)}))
    out.sort(key=lambda r: (r.level_value, r.value))
    seen_lv, seen_name = set(), set()
    for r in out:
        assert r.kind in KINDS, r
        assert (r.level, r.value) not in seen_lv, f"duplicate (level, value) {r.level} {r.value}"
        seen_lv.add((r.level, r.value))
        for n in r.names:
            assert (r.level, n) not in seen_name, f"duplicate name {r.level} {n}"
            seen_name.add((r.level, n))
        assert (r.level, r.value) not in NOT_MODELLED, r.name
        if r.kind in ("int", "bool"):
            assert r.size == 4 and not r.fmt, r.name
        if r.kind == "struct":
            assert r.fmt and struct.calcsize(r.fmt) == r.size, r.name
        if r.set and not r.roundtrip:
            assert r.why_no_roundtrip, f"{r.name}: settable, no round trip, no reason"
        if r.roundtrip:
            assert r.set, r.name
            assert not r.why_no_roundtrip, r.name
        assert r.get or r.set, r.name
        for t in r.roundtrip:
            assert t.family in ("inet", "inet6", "unix") and t.type in ("stream", "dgram"), t
            assert (t.value is None) == (t.optlen is not None), t
    for r in out:  # every `pre`/`via` reference resolves
        for t in r.roundtrip:
            for lv, nm, _ in t.pre:
                assert (lv, nm) in seen_name, (r.name, lv, nm)
            if t.via:
                assert t.via in seen_name, (r.name, t.via)
    return tuple(out)


ROWS = _finish(ROWS_SRC)
BY_KEY = {(r.level, n): r for r in ROWS for n in r.names}


def row(level: str, name: str) -> Row:
    return BY_KEY[(level, name)]


def opt_value(level: str, name: str) -> Tuple[int, int]:
    """(level number, option number) of a row named at a level."""
    r = BY_KEY[(level, name)]
    return r.level_value, r.value


def check_python_coverage():
    """Every option-like name CPython exports is a row name, an alias, or EXCLUDED."""
    covered = {n for r in ROWS for n in r.names}
    missing = []
    for n in dir(socket):
        if n.startswith(("SO_", "TCP_", "IP_", "IPV6_", "UDP_", "MCAST_", "UDPLITE_")):
            if isinstance(getattr(socket, n), int) and n not in covered and n not in EXCLUDED:
                missing.append(n)
    for n in EXCLUDED:
        assert hasattr(socket, n), f"EXCLUDED name {n} is not exported by this CPython"
        assert n not in covered, n
    return missing


def row_id(r: Row) -> str:
    """A readable unique key: the name, prefixed by its level when the name is not unique."""
    if sum(1 for o in ROWS if o.name == r.name) > 1:
        return f"{r.level}/{r.name}"
    return r.name


# --------------------------------------------------------------------------------------------
# Socket states, fixture header/writers and JSON records live in fixturelib.py; re-exported
# here because the generators reach everything through this module as `T`.
from fixturelib import *  # noqa: E402,F401,F403
from fixturelib import _m  # noqa: E402,F401

# --------------------------------------------------------------------------------------------
def _ts_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ts_array(name: str, typ: str, items, comment: str = "") -> str:
    lines, cur = [], ""
    for it in items:  # greedy wrap at 100 columns
        piece = it + ","
        if cur and len(cur) + 1 + len(piece) > 100:
            lines.append(cur)
            cur = ""
        cur = f"{cur} {piece}" if cur else "  " + piece
    if cur:
        lines.append(cur)
    c = f"// {comment}\n" if comment else ""
    return f"{c}export const {name}: {typ} = [\n" + "\n".join(lines) + "\n];\n"


def render_ts() -> str:
    n = len(ROWS)
    alias_names, alias_rows = [], []
    for i, r in enumerate(ROWS):
        for a in r.aliases:
            alias_names.append(a)
            alias_rows.append(i)
    out = [
        "// Generated by scripts/optiontable.py — do not edit.\n",
        "// Socket-option table: one row per (level, option) at SOL_SOCKET, IPPROTO_IP,\n",
        "// IPPROTO_TCP, IPPROTO_UDP and IPPROTO_IPV6, Linux numbering, sorted by level then value.\n",
        "// Regenerate with: python3 scripts/optiontable.py\n\n",
        f"export const OPT_COUNT: i32 = {n};\n\n",
        _ts_array("OPT_LEVEL", "StaticArray<i32>", [str(r.level_value) for r in ROWS], "Linux level number"),
        _ts_array("OPT_VALUE", "StaticArray<i32>", [str(r.value) for r in ROWS], "option number"),
        _ts_array("OPT_KIND", "StaticArray<u8>", [str(KINDS.index(r.kind)) for r in ROWS],
                  "0 int, 1 bool, 2 struct, 3 string, 4 bytes"),
        _ts_array("OPT_SIZE", "StaticArray<i32>", [str(r.size) for r in ROWS], "natural buffer size"),
        _ts_array("OPT_FLAGS", "StaticArray<i32>", [str(r.flags) for r in ROWS],
                  "1 get, 2 set, 4 exported by Python 3.11, 8 privileged, 16 has a round-trip fixture"),
        _ts_array("OPT_NAME", "StaticArray<string>", [_ts_str(r.name) for r in ROWS]),
        _ts_array("OPT_FORMAT", "StaticArray<string>", [_ts_str(r.fmt) for r in ROWS],
                  "struct format or \"\""),
        _ts_array("OPT_DECODER", "StaticArray<string>", [_ts_str(r.decoder) for r in ROWS],
                  "decoder name or \"\""),
        _ts_array("OPT_FAMILIES", "StaticArray<i32>", [str(r.family_bits) for r in ROWS],
                  "bitset: 1 inet, 2 inet6, 4 unix, 8 stream, 16 dgram"),
        "\n// Alternative names of rows (e.g. IP_RECVRETOPTS is IP_RETOPTS): OPT_ALIAS_ROW[i] is the\n",
        "// row index of OPT_ALIAS_NAME[i].\n",
        f"export const OPT_ALIAS_COUNT: i32 = {len(alias_names)};\n",
        _ts_array("OPT_ALIAS_NAME", "StaticArray<string>", [_ts_str(a) for a in alias_names]),
        _ts_array("OPT_ALIAS_ROW", "StaticArray<i32>", [str(i) for i in alias_rows]),
    ]
    return "".join(out)


def write_ts(path: str = TS_OUT) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(render_ts())


def summary() -> str:
    lines = []
    for lvl in LEVELS:
        rs = [r for r in ROWS if r.level == lvl]
        py = sum(r.python for r in rs)
        lines.append(f"{lvl:13s} {len(rs):3d} rows ({py} exported by Python, {len(rs) - py} Linux-only)")
    lines.append(f"{'total':13s} {len(ROWS):3d} rows, "
                 f"{sum(len(r.roundtrip) for r in ROWS)} round-trip specs, "
                 f"{sum(1 for r in ROWS if r.set and not r.roundtrip)} settable rows without one")
    return "\n".join(lines)


def main() -> int:
    if sys.version_info[:2] != (3, 11):
        print("optiontable.py: the 'python' column means CPython 3.11; run it with python3.11",
              file=sys.stderr)
        return 2
    missing = check_python_coverage()
    if missing:
        print("CPython exports option names the table lacks:", ", ".join(missing), file=sys.stderr)
        return 1
    write_ts()
    print(f"wrote {os.path.relpath(TS_OUT, REPO)}")
    print(summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
