#!/usr/bin/env python3
"""Oracle fixture: what CPython 3.11's getsockopt returns for every readable option-table row.

For each row with get=True (scripts/optiontable.py) and each socket kind in SOCKS, record
getsockopt in int mode (args [level, opt]), in buffer mode with buflen 64, with buflen = the
row's natural size when that differs from 64 (and is <= 1024), and with buflen 1024 when the
natural size exceeds 64 (the kernel shrinks the result to the option's length). Every case runs
on its own new socket, as the replay does.

Values that change from run to run carry a MASK (see MASKS below, each with its reason). They
were found by running this generator repeatedly in separate processes and diffing; check that
they still hold with:  python3 scripts/gen_sockopt_values.py --check 5
(reruns the collection in 5 child processes and reports variation the masks miss, and masks
whose bytes never varied).

Writes test/fixtures/sockopt-values.json (schema: test/fixtures/README.md).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optiontable as T  # noqa: E402

OUT = os.path.join(T.REPO, "test", "fixtures", "sockopt-values.json")

SOCKS = [
    ("inet", "stream", "fresh"), ("inet", "dgram", "fresh"),
    ("inet6", "stream", "fresh"), ("inet6", "dgram", "fresh"),
    ("unix", "stream", "fresh"), ("unix", "dgram", "fresh"),
    ("inet", "stream", "listening"), ("inet", "stream", "connected"), ("inet", "stream", "accepted"),
    ("inet6", "stream", "connected"), ("unix", "stream", "connected"),
]

# Reads that are not made at all: (row name, socket, buflen or "*" for every form) -> why.
SKIP = {
    ("SO_PEERPIDFD", ("unix", "stream", "connected"), "*"):
        "every successful read creates a new pidfd in the reading process (the result is its fd "
        "number); the replay has no call that closes a raw fd, so it would leak one fd per case",
}
# Buffer-mode reads of rows whose getsockopt takes the buffer as a request (row.inout) are not
# made either: CPython hands the kernel an UNINITIALISED buffer (PyBytes_FromStringAndSize(NULL,
# buflen)), so the answer depends on stale heap bytes. Observed: IP_MSFILTER with buflen 20
# answered EINVAL, ENODEV or EADDRNOTAVAIL from run to run. Int mode passes a zeroed int and is
# recorded.
INOUT_WHY = ("getsockopt reads the buffer as a request and CPython passes it uninitialised "
             "(PyBytes_FromStringAndSize(NULL, buflen)): the result depends on stale heap bytes "
             "(IP_MSFILTER buflen 20 gave EINVAL, ENODEV or EADDRNOTAVAIL run to run)")


def _level_of(name):
    levels = {r.level for r in T.ROWS if r.name == name}
    assert len(levels) == 1, name
    return levels.pop()


def skipped(row, sock, buflen):
    if row.inout and buflen is not None:
        return True
    return (row.name, sock, "*") in SKIP or (row.name, sock, buflen) in SKIP


def forms(row):
    """The buflens to read a row with; None = int mode."""
    out = [None, 64]
    if row.size != 64 and row.size <= 1024:
        out.append(row.size)
    if row.size > 64 and row.size != 1024:
        out.append(1024)
    return out


def open_fds():
    return set(os.listdir("/proc/self/fd"))


def collect():
    """Run every read; returns [(case_id, row, sock, args, result)] in a fixed order."""
    cases = []
    for row in T.ROWS:
        if not row.get:
            continue
        for sock in SOCKS:
            for buflen in forms(row):
                if skipped(row, sock, buflen):
                    continue
                args = [row.level_value, row.value] + ([] if buflen is None else [buflen])
                with T.open_socket(*sock) as s:
                    before = open_fds()
                    res = T.result_of(lambda: s.getsockopt(*args))
                    leaked = open_fds() - before
                if leaked:
                    raise SystemExit(f"{row.name} on {sock} opened fds {leaked}: add it to SKIP")
                form = "int" if buflen is None else f"buflen{buflen}"
                cid = f"getsockopt/{'-'.join(sock)}/{T.row_id(row)}/{form}"
                cases.append((cid, row, sock, args, res))
    return cases


# --------------------------------------------------------------------------------------------
# Masks. Byte ranges are [start, end) into the returned bytes; a range past the returned
# length is cut to it (a buflen-8 read of TCP_INFO has no timers to mask).
# Fields of struct tcp_info (offsets: reference §9.1) that vary between runs, found by diffing
# 40 runs (4 in parallel at a time). Whole fields are masked, never whole structs.
TCP_INFO_FRESH = ([(44, 48), (52, 60)],
                  "tcpi_last_data_sent/last_data_recv/last_ack_recv are 'ms since' timestamps "
                  "that were never set, i.e. the jiffies clock itself")
TCP_METRICS = ("the kernel's tcp_metrics cache for the peer address (`ip tcp_metrics`), "
               "which earlier connections to 127.0.0.1 and ::1 update, seeds new connections")
TCP_INFO_ESTABLISHED = ([(8, 12), (44, 48), (52, 60), (68, 92), (104, 112), (148, 152)],
                        "handshake timing over loopback: tcpi_rto, tcpi_rtt, tcpi_rttvar, "
                        "tcpi_min_rtt, tcpi_pacing_rate (derived from rtt) and the ms-ago timers "
                        "last_data_sent/last_data_recv/last_ack_recv; tcpi_snd_ssthresh, "
                        "tcpi_snd_cwnd, tcpi_advmss and tcpi_reordering start from the kernel's "
                        "tcp_metrics cache for the peer address (`ip tcp_metrics`), which "
                        "earlier connections to 127.0.0.1 and ::1 update")


def mask_for(row, sock, args, res):
    """The MASK for one case, or None."""
    family, type_, state = sock
    ok = res.get("ok")
    if ok is None:
        return None
    name = row.name
    is_int = ok["t"] == "int"
    n = 4 if is_int else len(bytes.fromhex(ok["hex"]))
    established = state in ("connected", "accepted")

    def rng(ranges, why):
        ranges = [[a, min(b, n)] for a, b in ranges if a < n]
        return {"why": why, "bytes": ranges} if ranges else None

    def int_or(ranges, why):
        return {"why": why, "int": "any"} if is_int else rng(ranges, why)

    if name == "SO_COOKIE":
        return rng([(0, 8)], "SO_COOKIE is a u64 handed out by a global counter on first read")
    if name == "SO_NETNS_COOKIE":
        return rng([(0, 8)], "SO_NETNS_COOKIE is the network namespace's cookie, numbered in "
                             "namespace creation order since boot: it differs between machines")
    if name == "TCP_TIMESTAMP":
        return int_or([(0, 4)], "TCP_TIMESTAMP reads the socket's TCP timestamp clock (ms since "
                                "boot, plus a random per-connection offset once connected)")
    if name == "SO_PEERCRED" and family == "unix" and state == "connected":
        why = "SO_PEERCRED on a socketpair reports its creator's pid (the replaying process)"
        if is_int:
            return {"why": why, "int": "pid"}
        return {"why": why, "pid_at": 0} if n >= 4 else None
    if name == "SO_PEERNAME" and family != "unix" and established:
        return int_or([(2, 4)], "the peer's port (sockaddr bytes 2-3) is an ephemeral port")
    if name == "IP_PROTOCOL" and state in ("listening", "connected", "accepted"):
        return int_or([(0, 2)], "IP_PROTOCOL returns inet_num, which on a bound TCP socket is "
                                "its local port (an ephemeral port)")
    if name == "SO_INCOMING_CPU" and established:
        return int_or([(0, 4)], "SO_INCOMING_CPU is the CPU that processed the last received "
                                "packet")
    if name == "SO_SNDBUF" and family != "unix" and type_ == "stream" and established:
        return int_or([(0, 4)], TCP_METRICS + ": an established socket's send buffer is sized "
                                "from the congestion window it starts with")
    if name == "SO_MEMINFO" and family != "unix" and type_ == "stream" and established:
        return rng([(12, 16)], TCP_METRICS + ": SK_MEMINFO_SNDBUF is the send buffer, sized "
                               "from the congestion window the connection starts with")
    if name == "TCP_INFO" and not is_int:
        if state == "fresh":
            return rng(*TCP_INFO_FRESH)
        if established:
            return rng(*TCP_INFO_ESTABLISHED)
    if name == "TCP_CC_INFO" and established and not is_int:
        return rng([(8, 12)], "bbr_min_rtt (struct tcp_bbr_info @8) is the handshake's "
                              "measured round-trip time")
    return None


# --------------------------------------------------------------------------------------------
def build():
    cases = collect()
    out = T.header("scripts/gen_sockopt_values.py")
    out["rows"] = ("a case's row is identified by its name and the level in the first two args; "
                   "the MCAST_* names exist at both IPPROTO_IP and IPPROTO_IPV6")
    out["skipped"] = [
        {"row": name, "level": _level_of(name),
         "sock": dict(zip(("family", "type", "state"), sock)),
         "forms": "all" if form == "*" else f"buflen{form}", "why": why}
        for (name, sock, form), why in SKIP.items()
    ] + [
        {"row": r.name, "level": r.level, "sock": "all", "forms": "buffer", "why": INOUT_WHY}
        for r in T.ROWS if r.get and r.inout
    ]
    out["cases"] = []
    for cid, row, sock, args, res in cases:
        step = {"call": "getsockopt", "args": [T.arg_int(a) for a in args], "result": res}
        m = mask_for(row, sock, args, res)
        if m:
            step["mask"] = m
        out["cases"].append({
            "id": cid, "row": row.name,
            "sock": {"family": sock[0], "type": sock[1], "state": sock[2]},
            "steps": [step],
        })
    return out


def raw_dump():
    """Child-process mode for --check: print {id: result} as JSON."""
    json.dump({cid: res for cid, _, _, _, res in collect()}, sys.stdout)


def check(n):
    """Rerun collect() in n child processes; report unmasked variation and idle masks."""
    runs = [json.loads(subprocess.run([sys.executable, __file__, "--raw"], check=True,
                                      capture_output=True, text=True).stdout) for _ in range(n)]
    data = build()
    runs.append({c["id"]: c["steps"][0]["result"] for c in data["cases"]})
    bad, idle = 0, 0
    for case in data["cases"]:
        cid, step = case["id"], case["steps"][0]
        mask = step.get("mask")
        vals = [r[cid] for r in runs]
        if "raises" in vals[0]:
            if any(v != vals[0] for v in vals):
                print("VARIES (raises)", cid, vals)
                bad += 1
            continue
        if vals[0]["ok"]["t"] == "int":
            ints = {v["ok"]["v"] for v in vals}
            if len(ints) > 1 and not (mask and "int" in mask):
                print("VARIES (int, unmasked)", cid, sorted(ints))
                bad += 1
            if mask and "int" in mask and len(ints) == 1 and mask["int"] == "any":
                idle += 1
            continue
        blobs = [bytes.fromhex(v["ok"]["hex"]) for v in vals]
        if len({len(b) for b in blobs}) > 1 and not (mask and mask.get("len") == "any"):
            print("VARIES (length)", cid, [len(b) for b in blobs])
            bad += 1
            continue
        masked = set()
        for a, b in (mask or {}).get("bytes", []):
            masked.update(range(a, b))
        if mask and "pid_at" in mask:
            masked.update(range(mask["pid_at"], mask["pid_at"] + 4))
        varying = {i for i in range(len(blobs[0])) if len({b[i] for b in blobs}) > 1}
        if varying - masked:
            print("VARIES (bytes, unmasked)", cid, sorted(varying - masked))
            bad += 1
        if masked and not (masked & varying):
            idle += 1
            print("idle mask (never varied in these runs)", cid, mask["bytes"])
    print(f"{len(data['cases'])} cases, {len(runs)} runs: {bad} unmasked variations, "
          f"{idle} masks idle in these runs")
    return 1 if bad else 0


def main(argv):
    return T.generator_main(
        argv, raw=raw_dump, check=check, build=build, out=OUT,
        summary=lambda d: f"{len(d['cases'])} cases, {sum(1 for c in d['cases'] if 'mask' in c['steps'][0])} masked")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
