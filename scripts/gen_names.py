#!/usr/bin/env python3
"""CPython's name service functions as the oracle: test/fixtures/names.json.

Each case calls one socket-module function (getaddrinfo, getnameinfo, gethostbyname(_ex),
gethostbyaddr, getservbyname/port, getprotobyname, if_*) and records its result or its
exception (class, errno, message). test/names.test.ts replays them on the Linux host and on
the emulated network.

Only answers that hold on any Linux machine with Debian's netbase are recorded: names are
'localhost' asked for AF_INET (every /etc/hosts maps it to 127.0.0.1; its ::1 line differs
between machines), numeric hosts, and a name under .invalid (RFC 6761: never resolves). What
varies with the machine is masked, each with its reason in the case's "mask":
- "lo": if_nameindex() lists the machine's interfaces; only (1, 'lo') is the same everywhere.
No case depends on the hostname, DNS reachability or reverse DNS of a non-loopback address.
"""
import json
import os
import platform
import socket
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "test", "fixtures", "names.json")
S = socket


def enc(v):
    if isinstance(v, bytes):
        return {"bytes": v.hex()}
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, (tuple, list)):
        return [enc(x) for x in v]
    if isinstance(v, bool):
        return {"bool": v}
    if isinstance(v, int) and not -2**53 <= v <= 2**53:
        return {"int": str(v)}
    return v


def result(v):
    if isinstance(v, list):
        return [result(x) for x in v]
    if isinstance(v, tuple):
        return [result(x) for x in v]
    if isinstance(v, int):
        return int(v)          # IntEnum -> int
    return v


cases = []


def case(fn, *args, mask=None):
    f = getattr(S, fn)
    rec = {"id": f"{fn}{args!r}", "fn": fn, "args": enc(list(args))}
    try:
        rec["result"] = result(f(*args))
    except Exception as e:  # noqa: BLE001 - every exception is recorded
        rec["error"] = {"type": type(e).__name__, "errno": getattr(e, "errno", None), "message": str(e)}
    if mask:
        rec["mask"] = mask
        if mask == "lo":
            rec["result"] = [x for x in rec["result"] if x[1] == "lo"]
    cases.append(rec)


INET, INET6 = S.AF_INET, S.AF_INET6
STREAM, DGRAM, RAW = S.SOCK_STREAM, S.SOCK_DGRAM, S.SOCK_RAW

# getaddrinfo: hosts
for host in ("127.0.0.1", "::1", None, "", "127.1", "0x7f.1", "1.2.3", "4294967295", "256.1.1.1",
             "::ffff:127.0.0.1", "::1%1", "::1%lo", "fe80::1%1", "fe80::1%", "*", b"127.0.0.1",
             "nonexistent.invalid", "a..b", "a" * 64, "local\0host", "\udcff", 5, 1.5, [], b"::1"):
    case("getaddrinfo", host, 80)
for fam in (0, INET, INET6):
    for host in ("127.0.0.1", "::1", None, "localhost" if fam == INET else "127.0.0.1"):
        case("getaddrinfo", host, 443, fam)
case("getaddrinfo", "localhost", 80, INET)
case("getaddrinfo", "LOCALHOST", None, INET)
case("getaddrinfo", "localhost", "http", INET, STREAM)
case("getaddrinfo", "nonexistent.invalid", 80, INET)
case("getaddrinfo", "127.0.0.1", 80, INET6)
case("getaddrinfo", "127.0.0.1", 80, INET6, 0, 0, S.AI_V4MAPPED)
case("getaddrinfo", "::ffff:127.0.0.1", 80, INET)
case("getaddrinfo", "::1", 80, INET)
case("getaddrinfo", None, None)
case("getaddrinfo", None, 0)
case("getaddrinfo", None, "")
case("getaddrinfo", None, "*")
# services
for port in ("http", "https", "domain", "ssh", "ntp", "echo", "nope", "80", " 80", "+80", "-1", "0x50",
             "", b"80", b"http", 65536, 70000, -1, 2**63, 2**31, True, 1.0, None, "8\0"):
    case("getaddrinfo", "127.0.0.1", port)
for typ in (STREAM, DGRAM, RAW, S.SOCK_SEQPACKET, 99, S.SOCK_STREAM | S.SOCK_NONBLOCK):
    for port in (80, "http", "ntp", None):
        case("getaddrinfo", "127.0.0.1", port, INET, typ)
for proto in (S.IPPROTO_TCP, S.IPPROTO_UDP, S.IPPROTO_SCTP, 136, 33, 99):
    case("getaddrinfo", "127.0.0.1", 80, INET, 0, proto)
    case("getaddrinfo", "127.0.0.1", "http", INET, 0, proto)
