// The host ABI (assembly/bindings/host.ts) and its TypeScript twin (host/types.ts) name the
// same imports with the same arity; the Linux host implements them; a host without the
// js_buffers capability gets every byte through core memory with the same results; and
// socket(fileno=) asks a host only what its capability set says it can answer.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { LinuxHost } from '../host/linux/index.js';
import { HOST_IMPORT_ARITY, OPTIONAL_IMPORTS, type Capability } from '../host/types.js';
import { CountingHost } from './helpers/counting-host.js';

/** Every `@external("host", name)` declaration of the bindings file, with its parameter count. */
function declaredImports(): Map<string, number> {
  const text = readFileSync(new URL('../assembly/bindings/host.ts', import.meta.url), 'utf8');
  const found = new Map<string, number>();
  const re = /@external\("host",\s*"(\w+)"\)\s*(?:export\s+)?declare\s+function\s+\w+\s*\(([^)]*)\)/g;
  for (const m of text.matchAll(re)) {
    const params = m[2].trim();
    found.set(m[1], params === '' ? 0 : params.split(',').length);
  }
  return found;
}

const all = w.CAPABILITIES.filter((c) => c !== 'ioctl.windows') as Capability[];

let restore: w.Host | null = null;
afterEach(() => { if (restore) w.useHost(restore); restore = null; });
function use(host: w.Host): void { const p = w.useHost(host); restore ??= p; }

describe('the host ABI', () => {
  it('bindings/host.ts and HostImports name the same imports with the same arity (abort is the core\'s own)', () => {
    const declared = declaredImports();
    expect(declared.get('abort')).toBe(4);
    declared.delete('abort');
    expect(declared.size).toBeGreaterThan(20);
    expect(Object.fromEntries(declared)).toEqual({ ...HOST_IMPORT_ARITY });
  });

  it('every optional import names a capability the core knows, and only *_js imports belong to js_buffers', () => {
    for (const [name, cap] of Object.entries(OPTIONAL_IMPORTS)) {
      expect(w.CAPABILITIES as readonly string[]).toContain(cap);
      expect(name in HOST_IMPORT_ARITY).toBe(true);
      expect(cap === 'js_buffers').toBe(name.endsWith('_js'));
    }
  });

  it('the Linux host supplies every import but win_ioctl, each function with the declared arity', () => {
    const imports = new LinuxHost().imports(new WebAssembly.Memory({ initial: 1 })) as unknown as Record<string, (...a: unknown[]) => unknown>;
    const expected = Object.keys(HOST_IMPORT_ARITY).filter((n) => n !== 'win_ioctl').sort();
    expect(Object.keys(imports).sort()).toEqual(expected);
    for (const n of expected) expect(imports[n].length, n).toBe(HOST_IMPORT_ARITY[n as keyof typeof HOST_IMPORT_ARITY]);
  });

  it('the Linux host lends JavaScript buffers: socket.recv/send use recv_js/send_js, never the core-memory imports', () => {
    const host = new CountingHost();
    use(host);
    const [a, b] = w.socketpair();
    try {
      host.reset();
      a.send(new TextEncoder().encode('hi'));
      expect(new TextDecoder().decode(b.recv(10))).toBe('hi');
      expect(host.counts).toEqual({ send_js: 1, recv_js: 1 });
    } finally { a.close(); b.close(); }
  });
});

