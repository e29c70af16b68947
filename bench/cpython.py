"""CPython side of the benchmarks: `python3 bench/cpython.py WORKLOAD N ROUNDS` prints one
JSON list of calls/s, one figure per round. Workloads mirror bench/workloads.mjs exactly."""
import json
import socket
import sys
import time


TCP_INFO = "=8B24I4Q6I4Q2I2Q6I2H8I2H"   # struct tcp_info, Linux 6.x (280 bytes)


def tcp_info_bytes():
    """280 bytes of TCP_INFO from a live loopback connection."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    c = socket.create_connection(s.getsockname())
    a, _ = s.accept()
    c.sendall(b"x" * 1000)
    a.recv(1000)
    buf = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 280)
    for x in (a, c, s):
        x.close()
    return buf


def setup(name):
    if name in ("getsockopt_int", "getsockopt_buf", "setsockopt_int", "fcntl_getfl", "ioctl_fionread"):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen()
        c = socket.create_connection(s.getsockname())
        a, _ = s.accept()
        keep = (s, c, a)
        if name == "getsockopt_int":
            g = c.getsockopt
            def run(n):
                for _ in range(n):
                    g(1, 8)                    # SOL_SOCKET, SO_RCVBUF
        elif name == "getsockopt_buf":
            g = c.getsockopt
            def run(n):
                for _ in range(n):
                    g(1, 13, 8)                # SOL_SOCKET, SO_LINGER, 8
        elif name == "setsockopt_int":
            st = c.setsockopt
            def run(n):
                for _ in range(n):
                    st(6, 1, 1)                # IPPROTO_TCP, TCP_NODELAY, 1
        elif name == "fcntl_getfl":
            import fcntl
            f = fcntl.fcntl
            def run(n):
                for _ in range(n):
                    f(c, 3)                    # F_GETFL
        else:
            import fcntl
            io, buf = fcntl.ioctl, bytearray(4)
            def run(n):
                for _ in range(n):
                    io(c, 0x541B, buf)         # FIONREAD
        return run, keep
    if name.startswith("struct_"):
        import struct
        S = struct.Struct("ii")
        b = S.pack(1, 2)
        if name == "struct_Struct_unpack":
            u = S.unpack
            def run(n):
                for _ in range(n):
                    u(b)
        elif name == "struct_unpack":
            u = struct.unpack
            def run(n):
                for _ in range(n):
                    u("ii", b)
        elif name == "struct_pack":
            p = struct.pack
            def run(n):
                for _ in range(n):
                    p("ii", 1, 2)
        elif name == "struct_tcp_info":
            T = struct.Struct(TCP_INFO)
            buf = tcp_info_bytes()
            u = T.unpack
            def run(n):
                for _ in range(n):
                    u(buf)
        else:
            raise SystemExit(f"unknown workload {name}")
        return run, ()
    if name in ("gettimeout", "settimeout"):
        s = socket.socket()
        s.settimeout(1.5)
        if name == "gettimeout":
            g = s.gettimeout
            def run(n):
                for _ in range(n):
                    g()
        else:
            st = s.settimeout
            def run(n):
                for _ in range(n):
                    st(1.5)
        return run, (s,)
    if name == "accept_connect":
        l = socket.socket()
        l.bind(("127.0.0.1", 0))
        l.listen()
        addr = l.getsockname()
        sock = socket.socket
        def run(n):
            for _ in range(n):
                c = sock()
                c.connect(addr)
                a, _ = l.accept()
                a.close()
                c.close()
        return run, (l,)
    if name in ("readline_binary", "readline_text"):
        # The peer process starts and connects in prepare(), outside the timed region:
        # the figure is lines read per second, not process start-up.
        import subprocess, os
        here = os.path.dirname(os.path.abspath(__file__))
        state = {}
        def prepare(n):
            l = socket.socket()
            l.bind(("127.0.0.1", 0))
            l.listen()
            p = subprocess.Popen(["python3", os.path.join(here, "writer.py"), str(l.getsockname()[1]), str(n)])
            a, _ = l.accept()
            f = a.makefile("rb" if name == "readline_binary" else "r")
            state.update(l=l, p=p, a=a, f=f)
        def run(n):
            rl = state["f"].readline
            for _ in range(n):
                rl()
        def finish():
            state["f"].close(); state["a"].close(); state["l"].close(); state["p"].wait()
        run.prepare, run.finish = prepare, finish
        return run, ()
    if name in ("write_lines", "write_blocks"):
        # One reader process for all runs (bench/reader.py connects once per run), so process
        # start-up stays out of the timing; each run writes n items, flushes, and waits for the
        # reader's byte count.
        import subprocess, os
        here = os.path.dirname(os.path.abspath(__file__))
        l = socket.socket()
        l.bind(("127.0.0.1", 0))
        l.listen()
        p = subprocess.Popen(["python3", os.path.join(here, "reader.py"), str(l.getsockname()[1])])
        item = b"x" * 99 + b"\n" if name == "write_lines" else bytes(65536)
        def run(n):
            a, _ = l.accept()
            f = a.makefile("wb")
            w = f.write
            for _ in range(n):
                w(item)
            f.close()
            a.shutdown(socket.SHUT_WR)
            got = int(a.recv(64))
            if got != n * len(item):
                raise SystemExit(f"reader got {got} bytes, not {n * len(item)}")
            a.close()
        return run, (l, p)
    if name == "create_close":
        sock = socket.socket
        def run(n):
            for _ in range(n):
                sock().close()
        return run, ()
    raise SystemExit(f"unknown workload {name}")


def main():
    name, n, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    run, keep = setup(name)
    prepare = getattr(run, "prepare", lambda n: None)   # untimed set-up per run, if any
    finish = getattr(run, "finish", lambda: None)
    prepare(max(1, n // 10))
    run(max(1, n // 10))                      # warm-up
    finish()
    out = []
    for _ in range(rounds):
        prepare(n)
        t = time.perf_counter()
        run(n)
        out.append(n / (time.perf_counter() - t))
        finish()
    print(json.dumps(out))


main()
