"""Peer for the write benchmarks: connects to 127.0.0.1:PORT, counts the bytes that arrive
until EOF, answers with the count (ASCII digits) and closes; then connects again, once per
benchmark run, until the connection is refused (the benchmark closed its listener).
`python3 bench/reader.py PORT`"""
import socket
import sys

port = int(sys.argv[1])
buf = bytearray(1 << 20)
while True:
    try:
        s = socket.create_connection(("127.0.0.1", port))
    except ConnectionRefusedError:
        break
    n = 0
    try:
        while True:
            k = s.recv_into(buf)
            if k == 0:
                break
            n += k
    except ConnectionResetError:
        break           # the listener closed with this connection still in its backlog
    s.sendall(str(n).encode())
    s.close()
