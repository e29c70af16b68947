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
import platform
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

# Reads that are not made at all.
SKIP = {
    ("SO_PEERPIDFD", ("unix", "stream", "connected")):
        "every successful read creates a new pidfd in the reading process (the result is its fd "
        "number); the replay has no call that closes a raw fd, so it would leak one fd per case",
}


def forms(row):
    """The buflens to read a row with; None = int mode."""
    out = [None, 64]
    if row.size != 64 and row.size <= 1024:
        out.append(row.size)
    if row.size > 64 and row.size != 1024:
        out.append(1024)
    return out


def arg_int(v):
    return {"t": "int", "v": str(int(v))}


def result_of(fn):
    try:
        v = fn()
    except OSError as e:
        return {"raises": {"type": type(e).__name__, "errno": e.errno, "message": str(e)}}
    if isinstance(v, bytes):
        return {"ok": {"t": "bytes", "hex": v.hex()}}
    return {"ok": {"t": "int", "v": str(v)}}


def open_fds():
    return set(os.listdir("/proc/self/fd"))


def collect():
    """Run every read; returns [(case_id, row, sock, args, result)] in a fixed order."""
    cases = []
    for row in T.ROWS:
        if not row.get:
            continue
        for sock in SOCKS:
            if (row.name, sock) in SKIP:
                continue
            for buflen in forms(row):
                args = [row.level_value, row.value] + ([] if buflen is None else [buflen])
                with T.open_socket(*sock) as s:
                    before = open_fds()
                    res = result_of(lambda: s.getsockopt(*args))
                    leaked = open_fds() - before
                if leaked:
                    raise SystemExit(f"{row.name} on {sock} opened fds {leaked}: add it to SKIP")
                form = "int" if buflen is None else f"buflen{buflen}"
                cid = f"getsockopt/{'-'.join(sock)}/{T.row_id(row)}/{form}"
                cases.append((cid, row, sock, args, res))
    return cases


# --------------------------------------------------------------------------------------------
# Masks: (row name, socket states or None for all, form predicate) -> mask builder.
# Byte ranges are [start, end) into the returned bytes; a range past the returned length is
# cut to it (a buflen-8 read of TCP_INFO has no timers to mask).

def _tcp_info_ranges(state):
    """Fields of struct tcp_info (offsets: reference §9.1) that differ between runs."""
    if state == "fresh":
        return [], ""
    if state == "listening":
        # A listener's tcp_info has no per-connection timers; only last_ack_recv (jiffies
        # since the last ACK, i.e. since listen()) moves.
        return [(56, 60)], "tcpi_last_ack_recv counts milliseconds since the last event"
    # connected / accepted: the handshake just happened over loopback.
    return ([(6, 7),      # snd_wscale/rcv_wscale: window scaling follows the autotuned buffers
             (44, 60),    # last_data_sent, last_ack_sent, last_data_recv, last_ack_recv (ms ago)
             (64, 76),    # rcv_ssthresh, rtt, rttvar
             (84, 88),    # advmss
             (92, 100),   # rcv_rtt, rcv_space
             (104, 112),  # pacing_rate (derived from rtt)
             (136, 144),  # segs_out, segs_in
             (148, 152),  # min_rtt
             (160, 184),  # delivery_rate, busy_time, rwnd_limited
             (228, 236),  # snd_wnd, rcv_wnd
             ],
            "handshake timing over loopback: rtt/rttvar/min_rtt, the 'last_*' ms-ago timers, "
            "pacing and delivery rates, busy time, rcv_rtt/rcv_space, segment counts and the "
            "advertised windows (autotuned) vary run to run")


