"""CPython side of bench/msg.mjs: `python3 bench/msg.py N` prints the calls/s of N rounds of
sendmsg([4 bytes]) + recvmsg(4) over a unix socketpair, as JSON."""
import json
import socket
import sys
import time

n = int(sys.argv[1])
a, b = socket.socketpair()
data = [b'abcd']
for _ in range(n // 10):        # warm-up
    a.sendmsg(data)
    b.recvmsg(4)
t = time.perf_counter()
for _ in range(n):
    a.sendmsg(data)
    b.recvmsg(4)
print(json.dumps(n / (time.perf_counter() - t)))
