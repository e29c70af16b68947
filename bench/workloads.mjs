// wasock side of the benchmarks; each workload mirrors bench/cpython.py line for line.
import * as w from '../dist/src/index.js';

export const WORKLOADS = {
  getsockopt_int: { label: 'getsockopt int (SOL_SOCKET, SO_RCVBUF)', n: 400_000 },
  getsockopt_buf: { label: 'getsockopt buffer (SO_LINGER, 8)', n: 400_000 },
  setsockopt_int: { label: 'setsockopt int (TCP_NODELAY, 1)', n: 400_000 },
  create_close: { label: 'socket() + close()', n: 100_000 },
};

export function setup(name) {
  if (name === 'create_close') {
    return { run(n) { for (let i = 0; i < n; i++) new w.socket().close(); }, close() {} };
  }
  const s = new w.socket();
  s.bind(['127.0.0.1', 0]);
  s.listen();
  const c = w.create_connection(s.getsockname());
  const [a] = s.accept();
  const close = () => { a.close(); c.close(); s.close(); };
  switch (name) {
    case 'getsockopt_int':
      return { run(n) { for (let i = 0; i < n; i++) c.getsockopt(1, 8); }, close };
    case 'getsockopt_buf':
      return { run(n) { for (let i = 0; i < n; i++) c.getsockopt(1, 13, 8); }, close };
    case 'setsockopt_int':
      return { run(n) { for (let i = 0; i < n; i++) c.setsockopt(6, 1, 1); }, close };
  }
  throw new Error(`unknown workload ${name}`);
}
