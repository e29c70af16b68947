#!/usr/bin/env python3
"""Oracle fixture for the typed option decoders and encoders (src/decoders.ts).

Decoders: each case is the raw bytes of an option value and CPython's decoding of them with
`struct.unpack` (and socket.inet_ntop for addresses), mapped to the field names wasock uses
(the C names without prefixes). CPython is the oracle for the numbers; the names are ours.
Buffers come from live loopback sockets where the kernel lets CPython read the option
("source": "live", with "how" saying which getsockopt), and are packed by CPython from the
option table's example values where it does not (set-only options, options this kernel
lacks or answers ENOENT for, in/out getsockopts that CPython feeds an uninitialised buffer:
"source": "synthetic").

Encoders: each case is an encoder input and CPython's struct.pack of it (or the exception
struct / inet_aton / inet_pton raise).

Writes test/fixtures/struct-decoders.json. Values in "fields" are typed trees:
  {"t":"int","v":"5"} (a JS number)   {"t":"bigint","v":"5"} (8-byte struct codes: a bigint)
  {"t":"str","v":".."}  {"t":"bytes","hex":".."}  {"t":"none"}
  {"t":"list","v":[..]}  {"t":"obj","v":{"name": VALUE, ..}}
"""
from __future__ import annotations

import ctypes
import os
import socket
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optiontable as T  # noqa: E402
import layouts as LAYOUTS  # noqa: E402

OUT = os.path.join(T.REPO, "test", "fixtures", "struct-decoders.json")

SOL, TCP, IP, IP6 = socket.SOL_SOCKET, socket.IPPROTO_TCP, socket.IPPROTO_IP, socket.IPPROTO_IPV6
# Linux values CPython 3.11 does not export.
IP_PKTINFO, IP_PKTOPTIONS, IP_RECVTTL = 8, 9, 12
IPV6_2292PKTOPTIONS, IPV6_PATHMTU = 6, 61
SO_PEERGROUPS, SO_MEMINFO, SO_COOKIE, SO_NETNS_COOKIE, SO_TXTIME = 59, 55, 57, 71, 61
SO_MAX_PACING_RATE, SO_TIMESTAMPING, SO_RCVTIMEO_NEW = 47, 37, 66
SO_ATTACH_FILTER, SO_GET_FILTER, SO_PEERNAME = 26, 26, 28
TCP_CC_INFO, TCP_REPAIR, TCP_REPAIR_WINDOW = 26, 19, 29


# ---------------------------------------------------------------------------- typed values

def num(v, big=False):
    return {"t": "bigint" if big else "int", "v": str(v)}


def s(v):
    return {"t": "str", "v": v}


def by(v):
    return {"t": "bytes", "hex": bytes(v).hex()}


NONE = {"t": "none"}


def lst(v):
    return {"t": "list", "v": list(v)}


def obj(d):
    return {"t": "obj", "v": d}


# ---------------------------------------------------------------------------- CPython's decoding

def ntop4(b):
    return s(socket.inet_ntop(socket.AF_INET, b))


def ntop6(b):
    return s(socket.inet_ntop(socket.AF_INET6, b))


def sockaddr(b):
    """A sockaddr as its fields, the fields wholly present only (SO_PEERNAME copies buflen
    bytes). Unix paths follow CPython's makesockaddr: abstract names are bytes."""
    if len(b) < 2:
        return NONE
    (family,) = struct.unpack_from("@H", b)
    o = {"family": num(family)}
    if family == socket.AF_INET:
        if len(b) >= 4:
            o["port"] = num(struct.unpack_from("!H", b, 2)[0])
        if len(b) >= 8:
            o["addr"] = ntop4(b[4:8])
    elif family == socket.AF_INET6:
        if len(b) >= 4:
            o["port"] = num(struct.unpack_from("!H", b, 2)[0])
        if len(b) >= 8:
            o["flowinfo"] = num(struct.unpack_from("!I", b, 4)[0])
        if len(b) >= 24:
            o["addr"] = ntop6(b[8:24])
        if len(b) >= 28:
            o["scope_id"] = num(struct.unpack_from("@I", b, 24)[0])
    elif family == socket.AF_UNIX:
        path = b[2:]
        if path[:1] == b"\0":
            o["path"] = by(path)
        else:
            o["path"] = s(os.fsdecode(path.split(b"\0", 1)[0]))
    else:
        o["data"] = by(b[2:16].ljust(14, b"\0"))
    return obj(o)


def cstr(b):
    return s(b.split(b"\0", 1)[0].decode())


PSEUDO = {
    "in4": ("4s", ntop4), "in6": ("16s", ntop6),
    "be16": ("2s", lambda b: num(struct.unpack("!H", b)[0])),
    "be32": ("4s", lambda b: num(struct.unpack("!I", b)[0])),
    "ss": ("128s", sockaddr), "sin6": ("28s", sockaddr), "z64": ("64s", cstr),
    "xaddr": ("16s", by),
}


def is_big(order, code):
    c = code[-1]
    return c in "qQnNP" or (order == "@" and c in "lL")


