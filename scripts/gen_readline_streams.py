#!/usr/bin/env python3
"""Record CPython's results for scripted reads through socket.makefile() on a real socket:
readline() with and without limits, read(n), read(), read1(n), peek(n), readlines(hint) and
iteration, in binary ('rb') and text ('r') mode, over payloads chosen to stress a buffered
reader and an incremental decoder (lines longer than any buffer, CR/CRLF at chunk edges,
multibyte UTF-8 split across reads, invalid UTF-8 everywhere).

Run from anywhere: `python3 scripts/gen_readline_streams.py`. Writes
test/fixtures/readline-streams.json, replayed by test/readline-streams.test.ts. Seeded: the
same interpreter writes the same file.

Why the results are deterministic: each case sends its whole payload through an AF_UNIX
socketpair and shuts the sending side down (SHUT_WR) before the reader is made. The kernel
then holds all of it plus EOF, and an AF_UNIX stream recv(n) returns min(n, available) (it
glues queued skbs from the same writer), so the sequence of raw read sizes depends only on
the reader's own requests; peek() and read1() results, and where the text decoder's chunks
end, are the same in CPython and in the replay.

Schema: see test/fixtures/README.md, "Readline-stream fixtures".
"""

import base64
import io
import json
import os
import random
import re
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optiontable as T  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = "scripts/gen_readline_streams.py"
OUT = "test/fixtures/readline-streams.json"
SEED = 20240611

# The whole payload must fit in the socketpair's buffers before anyone reads (about 200 KB
# on Linux with default wmem); the generator checks every send with a timeout.
MAX_PAYLOAD = 110_000
CHUNK = 8192                      # TextIOWrapper's _CHUNK_SIZE and DEFAULT_BUFFER_SIZE

assert io.DEFAULT_BUFFER_SIZE == CHUNK

R = random.Random(SEED)

ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_=+!?'\"()[]{}<>/\\|@#$%^&*~`\t"
MULTI = ["é", "ß", "Ω", "ж", "\u07ff", "€", "あ", "中", "\ufeff", "\uffff", "\u0800", "😀", "𝄞",
         "\U00010000", "\U0010ffff", "\u2028", "\x85", "\u00a0"]
# Invalid UTF-8 (CPython's reason varies by kind, so each kind is here).
BAD = [b"\x80", b"\xbf", b"\xc0", b"\xc1", b"\xc0\xaf", b"\xf5", b"\xf8\x88\x80\x80", b"\xff", b"\xfe",
       b"\xe2\x82", b"\xe2", b"\xf0\x9f\x98", b"\xf0\x9f", b"\xc3",   # truncated
       b"\xed\xa0\x80", b"\xed\xbf\xbf",                            # surrogates
       b"\xe0\x80\xaf", b"\xf0\x80\x80\xaf", b"\xf4\x90\x80\x80",    # overlong, > U+10FFFF
       b"\xe0\x9f\xbf", b"\xc2\x41", b"\xe2\x28\xa1"]


def ascii_text(n):
    return "".join(R.choice(ASCII) for _ in range(n))


def mixed_text(n):
    """n characters, about a third multibyte (2, 3 and 4 UTF-8 bytes)."""
    return "".join(R.choice(MULTI) if R.random() < 0.33 else R.choice(ASCII) for _ in range(n))


def rand_len():
    """A line length in 0..20000, mostly short (lines of every size class)."""
    r = R.random()
    if r < 0.1:
        return 0
    if r < 0.5:
        return R.randint(1, 120)
    if r < 0.85:
        return R.randint(121, 4000)
    return R.randint(4001, 20000)


def fill_lines(target, make_line, eol=lambda: b"\n"):
    out = bytearray()
    while len(out) < target:
        out += make_line() + eol()
    return bytes(out[:MAX_PAYLOAD])


def at_edges(data, pieces, edges):
    """Overwrites data so that each piece starts a few bytes before/at/after each edge."""
    b = bytearray(data)
    for e in edges:
        p = R.choice(pieces)
        start = e - R.randint(0, len(p))     # the piece straddles (or touches) the edge
        if start < 0 or start + len(p) > len(b):
            continue
        b[start:start + len(p)] = p
    return bytes(b)


