#!/usr/bin/env python3
"""Record CPython 3.11's `struct` module answers: test/fixtures/struct-cases.json.

Run: `python3 scripts/gen_struct.py`. Seeded and deterministic: the same CPython writes the
same file. Every expectation is what CPython returned or raised; nothing is hand-written.

Case schema (one case per line):
  {"id", "call", "fmt": ARG, "args": [ARG...], "result": RESULT, "buffer_after"?: hex}
  call: pack | unpack | calcsize | pack_into | unpack_from | iter_unpack | Struct |
        Struct.pack | Struct.unpack | Struct.pack_into | Struct.unpack_from | Struct.iter_unpack
  For module calls, `fmt` is the first argument and `args` the rest (pack_into: buffer, offset,
  values...; unpack_from: buffer[, offset]). For Struct.* calls `fmt` is the constructor's
  argument and `args` the method's. `args` may be shorter than the signature (arity errors).
  `buffer_after`: the bytes of the bytearray passed to pack_into, after the call. It is
  recorded on failures too: CPython zeroes the target range and packs item by item, so a
  failing pack_into leaves a partly written buffer.

ARG (test/fixtures/README.md, plus):
  {"t":"int","v":"-5"}: a JS number when it is a safe integer, else a bigint;
      "as":"bigint" sends a safe integer as a bigint; "as":"number" sends an unsafe integer that
      a double holds exactly (2**63, 1e300) as a number.
  {"t":"float","hex":"<16 hex digits of the IEEE-754 double>"}: only floats whose JS twin is
      unambiguous: non-integral, NaN (any payload), +-inf, and -0.0 (JS -0 has no int twin).
      A Python float that is integral and not -0.0 is sent as the int it equals (its JS twin
      is an integral number, i.e. a Python int), and CPython is asked about that int. -0.0
      appears only where an e/f/d/?/c/s/p code consumes it, never for integer codes.
  {"t":"bool"} {"t":"none"} {"t":"str","v"} {"t":"bytes","hex"} {"t":"bytearray","hex"}
  {"t":"list","v":[ARG...]} (a JS array).
RESULT: {"ok": VAL} | {"raises": {"type": <Python class name; struct.error is "error">,
  "message": str(e)}}. VAL: {"t":"tuple","v":[VAL...]} (a JS array), {"t":"list","v":[...]}
  (iter_unpack, consumed to the end), {"t":"int","v":"..","big":bool} (big: the JS value
  must be a bigint: codes q Q n N P, and l L in native mode; else a number),
  {"t":"float","hex"}, {"t":"bool"}, {"t":"bytes","hex"}, {"t":"none"},
  {"t":"struct","format":str,"size":int} (the constructor).

Left out because they have no JS twin (see the report in the header's "not_expressible"):
results above 2**53 from calcsize/Struct.size, integral Python floats (1.0 vs 1), bytearray
values for 'c' (rejected by CPython, but a Uint8Array is bytes), read-only bytes as the
pack_into buffer, bytearray formats.
"""

import json
import math
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optiontable as T  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test/fixtures/struct-cases.json")
SEED = 0x57C7_2023
MAX_SAFE = 2**53 - 1

PREFIXES = ["", "@", "=", "<", ">", "!"]
CODES = "xcbB?hHiIlLqQnNefdspP"
INT_CODES = "bBhHiIlLqQnNP"
NATIVE_ONLY = "nNP"
WS = " \t\n\r\x0b\x0c"  # Py_ISSPACE in _struct.c


# ---------------------------------------------------------------------------------------------
# Argument wrappers and encoding
# ---------------------------------------------------------------------------------------------

class As:
    """A Python value with the JS representation the replay must use ("bigint" | "number")."""
    __slots__ = ("v", "how")

    def __init__(self, v, how):
        self.v, self.how = v, how


def plain(a):
    if isinstance(a, As):
        return a.v
    if isinstance(a, list):
        return [plain(x) for x in a]
    return a


def dhex(x):
    return struct.pack(">d", x).hex()


def fromhex_d(h):
    return struct.unpack(">d", bytes.fromhex(h))[0]


def is_neg_zero(x):
    return isinstance(x, float) and x == 0.0 and math.copysign(1.0, x) < 0


def enc(a):
    how = None
    if isinstance(a, As):
        a, how = a.v, a.how
    if isinstance(a, int) and not isinstance(a, bool):
        out = T.enc_plain(a)
        if how == "bigint":
            assert -MAX_SAFE <= a <= MAX_SAFE
            out["as"] = "bigint"
        elif how == "number":
            assert abs(a) > MAX_SAFE and float(a) == a
            out["as"] = "number"
        return out
    if isinstance(a, float):
        # The JS twin of an integral float (other than -0.0) is a Python int: never emitted.
        assert not (math.isfinite(a) and a == int(a)) or is_neg_zero(a), a
        return {"t": "float", "hex": dhex(a)}
    if isinstance(a, bytearray):
        return {"t": "bytearray", "hex": a.hex()}
    if isinstance(a, list):
        return {"t": "list", "v": [enc(x) for x in a]}
    if isinstance(a, dict):
        # A JS plain object: string keys only.
        assert all(isinstance(k, str) for k in a)
        return {"t": "dict", "v": [[k, enc(x)] for k, x in a.items()]}
    return T.enc_plain(a)


def value_codes(fmt):
    """(native, [code per returned value]) for a format CPython accepted."""
    if isinstance(fmt, bytes):
        fmt = fmt.decode("ascii")
    native = not (fmt and fmt[0] in "=<>!")
    out = []
    for c, n in format_items(fmt):
        if c in "sp":
            out.append(c)        # one bytes value, whatever the count
        elif c != "x":
            out += [c] * (1 if n is None else n)
    return native, out


