/*
 * An echo server for WASI preview 1, written as any C program for wasi-libc would be: it
 * knows nothing of wasock. The listening socket is fd 3, pre-opened by whoever runs it
 * (wasmtime --tcplisten, or wasock's p1 socket functions in @wasmer/wasi). For each of
 * argv[1] connections (default 1) it waits with poll(), accepts, echoes until the peer shuts
 * down its side, and closes; then prints how many bytes it echoed.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int conns = argc > 1 ? atoi(argv[1]) : 1;
  long total = 0;
  for (int i = 0; i < conns; i++) {
    struct pollfd p = { .fd = 3, .events = POLLIN };
    if (poll(&p, 1, -1) != 1 || !(p.revents & POLLIN)) {
      fprintf(stderr, "poll: %s (revents %d)\n", strerror(errno), p.revents);
      return 1;
    }
    int c = accept(3, NULL, NULL);
    if (c < 0) { fprintf(stderr, "accept: %s\n", strerror(errno)); return 2; }
    char buf[4096];
    for (;;) {
      ssize_t n = recv(c, buf, sizeof buf, 0);
      if (n < 0) { fprintf(stderr, "recv: %s\n", strerror(errno)); return 3; }
      if (n == 0) break;
      for (ssize_t off = 0; off < n;) {
        ssize_t w = send(c, buf + off, (size_t)(n - off), 0);
        if (w < 0) { fprintf(stderr, "send: %s\n", strerror(errno)); return 4; }
        off += w;
      }
      total += n;
    }
    if (close(c) != 0) { fprintf(stderr, "close: %s\n", strerror(errno)); return 5; }
  }
  printf("echoed %ld bytes on %d connection(s)\n", total, conns);
  return 0;
}