describe('a host without js_buffers: every byte through core memory, the same results', () => {
  function portable(): CountingHost {
    const host = new CountingHost(all.filter((c) => c !== 'js_buffers'), 'linux-portable');
    use(host);
    return host;
  }
  const enc = (s: string) => new TextEncoder().encode(s);

  it('send, sendall, recv, recv_into (with nbytes) on a stream pair, and no *_js import is called', () => {
    const host = portable();
    const [a, b] = w.socketpair();
    try {
      expect(a.isAvailable('js_buffers')).toBe(false);
      host.reset();
      expect(a.send(enc('hello'))).toBe(5);
      expect(b.recv(1024)).toEqual(enc('hello'));
      // 200 KB: larger than SCR_VAL, so through the growable staging area, in several sends.
      const big = new Uint8Array(200_000).map((_, i) => (i * 7) & 0xff);
      b.settimeout(5);
      a.settimeout(5);
      const got = new Uint8Array(big.length);
      let n = 0;
      // The socket buffer may hold less than 200 KB: the sender goes non-blocking and the
      // receiver drains between sends.
      a.setblocking(false);
      let sent = 0;
      while (sent < big.length) {
        try { sent += a.send(big.subarray(sent)); } catch (e) { if (!(e instanceof w.BlockingIOError)) throw e; }
        const view = got.subarray(n);
        if (view.length > 0) n += b.recv_into(view, Math.min(view.length, 65536));
      }
      while (n < big.length) n += b.recv_into(got.subarray(n));
      expect(Buffer.compare(got, big)).toBe(0);    // (a deep equal of 200,000 items takes seconds)
      a.settimeout(5);
      a.sendall(enc('x'.repeat(3000)));
      const into = new Uint8Array(4000).fill(0xee);
      let m = 0;
      while (m < 3000) m += b.recv_into(into.subarray(m), 3000 - m);
      expect(into.subarray(0, 3000)).toEqual(enc('x'.repeat(3000)));
      expect(into[3000]).toBe(0xee);     // nbytes honoured: nothing written past it
      expect(Object.keys(host.counts).filter((k) => k.endsWith('_js'))).toEqual([]);
      expect(host.counts.send).toBeGreaterThan(0);
      expect(host.counts.recv).toBeGreaterThan(0);
    } finally { a.close(); b.close(); }
  });

  it('sendto, recvfrom and recvfrom_into on UDP give the bytes and the sender', () => {
    const host = portable();
    const r = new w.socket(w.AF_INET, w.SOCK_DGRAM);
    const s = new w.socket(w.AF_INET, w.SOCK_DGRAM);
    try {
      r.bind(['127.0.0.1', 0]);
      s.bind(['127.0.0.1', 0]);
      host.reset();
      expect(s.sendto(enc('one'), r.getsockname())).toBe(3);
      expect(s.sendto(enc('two!'), 0, r.getsockname())).toBe(4);
      const [data, from] = r.recvfrom(100);
      expect(data).toEqual(enc('one'));
      expect(from).toEqual(s.getsockname());
      const buf = new Uint8Array(10);
      const [n, from2] = r.recvfrom_into(buf);
      expect([n, buf.subarray(0, n)]).toEqual([4, enc('two!')]);
      expect(from2).toEqual(s.getsockname());
      expect(host.counts).toMatchObject({ sendto: 2, recvfrom: 2 });
      expect(Object.keys(host.counts).filter((k) => k.endsWith('_js'))).toEqual([]);
    } finally { r.close(); s.close(); }
  });

  it('getsockopt buffer mode, a makefile reader and a 2000-byte mutable ioctl buffer', () => {
    const host = portable();
    const [a, b] = w.socketpair();
    try {
      a.setsockopt(w.SOL_SOCKET, w.SO_LINGER, w.struct.pack('ii', 1, 7));
      host.reset();
      expect(w.struct.unpack('ii', a.getsockopt(w.SOL_SOCKET, w.SO_LINGER, 8) as Uint8Array)).toEqual([1, 7]);
      expect(host.counts).toEqual({ getsockopt: 1 });
      a.sendall(enc('line one\nline two\n'));
      const f = b.makefile('rb');
      expect(f.readline()).toEqual(enc('line one\n'));
      expect(f.readline()).toEqual(enc('line two\n'));
      f.close();
      a.sendall(enc('12345'));
      // Over 1024 bytes a mutable buffer goes to the kernel itself (CPython): here staged in
      // core memory and copied back, so the kernel's 4 bytes land and the rest is kept.
      const big = new Uint8Array(2000).fill(0xab);
      expect(w.fcntl.ioctl(b, w.fcntl.FIONREAD, big)).toBe(0);
      expect(w.struct.unpack('i', big.subarray(0, 4))).toEqual([5]);
      expect(big.subarray(4).every((x) => x === 0xab)).toBe(true);
      expect(host.counts.ioctl).toBe(1);
      expect(Object.keys(host.counts).filter((k) => k.endsWith('_js'))).toEqual([]);
    } finally { a.close(); b.close(); }
  });
});