class Layout:
    """The same mini-language as src/decoders.ts: `name:code` items; `a/4,b/4:B` splits a
    bitfield word from bit 0 up; `_` is padding; dotted names nest."""

    def __init__(self, order, spec, prefix=False, scalar=False, post=None):
        self.order, self.prefix, self.scalar, self.post = order, prefix, scalar, post
        self.items = []
        for item in spec.split():
            names, code = item.rsplit(":", 1)
            conv = None
            if code in PSEUDO:
                code, conv = PSEUDO[code]
            self.items.append((names.split(","), code, conv))
        self.fmt = order + "".join(c for _, c, _ in self.items)
        self.size = struct.calcsize(self.fmt)

    def decode(self, b):
        if not b:
            return NONE
        items = self.items
        if len(b) < self.size and self.prefix:
            k = 0
            while k < len(items) and struct.calcsize(self.order + "".join(c for _, c, _ in items[:k + 1])) <= len(b):
                k += 1
            items = items[:k]
            if not any(n != ["_"] for n, _, _ in items):
                return NONE if self.scalar else obj({})
        fmt = self.order + "".join(c for _, c, _ in items)
        vals = iter(struct.unpack_from(fmt, b))
        out = {}
        for names, code, conv in items:
            if names == ["_"]:
                continue
            v = next(vals)
            if len(names) > 1 or "/" in names[0]:
                shift = 0
                for n in names:
                    name, width = n.split("/")
                    put(out, name, num((v >> shift) & ((1 << int(width)) - 1)))
                    shift += int(width)
            elif conv:
                put(out, names[0], conv(v))
            elif isinstance(v, bytes):
                put(out, names[0], by(v))
            else:
                put(out, names[0], num(v, is_big(self.order, code)))
        if self.scalar:
            return next(iter(out.values()))
        if self.post:
            self.post(out, b)
        return nest(out)


def put(out, name, v):
    out[name] = v


def nest(flat):
    """{'sel.daddr': X} -> {'sel': obj({'daddr': X})}."""
    o = {}
    for k, v in flat.items():
        parts = k.split(".")
        d = o
        for p in parts[:-1]:
            d = d.setdefault(p, {})
        d[parts[-1]] = v

    def wrap(d):
        return obj({k: wrap(v) if isinstance(v, dict) and "t" not in v else v for k, v in d.items()})
    return wrap(o)


def cut_key(out, b):
    keylen = int(out["keylen"]["v"])
    out["key"] = by(bytes.fromhex(out["key"]["hex"])[:keylen])


def bbr_bw(out, b):
    out["bw"] = num((int(out["bw_hi"]["v"]) << 32) | int(out["bw_lo"]["v"]), big=True)


def xfrm_addrs(out, b):
    family = int(out["sel.family"]["v"])
    for k in ("sel.daddr", "sel.saddr"):
        raw = bytes.fromhex(out[k]["hex"])
        out[k] = ntop4(raw[:4]) if family == socket.AF_INET else ntop6(raw) if family == socket.AF_INET6 else by(raw)


def array_of(layout):
    def dec(b):
        n = layout.size
        return lst(layout.decode(b[o:o + n]) for o in range(0, len(b) - n + 1, n))
    return dec


def with_list(head, name, elem, count):
    def dec(b):
        h = head.decode(b)
        if h == NONE:
            return h
        want = int(h["v"][count]["v"])
        items, off = [], head.size
        while off + elem.size <= len(b) and len(items) < want:
            items.append(elem.decode(b[off:off + elem.size]))
            off += elem.size
        h["v"][name] = lst(items)
        return h
    return dec


def tlv(b, start, end, pad1):
    out, i = [], start
    while i < end:
        t = b[i]
        if t == pad1:
            out.append(obj({"type": num(t), "data": by(b"")}))
            i += 1
            continue
        if i + 1 >= end:
            out.append(obj({"type": num(t), "data": by(b[i + 1:end])}))
            break
        n = b[i + 1]
        out.append(obj({"type": num(t), "data": by(b[i + 2:min(end, i + 2 + n)])}))
        i += 2 + n
    return out


def ip_options(b):
    out, i = [], 0
    while i < len(b):
        t = b[i]
        if t in (0, 1):
            out.append(obj({"type": num(t), "data": by(b"")}))
            i += 1
            if t == 0:
                break
            continue
        n = b[i + 1] if i + 1 < len(b) else 0
        if n < 2 or i + n > len(b):
            out.append(obj({"type": num(t), "data": by(b[i + 2:])}))
            break
        out.append(obj({"type": num(t), "data": by(b[i + 2:i + n])}))
        i += n
    return lst(out)


def opt_hdr(b):
    if len(b) < 2:
        return NONE
    end = min(len(b), (b[1] + 1) * 8)
    return obj({"nexthdr": num(b[0]), "hdrlen": num(b[1]), "options": lst(tlv(b, 2, end, 0))})