def is_big(code, native):
    return code in "qQnNP" or (native and code in "lL")


def val(v, code=None, native=True):
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        assert code is None or code in INT_CODES, (code, v)
        big = code is not None and is_big(code, native)
        assert big or abs(v) <= MAX_SAFE
        return {"t": "int", "v": str(v), "big": big}
    if isinstance(v, float):
        assert code is None or code in "efd"
        return {"t": "float", "hex": dhex(v)}
    if isinstance(v, bytes):
        assert code is None or code in "csp"
        return {"t": "bytes", "hex": v.hex()}
    if v is None:
        return {"t": "none"}
    raise TypeError(f"no VAL encoding for {v!r}")


def tuple_val(fmt, t):
    native, codes = value_codes(fmt)
    assert len(codes) == len(t), (fmt, codes, t)
    return {"t": "tuple", "v": [val(v, c, native) for v, c in zip(t, codes)]}


# ---------------------------------------------------------------------------------------------
# Running CPython
# ---------------------------------------------------------------------------------------------

CASES = []
IDS = set()
SKIPPED = {}


def skip(why):
    SKIPPED[why] = SKIPPED.get(why, 0) + 1


def add(group, call, fmt, args=()):
    """Runs one call in CPython and records it. Returns the outcome (value or exception)."""
    args = list(args)
    # A fresh buffer for pack_into: record it before the call mutates it.
    enc_args = [enc(x) for x in args]
    enc_fmt = enc(fmt)
    pyargs = [plain(x) for x in args]
    buf = pyargs[0] if call.endswith("pack_into") and pyargs and isinstance(pyargs[0], bytearray) else None
    try:
        fmt_p = plain(fmt)
        if call.startswith("Struct."):
            r = getattr(struct.Struct(fmt_p), call[7:])(*pyargs)
        elif call == "Struct":
            r = struct.Struct(fmt_p)
        else:
            r = getattr(struct, call)(fmt_p, *pyargs)
        if call.endswith("iter_unpack"):
            r = list(r)
        outcome = ("ok", r)
    except MemoryError:
        raise
    except Exception as e:  # noqa: BLE001 - every exception is an oracle answer
        outcome = ("raises", e)

    if outcome[0] == "ok":
        r = outcome[1]
        if call == "Struct":
            if r.size > MAX_SAFE:
                skip("Struct size above 2**53 (no exact JS number)")
                return outcome
            result = {"ok": {"t": "struct", "format": r.format, "size": r.size}}
        elif call == "calcsize":
            if r > MAX_SAFE:
                skip("calcsize above 2**53 (no exact JS number)")
                return outcome
            result = {"ok": val(r)}
        elif call.endswith("iter_unpack"):
            result = {"ok": {"t": "list", "v": [tuple_val(fmt_p, t) for t in r]}}
        elif call.endswith("unpack") or call.endswith("unpack_from"):
            result = {"ok": tuple_val(fmt_p, r)}
        else:  # pack -> bytes, pack_into -> None
            result = {"ok": val(r)}
    else:
        e = outcome[1]
        result = {"raises": {"type": type(e).__name__, "message": str(e)}}

    base = f"{call}/{group}"
    i = 0
    cid = base
    while cid in IDS:
        i += 1
        cid = f"{base}#{i}"
    IDS.add(cid)
    case = {"id": cid, "call": call, "fmt": enc_fmt, "args": enc_args, "result": result}
    if buf is not None:
        case["buffer_after"] = bytes(buf).hex()
    CASES.append(case)
    return outcome


# ---------------------------------------------------------------------------------------------
# Value generators
# ---------------------------------------------------------------------------------------------

R = random.Random(SEED)


def int_range(code, native):
    size = struct.calcsize(("@" if native else "<") + code)
    if code == "P":
        return -(2**63), 2**64 - 1  # PyLong_AsVoidPtr takes signed or unsigned
    if code in "bhilqn":
        return -(2 ** (8 * size - 1)), 2 ** (8 * size - 1) - 1
    return 0, 2 ** (8 * size) - 1


def rep_int(v, r=R):
    """Picks the JS representation of a Python int (bigint for safe ints, number for big)."""
    if -MAX_SAFE <= v <= MAX_SAFE:
        return As(v, "bigint") if r.random() < 0.2 else v
    if float(v) == v and r.random() < 0.3:
        return As(v, "number")
    return v


def F(x):
    """A float as a case value: an integral finite float (not -0.0) becomes the int it equals."""
    if math.isfinite(x) and x == int(x) and not is_neg_zero(x):
        return rep_int(int(x))
    return x


def rand_int(code, native, r=R):
    lo, hi = int_range(code, native)
    k = r.random()
    if k < 0.5:
        v = r.randint(lo, hi)
    elif k < 0.7:
        v = r.randint(max(lo, -300), min(hi, 300))
    elif k < 0.85:
        v = r.choice([lo, hi, lo + 1, hi - 1, 0])
    else:
        v = r.randint(lo, hi) >> r.randint(0, 60)
    if r.random() < 0.05:
        v = r.choice([True, False])
    return rep_int(v, r)


def half_to_double(bits):
    return struct.unpack("<e", struct.pack("<H", bits))[0]