def chunk_edges(n):
    edges = []
    for k in range(1, n // CHUNK + 1):
        edges.append(k * CHUNK)
    for size in (7, 100, 65536, 70000):
        for k in range(1, min(n // size, 40) + 1):
            edges.append(k * size)
    return sorted(set(e for e in edges if 0 < e < n))


# ------------------------------------------------------------------ payload kinds

def p_lines100():
    n = R.choice([1, 2, 50, 81, 82, 83, 163, 250])
    return b"".join(ascii_text(99).encode() + b"\n" for _ in range(n))


def p_randlen():
    target = R.choice([300, 5000, 12000, 100000 if R.random() < 0.15 else 20000])
    return fill_lines(target, lambda: ascii_text(rand_len()).encode())


def p_longline():
    """One line of 70-100 KB, maybe with short lines around it, maybe without its newline."""
    n = R.randint(70_000, 100_000)
    before = b"".join(ascii_text(R.randint(0, 300)).encode() + b"\n" for _ in range(R.randint(0, 3)))
    line = ascii_text(n).encode()
    tail = b"\n" if R.random() < 0.8 else b""
    after = b"short\n" if tail and R.random() < 0.5 else b""
    return (before + line + tail + after)[:MAX_PAYLOAD]


def p_cr():
    target = R.choice([200, 9000, 40000])
    return fill_lines(target, lambda: ascii_text(rand_len() // 4).encode(), lambda: b"\r")


def p_crmix():
    target = R.choice([500, 9000, 17000, 25000])
    data = fill_lines(target, lambda: ascii_text(R.randint(0, 300)).encode(),
                      lambda: R.choice([b"\n", b"\r", b"\r\n", b"\r\r\n", b"\n\r"]))
    # A CR as the last byte before most read edges, a LF (or another CR) right after it: the
    # newline decoder's pending-CR case.
    b = bytearray(data)
    for e in chunk_edges(len(data)):
        piece, k = R.choice([(b"\r\n", 1), (b"\r\n", 1), (b"\r\n", 1), (b"\rx", 1), (b"\r\r", 1),
                             (b"\r\r\n", 1), (b"\r\r\n", 2), (b"\n", 0), (b"\n", 1), (b"\r\n", 0)])
        if e - k + len(piece) <= len(b):
            b[e - k:e - k + len(piece)] = piece
    return bytes(b)


def p_crlfedge():
    """CRLF lines whose first 8192-byte read ends between a CR and its LF (or a CR and
    another CR, or a lone CR): the text layer must hold the CR back until it knows."""
    data = bytearray(fill_lines(R.choice([8300, 12000, 16500]), lambda: ascii_text(R.randint(0, 150)).encode(),
                                lambda: b"\r\n"))
    for e in chunk_edges(len(data)):
        if e % CHUNK == 0:
            piece = R.choice([b"\r\n", b"\r\n", b"\r\n", b"\r\r\n", b"\rx"])
            data[e - 1:e - 1 + len(piece)] = piece
    return bytes(data)


def p_utf8():
    """Valid UTF-8 lines; at every read edge a whole multibyte character starts 1..len-1
    bytes before it, so edges cut characters at every offset somewhere."""
    target = R.choice([100, 8300, 17000, 25000])
    pieces = [c.encode() for c in MULTI if len(c.encode()) > 1]
    edges = [e for e in chunk_edges(target + 200)]
    out = bytearray()
    line_left = rand_len() // 3
    while len(out) < target:
        nxt = next((e for e in edges if e > len(out)), None)
        if nxt is not None and nxt - len(out) <= 4:
            p = R.choice(pieces)
            k = R.randint(1, len(p) - 1)           # bytes of the piece before the edge
            while len(out) < nxt - k:
                out += b"x"
            if len(out) == nxt - k:
                out += p
                continue
        if line_left <= 0:
            out += R.choice([b"\n", b"\n", b"\r\n", b"\r"])
            line_left = rand_len() // 3
            continue
        out += mixed_text(1).encode()
        line_left -= 1
    out += b"\n"
    out = bytes(out)
    out.decode("utf-8")
    return out


def p_badutf8():
    target = R.choice([60, 3000, 8200, 17000, 25000])
    data = bytearray(fill_lines(target, lambda: mixed_text(R.randint(0, 200)).encode(),
                                lambda: R.choice([b"\n", b"\r\n"])))
    for _ in range(R.randint(1, 6)):
        at = R.randrange(len(data) + 1)
        data[at:at] = R.choice(BAD)
    return at_edges(bytes(data), BAD, chunk_edges(len(data)))[:MAX_PAYLOAD]


def p_badlate():
    """Valid text and one invalid sequence near the end (strict fails only there)."""
    n = R.choice([9000, 17000, 25000])
    data = fill_lines(n, lambda: mixed_text(R.randint(0, 120)).encode())
    at = len(data) - R.randint(1, 40)
    return data[:at] + R.choice(BAD) + data[at:]


def p_badratio():
    """Mostly multibyte text (2-4 bytes a character) with an invalid sequence in the second
    half: which read(n) meets it, and the position in its message, depend on the read sizes
    TextIOWrapper derives from the last chunk's bytes-per-character ratio."""
    n = R.choice([12000, 20000, 30000])
    data = fill_lines(n, lambda: "".join(R.choice(MULTI) for _ in range(R.randint(0, 80))).encode())
    at = R.randint(len(data) // 2, len(data) - 1)
    while at < len(data) and 0x80 <= data[at] < 0xc0:   # not inside a character
        at += 1
    return data[:at] + R.choice(BAD) + data[at:]


def p_badedge():
    """Text whose first 8192-byte read ends inside an invalid sequence that starts like a
    valid one (E0 80 | AF, ED A0 | 80, F4 90 | 80 80, E2 82 | 41 ...): the decoder must report
    it in that read (as CPython does), not carry it over as an incomplete character."""
    data = bytearray(fill_lines(R.choice([8300, 12000, 17000]), lambda: mixed_text(R.randint(0, 100)).encode()))
    edge = CHUNK * R.choice([1, 1, 2]) if len(data) > 2 * CHUNK + 8 else CHUNK
    piece = R.choice([b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xf0\x80\x80\xaf",
                      b"\xe2\x82\x41", b"\xe2\x28\xa1", b"\xf0\x9f\x98\x41", b"\xc3\x41", b"\xe0\x9f\xbf",
                      b"\xf0\x9f\x98\x80", b"\xe2\x82\xac"])     # the last two: valid, split
    k = R.randint(1, len(piece) - 1)
    start = edge - k
    # the bytes before must end on a character boundary (else an earlier error wins)
    while start > 0 and 0x80 <= data[start] < 0xc0:
        data[start] = 0x2e
    data[start:start + len(piece)] = piece
    return bytes(data)


def p_binary():
    n = R.choice([0, 1, 10, 1000, 9000, 20000, 100000 if R.random() < 0.3 else 70000])
    b = bytearray(R.getrandbits(8) for _ in range(n))
    for _ in range(n // 50):                     # more newlines than chance gives
        b[R.randrange(n)] = 10
    return bytes(b)


def p_latin():
    target = R.choice([100, 9000, 30000])
    return fill_lines(target, lambda: bytes(R.choice([R.randint(32, 126), R.randint(128, 255)]) for _ in range(rand_len() // 5)))


def p_noeol():
    return ascii_text(R.choice([1, 99, 8191, 8192, 8193, 20000])).encode()


def p_empty():
    return b""


def p_newlines_only():
    return bytes(R.choice(b"\n\r") for _ in range(R.choice([1, 2, 100, 9000])))


KINDS = {
    # kind: (payload maker, number of cases, text encodings that make sense)
    "lines100": (p_lines100, 16, ["utf-8", "latin-1", "ascii"]),
    "randlen": (p_randlen, 24, ["utf-8", "latin-1", "ascii"]),
    "longline": (p_longline, 11, ["utf-8", "latin-1"]),
    "cr": (p_cr, 18, ["utf-8", "latin-1"]),
    "crmix": (p_crmix, 20, ["utf-8", "latin-1"]),
    "crlfedge": (p_crlfedge, 20, ["utf-8", "latin-1"]),
    "utf8": (p_utf8, 20, ["utf-8", "utf-8", "utf-8", "latin-1", "ascii"]),
    "badutf8": (p_badutf8, 36, ["utf-8", "utf-8", "utf-8", "ascii"]),
    "badlate": (p_badlate, 14, ["utf-8", "ascii"]),
    "badratio": (p_badratio, 16, ["utf-8"]),
    "badedge": (p_badedge, 24, ["utf-8"]),
    "binary": (p_binary, 20, ["latin-1", "utf-8"]),
    "latin": (p_latin, 14, ["latin-1", "ascii", "utf-8"]),
    "noeol": (p_noeol, 10, ["utf-8"]),
    "empty": (p_empty, 8, ["utf-8", "ascii"]),
    "newlines": (p_newlines_only, 10, ["utf-8"]),
}

ERRORS = ["strict", "strict", "replace", "ignore", "backslashreplace", "surrogateescape"]
NEWLINES = [None, "", "\n", "\r", "\r\n"]
BUFFERINGS = [None, None, 1, 7, 100, 8192, 70000]


# ------------------------------------------------------------------ scripts

def limit_arg(binary):
    if binary and R.random() < 0.05:
        return None                 # binary readline(None) reads a whole line; text: TypeError
    return R.choice([0, -1, 1, 2, R.randint(1, 150), R.randint(100, 9000),
                     R.randint(9000, 30000), 65536, 70000, 100000, -7])


def size_arg():
    return R.choice([0, 1, 3, R.randint(1, 200), R.randint(200, 9000), 8192, 8193,
                     R.randint(9000, 40000), 70000, 120000])


def pick_op(binary, raw):
    r = R.random()
    if r < 0.45:
        return ("readline", [] if R.random() < 0.5 else [limit_arg(binary)])
    if r < 0.65:
        a = R.random()
        if a < 0.08:
            return ("read", [])
        if a < 0.1:
            return ("read", [R.choice([-1, None])])
        if a < 0.11:
            return ("read", [-2])                 # ValueError (binary); text: all, as -1
        return ("read", [size_arg()])
    if binary and not raw and r < 0.75:
        return ("read1", R.choice([[], [-1], [size_arg()], [size_arg()]]))
    if binary and not raw and r < 0.85:
        return ("peek", R.choice([[], [0], [size_arg()]]))
    if r < 0.92:
        return ("readlines", R.choice([[], [R.choice([0, -1, None, 1, R.randint(1, 500), R.randint(500, 20000)])]]))
    if R.random() < 0.02:
        # TypeError paths (raw SocketIO has no peek; its readline takes None)
        return ("readline", [None]) if not binary or raw else ("peek", [None])
    return ("iter", [R.choice([1, 2, 5, 20])])


def make_script(binary, raw, payload_len):
    ops = []
    style = R.random()
    if style < 0.3:                               # readline only, many times
        for _ in range(R.randint(1, 400 if payload_len < 60000 else 150)):
            ops.append(("readline", [] if R.random() < 0.8 else [limit_arg(binary)]))
    else:
        for _ in range(R.randint(1, 40)):
            ops.append(pick_op(binary, raw))
    r = R.random()
    if r < 0.35:
        ops.append(("iter", [None]))               # list(f): every remaining line
    elif r < 0.6:
        ops.append(("read", []))
    elif r < 0.8:
        ops.append(("readlines", []))
    if R.random() < 0.5:                          # and after EOF
        ops.append(R.choice([("readline", []), ("read", []), ("read", [5]), ("iter", [None]),
                             ("readlines", [])] + ([("peek", [1]), ("read1", [3])] if binary and not raw else [])))
    return ops


def run_op(f, name, args):
    if name == "iter":
        out = []
        for line in f:
            out.append(line)
            if args[0] is not None and len(out) >= args[0]:
                break
        return out
    return getattr(f, name)(*args)


def check_text(s):
    # Python strs from these decoders never hold a lone high surrogate, so the JSON (UTF-16)
    # form of every result is unambiguous: a low surrogate never pairs with a preceding one.
    assert isinstance(s, str)
    assert not re.search("[\ud800-\udbff]", s), repr(s)


def run_case(payload, mode, buffering, enc, errors, newline, ops):
    sock, peer = socket.socketpair()
    try:
        peer.settimeout(2.0)        # a full buffer would be a generator bug, not a hang
        peer.sendall(payload)
        peer.shutdown(socket.SHUT_WR)
        if mode == "rb":
            f = sock.makefile(mode, buffering)
        else:
            f = sock.makefile(mode, buffering, encoding=enc, errors=errors, newline=newline)
        binary = mode == "rb"
        off = 0
        steps = []
        for name, args in ops:
            step = {"op": name, "args": args}
            steps.append(step)
            try:
                v = run_op(f, name, args)
            except Exception as e:   # noqa: BLE001 -- every exception is a result
                step["raises"] = {"type": type(e).__name__, "message": str(e)}
                break
            if binary:
                vals = v if isinstance(v, list) else [v]
                for b in vals:
                    assert isinstance(b, bytes), (name, type(b))
                    # every binary result is the payload's next bytes (peek: without consuming)
                    assert b == payload[off:off + len(b)], (name, args, off)
                    if name != "peek":
                        off += len(b)
                step["ok"] = [len(b) for b in v] if isinstance(v, list) else len(v)
            else:
                for s in (v if isinstance(v, list) else [v]):
                    check_text(s)
                step["ok"] = v
        f.close()
        return steps
    finally:
        sock.close()
        peer.close()


def main():
    cases = []
    for kind, (maker, count, encodings) in KINDS.items():
        for i in range(count):
            payload = maker()
            assert len(payload) <= MAX_PAYLOAD, (kind, len(payload))
            r = R.random()
            # text results are stored whole (binary ones as lengths): big payloads lean binary
            binary = r < (0.4 if len(payload) < 60000 else 0.7)
            if kind == "binary" and not binary:
                payload = payload[:16000]
            mode = "rb" if binary else "r"
            buffering = R.choice(BUFFERINGS)
            if binary and len(payload) <= 12000 and R.random() < 0.12:
                buffering = 0                    # the raw SocketIO itself
            enc = R.choice(encodings) if not binary else None
            errors = R.choice(ERRORS) if not binary else None
            newline = R.choice(NEWLINES) if not binary else None
            if kind == "crlfedge":            # every newline mode, readline scripts
                binary, mode, buffering = False, "r", R.choice(BUFFERINGS)
                enc, errors, newline = R.choice(encodings), R.choice(ERRORS), NEWLINES[i % len(NEWLINES)]
                ops = [("readline", [] if R.random() < 0.9 else [limit_arg(False)]) for _ in range(R.randint(40, 300))]
                ops += R.choice([[], [("read", [])], [("iter", [None])]])
            elif kind == "badedge":
                binary, mode, buffering = False, "r", R.choice(BUFFERINGS)
                errors = R.choice(["strict", "strict", "strict", "replace", "backslashreplace", "surrogateescape"])
                enc, newline = "utf-8", R.choice(NEWLINES)
                ops = make_script(False, False, len(payload))
            elif kind == "badratio":
                binary, mode, buffering = False, "r", R.choice(BUFFERINGS)
                errors = R.choice(["strict", "strict", "strict", "replace", "surrogateescape"])
                enc, newline = "utf-8", R.choice(NEWLINES)
                ops = [("read", [R.choice([R.randint(1, 3000), R.randint(3000, 9000), R.randint(9000, 30000)])])
                       for _ in range(R.randint(1, 30))] + [("read", [])]
            else:
                ops = make_script(binary, buffering == 0, len(payload))
            steps = run_case(payload, mode, buffering, enc, errors, newline, ops)
            case = {"id": f"{len(cases):03d} {kind} {mode} buffering={buffering}"
                          + ("" if binary else f" {enc} {errors} newline={newline!r}"),
                    "kind": kind, "payload": base64.b64encode(payload).decode(),
                    "mode": mode, "buffering": buffering}
            if not binary:
                case.update(encoding=enc, errors=errors, newline=newline)
            case["steps"] = steps
            cases.append(case)
    fixture = {"generator": GENERATOR, "python": T.PYTHON, "kernel": T.KERNEL, "seed": SEED,
               "cases": cases}
    # Lone surrogates (surrogateescape) cannot be written as UTF-8: backslashreplace turns each
    # into the JSON escape \udcXX, and it can only occur inside a JSON string.
    text = json.dumps(fixture, ensure_ascii=False, separators=(",", ":"))
    data = text.encode("utf-8", "backslashreplace")
    assert json.loads(data) == fixture, "the fixture does not round-trip"
    with open(os.path.join(ROOT, OUT), "wb") as fh:
        fh.write(data + b"\n")
    n_ops = sum(len(c["steps"]) for c in cases)
    n_raise = sum(1 for c in cases if "raises" in c["steps"][-1])
    print(f"{OUT}: {len(cases)} cases, {n_ops} ops, {n_raise} end in an exception, {len(data)} bytes")


if __name__ == "__main__":
    main()
