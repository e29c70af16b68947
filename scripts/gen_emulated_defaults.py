#!/usr/bin/env python3
"""The emulated kernel's socket-option defaults, read from the REAL kernel.

For every socket kind the emulated kernel distinguishes (family inet/inet6/unix x type
stream/dgram) and every state it distinguishes (fresh, bound, listening, connected, accepted;
the states a kind can be in), opens a real socket in that state (scripts/fixturelib.py's
states: loopback, unix connected = socketpair, unix accepted = accept() on a bound listener),
reads every readable row of the option table with getsockopt(level, opt, row.size) and keeps
the raw bytes or the errno. It also records, on fresh sockets:
  - setsockopt of each settable row with its own default (read first) or, when there is none,
    an int 0 / row.size zero bytes: the errno tells which kinds refuse a row outright;
  - the errno of an option number no row has, at each level, and of an unknown level.
Values that vary from run to run or machine to machine (cookies, CPU numbers, timers, pids,
ports, autotuned buffers) are read twice on two sockets; rows whose bytes differ are flagged
VARIES and written as zeros: the emulated kernel synthesises them from its own state
(host/emulated/wasm/kernel/opts.ts, docs/decisions.md "The emulated network").

Writes host/emulated/wasm/kernel/generated/defaults.ts (AssemblyScript data) and
src/generated/emulated-options.ts (the per-row status table of the emulated host).

Run as root (as the fixtures were): privileged rows are then probed the way the fixtures saw them.
"""
from __future__ import annotations

import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optiontable as T  # noqa: E402

AS_OUT = os.path.join("host", "emulated", "wasm", "kernel", "generated", "defaults.ts")
JS_OUT = os.path.join("src", "generated", "emulated-options.ts")

KINDS = [("inet", "stream"), ("inet", "dgram"), ("inet6", "stream"), ("inet6", "dgram"),
         ("unix", "stream"), ("unix", "dgram")]
STATES = ["fresh", "bound", "listening", "connected", "accepted"]


def valid(kind, state):
    fam, typ = kind
    if state in ("listening", "accepted"):
        return typ == "stream"
    return True


# ------------------------------------------------------------------ the emulated kernel's rows
# How the emulated kernel answers each row (host/emulated/wasm/kernel/opts.ts dispatches on
# this column; src/generated/emulated-options.ts exports it for `wasock caps`):
#   derived  computed from the socket's state on every read;
#   applied  stored, and the emulated kernel's behaviour reads it;
#   stored   validated, normalised, kept and reported as Linux does, without further effect;
#   absent   the emulated kernel answers what this Linux answers when the feature is missing
#            (an errno: no LSM, no CONFIG_TCP_AO, raw-only options, ...).
DERIVED = {
    "SO_TYPE", "SO_ERROR", "SO_PEERCRED", "SO_PEERNAME", "SO_ACCEPTCONN", "SO_PROTOCOL",
    "SO_DOMAIN", "SO_INCOMING_CPU", "SO_MEMINFO", "SO_COOKIE", "SO_NETNS_COOKIE",
    "SO_PEERGROUPS", "SO_PEERPIDFD", "SO_INCOMING_NAPI_ID", "SO_BPF_EXTENSIONS",
    "IP_MTU", "IP_PROTOCOL", "IP_PKTOPTIONS", "SO_ORIGINAL_DST",
    "TCP_INFO", "TCP_CC_INFO", "TCP_TIMESTAMP", "TCP_SAVED_SYN",
    "IPV6_MTU", "IPV6_PATHMTU", "IPV6_ADDRFORM", "IPV6_2292PKTOPTIONS", "IP6T_SO_ORIGINAL_DST",
}
APPLIED = {
    "SO_REUSEADDR", "SO_REUSEPORT", "SO_SNDBUF", "SO_RCVBUF", "SO_SNDBUFFORCE", "SO_RCVBUFFORCE",
    "SO_KEEPALIVE", "SO_LINGER", "SO_RCVLOWAT", "SO_RCVTIMEO", "SO_SNDTIMEO", "SO_RCVTIMEO_NEW",
    "SO_SNDTIMEO_NEW", "SO_BROADCAST", "TCP_NODELAY", "TCP_KEEPIDLE", "TCP_KEEPINTVL",
    "TCP_KEEPCNT", "IPV6_V6ONLY",
}
ABSENT = {
    "SO_PEERSEC",                    # no LSM labels sockets: ENOPROTOOPT
    "SO_RESERVE_MEM",                # no memory cgroup socket accounting: EOPNOTSUPP on set
    "SO_ATTACH_BPF", "SO_ATTACH_REUSEPORT_CBPF", "SO_ATTACH_REUSEPORT_EBPF",
    "SO_DETACH_REUSEPORT_BPF", "SO_DEVMEM_DONTNEED",
    "IP_HDRINCL", "IP_ROUTER_ALERT", "IP_NODEFRAG", "IPV6_CHECKSUM", "IPV6_HDRINCL",
    "IPV6_ROUTER_ALERT", "TCP_ULP", "TCP_ZEROCOPY_RECEIVE",
    "TCP_AO_ADD_KEY", "TCP_AO_DEL_KEY", "TCP_AO_INFO", "TCP_AO_GET_KEYS", "TCP_AO_REPAIR",
}