def mask_for(row, sock, args, res):
    """The MASK for one case, or None."""
    family, type_, state = sock
    ok = res.get("ok")
    if ok is None:
        return None
    name = row.name
    is_int = ok["t"] == "int"
    n = len(bytes.fromhex(ok["hex"])) if not is_int else 4

    def rng(ranges, why, lenany=False):
        ranges = [[a, min(b, n)] for a, b in ranges if a < n]
        if not ranges:
            return None
        m = {"why": why, "bytes": ranges}
        if lenany:
            m["len"] = "any"
        return m

    if name == "SO_COOKIE":
        return rng([(0, 8)], "SO_COOKIE is a u64 taken from a global counter on first read")
    if name == "SO_NETNS_COOKIE":
        return rng([(0, 8)], "SO_NETNS_COOKIE is the network namespace's cookie, fixed per boot "
                             "and namespace, not per run of the generator")
    if name == "TCP_TIMESTAMP":
        why = "TCP_TIMESTAMP reads the socket's TCP timestamp clock (ms since boot plus offset)"
        return {"why": why, "int": "any"} if is_int else rng([(0, 4)], why)
    if name == "SO_PEERCRED" and family == "unix" and state == "connected":
        why = "SO_PEERCRED on a socketpair reports its creator's pid (the replaying process)"
        if is_int:
            return {"why": why, "int": "pid"}
        return {"why": why, "pid_at": 0} if n >= 4 else None
    if name == "SO_PEERNAME" and family != "unix" and state in ("connected", "accepted"):
        # sockaddr_in/in6: the port (bytes 2..4) is an ephemeral or bind(0) port.
        why = "the peer's port in the sockaddr is an ephemeral port chosen at bind/connect"
        return {"why": why, "int": "any"} if is_int else rng([(2, 4)], why)
    if name == "IP_PROTOCOL" and state in ("listening", "connected", "accepted"):
        why = "IP_PROTOCOL returns inet_num, which is the local port of a bound TCP socket"
        return {"why": why, "int": "any"} if is_int else rng([(0, 4)], why)
    if name == "TCP_INFO":
        ranges, why = _tcp_info_ranges(state)
        if not ranges:
            return None
        if is_int:
            return None  # tcpi_state .. tcpi_probes: stable
        return rng(ranges, why)
    if name == "SO_INCOMING_CPU" and state in ("connected", "accepted"):
        why = "SO_INCOMING_CPU is the CPU that processed the last received packet"
        return {"why": why, "int": "any"} if is_int else rng([(0, 4)], why)
    if name == "TCP_CC_INFO" and state in ("connected", "accepted"):
        # struct tcp_bbr_info: bw_lo, bw_hi, min_rtt, pacing_gain, cwnd_gain
        return rng([(0, 12)], "bbr's bandwidth and min_rtt estimates come from handshake timing")
    return None


# --------------------------------------------------------------------------------------------
def header(generator):
    return {
        "generator": generator,
        "python": platform.python_version(),
        "kernel": platform.release().split("-")[0],
        "machine": platform.machine(),
    }


def build():
    cases = collect()
    out = header("scripts/gen_sockopt_values.py")
    out["skipped"] = [
        {"row": name, "sock": dict(zip(("family", "type", "state"), sock)), "why": why}
        for (name, sock), why in SKIP.items()
    ]
    out["cases"] = []
    for cid, row, sock, args, res in cases:
        step = {"call": "getsockopt", "args": [arg_int(a) for a in args], "result": res}
        m = mask_for(row, sock, args, res)
        if m:
            step["mask"] = m
        out["cases"].append({
            "id": cid, "row": row.name,
            "sock": {"family": sock[0], "type": sock[1], "state": sock[2]},
            "steps": [step],
        })
    return out


def write(data, path=OUT):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


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
    if "--raw" in argv:
        raw_dump()
        return 0
    if "--check" in argv:
        i = argv.index("--check")
        return check(int(argv[i + 1]) if i + 1 < len(argv) else 3)
    data = build()
    write(data)
    print(f"wrote {os.path.relpath(OUT, T.REPO)}: {len(data['cases'])} cases, "
          f"{sum(1 for c in data['cases'] if 'mask' in c['steps'][0])} masked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
