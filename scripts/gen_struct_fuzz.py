#!/usr/bin/env python3
"""Record CPython 3.11's answers for a large seeded struct fuzz: test/fixtures/struct-fuzz.json.gz.

Run: `python3 scripts/gen_struct_fuzz.py [N]` (N: roughly how many cases; 100,000 by default, ~108,000 written).
The cases are gen_struct.py's random generators (valid formats with random values and
buffers, including unpack of random bytes; invalid formats; wrong values and counts) run with
a seed of their own, so they share no case with struct-cases.json. The schema is
gen_struct.py's; test/core-survives.test.ts replays every case in one process, interleaved
with calls that must fail without harming the core. Gzipped (mtime 0, so the same CPython
writes the same bytes): the plain JSON is ~30 MB.
"""

import gzip
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_struct as G  # noqa: E402

OUT = os.path.join(G.ROOT, "test/fixtures/struct-fuzz.json.gz")
SEED = 0x9F0A_2026


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    # gen_struct's random groups seed their generators from G.SEED when called.
    G.SEED = SEED
    # About 2.2 cases per random_valid round, 2 per invalid format, 1 per wrong-value round.
    G.random_valid(int(n * 0.6 / 2.2))
    G.random_invalid_formats(int(n * 0.15 / 2))
    G.random_wrong_values(int(n * 0.25))
    cases = G.CASES
    by_result = {"ok": sum(1 for c in cases if "ok" in c["result"])}
    by_result["raises"] = len(cases) - by_result["ok"]
    doc = {
        "generator": "scripts/gen_struct_fuzz.py",
        "python": G.T.PYTHON,
        "machine": G.T.MACHINE,
        "byteorder": sys.byteorder,
        "seed": SEED,
        "counts": {"cases": len(cases), "by_result": by_result},
        "skipped": G.SKIPPED,
        "cases": cases,
    }
    data = json.dumps(doc, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    with open(OUT, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as z:
            z.write(data)
    print(f"wrote {OUT}: {len(cases)} cases, {by_result}, {len(data)} bytes of JSON", file=sys.stderr)


if __name__ == "__main__":
    main()