def status(row):
    if row.name in DERIVED:
        return "derived"
    if row.name in APPLIED:
        return "applied"
    if row.name in ABSENT:
        return "absent"
    return "stored"


# Varying rows kept as read: templates whose varying fields opts.ts overwrites from its own state.
TEMPLATES = {"TCP_INFO", "TCP_CC_INFO"}

STATUS_CODE = {"absent": 0, "stored": 1, "applied": 2, "derived": 3}


# ------------------------------------------------------------------ probing
def sockets(kind, state):
    """(sock, keep[]) in that state; keep holds what must stay open."""
    fam, typ = kind
    if fam == "unix" and state == "accepted":
        import tempfile
        d = tempfile.mkdtemp(prefix="wasock-")
        path = os.path.join(d, "l")
        lst = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        lst.bind(path)
        lst.listen()
        cli = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        cli.connect(path)
        acc, _ = lst.accept()
        os.unlink(path)
        os.rmdir(d)
        return acc, [cli, lst]
    return None


def read(s, row):
    try:
        v = s.getsockopt(row.level_value, row.value, row.size)
    except OSError as e:
        return -e.errno
    if row.name == "SO_PEERPIDFD":     # a new pidfd in this process: close it, keep no number
        os.close(int.from_bytes(v[:4], "little"))
        return bytes(len(v))
    return v


class Open:
    """A socket of a kind in a state on the live kernel (context manager)."""

    def __init__(self, kind, state):
        self.kind, self.state = kind, state

    def __enter__(self):
        got = sockets(self.kind, self.state)
        if got is not None:
            self.sock, self.keep = got
            self.cm = None
            return self.sock
        self.cm = T.open_socket(self.kind[0], self.kind[1], self.state)
        return self.cm.__enter__()

    def __exit__(self, *exc):
        if self.cm is not None:
            return self.cm.__exit__(*exc)
        for k in [self.sock] + self.keep:
            k.close()
        return False


def probe_gets():
    """{(kind, state): {row index: bytes | -errno}}, with VARIES rows found by reading twice."""
    out, varies = {}, set()
    rows = [(i, r) for i, r in enumerate(T.ROWS) if r.get]
    for kind in KINDS:
        for state in STATES:
            if not valid(kind, state):
                continue
            runs = []
            for _ in range(2):
                with Open(kind, state) as s:
                    runs.append({i: read(s, r) for i, r in rows})
            for i, _ in rows:
                if runs[0][i] != runs[1][i]:
                    varies.add(i)
            out[(kind, state)] = runs[0]
    return out, varies


def probe_sets(gets):
    """{kind: {row index: 0 | -errno}} of setsockopt on a fresh socket with a harmless value."""
    out = {}
    for kind in KINDS:
        res = {}
        for i, r in enumerate(T.ROWS):
            if not r.set:
                continue
            cur = gets[(kind, "fresh")].get(i)
            if isinstance(cur, bytes) and r.kind in ("int", "bool") and len(cur) == 4:
                val = cur
            elif r.kind in ("int", "bool"):
                val = (0).to_bytes(4, "little")
            else:
                val = bytes(r.size)
            with Open(kind, "fresh") as s:
                try:
                    s.setsockopt(r.level_value, r.value, val)
                    res[i] = 0
                except OSError as e:
                    res[i] = -e.errno
        out[kind] = res
    return out


UNKNOWN_OPT = 250      # no row, no Linux option at any of the five levels
UNKNOWN_LEVEL = 250


def probe_unknown():
    """{kind: [errno of get unknown opt at SOL_SOCKET, IP, TCP, UDP, IPV6, unknown level] + same for set}."""
    out = {}
    levels = [1, 0, 6, 17, 41, UNKNOWN_LEVEL]
    for kind in KINDS:
        row = []
        for call in ("get", "set"):
            for lv in levels:
                with Open(kind, "fresh") as s:
                    try:
                        if call == "get":
                            s.getsockopt(lv, UNKNOWN_OPT, 4)
                        else:
                            s.setsockopt(lv, UNKNOWN_OPT, 0)
                        row.append(0)
                    except OSError as e:
                        row.append(e.errno)
        out[kind] = row
    return out