describe('socket(fileno=) asks the host only what its capability set says it can answer', () => {
  it('without sockname: the family, type and proto given are taken, getsockname is never called (CPython on WASI)', () => {
    const host = new CountingHost(all.filter((c) => c !== 'sockname'), 'no-sockname');
    use(host);
    const orig = new w.socket(w.AF_INET, w.SOCK_STREAM);
    orig.bind(['127.0.0.1', 0]);
    orig.listen();
    const fd = orig.detach();
    host.reset();
    const s = new w.socket(w.AF_INET, w.SOCK_STREAM, 0, fd);
    try {
      expect([s.family, s.type, s.proto]).toEqual([w.AF_INET, w.SOCK_STREAM, 0]);
      expect(host.counts.getsockname).toBeUndefined();
      expect(host.counts.getsockopt).toBeUndefined();
      // The adopted fd works: a client connects through it.
      expect(s.getsockopt(w.SOL_SOCKET, w.SO_ACCEPTCONN)).toBe(1);
      expect(() => s.getsockname()).toThrow(/getsockname is not available on no-sockname/);
    } finally { s.close(); }
  });

  it('without sockname, type and proto not given are read with SO_TYPE / SO_PROTOCOL; the family stays -1 as on WASI', () => {
    const host = new CountingHost(all.filter((c) => c !== 'sockname'), 'no-sockname');
    use(host);
    const orig = new w.socket(w.AF_INET, w.SOCK_DGRAM);
    const fd = orig.detach();
    host.reset();
    const s = new w.socket(undefined, undefined, undefined, fd);
    try {
      expect([s.family, s.type, s.proto]).toEqual([-1, w.SOCK_DGRAM, w.IPPROTO_UDP]);
      expect(host.counts.getsockname).toBeUndefined();
      expect(host.counts.getsockopt).toBe(2);
    } finally { s.close(); }
  });

  it('without sockname and getsockopt, a type and proto not given are SOCK_STREAM and 0 (CPython without SO_TYPE)', () => {
    const host = new CountingHost(all.filter((c) => c !== 'sockname' && c !== 'getsockopt' && c !== 'sotype'), 'p1-like');
    use(host);
    const orig = new w.socket(w.AF_INET, w.SOCK_STREAM);
    const fd = orig.detach();
    host.reset();
    const s = new w.socket(w.AF_INET, undefined, undefined, fd);
    try {
      expect([s.family, s.type, s.proto]).toEqual([w.AF_INET, w.SOCK_STREAM, 0]);
      expect(Object.keys(host.counts).filter((k) => k !== 'set_nonblocking')).toEqual([]);
    } finally { s.close(); }
  });

  it('with sotype but no getsockopt, only SO_TYPE is asked (the type read, proto 0), as wasi-libc answers it', () => {
    const host = new CountingHost(all.filter((c) => c !== 'sockname' && c !== 'getsockopt'), 'p1-like');
    use(host);
    const orig = new w.socket(w.AF_INET, w.SOCK_DGRAM);
    const fd = orig.detach();
    host.reset();
    const s = new w.socket(w.AF_INET, undefined, undefined, fd);
    try {
      expect([s.family, s.type, s.proto]).toEqual([w.AF_INET, w.SOCK_DGRAM, 0]);
      expect(Object.keys(host.counts).filter((k) => k !== 'set_nonblocking')).toEqual(['getsockopt']);
      expect(host.counts.getsockopt).toBe(1);
    } finally { s.close(); }
  });

  it('with sockname, a closed fd is still EBADF from getsockname, before anything else', () => {
    const host = new CountingHost();
    use(host);
    const orig = new w.socket();
    const fd = orig.detach();
    new w.socket(w.AF_INET, w.SOCK_STREAM, 0, fd).close();   // closes fd
    host.reset();
    expect(() => new w.socket(w.AF_INET, w.SOCK_STREAM, 0, fd)).toThrow(/\[Errno 9\]/);
    expect(host.counts).toEqual({ getsockname: 1 });
  });
});