def f32_to_double(bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def rand_double(code, r=R):
    k = r.random()
    if k < 0.15:
        x = fromhex_d("%016x" % r.getrandbits(64))
    elif k < 0.3:
        x = r.uniform(-1e6, 1e6)
    elif k < 0.4:
        x = r.choice([0.5, -0.5, 1.5, 0.1, -0.0, math.inf, -math.inf, math.nan, 5e-324, -5e-324,
                      2.2250738585072014e-308, 1.7976931348623157e308, 1e-310, 1e300, -1e300,
                      0.0, 1.0, -1.0, 3.4028234663852886e38, 1.1754943508222875e-38])
    elif k < 0.5:
        return rep_int(r.randint(-(2**70), 2**70) >> r.randint(0, 70), r)
    elif code == "e" or (code != "f" and k < 0.6):
        h = half_to_double(r.getrandbits(16))
        if r.random() < 0.5 and math.isfinite(h):
            # a tie or near-tie between two half-precision values
            e = math.frexp(h)[1] if h else -13
            ulp = 2.0 ** max(e - 11, -24)
            x = h + r.choice([0.5, -0.5, 0.25, 0.75, 0.5000001, 0.4999999]) * ulp
        else:
            x = h
    else:
        f = f32_to_double(r.getrandbits(32))
        if r.random() < 0.5 and math.isfinite(f):
            e = math.frexp(f)[1] if f else -125
            ulp = 2.0 ** max(e - 24, -149)
            x = f + r.choice([0.5, -0.5, 0.25, 0.5 + 2**-20, 0.5 - 2**-20]) * ulp
        else:
            x = f
    return F(x)


TRUTHY = [0, 1, -1, 2, 2**70, -(2**70), As(0, "bigint"), As(5, "bigint"), True, False, None, "",
          "a", "0", b"", b"\x00", b"ab", [], [0], [[]], 0.5, -0.5, math.nan, math.inf, -math.inf,
          -0.0, 5e-324, 2**64]


def rand_value(code, native, count=None, r=R):
    if code in INT_CODES:
        return rand_int(code, native, r)
    if code in "efd":
        return rand_double(code, r)
    if code == "?":
        return r.choice(TRUTHY)
    if code == "c":
        return bytes([r.getrandbits(8)])
    if code in "sp":
        n = count if count is not None else 1
        ln = r.choice([0, n, n, max(0, n - 1), n + 1, n + 3, r.randint(0, n + 5)])
        return bytes(r.getrandbits(8) for _ in range(ln))
    raise ValueError(code)


# Wrong values for any code: no integral floats (their JS twin would be an int) and no -0.0.
WRONG = [1.5, -2.5, 0.1, math.nan, math.inf, -math.inf, 1e-300, "", "a", "ab", "é", b"", b"a",
         b"ab", bytes(300), True, False, None, [], [1], [b"a"], 2**64, -(2**64) - 1, 2**100,
         -1, 256, 65536, 2**31, 2**32, 2**63, -(2**63) - 1, 10**400, -(10**400)]


def format_items(fmt):
    """Items (code, count-or-None) of a valid format, for making values."""
    if isinstance(fmt, bytes):
        fmt = fmt.decode("ascii")
    if fmt and fmt[0] in "@=<>!":
        fmt = fmt[1:]
    items, i = [], 0
    while i < len(fmt):
        c = fmt[i]
        i += 1
        if c in WS:
            continue
        n = None
        if c.isdigit():
            j = i - 1
            while fmt[i].isdigit():
                i += 1
            n = int(fmt[j:i])
            c = fmt[i]
            i += 1
        items.append((c, n))
    return items


def values_for(fmt, r=R):
    if isinstance(fmt, bytes):
        fmt = fmt.decode("ascii")
    native = not (fmt and fmt[0] in "=<>!")
    out = []
    for c, n in format_items(fmt):
        if c == "x":
            continue
        if c in "sp":
            out.append(rand_value(c, native, 1 if n is None else n, r))
        else:
            out += [rand_value(c, native, None, r) for _ in range(1 if n is None else n)]
    return out


def rand_bytes(n, r=R):
    return bytes(r.getrandbits(8) for _ in range(n))


def codes_for(prefix):
    return CODES if prefix in ("", "@") else CODES.replace("n", "").replace("N", "").replace("P", "")


def rand_format(r=R, max_items=6, max_count=12):
    prefix = r.choice(PREFIXES)
    codes = codes_for(prefix)
    parts = [prefix]
    for _ in range(r.randint(0, max_items)):
        c = r.choice(codes)
        k = r.random()
        cnt = "" if k < 0.55 else str(r.choice([0, 1, 2, 3, r.randint(0, max_count)]))
        ws = "".join(r.choice(WS) for _ in range(r.choice([0, 0, 0, 1, 2])))
        parts.append(ws + cnt + c)
    return "".join(parts)


def size(fmt):
    return struct.calcsize(plain(fmt))


def rep_fmt(fmt, r=R):
    return fmt.encode("ascii") if isinstance(fmt, str) and r.random() < 0.15 else fmt


def item_count(fmt):
    """How many values a valid format packs, without expanding huge repeat counts."""
    return sum(1 if c in "sp" else (1 if n is None else n) for c, n in format_items(fmt) if c != "x")


# ---------------------------------------------------------------------------------------------
# Groups of cases
# ---------------------------------------------------------------------------------------------

def pname(p):
    return {"": "none", "@": "native", "=": "std-native-order", "<": "le", ">": "be", "!": "net"}[p]


def full_roundtrip(group, fmt, values=None, r=R, extra_calls=True):
    """calcsize, Struct, pack, unpack (of the packed bytes and of random bytes) for a format."""
    add(group, "calcsize", fmt)
    add(group, "Struct", rep_fmt(fmt, r))
    try:
        n = size(fmt)
    except Exception:
        add(group, "pack", fmt, values or [])
        add(group, "unpack", fmt, [b""])
        return
    if values is None:
        values = values_for(plain(fmt), r)
    kind, packed = add(group, "pack", fmt, values)
    if kind == "ok":
        add(group, "unpack", fmt, [packed])
    add(group, "unpack", fmt, [rand_bytes(n, r)])
    if extra_calls:
        st = rep_fmt(fmt, r)
        add(group, "Struct.pack", st, values_for(plain(fmt), r))
        add(group, "Struct.unpack", st, [rand_bytes(n, r)])


def grid():
    """Every prefix x every code x repeat counts."""
    for p in PREFIXES:
        for c in CODES:
            for cnt in ["", "0", "1", "2", "10"]:
                fmt = p + cnt + c
                full_roundtrip(f"grid/{pname(p)}/{cnt or 'no-count'}{c}", fmt, extra_calls=cnt in ("", "2"))
            # large repeat counts
            add(f"grid/{pname(p)}/large/{c}", "calcsize", p + "1000" + c)
            add(f"grid/{pname(p)}/large/{c}", "Struct", p + "123456789" + c)
            if c in "xs" or (c in "B?c" and p == "<"):
                full_roundtrip(f"grid/{pname(p)}/large300/{c}", p + "300" + c, extra_calls=False)


ALIGN = ["bi", "ci", "hq", "xq", "bq", "iq", "qb", "qi", "b?h", "bP", "be", "bf", "bd", "3sI",
         "hxi", "ih", "bbbi", "b0i", "b0q", "i0q", "xh", "xxxxi", "5sq", "5pq", "?Q", "cl", "bL",
         "bn", "bN", "hh", "hi", "hl", "e?d", "3xd", "b2h", "b 2h", "7xq", "q7x", "i5x", "0i",
         "c0l", "bbbbbbbbq", "hhhi", "2i3h", "2i3hq", "10si", "ei", "eq", "fd"]


def alignment():
    for f in ALIGN:
        for p in ["", "@", "<", "="]:
            fmt = p + f
            try:
                struct.calcsize(fmt)
            except struct.error:
                add(f"align/{pname(p)}/{f}", "calcsize", fmt)
                continue
            full_roundtrip(f"align/{pname(p)}/{f}", fmt)
            n = size(fmt)
            add(f"align/{pname(p)}/{f}", "unpack_from", fmt, [rand_bytes(n + 3), 3])


WHITESPACE = [" i", "i ", "  i  h  ", "i\th", "\n\r\x0b\x0ci", "i\x0ch\x0bb", "2 i", "3 s",
              "< i", " <i", "<\ti h", "i h\n", "@ 3s", "4s 4p", "\t", " ", "", "  2\tx",
              "i\x1ch", "i\xa0h", "1 0s", "10 s", " 10s ", "? ? ?", "e\nf\nd"]


def whitespace():
    for f in WHITESPACE:
        for p in ["", ">"]:
            fmt = p + f
            full_roundtrip(f"whitespace/{pname(p)}/{f!r}", fmt)


def boundaries():
    for p in PREFIXES:
        native = p in ("", "@")
        for c in INT_CODES:
            fmt = p + c
            g = f"bounds/{pname(p)}/{c}"
            if c in NATIVE_ONLY and not native:
                add(g, "pack", fmt, [0])
                add(g, "calcsize", fmt)
                add(g, "unpack", fmt, [bytes(8)])
                continue
            lo, hi = int_range(c, native)
            vals = {lo, hi, lo - 1, hi + 1, 0, -1, 1, lo + 1, hi - 1, 2**64, -(2**64), 2**64 - 1,
                    2**63, 2**63 - 1, -(2**63), -(2**63) - 1, 2**32, 2**32 - 1, 2**31, -(2**31) - 1,
                    2**16, 2**15, -(2**15) - 1, 256, -129, 2**53, 2**53 + 1, -(2**53) - 1, 2**100,
                    -(2**100), 2**1000}
            for v in sorted(vals):
                add(g, "pack", fmt, [v])
                if -MAX_SAFE <= v <= MAX_SAFE:
                    add(g, "pack", fmt, [As(v, "bigint")])
                elif float(v) == v:
                    add(g, "pack", fmt, [As(v, "number")])
            for v in (True, False, 1.5, -0.5, math.nan, math.inf, "1", b"\x01", None, [], [1]):
                add(g, "pack", fmt, [v])
            n = struct.calcsize(fmt)
            for b in (bytes(n), b"\xff" * n, b"\x80" + bytes(n - 1), bytes(n - 1) + b"\x80",
                      b"\x7f" + b"\xff" * (n - 1), b"\xff" * (n - 1) + b"\x7f"):
                add(g, "unpack", fmt, [b])


FLOAT_SPECIALS = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, math.inf, -math.inf, math.nan, -math.nan,
                  5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
                  1.7976931348623157e308, -1.7976931348623157e308, 1e-310, 0.1, 1 / 3,
                  3.4028234663852886e38, 3.4028235677973366e38, 3.4028235677973362e38,
                  1.1754943508222875e-38, 1.401298464324817e-45, 7.006492321624085e-46,
                  7.006492321624087e-46, 1e-46, 1e39, 65504.0, 65519.99, 65520.0, 65519.5, 65520.5,
                  70000.5, 6.103515625e-05, 6.097555160522461e-05, 5.960464477539063e-08,
                  2.9802322387695312e-08, 2.9802322387695315e-08, 1e-8, 1.00048828125,
                  1.0009765625, 1.00146484375, 1 + 2**-11 + 2**-40, 2049.0, 2051.0, 1e15 + 0.5,
                  16777217.0, 16777219.0, 2**53 + 2.0, 1e300, -1e300]
