// wasock side of the benchmarks; each workload mirrors bench/cpython.py line for line.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import koffi from 'koffi';
import * as w from '../dist/src/index.js';

const pyStruct = createRequire(import.meta.url)('python-struct');
const TCP_INFO = '=8B24I4Q6I4Q2I2Q6I2H8I2H';   // struct tcp_info, Linux 6.x (280 bytes)

/** 280 bytes of TCP_INFO from a live loopback connection. */
function tcpInfoBytes() {
  const s = new w.socket();
  s.bind(['127.0.0.1', 0]);
  s.listen();
  const c = w.create_connection(s.getsockname());
  const [a] = s.accept();
  c.sendall(new Uint8Array(1000));
  a.recv(1000);
  const buf = c.getsockopt(w.IPPROTO_TCP, w.TCP_INFO, 280);
  a.close(); c.close(); s.close();
  return buf;
}

/**
 * wasock against a bare FFI call of the same function in the same process: what wasock
 * itself costs per call (the Wasm core, the host import, the argument checks). `wasock`
 * names the workload of setup() measured against setupKoffi()'s.
 */
export const KOFFI_WORKLOADS = {
  getsockopt_koffi: { label: 'getsockopt int vs bare koffi getsockopt', n: 200_000, wasock: 'getsockopt_int' },
};

/**
 * koffi's getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len) on the same kind of connected
 * socket, pointers computed once: the floor for wasock's sock.getsockopt(SOL_SOCKET, SO_RCVBUF).
 */
export function setupKoffi(name) {
  if (name !== 'getsockopt_koffi') throw new Error(`no koffi workload ${name}`);
  const lib = koffi.load('libc.so.6');
  const getsockopt = lib.func('int getsockopt(int, int, int, intptr_t, intptr_t)');
  const addressOf = lib.func('intptr_t memmove(void *, void *, size_t)');
  const area = new ArrayBuffer(16);     // storage off the V8 heap: never moves
  const base = Number(addressOf(new Uint8Array(area), null, 0));
  const i32 = new Int32Array(area);
  const s = new w.socket();
  s.bind(['127.0.0.1', 0]);
  s.listen();
  const c = w.create_connection(s.getsockname());
  const [a] = s.accept();
  const fd = c.fileno(), v = base, lp = base + 8;
  return {
    run(n) {
      for (let i = 0; i < n; i++) {
        i32[2] = 4;     // optlen in, as wasock's core stores it before each call
        if (getsockopt(fd, 1, 8, v, lp) < 0) throw new Error('getsockopt failed');
      }
    },
    close() { a.close(); c.close(); s.close(); },
  };
}

export const WORKLOADS = {
  getsockopt_int: { label: 'getsockopt int (SOL_SOCKET, SO_RCVBUF)', n: 400_000 },
  getsockopt_buf: { label: 'getsockopt buffer (SO_LINGER, 8)', n: 400_000 },
  setsockopt_int: { label: 'setsockopt int (TCP_NODELAY, 1)', n: 400_000 },
  create_close: { label: 'socket() + close()', n: 100_000 },
  gettimeout: { label: 'gettimeout()', n: 5_000_000 },
  settimeout: { label: 'settimeout(1.5)', n: 1_000_000 },
  accept_connect: { label: 'connect + accept + close both', n: 20_000 },
  readline_binary: { label: "makefile('rb').readline() (100-byte lines)", n: 1_000_000 },
  readline_text: { label: "makefile('r').readline() (utf-8)", n: 1_000_000 },
  fcntl_getfl: { label: 'fcntl(sock, F_GETFL)', n: 400_000 },
  ioctl_fionread: { label: 'ioctl(sock, FIONREAD, 4-byte buffer)', n: 400_000 },
  write_lines: { label: "makefile('wb').write() 100-byte lines", n: 1_000_000 },
  write_blocks: { label: "makefile('wb').write() 64 KiB blocks", n: 4_000 },
  struct_Struct_unpack: { label: "Struct('ii').unpack(b)", n: 2_000_000, peer: 'python-struct' },
  struct_unpack: { label: "struct.unpack('ii', b)", n: 2_000_000, peer: 'python-struct' },
  struct_pack: { label: "struct.pack('ii', 1, 2)", n: 2_000_000, peer: 'python-struct' },
  struct_tcp_info: { label: 'unpack a 280-byte tcp_info', n: 500_000, peer: 'python-struct' },
};

