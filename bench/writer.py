"""Peer for the readline benchmarks: connects to 127.0.0.1:PORT and sends N lines of
100 bytes (99 + b'\\n'), then closes. `python3 bench/writer.py PORT N`"""
import socket
import sys

port, n = int(sys.argv[1]), int(sys.argv[2])
line = b"x" * 99 + b"\n"
block = line * 1000
s = socket.create_connection(("127.0.0.1", port))
full, rest = divmod(n, 1000)
for _ in range(full):
    s.sendall(block)
s.sendall(line * rest)
s.close()
