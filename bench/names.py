"""CPython's side of bench/names.mjs: calls per second of each name workload, one JSON line."""
import json
import socket
import sys
import time

N = int(sys.argv[1])
WORKLOADS = {
    "getaddrinfo numeric": lambda: socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM),
    "getaddrinfo localhost": lambda: socket.getaddrinfo("localhost", 80, socket.AF_INET, socket.SOCK_STREAM),
    "getservbyname": lambda: socket.getservbyname("http", "tcp"),
    "getnameinfo numeric": lambda: socket.getnameinfo(("127.0.0.1", 80), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV),
}
out = {}
for name, f in WORKLOADS.items():
    n = N // 10 if "localhost" in name or "servbyname" in name else N
    for _ in range(n // 10):
        f()
    t = time.perf_counter()
    for _ in range(n):
        f()
    out[name] = n / (time.perf_counter() - t)
print(json.dumps(out))