NAN_BITS = ["7ff0000000000001", "7ff4000000000000", "7ff8000000000000", "7ff8000000000001",
            "7ff80000deadbeef", "7fffffffffffffff", "fff0000000000001", "fff8000000000000",
            "fff8000000000123", "ffffffffffffffff", "7ff0000020000000", "7ff00000e0000000",
            "7ffc000000000000", "7ff0040000000000", "fff0080000000000"]


def floats():
    for p in PREFIXES:
        for c in "efd":
            g = f"float/{pname(p)}/{c}"
            fmt = p + c
            for x in FLOAT_SPECIALS:
                add(g, "pack", fmt, [F(x)])
            for h in NAN_BITS:
                add(g, "pack", fmt, [fromhex_d(h)])
            for v in [2**1023, 2**1024, -(2**1024), 10**400, 2**53 + 1, 2**64 + 1, As(7, "bigint"),
                      As(2**60 + 1, "number") if float(2**60 + 1) == 2**60 + 1 else 2**60 + 1,
                      As(2**64, "number"), True, False, None, "1.5", b"\x00", [], [1.5]]:
                add(g, "pack", fmt, [v])
            n = struct.calcsize(fmt)
            pats = {"e": ["0000", "8000", "0001", "8001", "03ff", "0400", "7bff", "7c00", "fc00",
                          "7c01", "7e00", "fe00", "7fff", "ffff", "3c00", "3555"],
                    "f": ["00000000", "80000000", "00000001", "007fffff", "00800000", "7f7fffff",
                          "7f800000", "ff800000", "7f800001", "7fc00000", "7fc00001", "ffc00000",
                          "7fbfffff", "ffffffff", "3f800000", "3eaaaaab"],
                    "d": ["0000000000000000", "8000000000000000", "0000000000000001",
                          "000fffffffffffff", "0010000000000000", "7fefffffffffffff",
                          "7ff0000000000000", "fff0000000000000", "3ff0000000000000"] + NAN_BITS}[c]
            for h in pats:
                b = bytes.fromhex(h)
                # the patterns are big-endian; feed them in the format's byte order
                if p in ("", "@", "=", "<"):
                    b = b[::-1]
                add(g, "unpack", fmt, [b])
            for _ in range(40):
                add(g + "/random", "pack", fmt, [rand_double(c)])
            for _ in range(30):
                add(g + "/random", "unpack", fmt, [rand_bytes(n)])


