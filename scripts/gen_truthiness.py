#!/usr/bin/env python3
"""Record CPython's truthiness (PyObject_IsTrue, `bool(x)`) of the Python values that have a
JS twin in DESIGN.md's mapping, for src/args.ts pyTruthy: the one rule wasock uses wherever
Python tests an argument for truth (create_connection's source_address, create_server's
flags, ioctl's mutate_flag, struct's '?').

Run from anywhere: `python3 scripts/gen_truthiness.py`. Writes test/fixtures/truthiness.json,
replayed by test/truthiness.test.ts. Each case: {"id", "arg": ARG, "truthy": bool(value)}.
ARG is README's (int with "as", float with "hex" for -0.0/NaN/inf, str, bytes, none, bool)
plus containers, each built on the JS side as the twin of the Python value:
  {"t":"tuple","v":[ARG...]} a JS array (a Python tuple or list)
  {"t":"dict","v":[[str, ARG]...], "as"?: "map"|"nullproto"} a plain object (or a Map, or
      an object without prototype) with those own enumerable keys
  {"t":"set","v":[ARG...]} a Set
  {"t":"memoryview","hex"} a DataView; {"t":"array_i","hex"} an Int32Array
  {"t":"object"} an instance of a JS class (Python object(): always true)
"""

import array
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixturelib as T  # noqa: E402

GENERATOR = "scripts/gen_truthiness.py"
OUT = "test/fixtures/truthiness.json"


class Dict(dict):
    """A dict whose JS twin is a Map ("map") or a prototype-less object ("nullproto")."""

    def __init__(self, items, as_):
        super().__init__(items)
        self.as_ = as_


def enc(v):
    if isinstance(v, (tuple, list)):
        return {"t": "tuple", "v": [enc(x) for x in v]}
    if isinstance(v, dict):
        d = {"t": "dict", "v": [[k, enc(x)] for k, x in v.items()]}
        if isinstance(v, Dict) and v.as_:
            d["as"] = v.as_
        return d
    if isinstance(v, (set, frozenset)):
        return {"t": "set", "v": [enc(x) for x in sorted(v)]}
    if isinstance(v, memoryview):
        return {"t": "memoryview", "hex": v.tobytes().hex()}
    if isinstance(v, array.array):
        return {"t": "array_i", "hex": v.tobytes().hex()}
    if type(v) is object:
        return {"t": "object"}
    return T.enc_plain(v)


VALUES = [
    ("None", None), ("True", True), ("False", False),
    ("0", 0), ("1", 1), ("-1", -1), ("2**64", 2**64), ("0n", T.BigInt(0)), ("5n", T.BigInt(5)),
    ("-0.0", -0.0), ("0.5", 0.5), ("-1.5", -1.5), ("nan", float("nan")), ("inf", float("inf")),
    ("-inf", float("-inf")),
    ("''", ""), ("'a'", "a"), ("'\\0'", "\0"), ("' '", " "),
    ("b''", b""), ("b'\\0'", b"\0"),
    ("()", ()), ("(0,)", (0,)), ("((),)", ((),)),
    ("{}", {}), ("{'a': 0}", {"a": 0}), ("{}-map", Dict({}, "map")),
    ("{'a': 0}-map", Dict({"a": 0}, "map")), ("{}-nullproto", Dict({}, "nullproto")),
    ("{'a': 0}-nullproto", Dict({"a": 0}, "nullproto")),
    ("set()", set()), ("{0}", {0}),
    ("memoryview(b'')", memoryview(b"")), ("memoryview(b'\\0')", memoryview(b"\0")),
    ("array('i')", array.array("i")), ("array('i', [0])", array.array("i", [0])),
    ("object()", object()),
]


def main():
    cases = [{"id": label, "arg": enc(v), "truthy": bool(v)} for label, v in VALUES]
    T.write_fixture(OUT, T.header(GENERATOR), cases)
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