# ------------------------------------------------------------------ output
def ts_array(name, typ, items, per=20):
    lines = []
    items = list(items)
    for k in range(0, len(items), per):
        lines.append("  " + ", ".join(str(x) for x in items[k:k + per]) + ",")
    return f"export const {name}: {typ} = [\n" + "\n".join(lines) + "\n];\n"


def render(gets, varies, sets, unknown):
    n = len(T.ROWS)
    blob = bytearray()
    index = {}

    def put(b):
        if b in index:
            return index[b]
        # Ints at 4-byte alignment: the kernel loads them as i32.
        while len(blob) % 4:
            blob.append(0)
        index[b] = len(blob)
        blob.extend(b)
        return index[b]

    def enc(v, i):
        """(errno, len, off) of a read."""
        if v is None:
            return (92, 0, 0)     # no getter (set-only row): ENOPROTOOPT
        if isinstance(v, int):
            return (-v, 0, 0)
        if i in varies and T.ROWS[i].name not in TEMPLATES:
            v = bytes(len(v))
        return (0, len(v), put(v))

    err, ln, off = [], [], []
    for i in range(n):
        for kind in KINDS:
            e, l, o = enc(gets[(kind, "fresh")].get(i), i)
            err.append(e); ln.append(l); off.append(o)
    # State overrides: (row, kind, state) whose read differs from the fresh one.
    ov = []
    for i in range(n):
        for k, kind in enumerate(KINDS):
            base = gets[(kind, "fresh")].get(i)
            for s, state in enumerate(STATES):
                if s == 0 or not valid(kind, state):
                    continue
                v = gets[(kind, state)].get(i)
                if v != base:
                    e, l, o = enc(v, i)
                    ov.append((i, k, s, e, l, o))
    seterr = []
    for i in range(n):
        for kind in KINDS:
            seterr.append(-sets[kind].get(i, -92) if T.ROWS[i].set else 92)
    vary_rows = sorted({T.ROWS[i].name for i in varies})
    state_rows = sorted({T.ROWS[i].name for i, *_ in ov})
    out = [
        "// Generated by scripts/gen_emulated_defaults.py from the live kernel — do not edit.\n",
        f"// Linux {T.KERNEL} {T.MACHINE}, CPython {T.PYTHON}. Rows are assembly/generated/options.ts's.\n",
        "// Kinds: 0 inet/stream, 1 inet/dgram, 2 inet6/stream, 3 inet6/dgram, 4 unix/stream, 5 unix/dgram.\n",
        "// States: 0 fresh, 1 bound, 2 listening, 3 connected, 4 accepted.\n",
        "// A read is (errno, len, off): errno != 0 is the error getsockopt(level, opt, row size) gave;\n",
        "// else `len` bytes at DEF_BLOB + off (ints 4-byte aligned).\n",
        f"// Values that vary between runs or machines are zeros here (synthesised by opts.ts): {', '.join(vary_rows)};\n",
        f"// except {', '.join(sorted(TEMPLATES))}: kept as read, templates whose varying fields opts.ts overwrites.\n",
        f"// Rows whose read depends on the state (DEF_OV_*): {', '.join(state_rows)}.\n\n",
        f"export const DEF_KINDS: i32 = {len(KINDS)};\n",
        f"export const DEF_ROWS: i32 = {n};\n",
        "// The option table's kind (0 int, 1 bool, 2 struct, 3 string, 4 bytes) and size per row.\n",
        ts_array("DEF_ROWKIND", "StaticArray<u8>", [T.KINDS.index(r.kind) for r in T.ROWS], 30),
        ts_array("DEF_ROWSIZE", "StaticArray<i32>", [r.size for r in T.ROWS], 20),
        f"export const DEF_BLOB: usize = memory.data<u8>([{', '.join(str(b) for b in blob)}]);\n\n",
        "// Fresh sockets, per row * DEF_KINDS + kind.\n",
        ts_array("DEF_ERR", "StaticArray<u8>", err, 30),
        ts_array("DEF_LEN", "StaticArray<u16>", ln, 30),
        ts_array("DEF_OFF", "StaticArray<u16>", off, 20),
        "\n// setsockopt on a fresh socket with the row's own default (or 0): 0 or the errno, per row * DEF_KINDS + kind.\n",
        ts_array("DEF_SETERR", "StaticArray<u8>", seterr, 30),
        f"\n// State overrides: {len(ov)} (row, kind, state, errno, len, off).\n",
        f"export const DEF_OV_COUNT: i32 = {len(ov)};\n",
        ts_array("DEF_OV", "StaticArray<i32>", [x for t in ov for x in t], 24),
        "\n// An option number no row has (250): errno of getsockopt at SOL_SOCKET, IP, TCP, UDP, IPV6 and an\n",
        "// unknown level (250), then the same for setsockopt; per kind (12 each).\n",
        ts_array("DEF_UNKNOWN", "StaticArray<u8>", [x for kind in KINDS for x in unknown[kind]], 12),
        "\n// How the emulated kernel answers each row: 0 absent, 1 stored, 2 applied, 3 derived.\n",
        ts_array("DEF_STATUS", "StaticArray<u8>", [STATUS_CODE[status(r)] for r in T.ROWS], 30),
        "\n// Row index of (level slot * 128 + option number), -1 for none; slots: SOL_SOCKET 0,\n",
        "// IPPROTO_IP 1, IPPROTO_TCP 2, IPPROTO_UDP 3, IPPROTO_IPV6 4.\n",
        ts_array("DEF_ROWIX", "StaticArray<i16>", rowix(), 30),
        "\n// Row indexes by name (a name at two levels: prefixed IP_ / IPV6_ by level).\n",
        "".join(f"export const R_{rname(r)}: i32 = {i};\n" for i, r in enumerate(T.ROWS)),
        "\n// The sysctls the answers depend on, as read here.\n",
        "".join(f"export const {k}: i32 = {v};\n" for k, v in sysctls().items()),
        f"// net.ipv4.tcp_available_congestion_control: {sysctl_text('net/ipv4/tcp_available_congestion_control')};\n",
        f"// net.ipv4.tcp_allowed_congestion_control: {sysctl_text('net/ipv4/tcp_allowed_congestion_control')}.\n",
    ]
    return "".join(out)