def truthiness():
    for p in PREFIXES:
        g = f"bool/{pname(p)}"
        for v in TRUTHY:
            add(g, "pack", p + "?", [v])
        add(g, "pack", p + "3?", [1, 0, 2**70])
        for b in (b"\x00", b"\x01", b"\x02", b"\xff", b"\x80"):
            add(g, "unpack", p + "?", [b])


def bytes_codes():
    for p in ["", "<", ">"]:
        g = f"bytes/{pname(p)}"
        for v in [b"a", b"", b"ab", b"\x00", "a", "", 97, As(97, "bigint"), True, None, 1.5, [b"a"], [97], bytearray(b"ab")]:
            add(g + "/c", "pack", p + "c", [v])
        add(g + "/c", "pack", p + "3c", [b"a", b"b", b"c"])
        add(g + "/c", "pack", p + "0c", [])
        for cnt in ["", "0", "1", "2", "5", "255", "256", "300"]:
            for ln in sorted({0, 1, 2, 5, 254, 255, 256, 300}):
                v = bytes((i * 7 + 1) % 256 for i in range(ln))
                for c in "sp":
                    if ln > 10 and cnt in ("", "0", "1", "2", "5") and ln not in (255, 256):
                        continue
                    add(f"{g}/{c}/{cnt or 'no-count'}/len{ln}", "pack", f"{p}{cnt}{c}", [v])
        for c in "sp":
            for v in ["a", "", 1, None, 1.5, True, [], [b"a"]]:
                add(f"{g}/{c}/wrong", "pack", p + "4" + c, [v])
            add(f"{g}/{c}/bytearray", "pack", p + "4" + c, [bytearray(b"xy")])
        for cnt in ["", "0", "1", "2", "4", "255", "256", "300"]:
            n = struct.calcsize(p + cnt + "p")
            for first in (0, 1, 3, 4, 5, 200, 255):
                b = bytes([first]) + bytes((65 + i) % 256 for i in range(n - 1)) if n else b""
                add(f"{g}/p-unpack/{cnt or 'no-count'}/{first}", "unpack", p + cnt + "p", [b[:n]])
                if not n:
                    break
            add(f"{g}/s-unpack/{cnt or 'no-count'}", "unpack", p + cnt + "s", [bytes(range(n)) if n <= 256 else bytes(n)])


def native_only():
    for p in PREFIXES:
        for c in NATIVE_ONLY:
            g = f"native-only/{pname(p)}/{c}"
            add(g, "calcsize", p + c)
            add(g, "Struct", p + "2" + c)
            add(g, "pack", p + c, [1])
            add(g, "unpack", p + c, [bytes(8)])
            add(g, "unpack", p + c, [b"\xff" * 8])
            add(g, "calcsize", p + "b" + c)


def item_counts():
    for fmt in ["", "i", "2i", "ih", "3s", "0s", "0i", "x", "5x", "p", "2sp", "?e", "<qQ", ">2c"]:
        vals = values_for(fmt)
        for k in range(0, len(vals) + 3):
            vs = (vals + [1, 2, 3])[:k]
            add(f"counts/{fmt!r}/{k}", "pack", fmt, vs)
            add(f"counts/{fmt!r}/{k}", "Struct.pack", fmt, vs)
            add(f"counts/{fmt!r}/{k}", "pack_into", fmt, [bytearray(b"\xaa" * (size(fmt) + 2)), 1] + vs)