def rt_hdr(b):
    if len(b) < 4:
        return NONE
    end = min(len(b), (b[1] + 1) * 8)
    o = {"nexthdr": num(b[0]), "hdrlen": num(b[1]), "type": num(b[2]), "segments_left": num(b[3]),
         "data": by(b[4:end])}
    addrs = [ntop6(b[off:off + 16]) for off in range(8, end - 15, 16)]
    if b[2] == 4 and end >= 8:
        o.update(last_entry=num(b[4]), flags=num(b[5]), tag=num(struct.unpack("!H", b[6:8])[0]),
                 segments=lst(addrs))
    elif b[2] in (0, 2):
        o["addresses"] = lst(addrs)
    return obj(o)


IN_PKTINFO = Layout("@", LAYOUTS.LAYOUTS["in_pktinfo"]["spec"])
IN6_PKTINFO = Layout("@", LAYOUTS.LAYOUTS["in6_pktinfo"]["spec"])
INT = Layout("@", LAYOUTS.LAYOUTS["int"]["spec"], scalar=True)
U8 = Layout("@", LAYOUTS.LAYOUTS["u8"]["spec"], scalar=True)
CMSG_VALUES = {(0, 8): IN_PKTINFO, (0, 2): INT, (0, 1): U8, (41, 50): IN6_PKTINFO, (41, 2): IN6_PKTINFO,
               (41, 52): INT, (41, 8): INT, (41, 67): INT}


def cmsgs(b):
    out, off = [], 0
    while off + 16 <= len(b):
        n, level, type_ = struct.unpack_from("@Qii", b, off)
        if n < 16 or off + n > len(b):
            break
        data = b[off + 16:off + n]
        m = {"len": num(n, big=True), "level": num(level), "type": num(type_), "data": by(data)}
        d = CMSG_VALUES.get((level, type_))
        if d and len(data) >= d.size:
            m["value"] = d.decode(data)
        out.append(obj(m))
        off += (n + 7) & ~7
    return lst(out)


# The layouts themselves are scripts/layouts.py's (the ones src/decoders.ts is generated from);
# here CPython decodes with them. The finishing steps a layout cannot say are per name.
POST = {"tcp_bbr_info": bbr_bw, "tcp_md5sig": cut_key, "tcp_ao_add": cut_key, "tcp_ao_getsockopt": cut_key,
        "xfrm_userpolicy_info": xfrm_addrs}
ALL = {name: Layout(lay["order"], lay["spec"], prefix=bool(lay.get("prefix")), scalar=bool(lay.get("scalar")),
                    post=POST.get(name))
       for name, lay in LAYOUTS.LAYOUTS.items()}
for _n, _l in ALL.items():
    assert _l.size == LAYOUTS.size(_n), _n
# The decoders that are one fixed layout (the others, below, are built from element layouts).
L = {n: ALL[n] for n in ("linger", "timeval", "ucred", "u64", "meminfo", "in_addr", "tcp_info", "tcp_bbr_info",
                         "ip_mreq", "ip_mreqn", "ip_mreq_source", "ipv6_mreq", "in_pktinfo", "in6_pktinfo",
                         "so_timestamping", "sock_txtime", "sock_fprog", "dmabuf_token", "ip6_mtuinfo", "group_req",
                         "group_source_req", "in6_flowlabel_req", "tcp_md5sig", "tcp_repair_window",
                         "tcp_zerocopy_receive", "tcp_ao_add", "tcp_ao_del", "tcp_ao_info_opt", "tcp_ao_getsockopt",
                         "tcp_ao_repair", "xfrm_userpolicy_info")}

DECODE = {name: layout.decode for name, layout in L.items()}
DECODE.update({
    "sockaddr": sockaddr, "sockaddr_in": sockaddr, "sockaddr_in6": sockaddr,
    "gid_array": array_of(ALL["gid"]),
    "sock_filter": array_of(ALL["sock_filter"]),
    "tcp_repair_opt": array_of(ALL["tcp_repair_opt"]),
    "group_filter": with_list(ALL["group_filter"], "slist", ALL["sockaddr_storage"], "numsrc"),
    "ip_msfilter": with_list(ALL["ip_msfilter"], "slist", ALL["in_addr"], "numsrc"),
    "ip_options": ip_options, "cmsg": cmsgs, "ipv6_opt_hdr": opt_hdr, "ipv6_rt_hdr": rt_hdr,
})

# Every decoder the option table names must be decodable here too.
_missing = {r.decoder for r in T.ROWS if r.decoder} - set(DECODE)
assert not _missing, _missing


# ---------------------------------------------------------------------------- live sockets

CASES = []


def case(id_, decoder, b, source, how):
    CASES.append({"id": id_, "decoder": decoder, "source": source, "how": how, "hex": bytes(b).hex(),
                  "fields": DECODE[decoder](bytes(b))})


def live(id_, decoder, sock, level, opt, buflen, how):
    case(id_, decoder, sock.getsockopt(level, opt, buflen), "live", how)


def tcp_pair(family=socket.AF_INET, before=None):
    host = "127.0.0.1" if family == socket.AF_INET else "::1"
    lst_ = socket.socket(family, socket.SOCK_STREAM)
    lst_.bind((host, 0))
    lst_.listen()
    c = socket.socket(family, socket.SOCK_STREAM)
    if before:
        before(c)
    c.connect(lst_.getsockname())
    a, _ = lst_.accept()
    return lst_, c, a