/** The same workload with the npm package python-struct, for comparison. */
export function setupPeer(name) {
  const b = Buffer.from([1, 0, 0, 0, 2, 0, 0, 0]);
  switch (name) {
    case 'struct_Struct_unpack':
    case 'struct_unpack':
      return { run(n) { for (let i = 0; i < n; i++) pyStruct.unpack('ii', b); }, close() {} };
    case 'struct_pack':
      return { run(n) { for (let i = 0; i < n; i++) pyStruct.pack('ii', 1, 2); }, close() {} };
    case 'struct_tcp_info': {
      const buf = Buffer.from(tcpInfoBytes());
      return { run(n) { for (let i = 0; i < n; i++) pyStruct.unpack(TCP_INFO, buf); }, close() {} };
    }
  }
  throw new Error(`no peer workload ${name}`);
}

export function setup(name) {
  if (name.startsWith('struct_')) {
    const S = new w.struct.Struct('ii');
    const b = S.pack(1, 2);
    switch (name) {
      case 'struct_Struct_unpack': return { run(n) { for (let i = 0; i < n; i++) S.unpack(b); }, close() {} };
      case 'struct_unpack': return { run(n) { for (let i = 0; i < n; i++) w.struct.unpack('ii', b); }, close() {} };
      case 'struct_pack': return { run(n) { for (let i = 0; i < n; i++) w.struct.pack('ii', 1, 2); }, close() {} };
      case 'struct_tcp_info': {
        const T = new w.struct.Struct(TCP_INFO);
        const buf = tcpInfoBytes();
        return { run(n) { for (let i = 0; i < n; i++) T.unpack(buf); }, close() {} };
      }
    }
  }
  if (name === 'gettimeout' || name === 'settimeout') {
    const s = new w.socket();
    s.settimeout(1.5);
    const close = () => s.close();
    return name === 'gettimeout'
      ? { run(n) { for (let i = 0; i < n; i++) s.gettimeout(); }, close }
      : { run(n) { for (let i = 0; i < n; i++) s.settimeout(1.5); }, close };
  }
  if (name === 'accept_connect') {
    const l = new w.socket();
    l.bind(['127.0.0.1', 0]);
    l.listen();
    const addr = l.getsockname();
    return {
      run(n) {
        for (let i = 0; i < n; i++) {
          const c = new w.socket();
          c.connect(addr);
          const [a] = l.accept();
          a.close();
          c.close();
        }
      },
      close() { l.close(); },
    };
  }
  if (name === 'readline_binary' || name === 'readline_text') {
    // The peer process starts and connects in prepare(), outside the timed region.
    let l, a, f;
    return {
      prepare(n) {
        l = new w.socket();
        l.bind(['127.0.0.1', 0]);
        l.listen();
        spawn('python3', [new URL('./writer.py', import.meta.url).pathname, String(l.getsockname()[1]), String(n)], { stdio: 'ignore' }).unref();
        [a] = l.accept();
        f = a.makefile(name === 'readline_binary' ? 'rb' : 'r');
      },
      run(n) {
        for (let i = 0; i < n; i++) f.readline();
      },
      finish() { f.close(); a.close(); l.close(); },
      close() {},
    };
  }
  if (name === 'write_lines' || name === 'write_blocks') {
    // One reader process for all runs (bench/reader.py connects once per run), so process
    // start-up stays out of the timing; each run writes n items, flushes, and waits for the
    // reader's byte count.
    const l = new w.socket();
    l.bind(['127.0.0.1', 0]);
    l.listen();
    const child = spawn('python3', [new URL('./reader.py', import.meta.url).pathname, String(l.getsockname()[1])], { stdio: 'ignore' });
    const item = name === 'write_lines' ? new TextEncoder().encode('x'.repeat(99) + '\n') : new Uint8Array(65536);
    return {
      run(n) {
        const [a] = l.accept();
        const f = a.makefile('wb');
        for (let i = 0; i < n; i++) f.write(item);
        f.close();
        a.shutdown(w.SHUT_WR);
        const got = Number(new TextDecoder().decode(a.recv(64)));
        if (got !== n * item.length) throw new Error(`reader got ${got} bytes, not ${n * item.length}`);
        a.close();
      },
      close() { l.close(); child.unref(); },
    };
  }
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
    case 'fcntl_getfl': {
      const f = w.fcntl.fcntl;
      return { run(n) { for (let i = 0; i < n; i++) f(c, 3); }, close };           // F_GETFL
    }
    case 'ioctl_fionread': {
      const io = w.fcntl.ioctl, buf = new Uint8Array(4);                         // bytearray(4)
      return { run(n) { for (let i = 0; i < n; i++) io(c, 0x541b, buf); }, close };  // FIONREAD
    }
  }
  throw new Error(`unknown workload ${name}`);
}