def buffers():
    for fmt in ["", "i", "<i", "3s", "bi", "xxq", "<hhh", "x", "5x", "?"]:
        n = size(fmt)
        g = f"buffers/{fmt!r}"
        for ln in sorted({0, 1, n - 1, n, n + 1, 2 * n, 2 * n + 1} - {-1}):
            b = rand_bytes(ln)
            add(g, "unpack", fmt, [b])
            add(g, "iter_unpack", fmt, [b])
            add(g, "Struct.iter_unpack", fmt, [b])
            add(g, "Struct.unpack", fmt, [b])
            for off in sorted({0, 1, -1, n, -n, ln, -ln, ln + 1, -ln - 1, ln - n, 100, -100}):
                add(g, "unpack_from", fmt, [b, off])
                add(g, "Struct.unpack_from", fmt, [b, off])
                vals = values_for(fmt)
                add(g, "pack_into", fmt, [bytearray(b"\xaa" * ln), off] + vals)
                add(g, "Struct.pack_into", fmt, [bytearray(b"\x55" * ln), off] + vals)
            add(g, "unpack_from", fmt, [b])
            add(g, "Struct.unpack_from", fmt, [b])
        for bad in ["abcd", 1, None, [], [1, 2, 3, 4], True, 1.5]:
            add(g + "/type", "unpack", fmt, [bad])
            add(g + "/type", "unpack_from", fmt, [bad, 0])
            add(g + "/type", "iter_unpack", fmt, [bad])
            add(g + "/type", "pack_into", fmt, [bad, 0] + values_for(fmt))
            add(g + "/type", "Struct.unpack", fmt, [bad])
        for off in [None, 1.5, "0", b"\x00", [], True, False, As(0, "bigint"), As(2, "bigint"),
                    2**63, 2**64, -(2**63) - 1, 2**63 - 1, -(2**63), 2**100, As(2**63, "number"), 2**53 + 2]:
            add(g + "/offset", "unpack_from", fmt, [bytes(n + 4), off])
            add(g + "/offset", "pack_into", fmt, [bytearray(n + 4), off] + values_for(fmt))
            add(g + "/offset", "Struct.unpack_from", fmt, [bytes(n + 4), off])
            add(g + "/offset", "Struct.pack_into", fmt, [bytearray(n + 4), off] + values_for(fmt))
    # pack_into that fails on a later item leaves a partly written buffer
    for fmt, vals in [("bbii", [1, 2, 3, 2**40]), ("<hhs", [1, 2, "x"]), ("3?c", [1, 0, 1, b""]),
                      ("2ie", [5, 6, 65520.5]), ("<qQ", [-1, -1]), ("@bd", [7, "x"])]:
        add("partial", "pack_into", fmt, [bytearray(b"\xaa" * (size(fmt) + 4)), 2] + vals)
        add("partial", "Struct.pack_into", fmt, [bytearray(b"\xaa" * (size(fmt) + 4)), 0] + vals)


def calcsize_limits():
    fmts = ["9223372036854775807x", "9223372036854775808x", "9223372036854775807s",
            "9223372036854775806x1x", "9223372036854775807x1x", "4611686018427387903h",
            "4611686018427387904h", "2305843009213693951i", "2305843009213693952i",
            "1152921504606846975q", "1152921504606846976q", "1152921504606846976s",
            "99999999999999999999i", "9007199254740991x", "9007199254740992x",
            "9007199254740991x1x", "4503599627370495h", "4503599627370496h", "1125899906842623q",
            "1000000000000x", "1000000000000s", "1000000000000p", "1125899906842623d",
            "b1125899906842623q", "@b1125899906842622q", "<b1125899906842622q",
            "1152921504606846975q0q", "q1152921504606846975q", "2305843009213693951ib",
            "9223372036854775807", "18446744073709551616x", "2305843009213693951?2305843009213693951i",
            "1000000000000x1000000000000q"]
    for f in fmts:
        for p in ["", "<"]:
            g = f"calcsize-limits/{pname(p)}/{f}"
            add(g, "calcsize", p + f)
            add(g, "Struct", p + f)
            try:
                n = struct.calcsize(p + f)
            except struct.error:
                continue
            add(g, "unpack", p + f, [b"abc"])
            add(g, "unpack_from", p + f, [b"abc", 1])
            k = item_count(p + f)
            add(g, "pack_into", p + f, [bytearray(3), 0] + ([0] * k if k < 10 else []))
            add(g, "iter_unpack", p + f, [b""])
            add(g, "iter_unpack", p + f, [b"abc"])


def format_types():
    for fmt in [1, As(1, "bigint"), 0, -1, 2**70, None, [], ["i"], True, False, 1.5, math.nan]:
        g = f"fmt-type/{plain(fmt)!r}"
        add(g, "calcsize", fmt)
        add(g, "Struct", fmt)
        add(g, "pack", fmt, [1])
        add(g, "unpack", fmt, [b"\x00\x00\x00\x00"])
        add(g, "unpack_from", fmt, [b"\x00\x00\x00\x00", 0])
        add(g, "pack_into", fmt, [bytearray(4), 0, 1])
        add(g, "iter_unpack", fmt, [b"\x00\x00\x00\x00"])
    for fmt in ["i", b"i", b"<hq", b"", b" 3s ", b"\x80", b"\xff", b"\xe9i", b"i\x00", b"\x00",
                b"@P", b"<P"]:
        full_roundtrip(f"fmt-bytes/{fmt!r}", fmt)
        add(f"fmt-bytes/{fmt!r}", "Struct", fmt)


