"""CPython side of the benchmarks: `python3 bench/cpython.py WORKLOAD N ROUNDS` prints one
JSON list of calls/s, one figure per round. Workloads mirror bench/workloads.mjs exactly."""
import json
import socket
import sys
import time


def setup(name):
    if name in ("getsockopt_int", "getsockopt_buf", "setsockopt_int"):
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
        else:
            st = c.setsockopt
            def run(n):
                for _ in range(n):
                    st(6, 1, 1)                # IPPROTO_TCP, TCP_NODELAY, 1
        return run, keep
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
    run(max(1, n // 10))                      # warm-up
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        run(n)
        out.append(n / (time.perf_counter() - t))
    print(json.dumps(out))


main()