case("getaddrinfo", "127.0.0.1", 80, INET, RAW, 99)
case("getaddrinfo", "127.0.0.1", 80, INET, DGRAM, S.IPPROTO_TCP)
# flags
for flags in (S.AI_PASSIVE, S.AI_CANONNAME, S.AI_NUMERICHOST, S.AI_NUMERICSERV, S.AI_ADDRCONFIG & 0,
              S.AI_ALL, 0x800, -1, S.AI_CANONNAME | S.AI_PASSIVE):
    case("getaddrinfo", None, 80, 0, STREAM, 0, flags)
    case("getaddrinfo", "127.0.0.1", "http", 0, STREAM, 0, flags)
    case("getaddrinfo", "localhost", 80, INET, STREAM, 0, flags)
case("getaddrinfo", "nonexistent.invalid", 80, 0, 0, 0, S.AI_NUMERICHOST)
# bad arguments
case("getaddrinfo", "127.0.0.1", 80, 99)
case("getaddrinfo", "127.0.0.1", 80, S.AF_UNIX)
case("getaddrinfo", "127.0.0.1", 80, "x")
case("getaddrinfo", "127.0.0.1", 80, 2**31)
case("getaddrinfo", "127.0.0.1", 80, 0, 0, 0, 2**40)
case("getaddrinfo", 5, "x", "y")

# gethostbyname(_ex), gethostbyaddr
for host in ("localhost", "127.0.0.1", "127.1", "", "<broadcast>", "::1", "nonexistent.invalid", b"localhost",
             "local\0host", 5, None, "a..b", "255.255.255.255"):
    case("gethostbyname", host)
for host in ("localhost", "127.0.0.1", "127.1", "::1", "nonexistent.invalid", "", 5):
    case("gethostbyname_ex", host)
# (not 'localhost': setipaddr(AF_UNSPEC) takes its first address, ::1 where /etc/hosts has that line)
for host in ("127.0.0.1", "nonexistent.invalid", "", 5, "<broadcast>"):
    case("gethostbyaddr", host)

# getnameinfo
for sa, flags in ((("127.0.0.1", 80), 0), (("127.0.0.1", 80), S.NI_NUMERICHOST), (("127.0.0.1", 80), S.NI_NUMERICSERV),
                  (("127.0.0.1", 53), S.NI_DGRAM), (("127.0.0.1", 53), S.NI_NUMERICHOST | S.NI_NUMERICSERV),
                  (("127.0.0.1", 9999), S.NI_NUMERICHOST), (("127.0.0.1", 80), S.NI_NAMEREQD),
                  (("::1", 80), S.NI_NUMERICHOST), (("::1", 80, 0, 5), S.NI_NUMERICHOST | S.NI_NUMERICSERV),
                  (("::1", 80, 7, 0), S.NI_NUMERICHOST), (("::1", 80, 2**20, 0), 0), (("127.0.0.1", 80, 0, 0), 0),
                  (("localhost", 80), 0), (("127.0.0.1", "x"), 0), ("127.0.0.1", 0), ((1, 80), 0), (("127.0.0.1",), 0),
                  (("127.0.0.1", 70000), S.NI_NUMERICHOST), (("127.0.0.1", -1), S.NI_NUMERICHOST), (("127.0.0.1", 80), 0x1000),
                  (("127.0.0.1", 80), "x"), ((b"127.0.0.1", 80), 0), (("0x7f.1", 80), S.NI_NUMERICHOST),
                  # a link-local scope prints as its interface's name ('lo' is 1 on every Linux), others as numbers
                  (("fe80::1", 80, 0, 1), 3), (("ff02::1", 80, 0, 1), 3), (("::1", 80, 0, 1), 3)):
    case("getnameinfo", sa, flags)

# services and protocols
for args in (("http",), ("http", "tcp"), ("http", "udp"), ("domain", "udp"), ("www", "tcp"), ("ntp",), ("nope",),
             ("HTTP",), (5,), ("ht\0tp",), ("http", 5), ("http", "xyz")):
    case("getservbyname", *args)
for args in ((80,), (80, "tcp"), (53, "udp"), (123,), (9999,), (-1,), (65536,), (2**31,), ("80",), (80, "xyz"), (True,)):
    case("getservbyport", *args)
for name in ("tcp", "udp", "icmp", "ipv6-icmp", "IPv6-ICMP", "TCP", "ip", "nope", 5, "t\0cp"):
    case("getprotobyname", name)

# interfaces
case("if_nameindex", mask="lo")
for name in ("lo", b"lo", "nope", "", "x" * 20, 5, "l\0o"):
    case("if_nametoindex", name)
for index in (1, 0, -1, 2**32, "1", 1.0, 2**31):
    case("if_indextoname", index)

with open(OUT, "w", encoding="utf-8") as f:
    json.dump({"generator": "scripts/gen_names.py", "python": sys.version.split()[0],
               "platform": f"{platform.system()} {platform.release()}", "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {os.path.relpath(OUT)}: {len(cases)} cases")