LEVEL_SLOT = {1: 0, 0: 1, 6: 2, 17: 3, 41: 4}


def rowix():
    ix = [-1] * (5 * 128)
    for i, r in enumerate(T.ROWS):
        ix[LEVEL_SLOT[r.level_value] * 128 + r.value] = i
    return ix


def rname(r):
    if sum(1 for o in T.ROWS if o.name == r.name) > 1:
        return ("IP_" if r.level == "IPPROTO_IP" else "IPV6_") + r.name
    return r.name


def sysctl_text(path):
    with open("/proc/sys/" + path) as f:
        return f.read().strip()


def sysctls():
    return {
        "RMEM_MAX": int(sysctl_text("net/core/rmem_max")),
        "WMEM_MAX": int(sysctl_text("net/core/wmem_max")),
        "TCP_WMEM_MAX": int(sysctl_text("net/ipv4/tcp_wmem").split()[2]),
        "TCP_RMEM_DEFAULT": int(sysctl_text("net/ipv4/tcp_rmem").split()[1]),
        "TCP_RMEM_MAX": int(sysctl_text("net/ipv4/tcp_rmem").split()[2]),
        "TCP_WMEM_DEFAULT": int(sysctl_text("net/ipv4/tcp_wmem").split()[1]),
    }


def render_js():
    lines = [
        "// Generated by scripts/gen_emulated_defaults.py — do not edit.\n",
        "// How the emulated network (wasock/emulated) answers each option-table row:\n",
        "// 'derived' computed from the socket's state on every read; 'applied' kept, and the\n",
        "// emulated kernel's behaviour reads it; 'stored' validated, kept and reported as Linux does,\n",
        "// without further effect; 'absent' answered with the errno Linux gives without the feature.\n",
        "// Keys are row ids (the name, prefixed by its level when two levels share it).\n\n",
        "export type EmulatedOptionStatus = 'derived' | 'applied' | 'stored' | 'absent';\n\n",
        "export const EMULATED_OPTIONS: Readonly<Record<string, EmulatedOptionStatus>> = {\n",
    ]
    for r in T.ROWS:
        lines.append(f"  {T.row_id(r)!r}: {status(r)!r},\n")
    lines.append("};\n")
    return "".join(lines)


def main() -> int:
    if os.geteuid() != 0:
        print("gen_emulated_defaults.py: run as root (the fixtures were generated as root)", file=sys.stderr)
        return 2
    for name in DERIVED | APPLIED | ABSENT:
        assert any(r.name == name for r in T.ROWS), name
    gets, varies = probe_gets()
    sets = probe_sets(gets)
    unknown = probe_unknown()
    T.write_text(AS_OUT, render(gets, varies, sets, unknown))
    T.write_text(JS_OUT, render_js())
    print("varies:", ", ".join(sorted({T.ROWS[i].name for i in varies})))
    return 0


if __name__ == "__main__":
    sys.exit(main())