def traffic(c, a, n=20):
    for _ in range(n):
        c.sendall(b"q" * 1000)
        got = 0
        while got < 1000:
            got += len(a.recv(4096))
        a.sendall(b"r" * 100)
        got = 0
        while got < 100:
            got += len(c.recv(4096))


def collect_live(tmp):
    # linger
    with socket.socket() as x:
        live("linger/default", "linger", x, SOL, socket.SO_LINGER, 8, "fresh TCP, SO_LINGER buflen 8")
        x.setsockopt(SOL, socket.SO_LINGER, struct.pack("ii", 1, 5))
        live("linger/set-1-5", "linger", x, SOL, socket.SO_LINGER, 8, "after setsockopt (1, 5)")
        x.setsockopt(SOL, socket.SO_LINGER, struct.pack("ii", 7, 300))
        live("linger/set-7-300", "linger", x, SOL, socket.SO_LINGER, 8, "after (7, 300): onoff reads 1")
    # timeval
    with socket.socket() as x:
        live("timeval/rcvtimeo-default", "timeval", x, SOL, socket.SO_RCVTIMEO, 16, "fresh TCP")
        x.setsockopt(SOL, socket.SO_RCVTIMEO, struct.pack("@ll", 1, 500000))
        live("timeval/rcvtimeo-1.5", "timeval", x, SOL, socket.SO_RCVTIMEO, 16, "after (1, 500000)")
        live("timeval/rcvtimeo-new", "timeval", x, SOL, SO_RCVTIMEO_NEW, 16, "SO_RCVTIMEO_NEW of the same")
        x.setsockopt(SOL, socket.SO_SNDTIMEO, struct.pack("@ll", 0, 1))
        live("timeval/sndtimeo-jiffy", "timeval", x, SOL, socket.SO_SNDTIMEO, 16, "after (0, 1): one jiffy")
        x.setsockopt(SOL, socket.SO_SNDTIMEO, struct.pack("@ll", 100000, 999999))
        live("timeval/sndtimeo-big", "timeval", x, SOL, socket.SO_SNDTIMEO, 16, "after (100000, 999999)")
    # ucred, gid_array, sockaddr of a socketpair
    a, b = socket.socketpair()
    with a, b:
        live("ucred/socketpair", "ucred", a, SOL, socket.SO_PEERCRED, 12, "unix socketpair: the creator")
        live("gid_array/socketpair", "gid_array", a, SOL, SO_PEERGROUPS, 256, "unix socketpair")
        live("sockaddr/unix-unnamed", "sockaddr", a, SOL, SO_PEERNAME, 2, "socketpair peer: 2 bytes")
        live("meminfo/unix", "meminfo", a, SOL, SO_MEMINFO, 36, "unix socketpair")
    with socket.socket() as x:
        live("ucred/tcp-fresh", "ucred", x, SOL, socket.SO_PEERCRED, 12, "unconnected TCP: (0, -1, -1)")
    # unix path peer
    path = os.path.join(tmp, "peer.sock")
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(path)
    srv.listen()
    cl = socket.socket(socket.AF_UNIX)
    cl.connect(path)
    n = 2 + len(os.fsencode(path)) + 1
    live("sockaddr/unix-path", "sockaddr", cl, SOL, SO_PEERNAME, n, f"unix peer bound to a path, buflen {n}")
    cl.close()
    srv.close()
    # TCP over IPv4
    lsn, c, a = tcp_pair()
    with lsn, c, a:
        traffic(c, a)
        for n in (280, 248, 232, 104, 241, 110, 8, 1):
            live(f"tcp_info/client-{n}", "tcp_info", c, TCP, socket.TCP_INFO, n,
                 f"connected client after 20 KB of traffic, buflen {n}")
        live("tcp_info/accepted-280", "tcp_info", a, TCP, socket.TCP_INFO, 280, "accepted side")
        live("tcp_info/listening-280", "tcp_info", lsn, TCP, socket.TCP_INFO, 280, "listening socket")
        cc = c.getsockopt(TCP, socket.TCP_CONGESTION, 16).rstrip(b"\0").decode()
        if cc == "bbr":
            live("tcp_bbr_info/client", "tcp_bbr_info", c, TCP, TCP_CC_INFO, 20, "congestion control bbr")
            live("tcp_bbr_info/accepted", "tcp_bbr_info", a, TCP, TCP_CC_INFO, 20, "congestion control bbr")
        live("meminfo/tcp", "meminfo", c, SOL, SO_MEMINFO, 36, "connected TCP")
        live("u64/cookie", "u64", c, SOL, SO_COOKIE, 8, "SO_COOKIE")
        live("u64/netns-cookie", "u64", c, SOL, SO_NETNS_COOKIE, 8, "SO_NETNS_COOKIE")
        live("u64/max-pacing-rate", "u64", c, SOL, SO_MAX_PACING_RATE, 8, "unlimited (~0)")
        c.setsockopt(SOL, SO_MAX_PACING_RATE, struct.pack("Q", 1 << 33))
        live("u64/max-pacing-rate-set", "u64", c, SOL, SO_MAX_PACING_RATE, 8, "after setting 2**33")
        live("sockaddr/inet", "sockaddr", c, SOL, SO_PEERNAME, 16, "connected TCP")
        live("sockaddr/inet-8", "sockaddr", c, SOL, SO_PEERNAME, 8, "connected TCP, buflen 8")
        live("ucred/tcp-connected", "ucred", a, SOL, socket.SO_PEERCRED, 12, "accepted TCP")
    with socket.socket() as x:
        live("tcp_info/fresh-280", "tcp_info", x, TCP, socket.TCP_INFO, 280, "fresh socket: TCP_CLOSE")
    # a reno connection has no TCP_CC_INFO
    lsn, c, a = tcp_pair(before=lambda s_: s_.setsockopt(TCP, socket.TCP_CONGESTION, b"reno"))
    with lsn, c, a:
        live("tcp_bbr_info/reno-empty", "tcp_bbr_info", c, TCP, TCP_CC_INFO, 20, "reno: the kernel returns b''")
    # repair window (root: CAP_NET_ADMIN)
    lsn, c, a = tcp_pair()
    with lsn, c, a:
        traffic(c, a, 2)
        try:
            c.setsockopt(TCP, TCP_REPAIR, 1)
            live("tcp_repair_window/repair", "tcp_repair_window", c, TCP, TCP_REPAIR_WINDOW, 20,
                 "established client in repair mode")
            c.setsockopt(TCP, TCP_REPAIR, 0)
        except PermissionError:
            pass
    # IP_PKTOPTIONS: cmsgs about the last received packet (in_pktinfo, IP_TTL)
    lsn, c, a = tcp_pair()
    with lsn, c, a:
        a.setsockopt(IP, IP_PKTINFO, 1)
        a.setsockopt(IP, IP_RECVTTL, 1)
        traffic(c, a, 2)
        raw = a.getsockopt(IP, IP_PKTOPTIONS, 256)
        case("cmsg/ip-pktoptions", "cmsg", raw, "live", "accepted TCP with IP_PKTINFO and IP_RECVTTL")
        for data in cmsg_data(raw, 0, IP_PKTINFO):
            case("in_pktinfo/ip-pktoptions", "in_pktinfo", data, "live", "IP_PKTINFO cmsg of IP_PKTOPTIONS")
    # TCP over IPv6
    lsn, c, a = tcp_pair(socket.AF_INET6)
    with lsn, c, a:
        a.setsockopt(IP6, socket.IPV6_RECVPKTINFO, 1)
        a.setsockopt(IP6, socket.IPV6_RECVHOPLIMIT, 1)
        a.setsockopt(IP6, socket.IPV6_RECVTCLASS, 1)
        traffic(c, a, 2)
        raw = a.getsockopt(IP6, IPV6_2292PKTOPTIONS, 256)
        case("cmsg/ipv6-pktoptions", "cmsg", raw, "live",
             "accepted TCP6 with IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS")
        for data in cmsg_data(raw, 41, socket.IPV6_PKTINFO):
            case("in6_pktinfo/ipv6-pktoptions", "in6_pktinfo", data, "live", "IPV6_PKTINFO cmsg")
        live("sockaddr/inet6", "sockaddr", c, SOL, SO_PEERNAME, 28, "connected TCP6")
        live("sockaddr/inet6-16", "sockaddr", c, SOL, SO_PEERNAME, 16,
             "connected TCP6, buflen 16 (the kernel copies 16 of the 28 bytes)")
        live("tcp_info/inet6-client-280", "tcp_info", c, TCP, socket.TCP_INFO, 280, "TCP6 client")
    # UDP
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        live("in_addr/multicast-if-default", "in_addr", u, IP, socket.IP_MULTICAST_IF, 4, "fresh UDP")
        u.setsockopt(IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
        live("in_addr/multicast-if-set", "in_addr", u, IP, socket.IP_MULTICAST_IF, 4, "after 127.0.0.1")
        u.setsockopt(SOL, SO_TIMESTAMPING, 0x18)
        live("so_timestamping/set", "so_timestamping", u, SOL, SO_TIMESTAMPING, 8, "after flags 0x18")
        u.setsockopt(SOL, SO_TXTIME, struct.pack("iI", 1, 0))
        live("sock_txtime/monotonic", "sock_txtime", u, SOL, SO_TXTIME, 8, "after (CLOCK_MONOTONIC, 0)")
        u.setsockopt(IP, socket.IP_OPTIONS, b"\x01\x01\x01\x00")
        live("ip_options/nops", "ip_options", u, IP, socket.IP_OPTIONS, 40, "NOP NOP NOP EOL")
        u.setsockopt(IP, socket.IP_OPTIONS, bytes([7, 11, 4]) + bytes(8) + b"\x00")
        live("ip_options/record-route", "ip_options", u, IP, socket.IP_OPTIONS, 40, "a record-route option")
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as u, \
            socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as peer:
        peer.bind(("::1", 0))
        u.connect(peer.getsockname())
        live("ip6_mtuinfo/connected-udp6", "ip6_mtuinfo", u, IP6, IPV6_PATHMTU, 32, "connected UDP6")
        u.setsockopt(IP6, socket.IPV6_HOPOPTS, T.PADN_EXTHDR)
        live("ipv6_opt_hdr/hopopts", "ipv6_opt_hdr", u, IP6, socket.IPV6_HOPOPTS, 256, "one PadN")
        u.setsockopt(IP6, socket.IPV6_DSTOPTS, b"\x11\x00\x00\x00\x01\x02\x00\x00")
        live("ipv6_opt_hdr/dstopts", "ipv6_opt_hdr", u, IP6, socket.IPV6_DSTOPTS, 256, "Pad1, Pad1, PadN of 2")
        u.setsockopt(IP6, socket.IPV6_RTHDR, T.SRH_ONE_SEGMENT)
        live("ipv6_rt_hdr/srh", "ipv6_rt_hdr", u, IP6, socket.IPV6_RTHDR, 256, "one-segment SRH")
    # a classic BPF filter: SO_GET_FILTER reads buflen as a count of instructions, copies
    # count * 8 bytes and reports count as the length, so CPython keeps count BYTES of it.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        prog = [(0x00, 0, 0, k) for k in range(23)] + [(0x06, 0, 0, 0xFFFFFFFF)]   # ld #k ...; ret #-1
        insns = b"".join(struct.pack("@HBBI", *i) for i in prog)
        buf = ctypes.create_string_buffer(insns, len(insns))
        u.setsockopt(SOL, SO_ATTACH_FILTER, struct.pack("@H6xQ", len(prog), ctypes.addressof(buf)))
        live("sock_filter/24-insns", "sock_filter", u, SOL, SO_GET_FILTER, 1024,
             "24 instructions: the kernel reports 24, so 24 bytes (3 instructions) come back")


def cmsg_data(raw, level, type_):
    off = 0
    while off + 16 <= len(raw):
        n, lv, ty = struct.unpack_from("@Qii", raw, off)
        if n < 16:
            break
        if (lv, ty) == (level, type_):
            yield raw[off + 16:off + n]
        off += (n + 7) & ~7


# ---------------------------------------------------------------------------- synthetic buffers

def in4(a):
    return socket.inet_aton(a)


def in6(a):
    return socket.inet_pton(socket.AF_INET6, a)


def ss6full(addr, port, flowinfo, scope):
    return struct.pack("@H", socket.AF_INET6) + struct.pack("!HI", port, flowinfo) + in6(addr) + struct.pack("@I", scope)


def collect_synthetic():
    syn = lambda id_, dec, b, how: case(id_, dec, b, "synthetic", how)  # noqa: E731
    syn("ip_mreq/table", "ip_mreq", T.MREQ_LO, "optiontable MREQ_LO")
    syn("ip_mreqn/table", "ip_mreqn", in4("224.0.0.251") + in4("0.0.0.0") + struct.pack("i", 1), "ifindex 1")
    syn("ip_mreq_source/table", "ip_mreq_source", T.MREQ_SOURCE, "optiontable MREQ_SOURCE")
    for i, a in enumerate(["ff02::fb", "::", "::ffff:127.0.0.1", "2001:db8::1:0:0:1", "fe80::1:2:3:4",
                           "1:0:0:2:0:0:0:3", "ff0e::1234:5678:9abc:def0", "::1.2.3.4"]):
        syn(f"ipv6_mreq/addr{i}", "ipv6_mreq", in6(a) + struct.pack("@I", i * 1000003), f"{a} on ifindex {i * 1000003}")
    syn("in6_pktinfo/table", "in6_pktinfo", in6("::1") + struct.pack("@I", 1), "optiontable IPV6_PKTINFO value")
    syn("in_pktinfo/packed", "in_pktinfo", struct.pack("@i", -7) + in4("10.1.2.3") + in4("255.255.255.255"), "negative ifindex")
    syn("group_req/v4", "group_req", T.GR4, "optiontable GR4")
    syn("group_req/v6", "group_req", T.GR6, "optiontable GR6")
    syn("group_source_req/v4", "group_source_req", T.GSR4, "optiontable GSR4")
    syn("group_source_req/v6", "group_source_req", T.GSR6, "optiontable GSR6")
    syn("group_filter/v4", "group_filter", T.GR4 + struct.pack("II", 1, 1) + T.ss4("127.0.0.2"), "MCAST_MSFILTER value")
    syn("group_filter/v6-two", "group_filter",
        T.GR6 + struct.pack("II", 0, 2) + T.ss6("::1") + ss6full("fe80::9", 4242, 0x12345, 3), "two sources")
    syn("ip_msfilter/table", "ip_msfilter", T.MREQ_SRC + struct.pack("II", 1, 1) + in4("127.0.0.2"), "IP_MSFILTER value")
    syn("ip_msfilter/three", "ip_msfilter",
        T.MREQ_SRC + struct.pack("II", 0, 3) + in4("1.1.1.1") + in4("2.2.2.2") + in4("3.3.3.3"), "three sources")
    syn("in6_flowlabel_req/table", "in6_flowlabel_req",
        in6("::1") + struct.pack("!I", 0x5A5A5) + struct.pack("@BBHHHI", 0, 3, 1, 0, 0, 0), "optiontable value")
    syn("in6_flowlabel_req/fields", "in6_flowlabel_req",
        in6("2001:db8::7") + struct.pack("!I", 0xFFFFF) + struct.pack("@BBHHHI", 2, 4, 0x8001, 65535, 300, 0), "")
    syn("tcp_md5sig/table", "tcp_md5sig", T.tcp_md5sig(T.ss4("127.0.0.1"), b"abcd"), "TCP_MD5SIG value")
    syn("tcp_md5sig/ext", "tcp_md5sig", T.tcp_md5sig(T.ss6("::1"), b"k" * 80, flags=3, prefixlen=64), "80-byte key")
    syn("tcp_repair_opt/two", "tcp_repair_opt", struct.pack("IIII", 2, 1000, 3, 0x70007), "MSS and WINDOW options")
    syn("tcp_zerocopy_receive/values", "tcp_zerocopy_receive",
        struct.pack("@QIIIiQiIQQII", 0x7F12_3456_7000, 65536, 12, 99, -11, 2**64 - 1, -1, 1, 2**53 + 1, 64, 8, 0), "")
    syn("sockaddr_in/original-dst", "sockaddr_in", struct.pack("@H2s4s8x", socket.AF_INET, struct.pack("!H", 8080),
                                                               in4("192.0.2.1")), "SO_ORIGINAL_DST layout")
    syn("sockaddr_in6/original-dst", "sockaddr_in6", ss6full("2001:db8::2", 443, 0xABCDE, 7), "IP6T_SO_ORIGINAL_DST")
    syn("sock_fprog/pointer", "sock_fprog", struct.pack("@H6xQ", 24, 0x7FFF_DEAD_BEE0), "")
    syn("dmabuf_token/values", "dmabuf_token", struct.pack("@II", 5, 2**32 - 1), "")
    key = bytes(range(1, 81))
    syn("tcp_ao_add/values", "tcp_ao_add",
        T.ss4("10.0.0.1") + b"hmac(sha1)".ljust(64, b"\0") + struct.pack("@iIHBBBBBB", 2, 0b110, 0, 32, 100, 101, 12, 1, 20)
        + key, "set_rnext with reserved bit 2 set, 20-byte key")
    syn("tcp_ao_del/values", "tcp_ao_del",
        T.ss6("::1") + struct.pack("@iIHBBBBBB", 0, 0b101, 0, 128, 7, 8, 7, 8, 0), "")
    syn("tcp_ao_info_opt/values", "tcp_ao_info_opt",
        struct.pack("@IHBBQQQQQ", 0b11111 | (5 << 5), 0, 9, 10, 1, 2**63, 3, 2**64 - 1, 0), "")
    syn("tcp_ao_getsockopt/values", "tcp_ao_getsockopt",
        T.ss4("10.0.0.2") + b"cmac(aes128)".ljust(64, b"\0") + key + struct.pack("@IHBBBBBBiQQ", 4, 0b101, 1, 2, 16, 12, 0, 16, 3, 10**12, 5),
        "")
    syn("tcp_ao_repair/values", "tcp_ao_repair", struct.pack("!II", 0xDEADBEEF, 1) + struct.pack("@II", 7, 2**32 - 1), "")
    sel4 = in4("10.0.0.1").ljust(16, b"\0") + in4("10.0.0.2").ljust(16, b"\0") + struct.pack("!HHHH", 443, 0xFFFF, 0, 0) \
        + struct.pack("@HBBBxxxiI", socket.AF_INET, 32, 24, 6, 0, 1000)
    sel6 = in6("2001:db8::1") + in6("::1") + struct.pack("!HHHH", 0, 0, 22, 0xFFFF) \
        + struct.pack("@HBBBxxxiI", socket.AF_INET6, 128, 64, 17, 1, 0)
    tail = struct.pack("@8Q4QIIBBBB4x", *([2**64 - 1] * 4 + [0, 3600, 0, 7200]), 1, 2, 3, 4, 100, 8, 0, 1, 2, 0)
    syn("xfrm_userpolicy_info/v4", "xfrm_userpolicy_info", sel4 + tail, "IPv4 selector")
    syn("xfrm_userpolicy_info/v6", "xfrm_userpolicy_info", sel6 + tail, "IPv6 selector")
    syn("ip_options/malformed", "ip_options", bytes([1, 0x83, 9, 4, 1, 2, 3]), "a length past the end")
    syn("ipv6_rt_hdr/type2", "ipv6_rt_hdr", bytes([59, 2, 2, 1, 0, 0, 0, 0]) + in6("2001:db8::5"), "type 2 (MIP6)")
    syn("cmsg/truncated", "cmsg", struct.pack("@Qii", 20, 0, 2) + struct.pack("i", 64) + b"\0" * 4
        + struct.pack("@Qii", 64, 0, 8), "a second header whose length runs past the buffer")
    syn("gid_array/partial", "gid_array", struct.pack("@3I", 0, 100, 2**32 - 2) + b"\x01\x02", "a trailing partial gid")


# ---------------------------------------------------------------------------- encoders

ENCODERS = []


def enc_case(id_, encoder, value, fn):
    """`value` holds typed ARGs; fn(*python values) is CPython's packing."""
    plain = {k: (int(v["v"]) if v["t"] == "int" else bytes.fromhex(v["hex"]) if v["t"] == "bytes"
                 else v["v"] if v["t"] == "str" else None) for k, v in value.items()}
    try:
        out = {"ok": {"t": "bytes", "hex": fn(**plain).hex()}}
    except Exception as e:  # noqa: BLE001
        out = {"raises": {"type": type(e).__name__ if type(e).__module__ != "struct" else "error",
                          "message": str(e)}}
    ENCODERS.append({"id": id_, "encoder": encoder, "value": value, "result": out})


def I(v):  # noqa: E743
    return {"t": "int", "v": str(v)}


def S(v):
    return {"t": "str", "v": v}


def aton(a):
    if isinstance(a, bytes):
        return a
    return socket.inet_aton(a)


def pton(a):
    if isinstance(a, bytes):
        return a
    return socket.inet_pton(socket.AF_INET6, a)


def collect_encoders():
    linger = lambda onoff, linger: struct.pack("@ii", onoff, linger)  # noqa: E731
    enc_case("linger/1-5", "linger", {"onoff": I(1), "linger": I(5)}, linger)
    enc_case("linger/negative", "linger", {"onoff": I(-1), "linger": I(-2147483648)}, linger)
    enc_case("linger/overflow", "linger", {"onoff": I(1), "linger": I(2**31)}, linger)
    enc_case("linger/str", "linger", {"onoff": S("1"), "linger": I(0)}, linger)
    timeval = lambda sec, usec: struct.pack("@ll", sec, usec)  # noqa: E731
    enc_case("timeval/1.5", "timeval", {"sec": I(1), "usec": I(500000)}, timeval)
    enc_case("timeval/big", "timeval", {"sec": I(2**63 - 1), "usec": I(-(2**63))}, timeval)
    enc_case("timeval/overflow", "timeval", {"sec": I(2**63), "usec": I(0)}, timeval)
    mreq = lambda multiaddr, interface: struct.pack("@4s4s", aton(multiaddr), aton(interface))  # noqa: E731
    enc_case("ip_mreq/lo", "ip_mreq", {"multiaddr": S("224.0.0.251"), "interface": S("127.0.0.1")}, mreq)
    enc_case("ip_mreq/aton-forms", "ip_mreq", {"multiaddr": S("224.1"), "interface": S("0x7f.1")}, mreq)
    enc_case("ip_mreq/name", "ip_mreq", {"multiaddr": S("localhost"), "interface": S("0.0.0.0")}, mreq)
    enc_case("ip_mreq/empty", "ip_mreq", {"multiaddr": S(""), "interface": S("0.0.0.0")}, mreq)
    enc_case("ip_mreq/v6", "ip_mreq", {"multiaddr": S("::1"), "interface": S("0.0.0.0")}, mreq)
    enc_case("ip_mreq/bytes", "ip_mreq", {"multiaddr": {"t": "bytes", "hex": "e00000fb"},
                                          "interface": {"t": "bytes", "hex": "7f00"}}, mreq)
    mreqn = lambda multiaddr, address, ifindex: struct.pack("@4s4si", aton(multiaddr), aton(address), ifindex)  # noqa: E731
    enc_case("ip_mreqn/lo", "ip_mreqn", {"multiaddr": S("224.0.0.251"), "address": S("0.0.0.0"), "ifindex": I(1)}, mreqn)
    enc_case("ip_mreqn/overflow", "ip_mreqn", {"multiaddr": S("224.0.0.251"), "address": S("0.0.0.0"),
                                               "ifindex": I(2**32)}, mreqn)
    mreq6 = lambda multiaddr, interface: struct.pack("@16sI", pton(multiaddr), interface)  # noqa: E731
    enc_case("ipv6_mreq/lo", "ipv6_mreq", {"multiaddr": S("ff02::fb"), "interface": I(1)}, mreq6)
    enc_case("ipv6_mreq/mapped", "ipv6_mreq", {"multiaddr": S("::ffff:224.0.0.1"), "interface": I(0)}, mreq6)
    enc_case("ipv6_mreq/v4", "ipv6_mreq", {"multiaddr": S("224.0.0.1"), "interface": I(0)}, mreq6)
    enc_case("ipv6_mreq/scope", "ipv6_mreq", {"multiaddr": S("ff02::1%1"), "interface": I(0)}, mreq6)
    enc_case("ipv6_mreq/negative", "ipv6_mreq", {"multiaddr": S("ff02::1"), "interface": I(-1)}, mreq6)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        collect_live(tmp)
    collect_synthetic()
    collect_encoders()
    data = T.header("scripts/gen_struct_decoders.py")
    with open("/proc/sys/net/ipv4/tcp_congestion_control") as f:
        data["congestion_control"] = f.read().strip()
    data["decoders"] = sorted(DECODE)
    data["cases"], data["encoders"] = CASES, ENCODERS
    T.write(data, OUT, lists=("cases", "encoders"))
    live_n = sum(c["source"] == "live" for c in CASES)
    print(f"wrote {OUT}: {len(CASES)} decoder cases ({live_n} live), {len(ENCODERS)} encoder cases")


if __name__ == "__main__":
    main()