STRANGE_FORMATS = ["i\0i", "\0", "i\0", "\0i", "é", "ié", "éé", "iéh", "\u20ac", "i\u20ac\u20ac",
                   "\U0001F600", "i\U0001F600", "\U0001F600é", "\udcff", "i\udcffh", "\ud83d",
                   "é\0", "\0é", "<é", "2é", "\x7f", "\x80", "ÿ", "ı", "ǅ", "٣i", "３i", "\u2003i",
                   "\x1ci", "\x85i", "\xa0i", "<<i", "<@i", "i<", "i@", "!=i", "2<i", "3", "i3",
                   "<3", "-1i", "+1i", "1.5i", "0x10i", "i#", "$", "a", "z", "Z", "X", "C", "S",
                   "g", "u", "w", "O", "r", "T{i}", "(ii)", "i:", "1_0i", "\t3", "3 "]


def strange_formats():
    for f in STRANGE_FORMATS:
        g = f"fmt-strange/{f!r}"
        add(g, "calcsize", f)
        add(g, "Struct", f)
        add(g, "pack", f, [1])
        add(g, "unpack", f, [b"\x00" * 4])
        add(g, "unpack_from", f, [b"\x00" * 4, 0])
        add(g, "pack_into", f, [bytearray(4), 0, 1])
        add(g, "iter_unpack", f, [b"\x00" * 4])
        try:
            bf = f.encode("utf-8", "surrogatepass")
        except UnicodeEncodeError:
            continue
        add(g + "/bytes", "calcsize", bf)
        add(g + "/bytes", "Struct", bf)
        add(g + "/bytes", "unpack", bf, [b"\x00" * 4])


def arity():
    g = "arity"
    add(g, "pack", "")
    add(g, "unpack", "i")
    add(g, "unpack", "i", [b"\x00" * 4, 0])
    add(g, "unpack_from", "i")
    add(g, "unpack_from", "i", [b"\x00" * 4, 0, 1])
    add(g, "iter_unpack", "i")
    add(g, "iter_unpack", "i", [b"\x00" * 4, 0])
    add(g, "calcsize", "i")
    add(g, "pack_into", "i")
    add(g, "pack_into", "i", [bytearray(4)])
    add(g, "pack_into", "", [bytearray(4)])
    add(g, "pack_into", "i", [bytearray(4), 0])
    add(g, "pack_into", "", [bytearray(4), 0])
    add(g, "pack_into", "", [bytearray(4), 0, 1])
    add(g, "Struct.pack", "i")
    add(g, "Struct.pack", "")
    add(g, "Struct.unpack", "i")
    add(g, "Struct.unpack", "i", [b"\x00" * 4, 0])
    add(g, "Struct.unpack_from", "i")
    add(g, "Struct.unpack_from", "i", [b"\x00" * 4, 0, 1])
    add(g, "Struct.iter_unpack", "i")
    add(g, "Struct.iter_unpack", "i", [b"\x00" * 4, 0])
    add(g, "Struct.pack_into", "i")
    add(g, "Struct.pack_into", "i", [bytearray(4)])
    add(g, "Struct.pack_into", "", [bytearray(4)])


def random_valid(n):
    r = random.Random(SEED + 1)
    for k in range(n):
        fmt = rand_format(r)
        g = f"random/{k}"
        n_ = size(fmt)
        fmt_a = rep_fmt(fmt, r)
        vals = values_for(fmt, r)
        kind = r.random()
        if kind < 0.3:
            full_roundtrip(g, fmt_a, vals, r, extra_calls=r.random() < 0.3)
        elif kind < 0.5:
            ln = n_ + r.choice([0, 0, 1, 3, 8])
            off = r.choice([0, 1, -n_ if n_ else 0, r.randint(-ln - 2, ln + 2), ln - n_])
            call = r.choice(["pack_into", "Struct.pack_into"])
            add(g, call, fmt_a, [bytearray(rand_bytes(ln, r)), off] + vals)
        elif kind < 0.7:
            ln = n_ + r.choice([0, 0, 1, 3, 8, -1])
            ln = max(ln, 0)
            off = r.choice([0, 1, -n_, r.randint(-ln - 2, ln + 2), ln - n_])
            call = r.choice(["unpack_from", "Struct.unpack_from"])
            add(g, call, fmt_a, [rand_bytes(ln, r), off])
        elif kind < 0.85:
            k_ = r.choice([0, 1, 2, 3, 5])
            ln = n_ * k_ + (r.choice([1, 2]) if r.random() < 0.2 else 0)
            call = r.choice(["iter_unpack", "Struct.iter_unpack"])
            add(g, call, fmt_a, [rand_bytes(ln, r)])
        else:
            add(g, r.choice(["calcsize", "Struct"]), fmt_a)
            add(g, r.choice(["unpack", "Struct.unpack"]), fmt_a, [rand_bytes(n_, r)])


def random_invalid_formats(n):
    r = random.Random(SEED + 2)
    alphabet = CODES + "0123456789" * 2 + WS + "@=<>!" + "aAzZgG$#-\x00é{}()"
    for k in range(n):
        f = "".join(r.choice(alphabet) for _ in range(r.randint(1, 8)))
        if r.random() < 0.3:
            f = r.choice(["<", ">", "=", "!"]) + r.choice("nNP") + f  # native-only code in standard mode
        g = f"random-badfmt/{k}"
        add(g, "calcsize", f)
        call = r.choice(["pack", "unpack", "Struct", "iter_unpack", "unpack_from", "pack_into"])
        if call == "pack":
            add(g, call, f, [r.choice([0, 1, b"a", 1.5])])
        elif call == "pack_into":
            add(g, call, f, [bytearray(8), 0, 1])
        elif call == "Struct":
            add(g, call, f)
        elif call == "unpack_from":
            add(g, call, f, [bytes(8), 0])
        else:
            add(g, call, f, [bytes(8)])


