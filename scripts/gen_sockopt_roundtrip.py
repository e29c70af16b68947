#!/usr/bin/env python3
"""Oracle fixture: set-then-get round trips of every option-table row that Linux lets a root
process set on a loopback socket (the `roundtrip` specs of scripts/optiontable.py).

Each case: open the socket in its state, run the spec's `pre` setsockopt steps, the
setsockopt under test (int, bytes, or the None form), then read back with getsockopt (int mode
or the spec's buflen, possibly through a related row such as SO_SNDBUF for SO_SNDBUFFORCE).
Every step records what CPython 3.11 answered, errors included: a second spec per int/bool row
shows the kernel's normalisation (5 on a bool reads 1 or is refused, SO_RCVBUF doubles, ...).
The rows that cannot be round-tripped here are listed at the top level with the reason.

Check that the recorded values are stable with:  python3 scripts/gen_sockopt_roundtrip.py --check 5

Writes test/fixtures/sockopt-roundtrip.json (schema: test/fixtures/README.md).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optiontable as T  # noqa: E402

OUT = os.path.join(T.REPO, "test", "fixtures", "sockopt-roundtrip.json")


def set_step(s, level, opt, value, optlen=None):
    if optlen is not None:
        args = [T.arg_int(level), T.arg_int(opt), {"t": "none"}, T.arg_int(optlen)]
        res = T.result_of(lambda: s.setsockopt(level, opt, None, optlen))
    else:
        args = [T.arg_int(level), T.arg_int(opt), T.enc_plain(value)]
        res = T.result_of(lambda: s.setsockopt(level, opt, value))
    return {"call": "setsockopt", "args": args, "result": res}


def get_step(s, level, opt, read):
    args = [level, opt] + ([] if read == "int" else [read])
    return {"call": "getsockopt", "args": [T.arg_int(a) for a in args],
            "result": T.result_of(lambda: s.getsockopt(*args))}


def mask_for(row, spec, step):
    """Read-backs that legitimately differ between runs."""
    ok = step["result"].get("ok")
    if ok is None:
        return None
    if row.name == "TCP_TIMESTAMP" and not spec.via:
        why = ("TCP_TIMESTAMP keeps ticking (ms) after the set: the read can be a few ms past "
               "the value set")
        return {"why": why, "int": "any"} if ok["t"] == "int" else {"why": why, "bytes": [[0, 4]]}
    return None


def case_id(row, spec):
    cid = f"roundtrip/{spec.family}-{spec.type}-{spec.state}/{T.row_id(row)}"
    return cid + (f"/{spec.label}" if spec.label else "")


def run_case(row, spec):
    steps = []
    with T.open_socket(spec.family, spec.type, spec.state) as s:
        for lv, nm, v in spec.pre:
            steps.append(set_step(s, *T.opt_value(lv, nm), v))
        steps.append(set_step(s, row.level_value, row.value, spec.value, spec.optlen))
        if spec.read is not None:
            lv, opt = T.opt_value(*spec.via) if spec.via else (row.level_value, row.value)
            g = get_step(s, lv, opt, spec.read)
            m = mask_for(row, spec, g)
            if m:
                g["mask"] = m
            steps.append(g)
    case = {"id": case_id(row, spec), "row": row.name,
            "sock": {"family": spec.family, "type": spec.type, "state": spec.state},
            "steps": steps}
    return case


def build():
    out = T.header("scripts/gen_sockopt_roundtrip.py")
    out["rows"] = ("a case's row is identified by its name and the level in the args of its "
                   "last setsockopt step; the MCAST_* names exist at both IPPROTO_IP and "
                   "IPPROTO_IPV6")
    out["no_roundtrip"] = [
        {"row": r.name, "level": r.level, "why": r.why_no_roundtrip}
        for r in T.ROWS if r.set and not r.roundtrip
    ]
    out["cases"] = [run_case(r, spec) for r in T.ROWS for spec in r.roundtrip]
    ids = [c["id"] for c in out["cases"]]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    return out


def check(n):
    """Rebuild in n child processes and report steps whose results differ (masks honoured)."""
    runs = [json.loads(subprocess.run([sys.executable, __file__, "--raw"], check=True,
                                      capture_output=True, text=True).stdout) for _ in range(n)]
    base = build()
    bad = 0
    for case in base["cases"]:
        for i, step in enumerate(case["steps"]):
            vals = [r[case["id"]][i]["result"] for r in runs] + [step["result"]]
            if all(v == vals[0] for v in vals):
                continue
            if step.get("mask") and all("ok" in v for v in vals):
                continue
            print("VARIES", case["id"], "step", i, vals)
            bad += 1
    print(f"{len(base['cases'])} cases, {n + 1} runs: {bad} unmasked variations")
    return 1 if bad else 0


def main(argv):
    return T.generator_main(
        argv, raw=lambda: json.dump({c["id"]: c["steps"] for c in build()["cases"]}, sys.stdout),
        check=check, build=build, out=OUT,
        summary=lambda d: f"{len(d['cases'])} cases, {len(d['no_roundtrip'])} settable rows without a round trip")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
