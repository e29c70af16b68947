"""CPython on the real kernel: the references for bench/emulated.mjs. Prints JSON [rate]."""
import socket, sys, time

def pair():
    l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(64)
    c = socket.create_connection(l.getsockname()); a, _ = l.accept()
    return l, c, a

def main():
    name, n = sys.argv[1], int(sys.argv[2])
    if name == "getsockopt_int":
        s = socket.socket()
        g = s.getsockopt
        t = time.perf_counter()
        for _ in range(n): g(socket.SOL_SOCKET, socket.SO_RCVBUF)
        dt = time.perf_counter() - t; s.close()
        print([n / dt]); return
    if name == "stream_64k":
        l, c, a = pair()
        block = bytes(65536); buf = bytearray(65536); view = memoryview(buf)
        t = time.perf_counter()
        for _ in range(n):
            c.sendall(block)
            got = 0
            while got < 65536: got += a.recv_into(view[got:])
        dt = time.perf_counter() - t
        for s in (l, c, a): s.close()
        print([n * 65536 / dt]); return
    if name == "connect_accept_close":
        l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        l.bind(("127.0.0.1", 0)); l.listen(128); addr = l.getsockname()
        t = time.perf_counter()
        for _ in range(n):
            c = socket.socket(); c.connect(addr); a, _ = l.accept(); a.close(); c.close()
        dt = time.perf_counter() - t; l.close()
        print([n / dt]); return
    if name == "concurrent":
        l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(4096); addr = l.getsockname()
        t = time.perf_counter()
        conns = []
        for i in range(n):
            c = socket.socket(); c.connect(addr); a, _ = l.accept(); conns.append((c, a))
        for c, a in conns: c.close(); a.close()
        dt = time.perf_counter() - t; l.close()
        print([dt]); return
    raise SystemExit("unknown workload " + name)

main()