def random_wrong_values(n):
    r = random.Random(SEED + 3)
    done = 0
    while done < n:
        fmt = rand_format(r, max_items=4, max_count=4)
        vals = values_for(fmt, r)
        g = f"random-badval/{done}"
        k = r.random()
        if vals and k < 0.7:
            i = r.randrange(len(vals))
            vals[i] = r.choice(WRONG)
        elif k < 0.85:
            vals = vals[:-1] if vals and r.random() < 0.5 else vals + [r.choice(WRONG)]
        else:
            vals = [r.choice(WRONG) for _ in vals]
        call = r.choice(["pack", "pack", "Struct.pack", "pack_into"])
        if call == "pack_into":
            add(g, call, fmt, [bytearray(size(fmt) + 2), r.choice([0, 1, 2])] + vals)
        else:
            add(g, call, fmt, vals)
        done += 1


def hardening():
    """Issue 9: the calls that once broke the core, and the last differences found."""
    # Item counts far beyond any argument list: the count is checked before anything is
    # allocated (pack expected N items), as CPython's s_pack does.
    for fmt in ["1000000000B", "200000000i", "<1000000000q", "999999999s999999999B", "100000000d"]:
        g = f"hardening/huge/{fmt}"
        add(g, "pack", fmt)
        add(g, "pack", fmt, [1, 2])
        add(g, "Struct.pack", fmt, [])
        add(g, "pack_into", fmt, [bytearray(8), 0])
        add(g, "unpack", fmt, [b"abc"])
        add(g, "unpack_from", fmt, [b"abc", 0])
        add(g, "iter_unpack", fmt, [b"abc"])
        add(g, "calcsize", fmt)
    # A '0p' at the very end writes its length byte just past the struct: pack_into leaves
    # it in the buffer when the buffer goes on.
    for fmt in ["0p", "i0p", "<h0p", "2s0p", "0p0p", "0pB", ">0p", "3x0p"]:
        n = size(fmt)
        g = f"hardening/0p/{fmt}"
        for ln in sorted({n, n + 1, n + 3}):
            for off in sorted({0, 1, ln - n, -n - 1 if n + 1 <= ln else 0}):
                vals = [b"\x01\x02"] * item_count(fmt) if "B" not in fmt else [b"\x01", 7]
                add(g, "pack_into", fmt, [bytearray(b"\x77" * ln), off] + vals)
                add(g, "Struct.pack_into", fmt, [bytearray(b"\x33" * ln), off] + vals)
    # -0 is Python's -0.0: a float offset is refused.
    for fmt in ["i", "<h", ""]:
        g = f"hardening/neg-zero/{fmt}"
        add(g, "unpack_from", fmt, [bytes(8), -0.0])
        add(g, "Struct.unpack_from", fmt, [bytes(8), -0.0])
        add(g, "pack_into", fmt, [bytearray(8), -0.0] + values_for(fmt))
        add(g, "Struct.pack_into", fmt, [bytearray(8), -0.0] + values_for(fmt))
    # Truthiness of JS objects as the Python values they stand for: {} is an empty dict.
    for v in [{}, {"a": 1}, {"": None}, [], [None]]:
        add(f"hardening/truth/{v!r}", "pack", "?", [v])
        add(f"hardening/truth/{v!r}", "pack", "<2?", [v, v])
    # Long bytes values: only what the item takes is read.
    for fmt, v in [("3s", bytes(100000)), ("0s", b"x" * 5000), ("4p", bytes(70000)), ("c", b"ab"),
                   ("c", bytes(5000)), ("<2s0p", b"y" * 300), ("300p", b"z" * 400), ("1s", b"")]:
        g = f"hardening/long-bytes/{fmt}"
        vals = [v] * item_count(fmt)
        add(g, "pack", fmt, vals)
        add(g, "pack_into", fmt, [bytearray(size(fmt) + 2), 1] + vals)


def main():
    grid()
    alignment()
    whitespace()
    boundaries()
    floats()
    truthiness()
    bytes_codes()
    native_only()
    item_counts()
    buffers()
    calcsize_limits()
    format_types()
    strange_formats()
    arity()
    random_valid(1200)
    random_invalid_formats(400)
    random_wrong_values(600)
    hardening()

    by_call, by_kind, messages = {}, {"ok": 0, "raises": 0}, {}
    for c in CASES:
        by_call[c["call"]] = by_call.get(c["call"], 0) + 1
        if "ok" in c["result"]:
            by_kind["ok"] += 1
        else:
            by_kind["raises"] += 1
            key = f'{c["result"]["raises"]["type"]}: {c["result"]["raises"]["message"]}'
            messages[key] = messages.get(key, 0) + 1
    header = {
        "generator": "scripts/gen_struct.py",
        "python": T.PYTHON,
        "machine": T.MACHINE,
        "byteorder": sys.byteorder,
        "seed": SEED,
        "counts": {"cases": len(CASES), "by_call": by_call, "by_result": by_kind},
        "skipped": SKIPPED,
    }
    lines = ["{"]
    for k, v in header.items():
        lines.append(f"{json.dumps(k)}: {json.dumps(v, sort_keys=True)},")
    lines.append('"cases": [')
    lines.append(",\n".join(json.dumps(c, ensure_ascii=True) for c in CASES))
    lines.append("]}")
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {OUT}: {len(CASES)} cases, {by_kind}", file=sys.stderr)
    print(json.dumps(by_call, sort_keys=True), file=sys.stderr)
    print(json.dumps(SKIPPED), file=sys.stderr)
    if "--messages" in sys.argv:
        for m, n in sorted(messages.items()):
            print(f"{n:6d}  {m}")


if __name__ == "__main__":
    main()
